import type { Kysely } from 'kysely';
import { cursorId, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import * as access from '../access/access.repository.ts';
import { hashPassword } from '../access/passwords.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { accountScope, assertMayManagePeopleAt, mayReadAccount } from './people.policy.ts';
import type { createUserBody, roleBody, updateUserBody, userQuery } from './people.schema.ts';
import { resolveAssignment } from './roles.service.ts';
import type { z } from 'zod';

/** Accounts and their scoped roles, managed by administrators within their own part of the tree. */
export class UsersService {
  constructor(private readonly deps: AppDeps) {}

  async list(ctx: RequestContext, q: z.infer<typeof userQuery>) {
    const prefixes = accountScope(ctx.actor);
    const afterId = cursorId(q.cursor);
    const rows = await access.listUsersUnder(this.deps.db, prefixes, { role: q.role, nodeId: q.nodeId, search: q.q, afterId, limit: q.limit });
    const result = page(rows, q.limit, (r) => [r.id]);
    const roles = await this.rolesOf(result.items.map((u) => u.id));
    return { items: result.items.map((u) => ({ ...u, roles: roles.get(u.id) ?? [] })), nextCursor: result.nextCursor };
  }

  async get(ctx: RequestContext, id: number) {
    const user = await access.findUserById(this.deps.db, id);
    const roles = (await this.rolesOf([id])).get(id) ?? [];
    // Ended roles count too: an administrator keeps sight of someone whose last role here they just ended.
    const paths = await access.assignmentPathsOf(this.deps.db, id);
    if (!user || !mayReadAccount(ctx.actor, paths.map((p) => p.path))) throw notFound({ en: `User ${id}`, zh: `账号 ${id}` });
    return { ...user, roles };
  }

  async create(ctx: RequestContext, body: z.infer<typeof createUserBody>) {
    const passwordHash = await hashPassword(body.password);
    const id = await this.deps.db.transaction().execute((trx) => this.createIn(trx, ctx, { ...body, passwordHash }));
    return this.get(ctx, id);
  }

  /** Creates an account with its roles inside the caller's transaction (imports reuse this). */
  async createIn(trx: Kysely<DB>, ctx: RequestContext, body: Omit<z.infer<typeof createUserBody>, 'password'> & { passwordHash: string | null }): Promise<number> {
    if (await access.findUserByUsername(trx, body.username)) throw new AppError('CONFLICT', { en: `The username ${body.username} is taken.`, zh: `用户名 ${body.username} 已经有人用了，请换一个。` });
    const resolved = [];
    for (const role of body.roles) {
      const r = await resolveAssignment(trx, role);
      assertMayManagePeopleAt(ctx.actor, r.path);
      resolved.push(r);
    }
    const phone = body.phone ? this.deps.vault.seal('phone', body.phone) : null;
    const { id } = await access.insertUser(trx, {
      username: body.username, display_name: body.displayName, password_hash: body.passwordHash,
      phone_hash: phone?.hash ?? null, phone_enc: phone?.enc ?? null, phone_masked: phone?.masked ?? null,
    });
    for (const r of resolved) await this.insertRole(trx, id, r.assignment);
    await appendAudit(trx, ctx, { action: 'user.create', subjectType: 'user', subjectId: id, details: { username: body.username, roles: body.roles.map((r) => r.role) } });
    return id;
  }

  async update(ctx: RequestContext, id: number, patch: z.infer<typeof updateUserBody>) {
    await this.get(ctx, id);
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    await this.deps.db.transaction().execute(async (trx) => {
      await access.updateUser(trx, id, { display_name: patch.displayName, status: patch.status, password_hash: passwordHash });
      // Disabling an account or resetting its password ends its sessions.
      if (patch.status === 'disabled' || passwordHash) await access.deleteSessionsOf(trx, id);
      await appendAudit(trx, ctx, { action: 'user.update', subjectType: 'user', subjectId: id, details: { fields: Object.keys(patch) } });
    });
    return this.get(ctx, id);
  }

  async addRole(ctx: RequestContext, userId: number, body: z.infer<typeof roleBody>) {
    if (!(await access.findUserById(this.deps.db, userId))) throw notFound(`User ${userId}`);
    return this.deps.db.transaction().execute(async (trx) => {
      const r = await resolveAssignment(trx, body);
      assertMayManagePeopleAt(ctx.actor, r.path);
      const id = await this.insertRole(trx, userId, r.assignment);
      await appendAudit(trx, ctx, { action: 'role.grant', subjectType: 'user', subjectId: userId, details: { role: body.role, nodeId: r.assignment.nodeId } });
      return id;
    });
  }

  async endRole(ctx: RequestContext, userId: number, assignmentId: number) {
    await this.deps.db.transaction().execute(async (trx) => {
      const a = await access.findActiveAssignment(trx, userId, assignmentId);
      if (!a) throw notFound(`Active role ${assignmentId} of user ${userId}`);
      assertMayManagePeopleAt(ctx.actor, a.path);
      await access.endAssignment(trx, userId, assignmentId);
      await appendAudit(trx, ctx, { action: 'role.end', subjectType: 'user', subjectId: userId, details: { assignmentId, role: a.role } });
    });
  }

  /** One primary (A) and one backup (B) grid chief per grid at a time. */
  private async insertRole(trx: Kysely<DB>, userId: number, a: access.NewAssignment): Promise<number> {
    if (a.role === 'grid_chief') {
      const taken = await access.findActiveGridChief(trx, a.nodeId, a.abSlot ?? 'A');
      if (taken) throw new AppError('CONFLICT', { en: `This grid already has a grid chief in slot ${a.abSlot}; end that role first.`, zh: `这个网格已经有 ${a.abSlot} 岗网格长了，请先结束那个角色。` });
    }
    return (await access.insertAssignment(trx, userId, a)).id;
  }

  private async rolesOf(userIds: number[]) {
    const rows = await access.activeAssignmentsOf(this.deps.db, userIds);
    const map = new Map<number, typeof rows>();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r]);
    return map;
  }
}
