import type { Selectable } from 'kysely';
import type { GroupMembersTable, IntakeSourcesTable, SensingPhrasesTable } from '../../db/schema.ts';
import type { CoverageFigures, GroupCoverage } from './coverage.service.ts';
import type { WebhookTaken } from './intake.service.ts';
import type { MessageRow } from './messages.repository.ts';
import type { Figures } from './stats.service.ts';

/** Only the first characters of a secret ever leave the server: enough to tell two apart. */
export const maskSecret = (s: string | null) => (s ? `${s.slice(0, 4)}${'*'.repeat(Math.max(4, Math.min(12, s.length - 4)))}` : null);

export function presentMessage(m: MessageRow & { group_name?: string | null; grid_name?: string | null }) {
  return {
    id: Number(m.id), via: m.via, groupId: m.group_id, groupName: m.group_name ?? null, gridId: m.grid_id, gridName: m.grid_name ?? null,
    externalGroupId: m.external_group_id, senderName: m.sender_name, memberId: m.member_id, sentAt: m.sent_at.toISOString(), receivedAt: m.received_at.toISOString(),
    text: m.text, attachments: m.attachments, forwardedBy: m.forwarded_by, actionable: m.actionable, score: m.score, categoryCode: m.category_code,
    urgent: m.urgency === 'urgent', urgentKind: m.urgent_kind, hints: m.hints, why: m.why ?? [], state: m.state, matterId: m.matter_id, handledNote: m.handled_note,
    handledBy: m.handled_by, handledAt: m.handled_at?.toISOString() ?? null,
  };
}

export function presentMember(m: Selectable<GroupMembersTable> & { user_name: string | null }) {
  return {
    id: m.id, groupId: m.group_id, externalUserId: m.external_user_id, displayName: m.display_name, residentId: m.resident_id, userId: m.user_id,
    userName: m.user_name, realName: m.resident_id ? 'resident' as const : m.user_id ? 'staff' as const : 'none' as const,
    joinedAt: m.joined_at.toISOString(), leftAt: m.left_at?.toISOString() ?? null,
  };
}

export function presentSource(s: Selectable<IntakeSourcesTable>) {
  return {
    id: s.id, kind: s.kind, name: s.name, status: s.status, createdAt: s.created_at.toISOString(), corpId: s.corp_id,
    token: maskSecret(s.token), aesKey: maskSecret(s.aes_key), secret: maskSecret(s.secret),
    callbackPath: s.kind === 'wecom' ? `/api/intake/wecom/${s.id}` : `/api/intake/webhook/${s.id}`,
  };
}

export function presentPhrase(p: Selectable<SensingPhrasesTable>) {
  return { id: p.id, kind: p.kind, phrase: p.phrase, categoryCode: p.category_code, urgentKind: p.urgent_kind, weight: p.weight, createdAt: p.created_at.toISOString() };
}

/** A single webhook message answers with what became of it; a batch with counts and each message's id. */
export function presentWebhookTaken(t: WebhookTaken) {
  if (t.single) return t.taken;
  return {
    accepted: t.taken.filter((x) => !x.duplicate).length, duplicates: t.taken.filter((x) => x.duplicate).length,
    items: t.taken.map((x, i) => ({ messageId: t.messageIds[i] ?? '', ...x })),
  };
}

const presentFigures = (f: Figures) => ({ messages: f.messages, actionable: f.actionable, urgent: f.urgent, toMatter: f.to_matter, handledInGroup: f.handled_in_group });

export function presentOnlineStats(r: {
  under: { id: number; name: string }; totals: Figures; held: number | null;
  grids: (Figures & { grid_id: number; grid_name: string })[]; communities: (Figures & { id: number; name: string })[];
}) {
  return {
    under: { id: r.under.id, name: r.under.name }, totals: { ...presentFigures(r.totals), held: r.held },
    grids: r.grids.map((g) => ({ gridId: g.grid_id, name: g.grid_name, ...presentFigures(g) })),
    communities: r.communities.map((c) => ({ communityId: c.id, name: c.name, ...presentFigures(c) })),
  };
}

export function presentCoverage(r: { under: { id: number; name: string; level: string }; groups: GroupCoverage[]; figures: CoverageFigures[] }) {
  return {
    under: { id: r.under.id, name: r.under.name, level: r.under.level },
    groups: r.groups.map((g) => ({
      groupId: g.group_id, groupName: g.group_name, gridId: g.grid_id, gridName: g.grid_name, members: g.members, realName: g.real_name,
      hasGridWorker: g.worker, hasGridChief: g.chief, departments: g.departments, covered: g.covered,
    })),
    grids: r.figures.filter((f) => f.level === 'grid'), communities: r.figures.filter((f) => f.level === 'community'), towns: r.figures.filter((f) => f.level === 'town'),
  };
}
