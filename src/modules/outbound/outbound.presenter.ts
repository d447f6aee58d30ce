import type { Selectable } from 'kysely';
import type { BroadcastContentTable, BroadcastPlansTable, OutboundDeliveriesTable, OutboundTargetsTable } from '../../db/schema.ts';
import { deliveryFacts, render } from './outbound.render.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Shows a secret's last 4 characters only: enough to tell two apart, too little to use. */
export const hintOf = (secret: string | null) => (secret ? `****${secret.slice(-4)}` : null);

/** A WeCom robot URL carries its key in the query (…/send?key=…): every query value is masked the same way. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    const masked = [...u.searchParams.entries()].map(([k, v]) => `${encodeURIComponent(k)}=${hintOf(v) ?? ''}`);
    return `${u.origin}${u.pathname}${masked.length ? `?${masked.join('&')}` : ''}`;
  } catch {
    return '****';
  }
}

export const presentTarget = (t: Selectable<OutboundTargetsTable>) => ({
  id: t.id, groupId: t.group_id, kind: t.kind, url: maskUrl(t.url), secretHint: hintOf(t.secret), status: t.status, createdAt: t.created_at.toISOString(),
});

export const presentContent = (c: Selectable<BroadcastContentTable>) => ({
  id: c.id, title: c.title, body: c.body, theme: c.theme, status: c.status, createdBy: c.created_by, createdAt: c.created_at.toISOString(),
});

export const presentPlan = (p: Selectable<BroadcastPlansTable>) => ({
  id: p.id, name: p.name, cadence: p.cadence, timeOfDay: p.time_of_day, weekday: p.weekday, contentId: p.content_id, theme: p.theme,
  nodeId: p.node_id, groupIds: p.group_ids, status: p.status, nextRunAt: iso(p.next_run_at), createdAt: p.created_at.toISOString(),
});

export function presentDelivery(d: Selectable<OutboundDeliveriesTable> & { group_name: string }, publicUrl: string) {
  const facts = deliveryFacts.safeParse(d.payload);
  return {
    id: d.id, groupId: d.group_id, groupName: d.group_name, targetId: d.target_id, kind: d.kind, matterId: d.matter_id, planId: d.plan_id,
    status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error, nextAttemptAt: iso(d.next_attempt_at),
    createdAt: d.created_at.toISOString(), sentAt: iso(d.sent_at), attemptLog: d.attempt_log,
    text: facts.success ? render(facts.data, publicUrl).text : null,
  };
}
