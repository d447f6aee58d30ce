import { beforeAll, describe, expect, it } from 'vitest';
import { createSensor, DEFAULT_DICTIONARY } from '../src/core/sensing/index.ts';
import {
  createCombinedSensor, heldOutSplit, type LabelledLine, measureSensor, type SensingFigures, type SensingModel, toLabelled, trainSensingModel,
} from '../src/core/sensing/learn.ts';
import type { Sensor } from '../src/core/sensing/types.ts';
import { URGENT_KINDS } from '../src/core/vocabulary.ts';
import { loadBaseLines, loadHeldOutLines } from '../src/modules/sensing/base-set.ts';

// Quality of automatic sensing (信息快速感知): the base model trained on datasets/sensing/base, combined with the
// dictionary, judged on datasets/sensing/heldout.jsonl — messages written separately and never trained or tuned on.
// The rules of labelling are docs/sensing-labels.md; the figures are recorded in docs/sensing.md.

const MIN = { recall: 0.92, precision: 0.85, urgentRecall: 0.9, urgentFalseRate: 0.02 };

const base = loadBaseLines();
const heldOut = loadHeldOutLines();

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function report(title: string, f: SensingFigures): string[] {
  return [
    `${title}: ${f.n} messages`,
    `  actionable: recall ${pct(f.recall)}, precision ${pct(f.precision)}, F1 ${pct(f.f1)}`,
    `  urgent: kind recall ${pct(f.urgentRecall)}, raised at all ${pct(f.urgentAnyRecall)}, chatter raised urgent ${pct(f.urgentFalseRate)}`,
    `  per kind: ${Object.entries(f.perKind).map(([k, v]) => `${k} ${v.found}/${v.n}`).join(', ')}`,
    `  category accuracy ${pct(f.categoryAccuracy)}`,
  ];
}

function misses(sensor: Sensor, lines: readonly LabelledLine[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const s = sensor.sense(l.text);
    const wrong = s.actionable !== l.actionable || (l.urgentKind ?? null) !== s.urgentKind;
    if (!wrong) continue;
    const want = l.actionable ? `actionable${l.urgentKind ? ` ${l.urgentKind}` : ''}` : 'chatter';
    const got = s.actionable ? `actionable${s.urgentKind ? ` ${s.urgentKind}` : ''}` : 'chatter';
    out.push(`${l.id} [${l.kind}/${l.variety}] want ${want}, got ${got} (${s.score}; ${s.why.join(' ')}): ${l.text}`);
  }
  return out;
}

describe('sensing quality: the base model and the dictionary on messages never trained on', () => {
  let model: SensingModel;
  let sensor: Sensor;

  // The base model as every town's version 1 holds it: trained on the train side of the base set's stable split.
  const trainSide = heldOutSplit(base.map(toLabelled)).train;

  beforeAll(async () => {
    model = await trainSensingModel(trainSide, DEFAULT_DICTIONARY);
    sensor = createCombinedSensor(DEFAULT_DICTIONARY, model);
  }, 120_000);

  it('has labelled sets worth the name: ≥ 1,500 messages, every urgent kind ≥ 40 times, three varieties, a separate held-out part', () => {
    const all = [...base, ...heldOut];
    expect(all.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(all.map((l) => l.id)).size).toBe(all.length);
    for (const kind of URGENT_KINDS) expect(all.filter((l) => l.urgentKind === kind).length, kind).toBeGreaterThanOrEqual(40);
    for (const kind of URGENT_KINDS) expect(heldOut.filter((l) => l.urgentKind === kind).length, `held-out ${kind}`).toBeGreaterThanOrEqual(10);
    expect(all.filter((l) => l.variety === 'southwest').length).toBeGreaterThan(all.length * 0.35);
    expect(all.filter((l) => l.variety === 'shaanxi').length).toBeGreaterThan(100);
    // The held-out part shares no text with the base set, and every line of it says so.
    const seen = new Set(base.map((l) => l.text.replace(/[\p{P}\p{S}\s]/gu, '')));
    for (const l of heldOut) {
      expect(l.heldOut, l.id).toBe(true);
      expect(seen.has(l.text.replace(/[\p{P}\p{S}\s]/gu, '')), `${l.id} is also in the base set`).toBe(false);
    }
    for (const l of all) {
      if (l.urgentKind) expect(l.actionable, l.id).toBe(true);
      if (!l.actionable) expect(l.category, l.id).toBeNull();
    }
  });

  it(`on the held-out part: recall ≥ ${MIN.recall}, precision ≥ ${MIN.precision}, urgent-kind recall ≥ ${MIN.urgentRecall}, chatter raised urgent ≤ ${pct(MIN.urgentFalseRate)}`, () => {
    const labelled = heldOut.map(toLabelled);
    const f = measureSensor(sensor, labelled);
    const dictionaryOnly = measureSensor(createSensor(DEFAULT_DICTIONARY), labelled);
    const byVariety = (['southwest', 'shaanxi', 'standard'] as const).flatMap((v) =>
      report(`  held-out, ${v}`, measureSensor(sensor, heldOut.filter((l) => l.variety === v).map(toLabelled))).slice(0, 3));
    // Only the count of misses: reading the held-out lines the sensor gets wrong is how a held-out part turns into a
    // tuned one. The misses of the base set (below) are the ones to learn from.
    const wrong = misses(sensor, heldOut);
    console.log([
      ...report('held-out part, dictionary and model', f), ...byVariety,
      ...report('held-out part, dictionary alone', dictionaryOnly),
      `  held-out messages sensed wrongly (actionable or urgent kind): ${wrong.length}`,
    ].join('\n'));
    expect(f.recall).toBeGreaterThanOrEqual(MIN.recall);
    expect(f.precision).toBeGreaterThanOrEqual(MIN.precision);
    expect(f.urgentRecall).toBeGreaterThanOrEqual(MIN.urgentRecall);
    expect(f.urgentFalseRate).toBeLessThanOrEqual(MIN.urgentFalseRate);
  });

  it('keeps warnings and happy endings calm, and says why', () => {
    const calm = heldOut.filter((l) => l.kind === 'calm');
    // A count, not the lines: the held-out part is read by nobody tuning the sensor.
    const raised = calm.filter((l) => sensor.sense(l.text).urgentKind !== null).length;
    console.log(`held-out calm messages (warnings, happy endings, drills, the past, jokes): ${calm.length}, raised as urgent: ${raised}`);
    // The hardest chatter (danger words in a calm message) is held to a tenth; all chatter together to 2% above.
    expect(raised, 'calm messages raised as urgent').toBeLessThanOrEqual(Math.floor(calm.length * 0.1));
    const s = sensor.sense('3栋电梯卡在6楼和7楼中间，里头有个老汉儿在喊救命，搞快点');
    expect(s.urgentKind).toBe('trapped');
    expect(s.why.length).toBeGreaterThan(0);
  });

  it('trains the same model from the same examples (deterministic)', async () => {
    const again = await trainSensingModel(trainSide, DEFAULT_DICTIONARY);
    expect(Buffer.from(again.serialise()).equals(Buffer.from(model.serialise()))).toBe(true);
  }, 120_000);
});

describe('sensing quality: k-fold cross-validation on the base set (figures only)', () => {
  it('prints 5-fold figures of the dictionary and the model', async () => {
    const lines = base.map(toLabelled);
    const folds = 5;
    const parts = lines.map((_, i) => i % folds);
    const figures: SensingFigures[] = [];
    for (let k = 0; k < folds; k++) {
      const train = lines.filter((_, i) => parts[i] !== k);
      const test = lines.filter((_, i) => parts[i] === k);
      figures.push(measureSensor(createCombinedSensor(DEFAULT_DICTIONARY, await trainSensingModel(train, DEFAULT_DICTIONARY)), test));
    }
    const mean = (key: 'recall' | 'precision' | 'f1' | 'urgentRecall' | 'urgentFalseRate' | 'categoryAccuracy') => figures.reduce((s, f) => s + f[key], 0) / folds;
    console.log(`5-fold on the base set (${lines.length}): recall ${pct(mean('recall'))}, precision ${pct(mean('precision'))}, F1 ${pct(mean('f1'))}, ` +
      `urgent-kind recall ${pct(mean('urgentRecall'))}, chatter urgent ${pct(mean('urgentFalseRate'))}, category ${pct(mean('categoryAccuracy'))}`);
    expect(figures).toHaveLength(folds);
    // Not a gate (the held-out part is), but a model that learnt nothing fails here.
    expect(mean('f1')).toBeGreaterThan(0.85);
    // A split used by retraining stays stable: the same lines fall on the test side every time.
    expect(heldOutSplit(lines).test.map((l) => l.text)).toEqual(heldOutSplit([...lines].reverse()).test.map((l) => l.text).reverse());
  }, 300_000);
});
