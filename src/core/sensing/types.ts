import type { UrgentKind } from '../vocabulary.ts';

export type { UrgentKind };

/** Where a message says the matter is: buildings (栋), units (单元), rooms and landmarks it names. */
export interface SensingHints { buildings?: string[]; units?: string[]; rooms?: string[]; landmarks?: string[] }

/** The sensing dictionary (感知词典): phrases per category, urgent kinds, chatter markers and landmarks. */
export interface SensingDictionary {
  /** Phrases that point at a category of the dictionary (categories.code), with an optional weight (default 1). */
  categories: Array<{ code: string; phrases: Array<string | { phrase: string; weight: number }> }>;
  /** Phrases that make a message urgent of a kind; an urgent message is always actionable. */
  urgent: Array<{
    kind: UrgentKind;
    /** A phrase 'A+B' matches when both A and B occur in the message (找不到+老人). */
    phrases: string[];
    /** The category suggested for an urgent message of this kind when its words point at none better. */
    categoryCode?: string | null;
  }>;
  /** Phrases typical of chatter, greetings and adverts; they weigh against actionability. */
  chatter: Array<string | { phrase: string; weight: number }>;
  /** Landmark names in the town (小区名, 菜市场, 学校 ...), reported as location hints. */
  landmarks: string[];
  /**
   * Signs of a request or a problem that point at no category (坏了, 怎么办, 麻烦, 投诉); they weigh for
   * actionability. Rows of sensing_phrases with kind 'category' and no category_code land here.
   */
  requests?: Array<string | { phrase: string; weight: number }>;
  /**
   * Markers of a staff notice or a warning (温馨提示, 谨防, 请勿): a message with one is not urgent on the
   * strength of urgent phrases alone ("谨防免费领鸡蛋骗局" warns, it does not report).
   */
  notices?: string[];
}

/** What sensing says about one message. Pure: the same text and dictionary give the same result. */
export interface Sensed {
  actionable: boolean;
  /** 0..1; actionable when score >= the sensor's threshold. */
  score: number;
  categoryCode: string | null;
  urgency: 'normal' | 'urgent';
  urgentKind: UrgentKind | null;
  hints: SensingHints;
  /** The dictionary phrases that matched, for the screen to highlight and for debugging. */
  matched: string[];
  /** Why, in words a person reads: the phrases that counted and, with a trained model, its strongest features. */
  why: string[];
  /** The dictionary's evidence in numbers: what the trained model reads beside the text. */
  signals: DictionarySignals;
}

/** The dictionary's evidence for one message, before any decision. */
export interface DictionarySignals {
  /** Request evidence (category phrases, request signs, patterns, question and @ bonuses, words). */
  evidence: number;
  /** Chatter evidence (chatter phrases, notices, emoji-only, links). */
  against: number;
  /** A staff notice or warning marker occurred. */
  notice: boolean;
  /** The danger is over, elsewhere, a story or a lesson (找到了, 新闻, 演练 …): the dictionary raises no urgency. */
  calm: boolean;
  /** Urgent phrase weight per kind (not counting phrases supposed, 万一着火), also where the message is a notice. */
  urgent: Partial<Record<UrgentKind, number>>;
  /** The categories the phrases point at, best first (at most three). */
  categories: string[];
  /** The message ends as a question or holds one. */
  question: boolean;
}

export interface Sensor {
  sense(text: string): Sensed;
}

/** One administrator's phrase, as a row of the sensing_phrases table. */
export interface SensingPhraseRow {
  kind: 'category' | 'urgent' | 'chatter' | 'landmark';
  categoryCode: string | null;
  urgentKind: string | null;
  phrase: string;
  weight: number;
}
