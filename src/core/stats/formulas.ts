import { beijingDay } from '../beijing.ts';

/**
 * The statistics formulas of docs/statistics.md, over totals summed from matter_metrics. A rate whose
 * denominator is zero is null: "no matter was due" is not the same as "none was closed".
 */

export interface MetricTotals {
  /** Summed over due days in [from, min(to, today)]. */
  due: number; closed: number; closedOnTime: number;
  /** Summed over event days in [from, to]. */
  handled: number; reworked: number; rated: number; satisfied: number; basically: number; dissatisfied: number;
  closes: number; handlingSeconds: number; suspended: number; extended: number; escalated: number;
}

export const emptyTotals = (): MetricTotals => ({
  due: 0, closed: 0, closedOnTime: 0, handled: 0, reworked: 0, rated: 0, satisfied: 0, basically: 0, dissatisfied: 0,
  closes: 0, handlingSeconds: 0, suspended: 0, extended: 0, escalated: 0,
});

export const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

/** 结案率 = Σclosed / Σdue. */
export const closureRate = (t: MetricTotals) => ratio(t.closed, t.due);
/** 按期结案率 = Σclosed_on_time / Σdue. */
export const onTimeRate = (t: MetricTotals) => ratio(t.closedOnTime, t.due);
/** 满意率 = (Σsatisfied + Σbasically) / Σrated. */
export const satisfactionRate = (t: MetricTotals) => ratio(t.satisfied + t.basically, t.rated);
/** 返工率 = Σreworked / Σhandled. */
export const reworkRate = (t: MetricTotals) => ratio(t.reworked, t.handled);
/** 平均办理时长 in hours = Σhandling_seconds / Σcloses / 3600. */
export const averageHandlingHours = (t: MetricTotals) => {
  const seconds = ratio(t.handlingSeconds, t.closes);
  return seconds === null ? null : seconds / 3600;
};

/** Every figure of one scope (a node or a handler), rates included. */
export function figures(t: MetricTotals, overdueNow: number) {
  return {
    due: t.due, closed: t.closed, closedOnTime: t.closedOnTime, closureRate: closureRate(t), onTimeRate: onTimeRate(t),
    rated: t.rated, satisfied: t.satisfied, basically: t.basically, dissatisfied: t.dissatisfied, satisfactionRate: satisfactionRate(t),
    handled: t.handled, reworked: t.reworked, reworkRate: reworkRate(t),
    closes: t.closes, averageHandlingHours: averageHandlingHours(t),
    suspended: t.suspended, extended: t.extended, escalated: t.escalated, overdueNow,
  };
}
export type Figures = ReturnType<typeof figures>;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
export const MAX_RANGE_YEARS = 3;

/** A real calendar date 'YYYY-MM-DD' as a UTC timestamp, or null (2026-02-30 is not a date). */
export function parseDay(day: string): number | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : null;
}

/** Why a [from, to] range is refused, or null when it is fine: valid days, from ≤ to, under three years. */
export function rangeProblem(from: string, to: string): string | null {
  const a = parseDay(from);
  const b = parseDay(to);
  if (a === null || b === null) return 'from and to must be dates as YYYY-MM-DD';
  if (a > b) return 'from must not be after to';
  const start = new Date(a);
  // Three years from `from`, exclusive: 2024-01-01 .. 2026-12-31 is allowed, .. 2027-01-01 is not.
  if (b >= Date.UTC(start.getUTCFullYear() + MAX_RANGE_YEARS, start.getUTCMonth(), start.getUTCDate())) {
    return `the range may span at most ${MAX_RANGE_YEARS} years`;
  }
  return null;
}

/** The last due day that counts: a matter falling due after today has not yet had its chance to close. */
export const dueCap = (to: string, now: Date): string => {
  const today = beijingDay(now);
  return to < today ? to : today;
};
