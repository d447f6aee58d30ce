import { z } from 'zod';
import type { Actor } from '../../core/scope.ts';
import { visibility } from '../matters/matters.policy.ts';
import type { LiveFeed } from './live.hub.ts';

/** The NOTIFY channel that matters.step.ts publish() writes to. */
export const MATTERS_CHANNEL = 'dualgrid_matters';

/**
 * What publish() sends. Parsed rather than trusted: anyone with database access can pg_notify on the
 * channel, and a malformed payload must be dropped instead of reaching screens or crashing the fan-out.
 */
export const matterNotice = z.object({
  action: z.string(),
  id: z.number().int(),
  code: z.string(),
  status: z.string(),
  urgent: z.boolean(),
  overdue: z.boolean(),
  areaPath: z.string(),
  ownerPath: z.string(),
  subjects: z.array(z.string()),
  at: z.string(),
});
export type MatterNotice = z.infer<typeof matterNotice>;

export type LiveEventType = 'created' | 'dispatched' | 'overdue' | 'closed' | 'updated';

export function parseNotice(payload: string): MatterNotice | null {
  try {
    const parsed = matterNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON at all
  }
}

/**
 * The coarse event a screen reacts to. The overdue job publishes 'overdue' once for the mark; the
 * escalation it then triggers is an ordinary update.
 */
export function eventType(n: MatterNotice): LiveEventType {
  if (n.action === 'report') return 'created';
  if (n.action === 'dispatch' || n.action === 'reassign') return 'dispatched';
  if (n.action === 'overdue') return 'overdue';
  if (n.status === 'closed') return 'closed';
  return 'updated';
}

/** The payload without the tree paths: clients know the matter by id and code; paths only serve routing here. */
export function eventData(n: MatterNotice): Omit<MatterNotice, 'areaPath' | 'ownerPath'> {
  const { areaPath: _area, ownerPath: _owner, ...data } = n;
  return data;
}

/** Who a stream is for, resolved once at connect: the same rules as listing matters (matters.policy.ts). */
export interface Audience {
  areaPrefixes: string[];
  ownerPrefixes: string[];
  /** Handler identities in publish()'s format: 'post:5', 'department:3', 'board:2', 'unit:17' (a tree node). */
  subjects: Set<string>;
  urgentOnly: boolean;
}

export function audienceOf(actor: Actor, urgentOnly: boolean): Audience {
  const v = visibility(actor);
  // Reporters are deliberately not followed here: they watch their own matters on their own page.
  const subjects = new Set(v.subjects.map((s) => `${s.kind === 'node' ? 'unit' : s.kind}:${s.id}`));
  return { areaPrefixes: v.areaPrefixes, ownerPrefixes: v.ownerPrefixes, subjects, urgentOnly };
}

export function reaches(a: Audience, n: MatterNotice): boolean {
  if (a.urgentOnly && !n.urgent && !n.overdue) return false;
  return a.areaPrefixes.some((p) => n.areaPath.startsWith(p))
    || a.ownerPrefixes.some((p) => n.ownerPath.startsWith(p))
    || n.subjects.some((s) => a.subjects.has(s));
}

/** The matters feed: each notice is one event, for the screens whose audience covers the matter. */
export const mattersFeed: LiveFeed<Audience> = {
  channel: MATTERS_CHANNEL,
  events(payload) {
    const n = parseNotice(payload);
    return n ? [{ type: eventType(n), data: eventData(n), reaches: (a) => reaches(a, n) }] : null;
  },
};
