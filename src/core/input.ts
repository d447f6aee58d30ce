/**
 * Text that no column can hold: PostgreSQL refuses a NUL character in `text` and `jsonb`, and a lone UTF-16
 * surrogate (half of an emoji, say) is not Unicode at all — JSON.stringify writes it as "\ud800", which jsonb
 * refuses, and the driver turns it into U+FFFD in text. Every request is checked for both before its schema runs
 * (src/http/input.ts), and so is every message an intake path parses itself, so no such string reaches SQL.
 */
export type UnstorableProblem = 'nul' | 'lone_surrogate';

export interface UnstorableText {
  /** Where it is: object keys and array indexes from the top ([] for the value itself). */
  path: (string | number)[];
  problem: UnstorableProblem;
}

export const unstorableMessage: Record<UnstorableProblem, string> = {
  nul: 'must not contain a NUL character (U+0000)',
  lone_surrogate: 'must be valid Unicode text (it holds half of a UTF-16 surrogate pair)',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const problemOf = (s: string): UnstorableProblem | null => (s.includes('\u0000') ? 'nul' : LONE_SURROGATE.test(s) ? 'lone_surrogate' : null);

interface Step { value: unknown; key: string | number | null; parent: Step | null }

const pathOf = (step: Step, last?: string): (string | number)[] => {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) path.unshift(s.key);
  return path;
};

/** The first unstorable string (a value or an object key) in a parsed request, walking without recursion; null when clean. */
export function findUnstorableText(value: unknown): UnstorableText | null {
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    const v = step.value;
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) return { path: pathOf(step), problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: step });
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown];
        const problem = problemOf(key);
        if (problem) return { path: pathOf(step, key), problem };
        stack.push({ value: child, key, parent: step });
      }
    }
  }
  return null;
}
