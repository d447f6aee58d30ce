// Pure planning for the demo year: what comes in, when, through which source and category, and how
// each matter's story goes. No database here, so the plan is a function of the seed alone.
import { type CalendarConfig, defaultCalendarConfig, isWorkingDay } from '../../core/calendar/calendar.ts';
import { chinaCalendarOverrides } from '../../core/calendar/china-holidays.ts';
import { CATEGORY_SEED, type CategorySeed } from '../../core/categories/catalogue.ts';
import type { Rng } from '../../core/prng.ts';
import type { MatterSource } from '../../core/vocabulary.ts';
import { BEIJING_OFFSET_MS, beijingDay, beijingMidnight, beijingMonth, beijingTimeOfDayMs, DAY_MS, HOUR_MS, MINUTE_MS } from '../../core/beijing.ts';

const MIN = MINUTE_MS;

/** Shares of the sources in a year of a Baqiao-like town (per cent). */
export const SOURCE_SHARES: Record<MatterSource, number> = {
  group_message: 35, visit: 15, patrol: 15, resident_report: 15, hotline: 12, sensor: 4, inspection: 4, deliberation: 0,
};

/** Exactly n sources in the shares above (largest remainder), shuffled so they spread over the year. */
export function sourceQuota(rng: Rng, n: number): MatterSource[] {
  const entries = Object.entries(SOURCE_SHARES) as [MatterSource, number][]; // keys of a Record<MatterSource, _>
  const exact = entries.map(([s, share]) => ({ s, want: (n * share) / 100 }));
  const counts = new Map(exact.map((e) => [e.s, Math.floor(e.want)]));
  let left = n - [...counts.values()].reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => (b.want % 1) - (a.want % 1))) if (left-- > 0) counts.set(e.s, (counts.get(e.s) ?? 0) + 1);
  return rng.shuffle([...counts].flatMap(([s, c]) => Array<MatterSource>(c).fill(s)));
}

/** A category's weight: livelihood, environment and facilities dominate; disputes, fraud and traffic follow. */
const MAJOR_WEIGHT: Record<string, number> = {
  '01': 3, '02': 1, '03': 3, '04': 1.5, '06': 3, '07': 1, '08': 1.2, '09': 2, '10': 0.8,
  S01: 2.5, S02: 1.5, S03: 4, S04: 1, S05: 1.5, S06: 2, S07: 4, S08: 4, S09: 1,
};
const CODE_WEIGHT: Record<string, number> = { '06010': 6, '09009': 4, S01006: 0.5, S03003: 0.4, S03004: 1, S04001: 2.5, S04002: 2, S04004: 0.5, S02007: 0.6 };
const SENSOR: Record<string, number> = { '10002': 3, '09009': 3, '06010': 2, '09010': 2, '06009': 1, '09004': 1, '09002': 2, S02007: 0.5, '06003': 1 };
const INSPECTION: Record<string, number> = { S09001: 3, S02001: 3, S02005: 3, '01001': 2, '01003': 2, S02002: 1, S08001: 2, S08002: 1 };
/** What a patrol sees on the street; household troubles reach the grid worker by visits and messages instead. */
const PATROL_MAJORS = new Set(['01', '02', '03', '04', '06', '07', '08', '09', '10', 'S02', 'S07', 'S08']);
const FLOODS = new Set(['10002', 'S09001', 'S09002', '10001']);

export function pickCategory(rng: Rng, source: MatterSource, at: Date): CategorySeed {
  const month = beijingMonth(at);
  const weights = CATEGORY_SEED.map((c): [CategorySeed, number] => {
    const major = c.catalogue === 'city' ? c.code.slice(0, 2) : c.code.slice(0, 3);
    let w = CODE_WEIGHT[c.code] ?? MAJOR_WEIGHT[major] ?? 1;
    if (source === 'sensor') w = SENSOR[c.code] ?? 0;
    else if (source === 'inspection') w = INSPECTION[c.code] ?? 0;
    else if (source === 'patrol' && !PATROL_MAJORS.has(major) && c.code !== 'S04001') w = 0;
    // The rainy season (June to September) brings the floods; the rest of the year hardly any.
    if (FLOODS.has(c.code)) w *= month >= 6 && month <= 9 ? 3 : 0.3;
    return [c, w];
  });
  return rng.weighted(weights);
}

/** Beijing working windows (minutes after midnight) when the centre, posts and grid staff act. */
const WINDOWS: readonly [number, number][] = [[510, 720], [810, 1080]];

/** Working time on China's calendar (holidays and 调休 included) without touching the database. */
export class Clock {
  private readonly cfg: CalendarConfig = defaultCalendarConfig(chinaCalendarOverrides());

  isWorking(t: Date): boolean {
    const minute = Math.floor(beijingTimeOfDayMs(t) / MIN);
    return isWorkingDay(beijingDay(t), this.cfg) && WINDOWS.some(([a, b]) => minute >= a && minute < b);
  }

  /** t itself inside working hours, else a few minutes after the next window opens. */
  snap(t: Date, rng: Rng): Date {
    if (this.isWorking(t)) return t;
    const midnight = beijingMidnight(t.getTime());
    const minute = (t.getTime() - midnight) / MIN;
    for (let d = 0; d < 40; d++) {
      const day = midnight + d * DAY_MS;
      if (!isWorkingDay(beijingDay(new Date(day)), this.cfg)) continue;
      const open = WINDOWS.find(([, b]) => d > 0 || minute < b);
      if (!open) continue;
      const start = d === 0 ? Math.max(open[0], minute) : open[0];
      return new Date(day + (start + rng.int(3, 35)) * MIN);
    }
    return t;
  }

  /** `min`–`max` minutes after t; staff work in working hours, urgent matters are handled at once. */
  later(t: Date, min: number, max: number, rng: Rng, urgent: boolean): Date {
    const next = new Date(t.getTime() + rng.range(min, max) * MIN);
    return urgent ? next : this.snap(next, rng);
  }

  /** On time, somewhere before the due time (in working hours when that still makes it); late ones well after it. */
  handleAt(t: Date, due: Date | null, late: boolean, urgent: boolean, rng: Rng): Date {
    if (!due) return this.later(t, 60, 1440, rng, urgent);
    if (late) return this.later(new Date(Math.max(t.getTime(), due.getTime())), 20, urgent ? 360 : 4320, rng, urgent);
    const span = due.getTime() - t.getTime();
    if (span <= 10 * MIN) return new Date(t.getTime() + rng.range(2, 10) * MIN);
    const at = new Date(t.getTime() + span * rng.range(0.15, 0.7));
    const snapped = urgent ? at : this.snap(at, rng);
    return snapped.getTime() < due.getTime() - 5 * MIN ? snapped : at;
  }

  /** A report time on day `dayStart` (Beijing midnight as UTC ms) fitting the source's habits. */
  reportTime(rng: Rng, dayStart: number, source: MatterSource): Date {
    const [from, to] = source === 'sensor' ? [0, 24] : source === 'hotline' ? [8, 20] : ['visit', 'patrol', 'inspection'].includes(source) ? [8.5, 17.5] : [7, 22.5];
    // Two readings of the hour averaged pull people's reports toward the middle of their day.
    const hour = from + ((rng.next() + rng.next()) / 2) * (to - from);
    return new Date(dayStart + hour * HOUR_MS - BEIJING_OFFSET_MS);
  }

  /** A day in the year before `end`, weekdays and working days more likely than weekends and holidays. */
  reportDay(rng: Rng, end: Date, staffOnly: boolean): number {
    const endMidnight = beijingMidnight(end.getTime());
    for (;;) {
      const day = endMidnight - rng.int(0, 364) * DAY_MS;
      const working = isWorkingDay(beijingDay(new Date(day)), this.cfg);
      if (rng.chance(working ? 1 : staffOnly ? 0.15 : 0.6)) return day;
    }
  }
}

/** How one matter's story goes, drawn once so the simulation's interleaving never changes it. */
export interface Fate {
  reject: boolean;
  returned: boolean;
  extend: boolean;
  suspend: boolean;
  escalate: boolean;
  summon: boolean;
  late: boolean;
  verifyFail: boolean;
  progress: boolean;
  /** A ratable reporter who never answers; the centre closes after a return visit. */
  silent: boolean;
  revisit: boolean;
}

export function drawFate(rng: Rng): Fate {
  return {
    reject: rng.chance(0.03), returned: rng.chance(0.025), extend: rng.chance(0.03), suspend: rng.chance(0.015), escalate: rng.chance(0.04),
    summon: rng.chance(0.05), late: rng.chance(0.05), verifyFail: rng.chance(0.02), progress: rng.chance(0.5), silent: rng.chance(0.08), revisit: rng.chance(0.1),
  };
}

export const STAGES = ['register', 'dispatch', 'accept', 'handle', 'verify', 'rate'] as const;
export type Stage = (typeof STAGES)[number];

/** Matters of the last three weeks often stop at some stage, so the console opens on live work. */
export function drawStall(rng: Rng, at: Date, end: Date): Stage | null {
  const age = (end.getTime() - at.getTime()) / DAY_MS;
  return age < 21 && rng.chance(0.55 * (1 - age / 21)) ? rng.pick(STAGES) : null;
}

/** What people write, by source; the category's own keywords keep triage's suggestion honest. */
export function describe(rng: Rng, source: MatterSource, c: CategorySeed, place: string): string {
  const kw = rng.pick(c.keywords);
  const ask = rng.pick(['请尽快处理', '麻烦网格员看一下', '希望社区帮忙解决', '已经好几天了', '请相关部门处理']);
  switch (source) {
    case 'group_message': return `网格群居民留言：${place}${kw}，${ask}`;
    case 'visit': return `入户走访时居民反映${place}${kw}，${ask}`;
    case 'patrol': return `网格员巡查发现${place}${kw}，已拍照取证`;
    case 'resident_report': return `${place}${kw}，${ask}`;
    case 'hotline': return `12345热线转办：市民来电反映${place}${kw}，${ask}`;
    case 'sensor': return `视频监控智能告警：${place}疑似${c.name}（${kw}）`;
    case 'inspection': return `排查任务点位检查：${place}${kw}，需处置`;
    case 'deliberation': return `议事协商决定的实施事项：${place}${kw}，请相关部门落实`;
  }
}

export const REJECT_REASONS = ['属于政策咨询，已当场答复', '非本辖区事项，已告知向相关部门反映', '反映内容无法核实，已联系反映人说明'];
export const RATE_COMMENTS = {
  satisfied: ['处理及时，谢谢网格员', '很满意，办得快', '问题解决了，感谢社区'],
  basically: ['基本解决了，希望以后多注意', '处理还行，就是慢了点'],
  dissatisfied: ['问题没有根本解决，还是老样子', '只是临时处理了一下，过两天又出现了'],
} as const;

export type Satisfaction = 'satisfied' | 'basically' | 'dissatisfied';

/** About 92% of ratings satisfied or basically satisfied, held steady as the year goes so small samples land there too. */
export class Ratings {
  rated = 0;
  bad = 0;

  /** A first rating may be dissatisfied; the rating after a reopened matter is handled again is not. */
  next(rng: Rng, again: boolean): Satisfaction {
    let no = !again && rng.chance(0.08);
    if (!again && this.rated >= 20) no = this.bad / this.rated < 0.07 ? true : this.bad / this.rated > 0.085 ? false : no;
    this.rated++;
    if (no) this.bad++;
    return no ? 'dissatisfied' : rng.chance(0.78) ? 'satisfied' : 'basically';
  }
}

/** A min-heap of timed work; ties keep insertion order so a seed always replays the same history. */
export class Agenda<T> {
  private readonly items: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: Date, value: T): void {
    this.items.push({ at: at.getTime(), seq: this.seq++, value });
    for (let i = this.items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { at: Date; value: T } | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (!top || !last) return undefined;
    if (this.items.length > 0) {
      this.items[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let best = i;
        if (l < this.items.length && this.less(l, best)) best = l;
        if (r < this.items.length && this.less(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return { at: new Date(top.at), value: top.value };
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return !!x && !!y && (x.at < y.at || (x.at === y.at && x.seq < y.seq));
  }

  private swap(a: number, b: number): void {
    const x = this.items[a];
    const y = this.items[b];
    if (x && y) [this.items[a], this.items[b]] = [y, x];
  }
}
