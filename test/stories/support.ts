import { expect, vi } from 'vitest';
import { addDeadline, defaultCalendarConfig } from '../../src/core/calendar/calendar.ts';
import type { DeadlineUnit } from '../../src/core/vocabulary.ts';
import { chinaCalendarOverrides } from '../../src/core/calendar/china-holidays.ts';
import type { Actor, MatterDetail, MatterOut } from '../helpers/matters.ts';

/** What the stories share: the holiday calendar, Beijing days, the timeline and statistics readers. */
export const calendar = defaultCalendarConfig(chinaCalendarOverrides());

/** The due time the calendar gives for a dispatch made at `start`. */
export const dueAfter = (start: Date, amount: number, unit: DeadlineUnit) => addDeadline(start, amount, unit, calendar);

/** A due time equals the computed one within a minute (the dispatch happens a moment after `start`). */
export function expectDueNear(actual: string | null | undefined, expected: Date): void {
  expect(actual, 'due time').toBeTruthy();
  expect(Math.abs(new Date(actual ?? 0).getTime() - expected.getTime()), `due ${actual} vs ${expected.toISOString()}`).toBeLessThan(60_000);
}

/** The calendar day in Beijing, 'YYYY-MM-DD'. */
export const beijingDay = (at: Date = new Date()): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The timeline as [action, actor role, status before, status after] rows. */
export const steps = (d: MatterDetail) => d.timeline.map((e) => [e.action, e.actorRole, e.statusBefore, e.statusAfter]);

export interface Figures {
  due: number; closed: number; closedOnTime: number; closureRate: number | null; onTimeRate: number | null;
  rated: number; satisfied: number; basically: number; dissatisfied: number; satisfactionRate: number | null;
  handled: number; reworked: number; reworkRate: number | null; closes: number; averageHandlingHours: number | null;
  suspended: number; extended: number; escalated: number; overdueNow: number;
}
export interface Summary extends Figures {
  node: { id: number; level: string };
  reported: { total: number; bySource: Record<string, number>; byCategory: { code: string | null; n: number }[]; byLevel: Record<string, number>; byStatus: Record<string, number> };
}
export interface HandlerFigures extends Figures { kind: string; id: number; name: string; subject: string }

export function summary(reader: Actor, nodeId: number, from: string, to: string = from) {
  return reader.ok<Summary>('GET', `/api/stats/summary?nodeId=${nodeId}&from=${from}&to=${to}`);
}

/** One department's or post's line of /api/stats/handlers at a node; fails when it is not listed. */
export async function handlerLine(reader: Actor, nodeId: number, kind: 'department' | 'post' | 'board', id: number, from: string, to: string = from) {
  const res = await reader.ok<{ items: HandlerFigures[] }>('GET', `/api/stats/handlers?nodeId=${nodeId}&from=${from}&to=${to}&kind=${kind}`);
  const line = res.items.find((i) => i.id === id);
  if (!line) throw new Error(`${kind} ${id} is not among the handlers of node ${nodeId}: ${JSON.stringify(res.items.map((i) => [i.id, i.name]))}`);
  return line;
}

/**
 * Runs `fn` with the clock moved to `at` (Date only; timers keep running). Statistics count a matter's
 * due, closed and closed-on-time figures on its due day once that day has come, so a story whose matter
 * falls due on a later day reads those figures "afterwards", on that day. Sessions are opened inside.
 */
export async function onDay<T>(at: Date, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return await fn();
  } finally {
    vi.useRealTimers();
  }
}

/** Hours between two ISO instants, as the statistics' average handling time counts them. */
export const hoursBetween = (from: string | null, to: string | null) => (new Date(to ?? 0).getTime() - new Date(from ?? 0).getTime()) / 3600_000;

/** The matter fields the stories read beyond MatterOut (the API returns them all). */
export type Matter = MatterOut & {
  gridId: number | null; leadBoardId: number | null; scope: string | null; complexity: string | null; overdue: boolean;
  reportedAt: string | null; registeredAt: string | null; dispatchedAt: string | null; handledAt: string | null; closedAt: string | null; ratedAt: string | null;
};
export const full = (m: MatterOut): Matter => m as Matter; // the step routes answer with the whole matter schema
