import { publicText, publicTitle } from '../../core/matters/public.ts';
import { PUBLIC_STAGES, publicStage } from '../../core/matters/workflow.ts';
import type { Selectable } from 'kysely';
import type { AssignmentRow, CategoryRow, MatterPhotosTable, MatterRequestsTable, MatterRow } from '../../db/schema.ts';
import { isOverdue, VERIFIED_STATUSES } from '../../core/vocabulary.ts';
import { placeLabel } from '../../core/geo/features.ts';
import type { ReporterSource } from './reporter.service.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentMatter(m: MatterRow) {
  return {
    id: m.id, code: m.code, publicCode: m.public_code, title: m.title, description: m.description, source: m.source, channel: m.channel, status: m.status,
    stage: publicStage(m.status), categoryId: m.category_id, gridId: m.grid_id, areaNodeId: m.area_node_id, ownerNodeId: m.owner_node_id,
    lng: m.lng, lat: m.lat, buildingId: m.building_id, address: m.address, level: m.level, complexity: m.complexity, scope: m.scope,
    leadBoardId: m.lead_board_id, urgent: m.urgent, dueAt: iso(m.due_at), overdue: isOverdue(m, new Date()),
    reportedAt: iso(m.reported_at), registeredAt: iso(m.registered_at), dispatchedAt: iso(m.dispatched_at), handledAt: iso(m.handled_at), closedAt: iso(m.closed_at),
    closedOnTime: m.closed_on_time, satisfaction: m.satisfaction, ratedAt: iso(m.rated_at),
    counts: { reopened: m.reopen_count, verifyFailed: m.verify_fail_count, suspended: m.suspension_count, extended: m.extension_count, escalated: m.escalation_count },
    reporter: { anonymous: m.reporter_anonymous, residentId: m.reporter_anonymous ? null : m.reporter_resident_id, userId: m.reporter_anonymous ? null : m.reporter_user_id, contactName: m.contact_name, contactPhone: m.contact_phone_masked },
    possibleDuplicateOf: m.possible_duplicate_of, mergedIntoId: m.merged_into_id, followsId: m.follows_id,
  };
}

export const presentAssignment = (a: AssignmentRow) => ({
  id: a.id, role: a.role, targetKind: a.target_kind, targetId: a.target_id, targetName: a.target_name, status: a.status, summoned: a.summoned,
  dueAt: iso(a.due_at), acceptedAt: iso(a.accepted_at), doneAt: iso(a.done_at), returnReason: a.return_reason,
});

export const presentEvent = (e: { id: number; at: Date; actor_user_id: number | null; actor_name: string | null; actor_role: string | null; channel: string; action: string; status_before: string | null; status_after: string | null; note: string | null; details: Record<string, unknown> }) => ({
  id: e.id, at: e.at.toISOString(), actorUserId: e.actor_user_id, actorName: e.actor_name, actorRole: e.actor_role, channel: e.channel, action: e.action,
  statusBefore: e.status_before, statusAfter: e.status_after, note: e.note, details: e.details,
});

export const presentListItem = (m: { id: number; code: string; title: string; source: string; status: MatterRow['status']; level: string; urgent: boolean; due_at: Date | null; overdue: boolean; reported_at: Date; closed_at: Date | null; category_id: number | null; category_name: string | null; area_node_id: number; area_name: string | null; owner_node_id: number; satisfaction: string | null; possible_duplicate_of: number | null; public_code: string }) => ({
  id: m.id, code: m.code, publicCode: m.public_code, title: m.title, source: m.source, status: m.status, stage: publicStage(m.status), level: m.level, urgent: m.urgent,
  dueAt: iso(m.due_at), overdue: isOverdue(m, new Date()),
  reportedAt: iso(m.reported_at), closedAt: iso(m.closed_at), categoryId: m.category_id, categoryName: m.category_name,
  areaNodeId: m.area_node_id, areaName: m.area_name, ownerNodeId: m.owner_node_id, satisfaction: m.satisfaction, possibleDuplicateOf: m.possible_duplicate_of,
});

/**
 * The public page of a matter, by its public code: six stages with their times, the category, the title staff
 * wrote (else the category's name) and the handler's result, masked; no people, no internal code, no description.
 */
export function presentPublic({ m, events, categoryName }: { m: MatterRow; events: { action: string; at: Date; status_after: string | null; note: string | null }[]; categoryName: string | null }) {
  const reached = publicStage(m.status);
  const firstAt = (actions: string[]) => events.find((e) => actions.includes(e.action))?.at.toISOString() ?? null;
  const times = [firstAt(['report']), firstAt(['register']), firstAt(['dispatch']), firstAt(['accept', 'handle']), firstAt(['verify_pass']), m.closed_at ? m.closed_at.toISOString() : null];
  return {
    code: m.public_code, title: publicTitle({ title: m.title, titlePublic: m.title_public }, categoryName), category: categoryName, status: m.status,
    stages: PUBLIC_STAGES.map((name, i) => ({ name, reached: i <= reached && m.status !== 'rejected' ? true : i === 0, at: i <= reached ? times[i] ?? null : null })),
    result: (VERIFIED_STATUSES as readonly string[]).includes(m.status) ? publicText(events.filter((e) => e.action === 'handle').at(-1)?.note ?? null) : null,
    satisfaction: m.satisfaction,
  };
}

/** A matter with its assignments, timeline, photos and open or decided requests (GET /api/matters/:id). */
export function presentDetail(d: { m: MatterRow; category: { code: string; name: string; catalogue: string } | null; assignments: AssignmentRow[]; events: Parameters<typeof presentEvent>[0][]; photos: Selectable<MatterPhotosTable>[]; requests: Selectable<MatterRequestsTable>[]; place?: PlaceRow | null }) {
  return {
    ...presentMatter(d.m), category: d.category, assignments: d.assignments.map(presentAssignment), timeline: d.events.map(presentEvent),
    photos: d.photos.map((p) => ({ hash: p.file_hash, stage: p.stage, eventId: p.event_id })),
    requests: d.requests.map((r) => ({ id: r.id, kind: r.kind, reason: r.reason, status: r.status, extendTo: iso(r.extend_to) })),
    place: d.place ? presentMatterPlace(d.m, d.place) : null,
  };
}

type PlaceRow = { building_id: number | null; building_name: string | null; building_address: string | null; lng: number | null; lat: number | null;
  grid_id: number; grid_name: string; estate_name: string | null; community_name: string | null };

/** The matter's place by name; its point is the matter's own, else its building's (both WGS-84). */
function presentMatterPlace(m: MatterRow, p: PlaceRow) {
  return {
    label: p.building_name ? placeLabel(p.estate_name, p.building_name) : p.grid_name,
    buildingId: p.building_id, buildingName: p.building_name, buildingAddress: p.building_address,
    gridId: p.grid_id, gridName: p.grid_name, communityName: p.community_name,
    lng: m.lng ?? p.lng, lat: m.lat ?? p.lat,
  };
}

export const presentDuePreview = ({ due, category }: { due: Date; category: Pick<CategoryRow, 'code' | 'name' | 'deadline_amount' | 'deadline_unit'> }) => ({
  dueAt: due.toISOString(), amount: category.deadline_amount, unit: category.deadline_unit, category: { code: category.code, name: category.name },
});

/** The reporter before a call back: the number masked; `mayReveal` says whether the audited reveal is open. */
export const presentReporter = (r: { source: ReporterSource; name: string | null; phoneMasked: string | null; mayReveal: boolean }) => ({
  source: r.source, name: r.name, phoneMasked: r.phoneMasked, mayReveal: r.mayReveal,
});

/** The audited reveal of the reporter's number: the one place it leaves in full. */
export const presentReporterReveal = (r: { source: ReporterSource; name: string | null; phone: string }) => ({
  source: r.source, name: r.name, phone: r.phone,
});
