import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { NodeLevel, Role } from '../../core/vocabulary.ts';
import type { NewAssignment } from '../access/access.repository.ts';
import * as structure from '../structure/structure.repository.ts';
import type { roleBody } from './people.schema.ts';
import type { z } from 'zod';

/** The tree levels each node-scoped role may sit at. */
const LEVELS: Partial<Record<Role, readonly NodeLevel[]>> = {
  admin: ['district', 'town'],
  centre_operator: ['district', 'town'],
  mediator: ['district', 'town', 'community'],
  merchant: ['town', 'community'],
  community_staff: ['community'],
  grid_chief: ['grid'],
  grid_worker: ['grid', 'microgrid'],
  volunteer: ['community', 'grid', 'microgrid'],
  resident: ['grid', 'microgrid'],
};

/**
 * Turns a requested role into a complete assignment: roles tied to a board, post, department, building
 * or unit take their node from it, so the scope can never disagree with what the role is about.
 */
export async function resolveAssignment(db: Kysely<DB>, body: z.infer<typeof roleBody>): Promise<{ assignment: NewAssignment; path: string }> {
  const node = async (id: number | undefined, what: string) => {
    if (id === undefined) throw new AppError('VALIDATION_FAILED', `The role ${body.role} needs ${what}.`);
    const n = await structure.getNode(db, id);
    if (!n) throw notFound(`Node ${id}`);
    if (n.status === 'retired') throw new AppError('RETIRED', { en: 'Roles cannot be given on a retired node.', zh: '已撤销的节点上不能再分配角色。' });
    return n;
  };
  switch (body.role) {
    case 'board_lead': {
      const board = body.boardId ? await structure.getBoard(db, body.boardId) : undefined;
      if (!board) throw body.boardId ? notFound(`Board ${body.boardId}`) : new AppError('VALIDATION_FAILED', { en: 'A board lead needs a boardId.', zh: '板块负责人要选一个板块。' });
      const n = await node(board.node_id, 'a node');
      return { assignment: { role: body.role, nodeId: n.id, boardId: board.id }, path: n.path };
    }
    case 'post_handler': {
      const post = body.postId ? await structure.getPostWithBoard(db, body.postId) : undefined;
      if (!post) throw body.postId ? notFound(`Post ${body.postId}`) : new AppError('VALIDATION_FAILED', { en: 'A post handler needs a postId.', zh: '岗位办理人要选一个岗位。' });
      const n = await node(post.node_id, 'a node');
      return { assignment: { role: body.role, nodeId: n.id, postId: post.id, boardId: post.board_id }, path: n.path };
    }
    case 'department_handler': {
      const dept = body.departmentId ? await structure.getDepartment(db, body.departmentId) : undefined;
      if (!dept) throw body.departmentId ? notFound(`Department ${body.departmentId}`) : new AppError('VALIDATION_FAILED', { en: 'A department handler needs a departmentId.', zh: '部门办理人要选一个部门。' });
      const n = await node(dept.node_id, 'a node');
      return { assignment: { role: body.role, nodeId: n.id, departmentId: dept.id }, path: n.path };
    }
    case 'building_head':
    case 'unit_head': {
      const unit = body.role === 'unit_head' && body.unitId ? await structure.getUnit(db, body.unitId) : undefined;
      if (body.role === 'unit_head' && !unit) throw body.unitId ? notFound(`Unit ${body.unitId}`) : new AppError('VALIDATION_FAILED', { en: 'A unit head needs a unitId.', zh: '单元长要选一个单元。' });
      const buildingId = unit?.building_id ?? body.buildingId;
      const building = buildingId ? await structure.getBuilding(db, buildingId) : undefined;
      if (!building) throw buildingId ? notFound(`Building ${buildingId}`) : new AppError('VALIDATION_FAILED', { en: 'A building head needs a buildingId.', zh: '楼栋长要选一个楼栋。' });
      const n = await node(building.grid_id, 'a grid');
      return { assignment: { role: body.role, nodeId: n.id, buildingId: building.id, unitId: unit?.id ?? null }, path: n.path };
    }
    default: {
      const n = await node(body.nodeId, 'a nodeId');
      const levels = LEVELS[body.role];
      if (levels && !levels.includes(n.level)) throw new AppError('INVALID_HIERARCHY', `A ${body.role} is scoped to a ${levels.join(' or ')}, not a ${n.level}.`);
      if (body.role === 'grid_chief' && !body.abSlot) throw new AppError('VALIDATION_FAILED', { en: 'A grid chief needs abSlot A (primary) or B (backup).', zh: '网格长要选 A 岗（主）或 B 岗（备）。' });
      const employment = body.role === 'grid_worker' ? (body.employment ?? 'full_time') : null;
      return { assignment: { role: body.role, nodeId: n.id, abSlot: body.role === 'grid_chief' ? body.abSlot : null, employment }, path: n.path };
    }
  }
}
