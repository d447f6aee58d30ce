import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { assertMayEditTree, assertMayReadOrganisation } from './structure.policy.ts';
import * as repo from './structure.repository.ts';
import type { StructureService } from './structure.service.ts';
import type { createBoardBody, createDepartmentBody } from './structure.schema.ts';
import type { z } from 'zod';

/** The governance centre's organisation: four boards (板块) with posts, departments and joint-duty posts. */
export class OrganisationService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  async listBoards(ctx: RequestContext, nodeId: number) {
    assertMayReadOrganisation(ctx.actor);
    await this.structure.requireNode(nodeId);
    const boards = await repo.listBoards(this.deps.db, nodeId);
    const posts = await repo.listPosts(this.deps.db, boards.map((b) => b.id));
    return boards.map((b) => ({ ...b, posts: posts.filter((p) => p.board_id === b.id) }));
  }

  async createBoard(ctx: RequestContext, body: z.infer<typeof createBoardBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await this.structure.requireNode(body.nodeId, trx);
      assertMayEditTree(ctx.actor, node.path);
      if (node.level !== 'town' && node.level !== 'district') throw new AppError('INVALID_HIERARCHY', { en: 'Boards belong to a town/street or district governance centre.', zh: '板块只能设在街镇或区县的综治中心。' });
      if ((await repo.listBoards(trx, node.id)).some((b) => b.kind === body.kind)) throw new AppError('CONFLICT', { en: `This centre already has a ${body.kind} board.`, zh: `这个中心已经有这类板块了。` });
      const board = await repo.insertBoard(trx, node.id, body.kind, body.name);
      await appendAudit(trx, ctx, { action: 'board.create', subjectType: 'board', subjectId: board.id, details: { nodeId: node.id, kind: body.kind } });
      return { ...board, posts: [] };
    });
  }

  async createPost(ctx: RequestContext, boardId: number, name: string) {
    return this.deps.db.transaction().execute(async (trx) => {
      const board = await repo.getBoard(trx, boardId);
      if (!board) throw notFound(`Board ${boardId}`);
      assertMayEditTree(ctx.actor, (await this.structure.requireNode(board.node_id, trx)).path);
      if ((await repo.listPosts(trx, [boardId])).some((p) => p.name === name)) throw new AppError('CONFLICT', { en: `The board already has a post named ${name}.`, zh: `这个板块已经有叫“${name}”的岗位了。` });
      const post = await repo.insertPost(trx, boardId, name);
      await appendAudit(trx, ctx, { action: 'post.create', subjectType: 'post', subjectId: post.id, details: { boardId, name } });
      return post;
    });
  }

  /** A town's departments include those attached to its ancestors (the district's bureaus serve it too). */
  async listDepartments(ctx: RequestContext, nodeId: number) {
    assertMayReadOrganisation(ctx.actor);
    const node = await this.structure.requireNode(nodeId);
    return repo.listDepartments(this.deps.db, node.path.split('/').filter(Boolean).map(Number));
  }

  async createDepartment(ctx: RequestContext, body: z.infer<typeof createDepartmentBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const node = await this.structure.requireNode(body.nodeId, trx);
      assertMayEditTree(ctx.actor, node.path);
      if (node.level !== 'town' && node.level !== 'district') throw new AppError('INVALID_HIERARCHY', { en: 'Departments attach to a town/street or a district.', zh: '部门只能挂在街镇或区县下面。' });
      if (body.boardId !== null) {
        const board = await repo.getBoard(trx, body.boardId);
        if (!board || board.node_id !== node.id) throw notFound(`Board ${body.boardId} of node ${node.id}`);
      }
      if ((await repo.listDepartments(trx, [node.id])).some((d) => d.name === body.name)) throw new AppError('CONFLICT', { en: `A department named ${body.name} already exists here.`, zh: `这里已经有叫“${body.name}”的部门了。` });
      const dept = await repo.insertDepartment(trx, { nodeId: node.id, name: body.name, kind: body.kind, jointDutyType: body.jointDutyType, boardId: body.boardId });
      await appendAudit(trx, ctx, { action: 'department.create', subjectType: 'department', subjectId: dept.id, details: { nodeId: node.id, name: body.name } });
      return dept;
    });
  }
}
