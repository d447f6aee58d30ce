import { api, unwrap } from '../../api/client.ts';
import type { Ok } from '../../api/types.ts';
import { session } from '../../shared/session.ts';
import type { NodeRow } from './console.ts';

/** Shapes of the deliberation API as the console's topic pages read them, from the generated schema. */
export type Topic = Ok<'/api/topics/{id}'>;
export type TopicRow = Ok<'/api/topics'>['items'][number];
export type Plan = Ok<'/api/topics/{id}/plans'>['items'][number];
export type Comment = Ok<'/api/topics/{id}/comments'>['items'][number];
export type Pledge = Ok<'/api/topics/{id}/pledges'>['items'][number];
export type Project = Ok<'/api/topics/{id}/project'>;
export type Meeting = Ok<'/api/meetings/{id}'>;
export type MeetingRow = Ok<'/api/meetings'>['items'][number];
export type Station = Ok<'/api/grid-stations'>['items'][number];
export type TrailEvent = Ok<'/api/topics/{id}/trail'>['items'][number];

export { DECISION_TYPES, MAJORITY_RULES, MEETING_KINDS, PLEDGE_KINDS, TOPIC_SCOPES, TOPIC_STAGES } from '../../../../src/core/vocabulary.ts';

/** The roles that organise a topic (deliberation.policy.ts ORGANISER_ROLES). */
const ORGANISERS = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];

export function stageType(stage: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  if (stage === 'collecting') return 'warning';
  if (stage === 'voting') return 'danger';
  if (stage === 'decided' || stage === 'completed') return 'success';
  if (stage === 'rejected' || stage === 'expired' || stage === 'merged') return 'info';
  return 'primary';
}

/**
 * The grids and communities the signed-in organiser may raise a topic for: the nodes of their assignments, and
 * below them the grids and communities whose name matches `q` (GET /api/nodes, as the admin pages pick nodes).
 */
export async function organiserNodes(level: 'grid' | 'community', q = ''): Promise<NodeRow[]> {
  const mine = (session.me.value?.assignments ?? []).filter((a) => ORGANISERS.includes(a.role));
  const roots = [...new Set(mine.map((a) => a.nodeId))];
  const out = new Map<number, NodeRow>();
  const own = await Promise.all(roots.map((id) => unwrap(api.GET('/api/nodes/{id}', { params: { path: { id } } })).catch(() => null)));
  for (const n of own) if (n && n.level === level && (!q || n.name.includes(q))) out.set(n.id, n);
  const below = await Promise.all(roots.map((under) => unwrap(api.GET('/api/nodes', { params: { query: { level, status: 'active', under, q: q || undefined, limit: 50 } } })).catch(() => ({ items: [] as NodeRow[] }))));
  for (const page of below) for (const n of page.items) out.set(n.id, n);
  return [...out.values()];
}
