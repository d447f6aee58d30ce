import { AppError, denied, notFound } from '../../core/errors.ts';
import { type Actor, assignmentsWith, holdsOn, recordedUserId } from '../../core/scope.ts';
import type { Role, TopicScope } from '../../core/vocabulary.ts';

/**
 * Who may do what in deliberation (议事协商). The staff of a topic's part of the tree (community staff, grid chiefs
 * and workers, the centre, administrators) organise it: moderate, merge, hold meetings, record attendance, ballots
 * and pledges, publish. Residents take part in the topics of where they live, as verified residents: an account
 * linked to an active resident of the register (实名), whose grid lies in the topic's scope. The public notice
 * board shows what was raised, decided, funded and built, with no personal data.
 */
export const ORGANISER_ROLES: readonly Role[] = ['admin', 'centre_operator', 'community_staff', 'grid_chief', 'grid_worker'];
const ORGANISERS = ORGANISER_ROLES;
/** Staff who read a topic without organising it: the nerve endings and volunteers of the same part of the tree. */
const READERS: readonly Role[] = [...ORGANISERS, 'building_head', 'unit_head', 'volunteer'];

/** The signed-in user's own resident record (实名居民), with where they live. */
export interface Residence { residentId: number; name: string; gridId: number; gridPath: string; estateName: string | null }

/** What decides who belongs to a topic: its node's path, and for an estate the estate's name. */
export interface TopicScopeOf { scope: TopicScope; node_path: string; estate_name: string | null }

/** Whether the resident lives inside the topic's scope: under its node, and in its estate when the scope is one. */
export const livesIn = (r: Residence, t: TopicScopeOf): boolean =>
  r.gridPath.startsWith(t.node_path) && (t.scope !== 'estate' || r.estateName === t.estate_name);

export const mayOrganise = (actor: Actor | null, path: string): boolean => holdsOn(actor, ORGANISERS, path);

/**
 * Staff who work on a topic without organising it: the grid workers and chiefs of a grid inside a community's topic
 * read it, comment as staff and put plans, as they run the grid's group where people talk; opening the vote,
 * moderating and merging stay with the organisers over the topic's node.
 */
export const mayWorkOn = (actor: Actor | null, path: string): boolean =>
  mayOrganise(actor, path) || assignmentsWith(actor, ORGANISERS).some((a) => a.nodePath.startsWith(path));

/** The actor's own staff paths, for listing the topics of the nodes above them (a grid worker's community). */
export const staffPaths = (actor: Actor | null): string[] => assignmentsWith(actor, ORGANISERS).map((a) => a.nodePath);

export function assertMayOrganise(actor: Actor | null, path: string): number | null {
  if (!mayOrganise(actor, path)) throw denied(actor, { en: 'Only the staff of this community or grid may organise its deliberation.', zh: '只有本社区、本网格的工作人员才能组织这里的议事。' });
  return recordedUserId(actor);
}

/** A topic is read by the staff of its part of the tree and by the verified residents of its scope; others get 404. */
export function assertMayReadTopic(actor: Actor | null, t: TopicScopeOf & { id: number; hidden_at: Date | null }, residence: Residence | null): void {
  if (holdsOn(actor, READERS, t.node_path) || mayWorkOn(actor, t.node_path)) return;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  // A hidden topic stays in the trail for staff; residents no longer see it.
  if (residence && livesIn(residence, t) && !t.hidden_at) return;
  throw notFound({ en: `Topic ${t.id}`, zh: `议题 ${t.id}` });
}

/** Taking part as a resident (support, comment, vote, pledge): a verified resident of the topic's scope. */
export function assertResidentOf(actor: Actor | null, t: TopicScopeOf, residence: Residence | null): Residence {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!residence) {
    throw new AppError('NOT_A_VOTER', { en: 'Your account is not linked to a resident of the register; ask your grid worker to verify you.', zh: '你的账号还没有实名登记为本地居民，请找网格员核实登记。' });
  }
  if (!livesIn(residence, t)) {
    throw new AppError('NOT_A_VOTER', { en: 'You do not live in the area this topic belongs to.', zh: '你不住在这个议题的范围内，不能参与这项表决或附议。' });
  }
  return residence;
}

/** Who may raise a topic: a verified resident for where they live, or staff working on the node (a grid worker for their community). */
export function assertMayRaise(actor: Actor | null, path: string, residence: Residence | null, t: TopicScopeOf): 'staff' | 'resident' {
  if (mayWorkOn(actor, path)) return 'staff';
  assertResidentOf(actor, t, residence);
  return 'resident';
}

/** Who reports a project's progress and photos: its organisers, and the handlers of its owner departments (责任部门). */
export const mayUpdateProject = (actor: Actor | null, path: string, departmentIds: readonly number[]): boolean =>
  mayOrganise(actor, path) || assignmentsWith(actor, ['department_handler']).some((a) => a.departmentId !== null && departmentIds.includes(a.departmentId));

export function assertMayUpdateProject(actor: Actor | null, path: string, departmentIds: readonly number[]): void {
  if (!mayUpdateProject(actor, path, departmentIds)) throw denied(actor, { en: 'Only the organisers and the owner departments report on this project.', zh: '只有组织议事的工作人员和责任部门才能更新这个项目的进度。' });
}
