import { createInterface } from 'node:readline';
import { DEFAULT_DICTIONARY } from '../../core/sensing/index.ts';
import { createCombinedSensor, heldOutSplit, type LabelledText, measureSensor, type SensingFigures, trainSensingModel } from '../../core/sensing/learn.ts';
import type { Sensed, Sensor } from '../../core/sensing/types.ts';
import { URGENT_KINDS, type UrgentKind } from '../../core/vocabulary.ts';
import { loadBaseSet } from './base-set.ts';

/** One input line of `dualgrid sense`: the text, and for --eval its labels. */
interface InputLine {
  text?: unknown;
  actionable?: unknown;
  urgent?: unknown;
  urgentKind?: unknown;
  category?: unknown;
}

/**
 * The shipped base model with the default dictionary: trained in this process from the train side of
 * datasets/sensing/base (deterministically, so it is the model a new town's version 1 holds).
 */
export async function baseSensor(): Promise<Sensor> {
  return createCombinedSensor(DEFAULT_DICTIONARY, await trainSensingModel(heldOutSplit(loadBaseSet()).train, DEFAULT_DICTIONARY));
}

/** What `sense` writes for one message: one JSON line. */
export function senseLine(s: Sensed) {
  return { actionable: s.actionable, score: s.score, urgent: s.urgentKind !== null, urgentKind: s.urgentKind, categoryCode: s.categoryCode, why: s.why };
}

const KINDS = new Set<string>(URGENT_KINDS);

/** A labelled line for --eval: `actionable` (bool), `urgent` (bool or a kind) or `urgentKind`, `category`. */
export function labelOf(line: InputLine, n: number): LabelledText {
  if (typeof line.text !== 'string') throw new Error(`line ${n}: needs "text" (a string)`);
  if (typeof line.actionable !== 'boolean') throw new Error(`line ${n}: --eval needs "actionable" (true or false)`);
  const kind = typeof line.urgentKind === 'string' ? line.urgentKind : typeof line.urgent === 'string' ? line.urgent : null;
  if (kind !== null && !KINDS.has(kind)) throw new Error(`line ${n}: unknown urgent kind "${kind}" (one of ${URGENT_KINDS.join(', ')})`);
  const urgent = kind !== null || line.urgent === true;
  return {
    text: line.text, actionable: line.actionable || urgent, urgentKind: kind as UrgentKind | null, urgent,
    categoryCode: typeof line.category === 'string' && line.category !== '' ? line.category : null,
  };
}

/** Reads JSON lines from `input`; writes one result line each, or with `evaluate` the figures. Returns the exit code. */
export async function runSense(sensor: Sensor, input: NodeJS.ReadableStream, out: (line: string) => void, options: { evaluate: boolean }): Promise<number> {
  const labelled: LabelledText[] = [];
  let n = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (raw.trim() === '') continue;
    let line: InputLine;
    try {
      line = JSON.parse(raw) as InputLine;
    } catch {
      throw new Error(`line ${n}: not JSON`);
    }
    if (options.evaluate) labelled.push(labelOf(line, n));
    else {
      if (typeof line.text !== 'string') throw new Error(`line ${n}: needs "text" (a string)`);
      out(JSON.stringify(senseLine(sensor.sense(line.text))));
    }
  }
  if (options.evaluate) for (const l of describeFigures(measureSensor(sensor, labelled))) out(l);
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The figures as lines a person reads, then the same as one JSON line. */
export function describeFigures(f: SensingFigures): string[] {
  const withKind = Object.values(f.perKind).reduce((n, k) => n + k.n, 0);
  const lines = [
    `messages            ${f.n}`,
    `recall (actionable) ${pct(f.recall)}`,
    `precision           ${pct(f.precision)}`,
    `F1                  ${pct(f.f1)}`,
    f.urgentN > 0
      ? `urgent recall       ${pct(f.urgentAnyRecall)} of ${f.urgentN} raised urgent${withKind > 0 ? `; ${pct(f.urgentRecall)} with the right kind` : ''}`
      : 'urgent recall       — (no urgent lines)',
    `chatter as urgent   ${pct(f.urgentFalseRate)}`,
    `category accuracy   ${pct(f.categoryAccuracy)}`,
  ];
  for (const [kind, k] of Object.entries(f.perKind)) lines.push(`  ${kind.padEnd(8)} ${k.found}/${k.n}`);
  lines.push(JSON.stringify(f));
  return lines;
}
