import { denied } from '../../core/errors.ts';
import { type Actor, assignmentsWith, holdsOn } from '../../core/scope.ts';
import { assigneeSubject } from '../../core/stats/deltas.ts';
import type { Role } from '../../core/vocabulary.ts';

/**
 * Statistics show how well a place is governed, so they are for the staff who govern it: the centre,
 * boards, community and grid staff over the node. A department or post handler sees only its own
 * figures (how it is assessed), never a town's. Residents, volunteers and merchants see none.
 */
const READERS: readonly Role[] = ['admin', 'centre_operator', 'board_lead', 'community_staff', 'grid_chief', 'grid_worker'];

export function assertMayReadNode(actor: Actor | null, nodePath: string): void {
  if (!holdsOn(actor, READERS, nodePath)) throw denied(actor, { en: 'Only staff over this part of the tree may read its statistics.', zh: '只有管这一片区的工作人员才能看这里的统计。' });
}

/** The handler subjects the actor may read at a node: 'all' for staff over it, else its own department or post. */
export function handlerScope(actor: Actor | null, nodePath: string): 'all' | ReadonlySet<string> {
  if (holdsOn(actor, READERS, nodePath)) return 'all';
  const own = assignmentsWith(actor, ['department_handler', 'post_handler']).flatMap((a) => {
    if (a.role === 'department_handler' && a.departmentId !== null) return [assigneeSubject('department', a.departmentId)];
    if (a.role === 'post_handler' && a.postId !== null) return [assigneeSubject('post', a.postId)];
    return [];
  });
  if (own.length === 0) throw denied(actor, { en: 'Only staff over this part of the tree may read its statistics.', zh: '只有管这一片区的工作人员才能看这里的统计。' });
  return new Set(own);
}

/** A handler reading handlers must find itself among them; an empty answer would hide a refusal. */
export function assertSomeVisible(actor: Actor | null, visible: number): void {
  if (visible === 0) throw denied(actor, { en: 'You may read only the figures of your own department or post, among those serving this node.', zh: '你只能看自己部门或岗位的数据。' });
}
