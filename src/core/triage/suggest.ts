import type { CategorySeed } from '../categories/types.ts';
import type { BoardKind as Board, Complexity, MatterLevel as OwningLevel, MatterScope } from '../vocabulary.ts';

/**
 * Triage suggestion (研判建议): which category a free-text report most likely belongs to, and the
 * complexity, scope, owning level, lead board and urgency that follow, adjusted by words in the text.
 * It only suggests; the centre operator confirms or changes it. Deterministic: same input, same output.
 *
 * Scoring: a keyword (or the category's own name) found verbatim in the text scores its length squared,
 * so '水龙头坏了' (25) outweighs '没水了' (9). Keywords not found verbatim still contribute their word
 * segments (two characters or more) that the segmenter also finds in the text, each distinct segment
 * once at half its weight, so a reworded report still leans towards the category whose vocabulary it
 * shares (text '楼上的邻居' gains from keyword '楼上太吵'). A category is suggested from MIN_SCORE (one
 * two-character keyword in full), or from twice that when only segments matched. Scores are unitless
 * and only comparable within one call.
 */

export type TriageCategory = Pick<CategorySeed, 'code' | 'name' | 'keywords' | 'defaultLevel' | 'scope' | 'complexity' | 'leadBoard' | 'urgent'>;

export interface ScoredCode {
  code: string;
  score: number;
}

export interface TriageSuggestion {
  category: ScoredCode | null;
  alternatives: ScoredCode[];
  complexity: Complexity;
  scope: MatterScope;
  level: OwningLevel;
  leadBoard: Board | null;
  urgent: boolean;
  /** Why, in Chinese, for the operator's screen. */
  reasons: string[];
}

const MIN_SCORE = 4;
const ALTERNATIVES = 3;

const LEVELS: readonly OwningLevel[] = ['grid', 'community', 'town', 'district'];
const SCOPES: readonly MatterScope[] = ['household', 'shared', 'public'];
const COMPLEXITIES: readonly Complexity[] = ['simple', 'general', 'complex'];
/** 家事不出网格，共事不出社区，公事不出街道. */
const LEVEL_FOR_SCOPE: Record<MatterScope, OwningLevel> = { household: 'grid', shared: 'community', public: 'town' };
const SCOPE_NAMES: Record<MatterScope, string> = { household: '家事', shared: '共事', public: '公事' };
const LEVEL_NAMES: Record<OwningLevel, string> = { grid: '网格', community: '社区', town: '街道', district: '区级' };
const COMPLEXITY_NAMES: Record<Complexity, string> = { simple: '简单', general: '一般', complex: '复杂' };

/** Many households or a whole building/estate: a shared matter (共事), and harder than one household's. */
const SHARED_WORDS = ['多户', '好几户', '很多户', '整栋', '整幢', '整个单元', '全小区', '整个小区', '大家都', '居民们', '业主们', '邻居们都'];
/** Beyond one estate: a public matter (公事) for the street. */
const PUBLIC_WORDS = ['几个小区', '多个小区', '整条街', '整个片区', '全镇', '全街道', '大面积', '主干道'];
/** Recurrence or long neglect: the matter is harder than its type suggests. */
const RECURRING_WORDS = ['一直', '反复', '多次', '好几次', '屡次', '长期', '老是', '总是', '又来了', '还是没人管'];
/** Across a district boundary: only the district (or above) can split the duty. */
const CROSS_DISTRICT_WORDS = ['跨区', '两个区', '两区交界', '区交界', '交界处', '边界'];
const URGENT_WORDS = ['紧急', '着火', '起火', '冒烟', '被骗', '走失', '走丢', '打架', '救命', '受伤', '流血', '煤气味', '燃气泄漏', '被困', '困在电梯', '落水', '溺水', '坍塌', '塌了'];

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const segmentCache = new Map<string, string[]>();

/** Word-like segments of two characters or more; single characters carry too little meaning. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike && [...s.segment].length >= 2) out.push(s.segment);
  return out;
}

/** Keywords are a small vocabulary kept by admins; only they are cached, so reports cannot grow the cache. */
function keywordWords(keyword: string): string[] {
  const cached = segmentCache.get(keyword);
  if (cached) return cached;
  const out = words(keyword);
  segmentCache.set(keyword, out);
  return out;
}

/** Full-width letters and digits to half-width, lower case, no whitespace, so '１２３４５' finds '12345'. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function weight(phrase: string): number {
  const n = [...phrase].length;
  return n * n;
}

interface Scored {
  category: TriageCategory;
  score: number;
  matched: string[];
  qualifies: boolean;
}

function scoreCategory(category: TriageCategory, text: string, textWords: ReadonlySet<string>): Scored {
  let full = 0;
  const matched: string[] = [];
  const candidates: string[] = [];
  for (const raw of new Set([category.name, ...category.keywords])) {
    const keyword = normalise(raw);
    if (keyword.length === 0) continue;
    if (text.includes(keyword)) {
      full += weight(keyword);
      matched.push(raw);
    } else {
      candidates.push(...keywordWords(keyword).filter((w) => textWords.has(w)));
    }
  }
  // Each segment counts once per category, and not at all inside a phrase already matched in full, so a
  // category with many keywords sharing one common word ('垃圾') is not inflated by repeating it.
  const partials = [...new Set(candidates)].filter((w) => !matched.some((m) => normalise(m).includes(w)));
  const partial = partials.reduce((sum, w) => sum + weight(w) / 2, 0);
  if (partials.length > 0) matched.push(`近似：${partials.join('、')}`);
  // Segments alone are weak evidence: without any phrase matched in full they must add up to twice as much.
  const qualifies = full > 0 ? full + partial >= MIN_SCORE : partial >= 2 * MIN_SCORE;
  return { category, score: full + partial, matched, qualifies };
}

function firstFound(text: string, list: readonly string[]): string | undefined {
  return list.find((w) => text.includes(w));
}

function atLeast<T>(order: readonly T[], current: T, floor: T): T {
  return order.indexOf(current) >= order.indexOf(floor) ? current : floor;
}

function stepUp<T>(order: readonly T[], current: T): T {
  return order[Math.min(order.indexOf(current) + 1, order.length - 1)] ?? current;
}

export function suggestTriage(text: string, categories: readonly TriageCategory[], hint?: { categoryCode?: string }): TriageSuggestion {
  const clean = normalise(text);
  const textWords = new Set(words(clean));
  const ranked = categories
    .map((c) => scoreCategory(c, clean, textWords))
    .filter((s) => s.qualifies)
    .sort((a, b) => b.score - a.score || (a.category.code < b.category.code ? -1 : 1));

  const reasons: string[] = [];
  let chosen: Scored | undefined;
  const hinted = hint?.categoryCode === undefined ? undefined : categories.find((c) => c.code === hint.categoryCode);
  if (hinted) {
    chosen = ranked.find((s) => s.category === hinted) ?? scoreCategory(hinted, clean, textWords);
    reasons.push(`类别由操作员指定：${hinted.name}（${hinted.code}）`);
  } else {
    if (hint?.categoryCode !== undefined) reasons.push(`指定类别 ${hint.categoryCode} 不存在，按文本推荐`);
    chosen = ranked[0];
    if (chosen) reasons.push(`推荐类别：${chosen.category.name}（${chosen.category.code}），匹配「${chosen.matched.join('、')}」`);
    else reasons.push('未匹配到类别，请人工研判');
  }
  const alternatives = ranked
    .filter((s) => s !== chosen)
    .slice(0, ALTERNATIVES)
    .map((s) => ({ code: s.category.code, score: s.score }));

  // Without a category nothing is known yet: start at the grid, the lowest owner, as an ordinary matter.
  const base = chosen?.category;
  let complexity: Complexity = base?.complexity ?? 'general';
  let scope: MatterScope = base?.scope ?? 'household';
  let level: OwningLevel = base?.defaultLevel ?? 'grid';
  let urgent = base?.urgent ?? false;
  if (base?.urgent) reasons.push('该类别默认紧急');

  const raiseScope = (to: MatterScope, word: string) => {
    if (SCOPES.indexOf(scope) >= SCOPES.indexOf(to)) return;
    scope = to;
    level = atLeast(LEVELS, level, LEVEL_FOR_SCOPE[to]);
    reasons.push(`含「${word}」：范围升为${SCOPE_NAMES[to]}，层级至少${LEVEL_NAMES[level]}`);
  };
  const sharedWord = firstFound(clean, SHARED_WORDS);
  if (sharedWord) {
    raiseScope('shared', sharedWord);
    complexity = stepUp(COMPLEXITIES, complexity);
    reasons.push(`含「${sharedWord}」：涉及多户，复杂度升为${COMPLEXITY_NAMES[complexity]}`);
  }
  const publicWord = firstFound(clean, PUBLIC_WORDS);
  if (publicWord) raiseScope('public', publicWord);
  const recurringWord = firstFound(clean, RECURRING_WORDS);
  if (recurringWord) {
    complexity = stepUp(COMPLEXITIES, complexity);
    reasons.push(`含「${recurringWord}」：反复或长期问题，复杂度升为${COMPLEXITY_NAMES[complexity]}`);
  }
  const crossWord = firstFound(clean, CROSS_DISTRICT_WORDS);
  if (crossWord) {
    scope = 'public';
    level = 'district';
    complexity = 'complex';
    reasons.push(`含「${crossWord}」：跨区事项，上报区级，复杂`);
  }
  const urgentWord = firstFound(clean, URGENT_WORDS);
  if (urgentWord) {
    urgent = true;
    reasons.push(`含「${urgentWord}」：紧急`);
  }

  return {
    category: chosen ? { code: chosen.category.code, score: chosen.score } : null,
    alternatives,
    complexity,
    scope,
    level,
    leadBoard: base?.leadBoard ?? null,
    urgent,
    reasons,
  };
}
