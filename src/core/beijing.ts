/**
 * Beijing time (北京时间), the one clock of the product: a fixed UTC+08:00 with no daylight saving, so a local
 * instant is the UTC instant shifted by eight hours and every local day is 24 hours long. Every day bucket, code,
 * "from/to" filter and human-readable time goes through these functions; nothing else writes the offset.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The Beijing calendar day of an instant, 'YYYY-MM-DD'. */
export const beijingDay = (at: Date): string => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** 'YYYY-MM-DD HH:MM' in Beijing time, for messages people read; '' for no time. */
export const beijingMinute = (at: Date | string | null): string =>
  at === null ? '' : new Date(new Date(at).getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** The instant a Beijing day ('YYYY-MM-DD') begins. */
export const startOfBeijingDay = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) - BEIJING_OFFSET_MS);

/** The instant after a Beijing day ends: the exclusive upper bound of an inclusive "to" day. */
export const endOfBeijingDay = (day: string): Date => new Date(startOfBeijingDay(day).getTime() + DAY_MS);

/** UTC ms of the Beijing midnight that begins the local day containing `ms`. */
export const beijingMidnight = (ms: number): number => Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;

/** Milliseconds since the Beijing midnight of the day containing the instant. */
export const beijingTimeOfDayMs = (at: Date): number => at.getTime() - beijingMidnight(at.getTime());

/** The Beijing day `days` whole days after (or before, if negative) a day. */
export const shiftBeijingDay = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** 1 = Monday … 7 = Sunday, of the Beijing day of an instant. */
export const beijingWeekday = (at: Date): number => {
  const day = new Date(at.getTime() + BEIJING_OFFSET_MS).getUTCDay();
  return day === 0 ? 7 : day;
};

/** The Beijing month (1–12) of an instant. */
export const beijingMonth = (at: Date): number => new Date(at.getTime() + BEIJING_OFFSET_MS).getUTCMonth() + 1;
