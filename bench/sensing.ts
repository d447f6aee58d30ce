// Sensing speed: messages per CPU second of the dictionary alone and of the dictionary with the base model, over the
// labelled sets' texts (a realistic mix of lengths). Run by `npm run bench`, or alone: `npx tsx bench/sensing.ts`.
import { fileURLToPath } from 'node:url';
import { DEFAULT_DICTIONARY } from '../src/core/sensing/index.ts';
import { createCombinedSensor, heldOutSplit } from '../src/core/sensing/learn.ts';
import type { Sensor } from '../src/core/sensing/types.ts';
import { loadBaseSet, loadHeldOutLines } from '../src/modules/sensing/base-set.ts';
import { trainInWorker } from '../src/modules/sensing/trainer.ts';

export interface SensingSpeed { messages: number; averageChars: number; dictionaryPerCpuSecond: number; combinedPerCpuSecond: number; trainSeconds: number }

function perCpuSecond(sensor: Sensor, texts: string[], rounds: number): number {
  for (const t of texts) sensor.sense(t); // warm-up: compiled phrases, cached pulls
  const before = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const t of texts) sensor.sense(t);
  const used = process.cpuUsage(before);
  return Math.round((texts.length * rounds) / ((used.user + used.system) / 1e6));
}

export async function runSensingBench(rounds = 5): Promise<SensingSpeed> {
  const texts = [...loadBaseSet().map((l) => l.text), ...loadHeldOutLines().map((l) => l.text)];
  const started = Date.now();
  const model = await trainInWorker(heldOutSplit(loadBaseSet()).train, DEFAULT_DICTIONARY);
  const trainSeconds = (Date.now() - started) / 1000;
  return {
    messages: texts.length, averageChars: Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length),
    dictionaryPerCpuSecond: perCpuSecond(createCombinedSensor(DEFAULT_DICTIONARY, null), texts, rounds),
    combinedPerCpuSecond: perCpuSecond(createCombinedSensor(DEFAULT_DICTIONARY, model), texts, rounds), trainSeconds,
  };
}

export function renderSensing(s: SensingSpeed): string {
  return [
    `Sensing (${s.messages} labelled messages, ${s.averageChars} characters on average, one core):`,
    `  dictionary alone       ${s.dictionaryPerCpuSecond.toLocaleString('en')} messages per CPU second`,
    `  dictionary and model   ${s.combinedPerCpuSecond.toLocaleString('en')} messages per CPU second`,
    `  training the base model in a worker thread: ${s.trainSeconds.toFixed(1)} s`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(renderSensing(await runSensingBench()));
