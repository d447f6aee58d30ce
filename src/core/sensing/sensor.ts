import { extractHints } from './hints.ts';
import { countEmoji, normalise, stripEmoji } from './normalise.ts';
import type { Sensed, SensingDictionary, SensingPhraseRow, Sensor, UrgentKind } from './types.ts';
import { URGENT_KINDS } from '../vocabulary.ts';

/**
 * The sensor (信息快速感知): is a group message a request or a problem (actionable) or chatter, which
 * category, how urgent, and where. Pure and deterministic.
 *
 * How it reads a message: the text is normalised (NFKC full-width → half-width, lower case, no spaces,
 * emojis removed) and every dictionary phrase is looked up at every position (an index by first
 * character, so the cost grows with the text, not the dictionary). Phrases match as substrings, so a
 * multi-word phrase the segmenter would split ('水龙头坏了' → 水龙头/坏/了) still matches whole. A phrase
 * found inside a longer phrase of the same kind counts only through the longer one. 'A+B' phrases match
 * when both parts occur. Built-in patterns add a little: a thing in a bad state (断了, 漏咧), persistence
 * or repetition (好几天了, 第三次), a question, an @.
 *
 * Words: when the phrases leave a message undecided (some request evidence, not clearly chatter, but
 * short of the threshold or of a category), Intl.Segmenter cuts it into words, and words it shares with
 * category phrases (the phrases' own words, found by the same segmenter when the dictionary is compiled;
 * words common to four categories or more are ignored) lean towards those categories and add a little
 * evidence (half the phrase's weight, at most 0.6 in all). Segmenting is the costly step, so it runs only
 * for those messages.
 *
 * Score: raw = request evidence (category phrases, capped at 3, plus request words and patterns, capped
 * at 3, plus a question or an @ bonus) minus chatter evidence (chatter phrases, notices, emoji-only,
 * links), plus word evidence. score = raw / (raw + 1) for raw > 0, else 0; actionable when
 * score >= threshold (default 0.5, i.e. raw 1). A chatter phrase right after 能/没/不/时候 (啥时候能修好)
 * does not count.
 * Urgent: an urgent kind whose phrases reach 1, in a message that is not a notice and where urgency plus
 * evidence minus chatter still reach 1 ("走失的老人找到了，谢谢大家" is not urgent); an urgent phrase right
 * after 万一/如果/怕 (万一着火) does not count. Urgent messages are actionable, with a score of at least 0.9.
 * Category: the code with the highest score among category phrases and words (the urgent kind's own
 * category gets 0.5 more); ties go to the code listed first. Only actionable messages get a category.
 */

const TYPE_CATEGORY = 0;
const TYPE_REQUEST = 1;
const TYPE_CHATTER = 2;
const TYPE_URGENT = 3;
const TYPE_LANDMARK = 4;
const TYPE_NOTICE = 5;
type EntryType = 0 | 1 | 2 | 3 | 4 | 5;

interface Entry {
  /** Normalised phrase. */
  phrase: string;
  /** The phrase as written in the dictionary, for `matched`. */
  label: string;
  weight: number;
  type: EntryType;
  code: string | null;
  kind: UrgentKind | null;
  /** Position in the dictionary, for deterministic ties. */
  order: number;
}

interface Conjunction {
  parts: string[];
  entry: Entry;
}

interface Compiled {
  index: Map<string, Entry[]>;
  /** Words (by the segmenter) of the category phrases: word → category code → weight. */
  words: Map<string, Map<string, number>>;
  conjunctions: Conjunction[];
  urgentCategory: Map<UrgentKind, string>;
  categoryOrder: Map<string, number>;
}

interface Match {
  start: number;
  end: number;
  entry: Entry;
  weight: number;
}

const NOTICE_WEIGHT = 2;
const EMOJI_ONLY_WEIGHT = 1.5;
const LINK_WEIGHT = 1;
const QUESTION_BONUS = 0.3;
const MENTION_BONUS = 0.2;
const EVIDENCE_CAP = 3;
const URGENT_FLOOR = 0.9;
/** A word of a category phrase found as a word of the message counts this share of the phrase's weight. */
const WORD_FACTOR = 0.5;
/** At most this much evidence from words, so words alone lean but rarely decide. */
const WORD_CAP = 0.6;
/** Words too common to point at a category. */
const STOP_WORDS = new Set(
  ('没有 一个 不是 这个 那个 我们 你们 他们 什么 怎么 可以 已经 还是 就是 大家 小区 问题 我家 家里 社区 孩子 老人 老人家 免费 ' +
    '晚上 早上 今天 明天 昨天 时候 每天 天天 一直 下来 起来 出来 得很 门口 楼下 楼上 没人 不能 不要 东西 地方 现在').split(' '),
);
/** A word shared by this many categories or more says nothing about which. */
const WORD_MAX_CODES = 4;
const URGENT_CATEGORY_BONUS = 0.5;
const REPEAT_BONUS = 0.5;

/** Right before an urgent phrase: a supposition or a fear, not an event (万一着火, 怕滑坡). */
/**
 * A danger that is over, told as news from elsewhere or a story, or a lesson learnt: the dictionary's urgent phrases
 * do not raise it ("走失的婆婆找到了", "新闻上说外地着火了", "昨天掉下来的招牌已经拆了"). The trained model still reads it.
 */
const CALM = new RegExp([
  // over, found, saved, checked: 找到了 灭了 救起来了 一查 是正常的
  '找到了|找到咧|找着了|寻着了|寻着咧|寻到了|救出来了|救出来咧|救起来了|救起来咧|出院了|灭了|扑灭|灭咧|散了|散咧|没事了|没事咧|莫得事|木事|木有事|没有事',
  '虚惊|幸好|好在|还好没|已经拆|已经处理|都处理了|处理好了|已经修好|已经送|已经抓|一查|查了没|不是天然气|是正常的|旧消息|差点被骗|差点遭骗|挂咧|就挂了|骂了一顿',
  // told as a story, news or a lesson: 上个月 视频 新闻 培训
  '新闻|视频|电视剧|电视上|游戏|外地|老家那边|别个区|隔壁区|上个月|上周|上次|前两天|那天在|以前|经历|演练|学会了|申领|普及一下|科普|培训|安全课|该打哪个电话',
  // play, not danger: 麻将 猫儿狗儿
  '麻将|猫儿|猫和狗|遥控器',
].join('|'));
const SUPPOSED = /(?:万一|如果|要是|假如|怕|防止|预防|以防|小心|担心|会不会|避免)\p{Script=Han}{0,5}$|(?:热得|气得|气到|急得|笑得|辣得|烫得|晒得|冷得|哭得)\p{Script=Han}{0,4}$/u;
/** Right before a chatter phrase: not done yet (啥时候能修好, 还没收到), so it does not count as chatter. */
const NOT_YET = /(?:能|没|未|不|才|时候|尽快|早点|快点|赶紧|等)$/;
/** Persistence or repetition: 好几天了, 三个月咧, 第三次, 好几个晚上了. */
/** A thing in a bad state: a problem morpheme with an aspect or result (断了, 烧着, 漏咧, 塌掉). */
const BAD_STATE = /[断折烧漏塌裂坏破倒丢偷挡占淹冒滋抖歪掉堵卡炸爆翘松锈烂脏臭吵黑](?:了|咧|啦|着|掉|断|坏|住|死)/g;
const BAD_STATE_WEIGHT = 0.4;
const BAD_STATE_MAX = 2;
const REPEATED = /第[几一二三四五六七八九十两\d]+[次回]|[几一二三四五六七八九十两\d](?:天|个月|个星期|周|年|个晚上)(?:了|咧|啦|都)/;

const QUESTION = /[?？]|[吗么呢撒]$|[吗么呢撒][!！。.~]*$/;
const LINK = /https?:\/\/|www\./;

/** Built once: creating a segmenter costs far more than using one. */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

function phraseOf(p: string | { phrase: string; weight: number }): { phrase: string; weight: number } {
  return typeof p === 'string' ? { phrase: p, weight: 1 } : p;
}

function compile(dict: SensingDictionary): Compiled {
  const index = new Map<string, Entry[]>();
  const conjunctions: Conjunction[] = [];
  let order = 0;
  const add = (raw: string, weight: number, type: EntryType, code: string | null, kind: UrgentKind | null): void => {
    const label = raw.trim();
    if (label === '' || !Number.isFinite(weight)) return;
    const entry: Entry = { phrase: '', label, weight, type, code, kind, order: order++ };
    if (label.includes('+') && label.length > 1) {
      const parts = label.split('+').map((part) => stripEmoji(normalise(part))).filter((part) => part !== '');
      if (parts.length > 1) {
        conjunctions.push({ parts, entry });
        return;
      }
    }
    const phrase = normalise(label);
    if (phrase === '') return;
    entry.phrase = phrase;
    const head = phrase[0] ?? '';
    const list = index.get(head);
    if (list === undefined) index.set(head, [entry]);
    else list.push(entry);
  };
  const categoryOrder = new Map<string, number>();
  for (const category of dict.categories) {
    if (!categoryOrder.has(category.code)) categoryOrder.set(category.code, categoryOrder.size);
    for (const p of category.phrases) {
      const { phrase, weight } = phraseOf(p);
      add(phrase, weight, TYPE_CATEGORY, category.code, null);
    }
  }
  for (const p of dict.requests ?? []) {
    const { phrase, weight } = phraseOf(p);
    add(phrase, weight, TYPE_REQUEST, null, null);
  }
  for (const p of dict.chatter) {
    const { phrase, weight } = phraseOf(p);
    add(phrase, weight, TYPE_CHATTER, null, null);
  }
  const urgentCategory = new Map<UrgentKind, string>();
  for (const u of dict.urgent) {
    if (u.categoryCode && !urgentCategory.has(u.kind)) urgentCategory.set(u.kind, u.categoryCode);
    for (const p of u.phrases) add(p, 1, TYPE_URGENT, null, u.kind);
  }
  for (const p of dict.landmarks) add(p, 0, TYPE_LANDMARK, null, null);
  for (const p of dict.notices ?? []) add(p, NOTICE_WEIGHT, TYPE_NOTICE, null, null);
  // Longest first at each position, so containment checks see the longer phrase first.
  for (const list of index.values()) list.sort((a, b) => b.phrase.length - a.phrase.length || a.order - b.order);
  const words = new Map<string, Map<string, number>>();
  for (const list of index.values()) {
    for (const e of list) {
      if (e.type !== TYPE_CATEGORY || e.code === null) continue;
      for (const word of wordsOfPhrase(e.phrase)) {
        if (STOP_WORDS.has(word)) continue;
        const byCode = words.get(word) ?? new Map<string, number>();
        byCode.set(e.code, Math.max(byCode.get(e.code) ?? 0, e.weight * WORD_FACTOR));
        words.set(word, byCode);
      }
    }
  }
  for (const [word, byCode] of words) if (byCode.size >= WORD_MAX_CODES) words.delete(word);
  return { index, words, conjunctions, urgentCategory, categoryOrder };
}

/** Words of dictionary phrases, kept across compilations so a rebuilt sensor does not segment them again. */
const phraseWords = new Map<string, string[]>();
const PHRASE_WORDS_MAX = 50_000;

function wordsOfPhrase(phrase: string): string[] {
  let words = phraseWords.get(phrase);
  if (words === undefined) {
    words = wordsOf(phrase);
    if (phraseWords.size >= PHRASE_WORDS_MAX) phraseWords.clear();
    phraseWords.set(phrase, words);
  }
  return words;
}

/** Distinct words of two characters or more, in order. */
function wordsOf(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike && s.segment.length >= 2 && !out.includes(s.segment)) out.push(s.segment);
  return out;
}

/** Same group for containment: all categories are one group, each other type its own. */
function sameGroup(a: Entry, b: Entry): boolean {
  return a.type === b.type;
}

function findMatches(text: string, compiled: Compiled): Match[] {
  const found: Match[] = [];
  for (let i = 0; i < text.length; i++) {
    const list = compiled.index.get(text[i] ?? '');
    if (list === undefined) continue;
    for (const entry of list) {
      if (!text.startsWith(entry.phrase, i)) continue;
      const end = i + entry.phrase.length;
      found.push({ start: i, end, entry, weight: entry.weight });
    }
  }
  if (found.length < 2) return found;
  // Drop a match lying inside a longer kept match of the same group.
  const bySize = [...found].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.entry.order - b.entry.order);
  const kept: Match[] = [];
  for (const m of bySize) {
    const inside = kept.some(
      (k) => sameGroup(k.entry, m.entry) && k.start <= m.start && m.end <= k.end && (k.end - k.start > m.end - m.start || k.entry.type !== TYPE_CATEGORY),
    );
    if (!inside) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.entry.order - b.entry.order);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function createSensor(dict: SensingDictionary, options: { threshold?: number } = {}): Sensor {
  const threshold = options.threshold ?? 0.5;
  const compiled = compile(dict);

  function sense(text: string): Sensed {
    const normalised = normalise(text);
    const body = stripEmoji(normalised);
    const matches = findMatches(body, compiled);

    const categoryScores = new Map<string, number>();
    const urgentScores = new Map<UrgentKind, number>();
    let requests = 0;
    let chatter = 0;
    let notices = 0;
    const landmarks: string[] = [];
    const matched: string[] = [];
    const note = (label: string): void => {
      if (!matched.includes(label)) matched.push(label);
    };

    for (const m of matches) {
      const e = m.entry;
      if (e.type === TYPE_URGENT && SUPPOSED.test(body.slice(Math.max(0, m.start - 7), m.start))) continue;
      if (e.type === TYPE_CHATTER && NOT_YET.test(body.slice(Math.max(0, m.start - 2), m.start))) continue;
      if (e.type !== TYPE_LANDMARK) note(e.label);
      switch (e.type) {
        case TYPE_CATEGORY:
          if (e.code !== null) categoryScores.set(e.code, (categoryScores.get(e.code) ?? 0) + m.weight);
          break;
        case TYPE_REQUEST:
          requests += m.weight;
          break;
        case TYPE_CHATTER:
          chatter += m.weight;
          break;
        case TYPE_NOTICE:
          notices += m.weight;
          break;
        case TYPE_URGENT:
          if (e.kind !== null) urgentScores.set(e.kind, (urgentScores.get(e.kind) ?? 0) + m.weight);
          break;
        case TYPE_LANDMARK:
          if (!landmarks.includes(e.label)) landmarks.push(e.label);
          break;
      }
    }
    for (const c of compiled.conjunctions) {
      if (!c.parts.every((part) => body.includes(part))) continue;
      note(c.entry.label);
      if (c.entry.kind !== null) urgentScores.set(c.entry.kind, (urgentScores.get(c.entry.kind) ?? 0) + c.entry.weight);
    }

    let categoryTotal = 0;
    for (const v of categoryScores.values()) categoryTotal += v;
    let badStates = 0;
    for (const _ of body.matchAll(BAD_STATE)) if (++badStates >= BAD_STATE_MAX) break;
    let evidence = Math.min(categoryTotal, EVIDENCE_CAP) + Math.min(requests + badStates * BAD_STATE_WEIGHT, EVIDENCE_CAP);
    if (evidence > 0) {
      if (QUESTION.test(body)) evidence += QUESTION_BONUS;
      if (normalised.includes('@')) evidence += MENTION_BONUS;
      if (REPEATED.test(body)) evidence += REPEAT_BONUS;
    }
    let against = chatter + notices;
    if (body.length === 0 && countEmoji(normalised) > 0) against += EMOJI_ONLY_WEIGHT;
    if (LINK.test(body)) against += LINK_WEIGHT;
    let raw = evidence - against;

    let urgentKind: UrgentKind | null = null;
    const calm = CALM.test(body);
    if (notices === 0 && !calm) {
      let best = 0;
      for (const kind of URGENT_KINDS) {
        const s = urgentScores.get(kind) ?? 0;
        if (s >= 1 && s > best && s + raw >= 1) {
          best = s;
          urgentKind = kind;
        }
      }
    }

    // Undecided by phrases: not clearly chatter, and short of the threshold or of a category. Then the
    // segmenter cuts the message into words, and words it shares with category phrases add a little.
    let words = 0;
    if (urgentKind === null && against < 1 && evidence > 0 && (raw < 1 || categoryTotal === 0)) {
      const covered = matches.filter((m) => m.entry.type === TYPE_CATEGORY);
      for (const word of wordsOf(body)) {
        const byCode = compiled.words.get(word);
        if (byCode === undefined) continue;
        const at = body.indexOf(word);
        if (covered.some((m) => m.start <= at && at + word.length <= m.end)) continue;
        let best = 0;
        for (const [code, weight] of byCode) {
          categoryScores.set(code, (categoryScores.get(code) ?? 0) + weight);
          best = Math.max(best, weight);
        }
        words += best;
        note(word);
      }
    }
    raw += Math.min(words, WORD_CAP);

    let score = raw > 0 ? raw / (raw + 1) : 0;
    if (urgentKind !== null) {
      score = Math.max(score, URGENT_FLOOR);
      const code = compiled.urgentCategory.get(urgentKind);
      if (code !== undefined) categoryScores.set(code, (categoryScores.get(code) ?? 0) + URGENT_CATEGORY_BONUS);
    }
    const actionable = urgentKind !== null || score >= threshold;

    let categoryCode: string | null = null;
    if (actionable) {
      let best = 0;
      for (const [code, s] of categoryScores) {
        const better =
          s > best || (s === best && categoryCode !== null && (compiled.categoryOrder.get(code) ?? 0) < (compiled.categoryOrder.get(categoryCode) ?? 0));
        if (s > 0 && better) {
          best = s;
          categoryCode = code;
        }
      }
    }

    const urgent: Partial<Record<UrgentKind, number>> = {};
    for (const [kind, s] of urgentScores) urgent[kind] = round(s);
    const question = QUESTION.test(body);
    return {
      actionable,
      score: round(score),
      categoryCode,
      urgency: urgentKind === null ? 'normal' : 'urgent',
      urgentKind,
      hints: extractHints(body, landmarks),
      matched,
      why: matched.slice(),
      signals: {
        evidence: round(evidence + Math.min(words, WORD_CAP)), against: round(against), notice: notices > 0, calm, urgent,
        categories: [...categoryScores].filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([code]) => code), question,
      },
    };
  }

  return { sense };
}

const KINDS = new Set<string>(URGENT_KINDS);

function isUrgentKind(kind: string | null): kind is UrgentKind {
  return kind !== null && KINDS.has(kind);
}

/**
 * The base dictionary plus an administrator's phrases (rows of sensing_phrases). Returns a new
 * dictionary; the base is not changed. Rows: kind 'category' with a category_code adds to that category
 * (a new code is added as a category); 'category' without a code adds a request sign; 'urgent' adds to
 * its urgent_kind (rows with an unknown kind are skipped); 'chatter' adds a chatter phrase; 'landmark' a
 * landmark. Empty phrases are skipped; a weight that is not a finite number counts 1. A negative weight
 * weighs against: a category phrase of weight -1 takes evidence away (电梯广告 is not a broken lift).
 */
export function mergeDictionary(base: SensingDictionary, extra: readonly SensingPhraseRow[]): SensingDictionary {
  const categories = base.categories.map((c) => ({ code: c.code, phrases: [...c.phrases] }));
  const urgent = base.urgent.map((u) => ({ ...u, phrases: [...u.phrases] }));
  const chatter = [...base.chatter];
  const landmarks = [...base.landmarks];
  const requests = [...(base.requests ?? [])];
  for (const row of extra) {
    const phrase = row.phrase.trim();
    if (phrase === '') continue;
    const weight = Number.isFinite(row.weight) ? row.weight : 1;
    switch (row.kind) {
      case 'category': {
        if (row.categoryCode === null || row.categoryCode === '') {
          requests.push({ phrase, weight });
          break;
        }
        const target = categories.find((c) => c.code === row.categoryCode);
        if (target === undefined) categories.push({ code: row.categoryCode, phrases: [{ phrase, weight }] });
        else target.phrases.push({ phrase, weight });
        break;
      }
      case 'urgent': {
        const kind = row.urgentKind;
        if (!isUrgentKind(kind)) break;
        const target = urgent.find((u) => u.kind === kind);
        if (target === undefined) urgent.push({ kind, phrases: [phrase] });
        else target.phrases.push(phrase);
        break;
      }
      case 'chatter':
        chatter.push({ phrase, weight });
        break;
      case 'landmark':
        landmarks.push(phrase);
        break;
    }
  }
  return { categories, urgent, chatter, landmarks, requests, notices: [...(base.notices ?? [])] };
}
