import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { type LabelledLine, type LabelledText, parseLabelledLines, toLabelled } from '../../core/sensing/learn.ts';

/** The shipped labelled messages the base model is trained on (datasets/sensing/base/*.jsonl), and the held-out part. */
const DATA = new URL('../../../datasets/sensing/', import.meta.url);

let cached: { lines: LabelledLine[]; hash: string } | null = null;

function read(): { lines: LabelledLine[]; hash: string } {
  if (cached) return cached;
  const dir = new URL('base/', DATA);
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
  const hash = createHash('sha256');
  const lines: LabelledLine[] = [];
  for (const f of files) {
    const text = readFileSync(new URL(f, dir), 'utf8');
    hash.update(f).update('\0').update(text);
    lines.push(...parseLabelledLines(text, `datasets/sensing/base/${f}`));
  }
  cached = { lines, hash: hash.digest('hex').slice(0, 16) };
  return cached;
}

/** The base set's lines as labelled texts, in file order. */
export function loadBaseSet(): LabelledText[] {
  return read().lines.map(toLabelled);
}

/** The base set's lines with their ids, kinds and varieties (for figures per variety and the quality test). */
export function loadBaseLines(): LabelledLine[] {
  return read().lines;
}

/** A short hash of the base set's files, recorded with every model trained on them. */
export function baseSetHash(): string {
  return read().hash;
}

/** The held-out part (datasets/sensing/heldout.jsonl): written separately, never trained or tuned on. */
export function loadHeldOutLines(): LabelledLine[] {
  return parseLabelledLines(readFileSync(new URL('heldout.jsonl', DATA), 'utf8'), 'datasets/sensing/heldout.jsonl');
}
