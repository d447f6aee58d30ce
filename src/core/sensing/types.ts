import type { SensingHints, UrgentKind } from '../../db/schema.ts';

export type { SensingHints, UrgentKind };

/** The sensing dictionary (感知词典): phrases per category, urgent kinds, chatter markers and landmarks. */
export interface SensingDictionary {
  /** Phrases that point at a category of the dictionary (categories.code), with an optional weight (default 1). */
  categories: Array<{ code: string; phrases: Array<string | { phrase: string; weight: number }> }>;
  /** Phrases that make a message urgent of a kind; an urgent message is always actionable. */
  urgent: Array<{ kind: UrgentKind; phrases: string[] }>;
  /** Phrases typical of chatter, greetings and adverts; they weigh against actionability. */
  chatter: Array<string | { phrase: string; weight: number }>;
  /** Landmark names in the town (小区名, 菜市场, 学校 ...), reported as location hints. */
  landmarks: string[];
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
}

export interface Sensor {
  sense(text: string): Sensed;
}
