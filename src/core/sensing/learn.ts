import { gunzipSync, gzipSync } from 'node:zlib';
import { getFastTextModule } from 'fasttext.wasm.js';
import { URGENT_KIND_NAMES, URGENT_KINDS, type UrgentKind } from '../vocabulary.ts';
import { countEmoji, normalise, stripEmoji } from './normalise.ts';
import { createSensor } from './sensor.ts';
import type { DictionarySignals, Sensed, SensingDictionary, Sensor } from './types.ts';

/**
 * The trained half of sensing (感知模型): a fastText supervised model (its WebAssembly build, in-process) per
 * question — actionable or chatter, which urgent kind if any, which category — reading the message's characters and
 * character pairs beside the dictionary's evidence (signals as extra tokens), so what the dictionary knows (and an
 * administrator's new phrase) reaches the model, and what the dictionary has no phrase for is still learnt from
 * examples. Chosen over naive Bayes by measurement (docs/decisions.md): fastText's category head predicts ~50,000
 * messages a second where wink's naive Bayes managed 79, and it was more precise on actionable messages.
 *
 * Everything here is deterministic for the same examples (one training thread, a fixed seed).
 */

/** A message and what it should have been sensed as: a line of the labelled sets or an operator's decision. */
export interface LabelledText {
  text: string;
  actionable: boolean;
  urgentKind: UrgentKind | null;
  categoryCode: string | null;
  /** Urgent with no kind given (a town's own labels for --eval may say only that); implied by urgentKind. */
  urgent?: boolean;
}

/** What the model says of one message. */
export interface ModelPrediction {
  /** P(actionable). */
  actionable: number;
  urgentKind: UrgentKind | null;
  /** P(urgentKind) (or P(no urgent kind) when urgentKind is null). */
  urgentP: number;
  categoryCode: string | null;
  categoryP: number;
  /** The tokens that pushed hardest towards the decision, strongest first, in words a person reads. */
  features: string[];
}

export interface SensingModel {
  readonly engine: string;
  readonly params: Readonly<Record<string, number>>;
  predict(text: string, signals: DictionarySignals, thresholds?: Thresholds): ModelPrediction;
  /** The three fastText models in one gzipped artifact (about 3 MB), for sensing_models.artifact. */
  serialise(): Uint8Array;
  /** Frees the model's WebAssembly memory; predict() must not be called afterwards (serialise() still works). */
  dispose(): void;
}

export const ENGINE = 'fasttext-1';

/** Training settings, chosen by k-fold cross-validation on the base set (never on the held-out part). */
export const DEFAULT_PARAMS = { dim: 24, epoch: 30, lr: 0.5, seed: 1, ngrams: 2, urgentRepeat: 1, shuffle: 1 } as const;
export type Params = { [K in keyof typeof DEFAULT_PARAMS]: number };

/**
 * Where decisions fall: P(actionable) at which a message is actionable; P(some urgent kind) — one minus P(no urgent
 * kind) — at which it is urgent, of its likeliest kind; a category the model is less sure of than `category` gives way
 * to the dictionary's. Chosen by cross-validation on the base set.
 */
export const DEFAULT_THRESHOLDS = { actionable: 0.5, urgent: 0.4, category: 0.35, dictionaryUrgent: 0 };
export type Thresholds = typeof DEFAULT_THRESHOLDS;

const HEADS = ['act', 'urg', 'cat'] as const;
type Head = (typeof HEADS)[number];
const NONE = 'none';
const KINDS = new Set<string>(URGENT_KINDS);

// ---------------------------------------------------------------------------------------------------------------
// Tokens: what the model reads.

/**
 * The model's tokens for a message: its characters and each pair of neighbouring characters (digits folded to 0,
 * Latin words to one token), then the dictionary's signals as `#` tokens (#act when the dictionary alone would call it
 * actionable, evidence and chatter in bands, #notice, #q, #u:<kind> per urgent kind its phrases reach, #c:<code> for
 * the categories its phrases point at, #emoji for a message of emojis only).
 */
export function modelTokens(text: string, signals: DictionarySignals, ngrams = 2): string[] {
  const normalised = normalise(text);
  const body = stripEmoji(normalised).replace(/\d+/g, '0').replace(/[a-z]+/g, 'a');
  const chars = Array.from(body);
  const tokens: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    tokens.push(chars[i] as string);
    if (i + 1 < chars.length) tokens.push((chars[i] as string) + (chars[i + 1] as string));
    if (ngrams >= 3 && i + 2 < chars.length) tokens.push((chars[i] as string) + (chars[i + 1] as string) + (chars[i + 2] as string));
  }
  tokens.push(...signalTokens(signals, body.length === 0 && countEmoji(normalised) > 0, chars.length));
  return tokens;
}

function signalTokens(s: DictionarySignals, emojiOnly: boolean, length: number): string[] {
  const out: string[] = [];
  const raw = s.evidence - s.against;
  if (raw >= 1) out.push('#act');
  out.push(`#ev${band(s.evidence)}`, `#ag${band(s.against)}`, `#len${length <= 4 ? 0 : length <= 12 ? 1 : length <= 40 ? 2 : 3}`);
  if (s.notice) out.push('#notice');
  if (s.calm) out.push('#calm');
  if (s.question) out.push('#q');
  if (emojiOnly) out.push('#emoji');
  for (const [kind, w] of Object.entries(s.urgent)) if ((w ?? 0) >= 1) out.push(`#u:${kind}`);
  for (const code of s.categories) out.push(`#c:${code}`);
  return out;
}

/** Fisher–Yates with a small seeded generator (mulberry32): the same order for the same seed. */
function shuffle<T>(items: T[], seed: number): void {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

const band = (x: number) => (x <= 0 ? 0 : x < 0.5 ? 1 : x < 1 ? 2 : x < 2 ? 3 : 4);

/** A token as a person reads it in `why`: 「漏水」, or the dictionary signal in words; null for tokens that explain nothing. */
function describeToken(token: string): string | null {
  if (!token.startsWith('#')) return /^\p{Script=Han}+$/u.test(token) ? `「${token}」` : null;
  if (token === '#act') return '词典：像是诉求';
  if (token === '#notice') return '词典：像通知或提醒';
  if (token === '#calm') return '词典：事已过去或是别处的事';
  if (token === '#q') return '问句';
  if (token === '#emoji') return '只有表情';
  if (token.startsWith('#u:')) return `词典：${URGENT_KIND_NAMES[token.slice(3) as UrgentKind] ?? token.slice(3)}紧急词`;
  if (token.startsWith('#c:')) return `词典：分类 ${token.slice(3)}`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Training and loading.

type FtModule = Awaited<ReturnType<typeof getFastTextModule>>;
type FtModel = InstanceType<FtModule['FastText']>;

interface LoadedHead {
  ft: FtModel;
  labels: string[];
  /** Per token, its pull towards each label (W_label · E_token), computed when first needed. */
  pull: Map<string, Float32Array | null>;
  output: { rows(): number; cols(): number; at(i: number, j: number): number };
  /** Label index per label name, in the output matrix's order. */
  labelIndex: Map<string, number>;
}

const MAGIC = 'DGSM1\n';

/**
 * Trains the three heads on the examples. Each training runs in a fresh WebAssembly instance: fastText's build keeps
 * state between trainings in one instance (a second training starts from the first one's weights), which would leak
 * one training set into the next.
 */
export async function trainSensingModel(examples: readonly LabelledText[], dictionary: SensingDictionary, params: Partial<Params> = {}): Promise<SensingModel> {
  if (examples.length === 0) throw new Error('no examples to train on');
  const p = { ...DEFAULT_PARAMS, ...params };
  const sensor = createSensor(dictionary);
  const lines: Record<Head, string[]> = { act: [], urg: [], cat: [] };
  for (const e of examples) {
    const tokens = modelTokens(e.text, sensor.sense(e.text).signals, p.ngrams).join(' ');
    lines.act.push(`__label__${e.actionable ? 'a' : 'c'} ${tokens}`);
    // Urgent examples can count more than once for the urgent question: a missed danger costs more than a false alarm.
    for (let r = 0; r < (e.urgentKind ? p.urgentRepeat : 1); r++) lines.urg.push(`__label__${e.urgentKind ?? NONE} ${tokens}`);
    if (e.actionable && e.categoryCode) lines.cat.push(`__label__${e.categoryCode} ${tokens}`);
  }
  if (lines.cat.length === 0) lines.cat.push(`__label__${NONE} #`);
  // fastText reads its file in order, one thread: lines grouped by kind (files of requests, then of chatter …) would
  // pull the weights towards whatever came last. A seeded shuffle keeps training deterministic.
  if (p.shuffle) for (const head of HEADS) shuffle(lines[head], p.seed);
  const blobs: Uint8Array[] = [];
  for (const head of HEADS) blobs.push(await trainHead(lines[head], p));
  return loadFromBlobs(blobs, p);
}

async function trainHead(lines: string[], p: Params): Promise<Uint8Array> {
  const m = await getFastTextModule();
  m.FS.writeFile('/train.txt', `${lines.join('\n')}\n`);
  const args = new m.Args();
  Object.assign(args, { dim: p.dim, epoch: p.epoch, lr: p.lr, seed: p.seed, wordNgrams: 1, bucket: 0, minn: 0, maxn: 0, minCount: 1, thread: 1, verbose: 0 });
  args.model = m.ModelName.supervised;
  args.loss = m.LossName.softmax;
  args.input = '/train.txt';
  args.output = '/model';
  const ft = new m.FastText();
  ft.train(args, () => {});
  ft.saveModel('/model.bin');
  return m.FS.readFile('/model.bin');
}

/** Loads an artifact made by serialise(). */
export async function loadSensingModel(engine: string, packed: Uint8Array): Promise<SensingModel> {
  if (engine !== ENGINE) throw new Error(`unknown sensing engine ${engine}`);
  if (packed.length === 0) throw new Error('this version\'s model was pruned (only recent versions keep theirs)');
  const artifact = new Uint8Array(gunzipSync(packed));
  const text = new TextDecoder().decode(artifact.subarray(0, Math.min(artifact.length, 4096)));
  if (!text.startsWith(MAGIC)) throw new Error('not a sensing model artifact');
  const headerEnd = text.indexOf('\n', MAGIC.length);
  const header = JSON.parse(text.slice(MAGIC.length, headerEnd)) as { params: Params; sizes: number[] };
  let at = new TextEncoder().encode(text.slice(0, headerEnd + 1)).length;
  const blobs = header.sizes.map((size) => {
    const blob = artifact.slice(at, at + size);
    at += size;
    return blob;
  });
  return loadFromBlobs(blobs, header.params);
}

/**
 * Loaded models share one WebAssembly instance per process: loading (unlike training) keeps each model to itself, and
 * an instance per model would hold its own tens of megabytes.
 */
let loader: ReturnType<typeof getFastTextModule> | null = null;
let loaded = 0;

async function loadFromBlobs(blobs: Uint8Array[], params: Params): Promise<SensingModel> {
  loader ??= getFastTextModule();
  const m = await loader;
  const heads = blobs.map((blob) => {
    const path = `/head-${++loaded}.bin`;
    m.FS.writeFile(path, blob);
    const ft = new m.FastText();
    ft.loadModel(path);
    m.FS.unlink(path);
    const [names, counts] = ft.getLabels();
    const labels: string[] = [];
    for (let j = 0; j < names.size(); j++) labels.push(names.get(j).slice('__label__'.length));
    names.delete();
    counts.delete();
    return { ft, labels, pull: new Map(), output: ft.getOutputMatrix() as LoadedHead['output'], labelIndex: new Map(labels.map((l, j) => [l, j])) } satisfies LoadedHead;
  });
  const [act, urg, cat] = heads as [LoadedHead, LoadedHead, LoadedHead];
  const dim = params.dim;
  const buffer = { ptr: m._malloc(dim * 4), size: dim };

  /** How hard a token pulls towards `label` rather than `against` in a head (W_label − W_against) · E_token. */
  function pullOf(head: LoadedHead, token: string, label: string, against: string | null): number {
    let pulls = head.pull.get(token);
    if (pulls === undefined) {
      const id = head.ft.getWordId(token);
      if (id < 0) pulls = null;
      else {
        head.ft.getInputVector(buffer, id);
        const v = new Float32Array(m.HEAPF32.buffer, buffer.ptr, dim);
        pulls = new Float32Array(head.labels.length);
        for (let l = 0; l < head.labels.length; l++) {
          let s = 0;
          for (let d = 0; d < dim; d++) s += head.output.at(l, d) * (v[d] as number);
          pulls[l] = s;
        }
      }
      head.pull.set(token, pulls);
    }
    if (pulls === null) return 0;
    const li = head.labelIndex.get(label);
    if (li === undefined) return 0;
    let base = 0;
    if (against !== null) base = pulls[head.labelIndex.get(against) ?? li] as number;
    else {
      for (const x of pulls) base += x;
      base /= pulls.length;
    }
    return (pulls[li] as number) - base;
  }

  function top(head: LoadedHead, line: string, k = 2): Array<[number, string]> {
    const v = head.ft.predict(line, k, 0);
    const out: Array<[number, string]> = [];
    for (let i = 0; i < v.size(); i++) {
      const [prob, label] = v.get(i);
      out.push([prob, label.slice('__label__'.length)]);
    }
    v.delete();
    return out;
  }

  function predict(text: string, signals: DictionarySignals, thresholds: Thresholds = DEFAULT_THRESHOLDS): ModelPrediction {
    const tokens = modelTokens(text, signals, params.ngrams ?? 2);
    const line = tokens.join(' ');
    const a = top(act, line);
    const pA = a.find(([, l]) => l === 'a')?.[0] ?? (a[0]?.[1] === 'c' ? 1 - (a[0]?.[0] ?? 0) : 0);
    const u = top(urg, line, 3);
    const pNone = u.find(([, l]) => l === NONE)?.[0] ?? (u.length < 3 ? 1 - u.reduce((sum, [x]) => sum + x, 0) : 0);
    const likeliest = u.find(([, l]) => l !== NONE && KINDS.has(l));
    const urgentKind = likeliest && 1 - pNone >= thresholds.urgent ? (likeliest[1] as UrgentKind) : null;
    // The category head only for messages that will need one (about half of a group's messages are chatter).
    const [c] = pA >= thresholds.actionable || urgentKind ? top(cat, line) : [];
    const categoryCode = c && c[1] !== NONE ? c[1] : null;
    // Why: the tokens that pulled hardest towards the decision taken.
    const [head, label, against] = urgentKind ? [urg, urgentKind, NONE] : pA >= thresholds.actionable ? [act, 'a', 'c'] : [act, 'c', 'a'];
    const scored = [...new Set(tokens)].map((t) => [pullOf(head, t, label, against), t] as const).filter(([s]) => s > 0).sort((x, y) => y[0] - x[0]);
    return {
      actionable: pA, urgentKind, urgentP: 1 - pNone, categoryCode, categoryP: c?.[0] ?? 0,
      // Pairs and dictionary signals read better than single characters: they come first.
      features: [...scored.filter(([, t]) => [...t].length > 1), ...scored.filter(([, t]) => [...t].length === 1)]
        .map(([, t]) => describeToken(t)).filter((d): d is string => d !== null).slice(0, 4),
    };
  }

  function serialise(): Uint8Array {
    const header = new TextEncoder().encode(`${MAGIC}${JSON.stringify({ params, sizes: blobs.map((b) => b.length) })}\n`);
    const out = new Uint8Array(header.length + blobs.reduce((n, b) => n + b.length, 0));
    out.set(header, 0);
    let at = header.length;
    for (const b of blobs) {
      out.set(b, at);
      at += b.length;
    }
    return new Uint8Array(gzipSync(out, { level: 6 }));
  }

  let disposed = false;
  function dispose(): void {
    if (disposed) return;
    disposed = true;
    for (const h of heads) h.ft.delete();
    m._free(buffer.ptr);
  }

  return { engine: ENGINE, params, predict, serialise, dispose };
}

// ---------------------------------------------------------------------------------------------------------------
// The dictionary and the model together.

/**
 * The sensor of intake: the dictionary (explainable, editable, right on rare phrases) and, when there is one, the
 * trained model. Actionable when the model says so (it reads the dictionary's evidence among its tokens); urgent when
 * the model names an urgent kind, or when the dictionary does and the model does not call it chatter; the category is
 * the model's unless it is unsure and the dictionary has one. Without a model it is the dictionary sensor.
 */
export function createCombinedSensor(dictionary: SensingDictionary, model: SensingModel | null, thresholds: Thresholds = DEFAULT_THRESHOLDS): Sensor {
  const dict = createSensor(dictionary);
  if (!model) return dict;
  return {
    sense(text: string): Sensed {
      const d = dict.sense(text);
      const p = model.predict(text, d.signals, thresholds);
      let urgentKind = p.urgentKind;
      if (!urgentKind && d.urgentKind && p.actionable >= thresholds.actionable && p.urgentP >= thresholds.dictionaryUrgent) urgentKind = d.urgentKind;
      // Which danger: the dictionary's phrases name it more precisely than the model's likeliest kind among nine.
      if (urgentKind && !((d.signals.urgent[urgentKind] ?? 0) >= 1)) urgentKind = strongestKind(d.signals) ?? urgentKind;
      const actionable = urgentKind !== null || p.actionable >= thresholds.actionable;
      let categoryCode: string | null = null;
      if (actionable) {
        categoryCode = p.categoryCode && (p.categoryP >= thresholds.category || !d.categoryCode) ? p.categoryCode : d.categoryCode;
        if (urgentKind && !categoryCode) categoryCode = urgentCategory(dictionary, urgentKind);
      }
      const score = Math.round((urgentKind ? Math.max(p.actionable, 0.9) : p.actionable) * 1000) / 1000;
      return {
        ...d, actionable, score, categoryCode, urgency: urgentKind ? 'urgent' : 'normal', urgentKind,
        why: [...d.matched, ...p.features.filter((f) => !d.matched.includes(f))],
      };
    },
  };
}

function strongestKind(signals: DictionarySignals): UrgentKind | null {
  let best: UrgentKind | null = null;
  let weight = 1;
  for (const kind of URGENT_KINDS) {
    const w = signals.urgent[kind] ?? 0;
    if (w >= weight) [best, weight] = [kind, w + 1e-9];
  }
  return best;
}

function urgentCategory(dictionary: SensingDictionary, kind: UrgentKind): string | null {
  return dictionary.urgent.find((u) => u.kind === kind)?.categoryCode ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring.

export interface SensingFigures {
  n: number;
  /** Actionable messages found / actionable messages. */
  recall: number;
  /** Actionable messages found / messages called actionable. */
  precision: number;
  f1: number;
  /** Urgent messages given their own urgent kind / urgent messages with a kind. */
  urgentRecall: number;
  /** Urgent messages raised as urgent of any kind / urgent messages. */
  urgentAnyRecall: number;
  /** Urgent messages among the labelled (with a kind or without). */
  urgentN: number;
  /** Chatter raised as urgent / chatter. */
  urgentFalseRate: number;
  /** Actionable messages with a labelled category given that category / such messages. */
  categoryAccuracy: number;
  perKind: Record<string, { n: number; found: number }>;
}

export function measureSensor(sensor: Sensor, labelled: readonly LabelledText[]): SensingFigures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let chatter = 0;
  let chatterUrgent = 0;
  let catN = 0;
  let catOk = 0;
  let urgentAll = 0;
  let urgentAny = 0;
  const perKind: Record<string, { n: number; found: number }> = {};
  for (const l of labelled) {
    const s = sensor.sense(l.text);
    if (s.actionable && l.actionable) tp++;
    else if (s.actionable) fp++;
    else if (l.actionable) fn++;
    if (!l.actionable) {
      chatter++;
      if (s.urgentKind) chatterUrgent++;
    }
    if (l.urgentKind || l.urgent) {
      urgentAll++;
      if (s.urgentKind) urgentAny++;
    }
    if (l.urgentKind) {
      const k = perKind[l.urgentKind] ?? { n: 0, found: 0 };
      perKind[l.urgentKind] = k;
      k.n++;
      if (s.urgentKind === l.urgentKind) k.found++;
    }
    if (l.actionable && l.categoryCode) {
      catN++;
      if (s.categoryCode === l.categoryCode) catOk++;
    }
  }
  const urgentN = Object.values(perKind).reduce((n, k) => n + k.n, 0);
  const urgentFound = Object.values(perKind).reduce((n, k) => n + k.found, 0);
  const recall = ratio(tp, tp + fn);
  const precision = ratio(tp, tp + fp);
  return {
    n: labelled.length, recall, precision, f1: recall + precision > 0 ? round4((2 * recall * precision) / (recall + precision)) : 0,
    urgentRecall: ratio(urgentFound, urgentN), urgentAnyRecall: ratio(urgentAny, urgentAll), urgentN: urgentAll, urgentFalseRate: ratio(chatterUrgent, chatter), categoryAccuracy: ratio(catOk, catN), perKind,
  };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;
const ratio = (a: number, b: number) => (b === 0 ? 0 : round4(a / b));

/**
 * Whether a candidate may replace the current model: at least as good on the things that matter most — F1 on
 * actionable messages, urgent-kind recall, chatter raised as urgent — within one message's worth on each (a tie on a
 * split of a few hundred lines is a tie, not a loss).
 */
export function atLeastAsGood(candidate: SensingFigures, current: SensingFigures): boolean {
  const urgentN = Object.values(current.perKind).reduce((n, k) => n + k.n, 0);
  const oneUrgent = 1 / Math.max(1, urgentN);
  const oneMessage = 1 / Math.max(1, current.n);
  return candidate.f1 >= current.f1 - Math.max(0.005, oneMessage) - 1e-9 && candidate.urgentRecall >= current.urgentRecall - oneUrgent - 1e-9 &&
    candidate.urgentFalseRate <= current.urgentFalseRate + Math.max(0.005, oneMessage) + 1e-9;
}

// ---------------------------------------------------------------------------------------------------------------
// Splitting and reading labelled lines.

/** A stable hash of the normalised text (FNV-1a), so a message and its copies fall on the same side of a split. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of stripEmoji(normalise(text))) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * Splits examples by the hash of their text: about `fraction` of them to test, the same ones every time. Every model
 * version — the base one included — trains only on the train side, so any two versions can be compared fairly on the
 * test side, which neither has seen.
 */
export function heldOutSplit<T extends { text: string }>(examples: readonly T[], fraction = 0.15): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  const cut = Math.round(fraction * 1000);
  for (const e of examples) (textHash(e.text) % 1000 < cut ? test : train).push(e);
  return { train, test };
}

/** One line of a labelled file (datasets/sensing/*.jsonl); see docs/sensing-labels.md. */
export interface LabelledLine {
  id: string;
  text: string;
  actionable: boolean;
  category: string | null;
  urgentKind: string | null;
  kind: string;
  variety: 'southwest' | 'shaanxi' | 'standard';
  heldOut?: boolean;
}

/** Parses JSON lines of labelled messages; a line that is not one says which line it is. */
export function parseLabelledLines(text: string, source = 'input'): LabelledLine[] {
  const out: LabelledLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const r = JSON.parse(line) as LabelledLine;
    if (typeof r.text !== 'string' || typeof r.actionable !== 'boolean') throw new Error(`${source} line ${i + 1}: needs text and actionable`);
    if (r.urgentKind !== null && r.urgentKind !== undefined && !KINDS.has(r.urgentKind)) throw new Error(`${source} line ${i + 1}: unknown urgent kind ${r.urgentKind}`);
    out.push(r);
  });
  return out;
}

export const toLabelled = (l: LabelledLine): LabelledText => ({
  text: l.text, actionable: l.actionable, urgentKind: (l.urgentKind ?? null) as UrgentKind | null, categoryCode: l.category ?? null,
});
