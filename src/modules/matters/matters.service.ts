import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { suggestTriage } from '../../core/triage/suggest.ts';
import { type RequestContext, nowOf } from '../../core/scope.ts';
import type { CategoryRow, DB, MatterLevel, MatterStatus } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { beijingDay } from '../calendar/calendar.service.ts';
import { mayReadResident } from '../people/people.policy.ts';
import { applyRollups } from '../stats/rollup.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { assertMayDispatch, assertMayReport, mayRead, visibility } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import type { listQuery, registerBody, reportBody } from './matters.schema.ts';
import { applyStep, facts, loadForUpdate, publish, reporterUsers } from './matters.step.ts';

export type ReportInput = z.infer<typeof reportBody>;
const DUPLICATE_METRES = 200;
const DUPLICATE_HOURS = 72;

/** Intake (信息收集) and triage (研判): matters come in from every source and are registered by the centre. */
export class MattersService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  async report(ctx: RequestContext, input: ReportInput) {
    return this.deps.db.transaction().execute((trx) => this.reportIn(trx, ctx, input));
  }

  async reportIn(trx: Kysely<DB>, ctx: RequestContext, input: ReportInput) {
    const role = assertMayReport(ctx.actor);
    const area = await this.resolveArea(trx, input.location);
    const categories = await activeCategories(trx);
    const category = input.categoryCode ? categories.find((c) => c.code === input.categoryCode) : undefined;
    if (input.categoryCode && !category) throw new AppError('VALIDATION_FAILED', `Unknown category code ${input.categoryCode}.`);
    const suggestion = suggestTriage(input.description, categories.map(toSeedShape), category ? { categoryCode: category.code } : undefined);
    const chosen = category ?? categories.find((c) => c.code === suggestion.category?.code);
    const owner = await ancestorAt(trx, area.path, ['town', 'district']);
    const reporter = await this.resolveReporter(trx, ctx, input.reporter);
    await this.checkPhotos(trx, input.photos);
    const contact = input.reporter.contactPhone ? this.deps.vault.seal('phone', input.reporter.contactPhone) : null;
    const now = nowOf(ctx);
    const m = await repo.insertMatter(trx, {
      source: input.source, channel: input.channel, title: input.title ?? input.description.slice(0, 30), description: input.description,
      category_id: chosen?.id ?? null, grid_id: area.gridId, area_node_id: area.id, area_path: area.path, owner_node_id: owner.id, owner_path: owner.path,
      lng: area.lng, lat: area.lat, building_id: area.buildingId, address: input.address ?? '',
      reporter_resident_id: reporter.residentId, reporter_user_id: reporter.userId, reporter_anonymous: input.reporter.anonymous,
      contact_name: input.reporter.contactName ?? null, contact_phone_hash: contact?.hash ?? null, contact_phone_enc: contact?.enc ?? null, contact_phone_masked: contact?.masked ?? null,
      status: 'reported', level: (chosen?.default_level ?? suggestion.level) as MatterLevel, urgent: input.urgent ?? (chosen?.urgent || suggestion.urgent),
      reported_at: now, client_id: input.clientId ?? null,
    }, beijingDay(now));
    if (reporter.userId || reporter.residentId) await repo.insertReporter(trx, { matter_id: m.id, resident_id: reporter.residentId, user_id: reporter.userId, from_matter_id: null });
    const duplicates = chosen && area.lng !== null && area.lat !== null
      ? await repo.findNearbyOpen(trx, { categoryId: chosen.id, lng: area.lng, lat: area.lat, since: new Date(now.getTime() - DUPLICATE_HOURS * 3600_000), metres: DUPLICATE_METRES, excludeId: m.id })
      : [];
    const flagged = duplicates[0] ? await repo.updateMatter(trx, m.id, { possible_duplicate_of: duplicates[0].id }) : m;
    const event = await repo.insertEvent(trx, {
      matter_id: m.id, at: now, actor_user_id: ctx.actor?.userId || null, actor_role: role, channel: input.channel, action: 'report', status_before: null, status_after: 'reported',
      note: null, details: JSON.stringify({ source: input.source, suggestion: { category: suggestion.category, level: suggestion.level, scope: suggestion.scope, urgent: suggestion.urgent }, duplicates }),
    });
    await repo.insertPhotos(trx, input.photos.map((hash) => ({ matter_id: m.id, event_id: event.id, file_hash: hash, stage: 'report' as const })));
    await applyRollups(trx, { before: null, after: facts(flagged, []), action: 'report', at: event.at });
    await publish(trx, flagged, [], 'report');
    if (input.followsMatterId) return this.follow(trx, ctx, flagged, input.followsMatterId);
    return flagged;
  }

  /**
   * The matter an earlier report with this idempotency key made, if the same user made it; another user's key
   * is a conflict. Lets a phone re-send a draft whose response it lost without making a second matter.
   */
  async byClientId(ctx: RequestContext, clientId: string) {
    const m = await this.deps.db.selectFrom('matters').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    if (!m) return null;
    const first = await this.deps.db.selectFrom('matter_events').select('actor_user_id').where('matter_id', '=', m.id).where('action', '=', 'report').orderBy('id').executeTakeFirst();
    if (!ctx.actor?.userId || first?.actor_user_id !== ctx.actor.userId) throw new AppError('CONFLICT', 'That clientId was already used for another report.');
    return m;
  }

  /** A new report of a closed matter links to it and reopens it; the new report itself is merged in. */
  private async follow(trx: Kysely<DB>, ctx: RequestContext, fresh: Awaited<ReturnType<typeof repo.insertMatter>>, followsId: number) {
    const old = await loadForUpdate(trx, ctx, followsId);
    await applyStep(trx, ctx, old, 'reopen', fresh.channel, async () => ({
      role: 'system', patch: { reopen_count: old.m.reopen_count + 1, closed_at: null, closed_on_time: null, satisfaction: null },
      note: `新的反映 ${fresh.code} 指出问题仍在`, details: { by: fresh.id },
      after: async (t) => { await reactivateLead(t, followsId); },
    }));
    const loaded = await loadForUpdate(trx, ctx, fresh.id);
    return applyStep(trx, ctx, loaded, 'merge', fresh.channel, async () => ({
      role: 'system', patch: { merged_into_id: followsId, follows_id: followsId }, note: null, details: { into: followsId },
      after: async (t) => copyReporters(t, fresh.id, followsId),
    }));
  }

  /** What the centre is offered when registering: the dictionary's defaults adjusted by the text. */
  async suggestion(ctx: RequestContext, id: number) {
    const m = await this.get(ctx, id);
    const categories = await activeCategories(this.deps.db);
    const current = categories.find((c) => c.id === m.category_id);
    return suggestTriage(m.description, categories.map(toSeedShape), current ? { categoryCode: current.code } : undefined);
  }

  async register(ctx: RequestContext, id: number, body: z.infer<typeof registerBody>) {
    return this.deps.db.transaction().execute(async (trx) => {
      const loaded = await loadForUpdate(trx, ctx, id);
      return applyStep(trx, ctx, loaded, 'register', 'web', async () => {
        const role = assertMayDispatch(ctx.actor, loaded.m);
        const category = await trx.selectFrom('categories').selectAll().where('code', '=', body.categoryCode).where('status', '=', 'active').executeTakeFirst();
        if (!category) throw new AppError('VALIDATION_FAILED', `Unknown category code ${body.categoryCode}.`);
        const suggestion = suggestTriage(loaded.m.description, [toSeedShape(category)], { categoryCode: category.code });
        const level = body.level ?? (body.scope ? levelOfScope(body.scope) : suggestion.level) as MatterLevel;
        const owner = await ownerFor(trx, loaded.m.area_path, level);
        const board = body.leadBoardId !== undefined ? body.leadBoardId : await boardOf(trx, owner.townPath, category.lead_board);
        return {
          role,
          patch: {
            category_id: category.id, complexity: body.complexity ?? suggestion.complexity, scope: body.scope ?? suggestion.scope, level,
            lead_board_id: board, urgent: body.urgent ?? (loaded.m.urgent || category.urgent), registered_at: nowOf(ctx),
            owner_node_id: owner.id, owner_path: owner.path,
          },
          note: body.note ?? null,
          details: { category: category.code, level, owner: owner.id },
        };
      });
    });
  }

  async reject(ctx: RequestContext, id: number, reason: string) {
    return this.deps.db.transaction().execute(async (trx) => {
      const loaded = await loadForUpdate(trx, ctx, id);
      return applyStep(trx, ctx, loaded, 'reject', 'web', async () => ({ role: assertMayDispatch(ctx.actor, loaded.m), note: reason }));
    });
  }

  async get(ctx: RequestContext, id: number) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const m = await repo.getMatter(this.deps.db, id);
    if (!m) throw notFound(`Matter ${id}`);
    const assignments = await repo.listAssignments(this.deps.db, id);
    if (!mayRead(ctx.actor, m, assignments, await reporterUsers(this.deps.db, m))) throw notFound(`Matter ${id}`);
    return m;
  }

  async detail(ctx: RequestContext, id: number) {
    const m = await this.get(ctx, id);
    const { db } = this.deps;
    const [assignments, events, photos, requests, category] = await Promise.all([
      repo.listAssignments(db, id), repo.listEvents(db, id), repo.listPhotos(db, id), repo.listRequests(db, id),
      m.category_id ? db.selectFrom('categories').select(['code', 'name', 'catalogue']).where('id', '=', m.category_id).executeTakeFirst() : undefined,
    ]);
    return { m, assignments, events, photos, requests, category: category ?? null };
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const under = q.under ? (await this.structure.requireNode(q.under)).path : undefined;
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const statuses = q.status ? q.status.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const valid: readonly string[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'feedback', 'closed', 'suspended', 'merged', 'rejected'];
    if (statuses?.some((s) => !valid.includes(s))) throw new AppError('VALIDATION_FAILED', `status must be among ${valid.join(', ')}.`);
    const rows = await repo.listMatters(this.deps.db, {
      visibility: visibility(ctx.actor), status: statuses as MatterStatus[] | undefined, source: q.source, categoryId: q.categoryId, under,
      assignedToMe: q.mine === 'assigned', overdue: q.overdue === 'true', from: q.from ? new Date(`${q.from}T00:00:00+08:00`) : undefined,
      to: q.to ? new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86400_000) : undefined, q: q.q, order: q.order,
      after: cursor ? { key: cursor[0] ?? '', id: Number(cursor[1]) } : undefined, limit: q.limit,
    });
    const items = rows.slice(0, q.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > q.limit && last ? encodeCursor([q.order === 'due' ? (last.due_at?.toISOString() ?? 'infinity') : last.id, last.id]) : null;
    return { items, nextCursor };
  }

  /** The public view by code: the six stages and nothing personal. */
  async publicView(code: string) {
    const m = await repo.getMatterByCode(this.deps.db, code);
    if (!m) throw notFound(`Matter ${code}`);
    const events = await repo.listEvents(this.deps.db, m.id);
    const category = m.category_id ? await this.deps.db.selectFrom('categories').select('name').where('id', '=', m.category_id).executeTakeFirst() : undefined;
    return { m, events, categoryName: category?.name ?? null };
  }

  private async resolveArea(trx: Kysely<DB>, location: ReportInput['location']) {
    if ('lng' in location) {
      const found = await this.structure.locate(location.lng, location.lat, location.crs, trx);
      if (!found.grid) throw new AppError('VALIDATION_FAILED', 'That location is outside every grid; choose the grid or the community instead.');
      const node = await this.structure.requireNode(found.microgrid?.id ?? found.grid.id, trx);
      return { id: node.id, path: node.path, gridId: found.grid.id, lng: location.lng, lat: location.lat, buildingId: null };
    }
    if ('buildingId' in location) {
      const b = await trx.selectFrom('buildings').select(['id', 'grid_id', 'lng', 'lat']).where('id', '=', location.buildingId).executeTakeFirst();
      if (!b) throw notFound(`Building ${location.buildingId}`);
      const node = await this.structure.requireNode(b.grid_id, trx);
      return { id: node.id, path: node.path, gridId: node.id, lng: b.lng, lat: b.lat, buildingId: b.id };
    }
    const node = await this.structure.requireNode(location.nodeId, trx);
    if (node.status === 'retired') throw new AppError('RETIRED');
    return { id: node.id, path: node.path, gridId: node.level === 'grid' ? node.id : null, lng: null, lat: null, buildingId: null };
  }

  private async resolveReporter(trx: Kysely<DB>, ctx: RequestContext, r: ReportInput['reporter']) {
    const actor = ctx.actor;
    if (actor?.assignments.some((a) => a.role === 'resident')) {
      const self = await trx.selectFrom('residents').select('id').where('user_id', '=', actor.userId).executeTakeFirst();
      return { userId: actor.userId, residentId: self?.id ?? null };
    }
    if (r.residentId) {
      const res = await trx.selectFrom('residents as r').innerJoin('nodes as n', 'n.id', 'r.grid_id').leftJoin('households as h', 'h.id', 'r.household_id')
        .select(['r.id', 'r.user_id', 'n.path', 'h.building_id', 'h.unit_id']).where('r.id', '=', r.residentId).executeTakeFirst();
      if (!res || !mayReadResident(actor, { gridPath: res.path, buildingId: res.building_id, unitId: res.unit_id })) throw notFound(`Resident ${r.residentId}`);
      return { userId: res.user_id, residentId: res.id };
    }
    // Staff reporting what they saw themselves (patrol, visit, sensor) are the reporter of record.
    return { userId: actor?.userId || null, residentId: null };
  }

  private async checkPhotos(trx: Kysely<DB>, hashes: string[]) {
    if (hashes.length === 0) return;
    const found = await trx.selectFrom('files').select('hash').where('hash', 'in', hashes).execute();
    const missing = hashes.filter((h) => !found.some((f) => f.hash === h));
    if (missing.length) throw new AppError('VALIDATION_FAILED', `Upload the photos first (POST /api/files); unknown: ${missing.join(', ')}.`);
  }
}

export const activeCategories = (db: Kysely<DB>) => db.selectFrom('categories').selectAll().where('status', '=', 'active').orderBy('code').execute();

export function toSeedShape(c: CategoryRow) {
  return {
    code: c.code, catalogue: c.catalogue, major: c.major, name: c.name, defaultLevel: c.default_level, scope: c.scope, complexity: c.complexity,
    leadBoard: c.lead_board, leadPost: c.lead_post, leadJointDuty: c.lead_joint_duty, assistJointDuty: c.assist_joint_duty,
    deadline: { amount: c.deadline_amount, unit: c.deadline_unit }, urgent: c.urgent, keywords: c.keywords,
  };
}

const levelOfScope = (scope: 'household' | 'shared' | 'public'): MatterLevel => ({ household: 'grid', shared: 'community', public: 'town' } as const)[scope];

/** The nearest ancestor (or the node itself) at one of the levels; the top of the path when none matches. */
export async function ancestorAt(db: Kysely<DB>, path: string, levels: readonly string[]) {
  const ids = path.split('/').filter(Boolean).map(Number);
  const nodes = await db.selectFrom('nodes').select(['id', 'path', 'level']).where('id', 'in', ids).execute();
  const byDepth = nodes.sort((a, b) => b.path.length - a.path.length);
  const hit = byDepth.find((n) => levels.includes(n.level)) ?? byDepth.at(-1);
  if (!hit) throw notFound('The matter’s place in the tree');
  return hit;
}

/** Grid and community matters are owned by the community (closed in the community); others by the town or district. */
async function ownerFor(db: Kysely<DB>, areaPath: string, level: MatterLevel) {
  const town = await ancestorAt(db, areaPath, ['town', 'district']);
  if (level === 'grid' || level === 'community') {
    const community = await ancestorAt(db, areaPath, ['community', 'town', 'district']);
    return { id: community.id, path: community.path, townPath: town.path };
  }
  if (level === 'district') {
    const district = await ancestorAt(db, areaPath, ['district']);
    return { id: district.id, path: district.path, townPath: town.path };
  }
  return { id: town.id, path: town.path, townPath: town.path };
}

async function boardOf(db: Kysely<DB>, townPath: string, kind: string | null): Promise<number | null> {
  if (!kind) return null;
  const townId = Number(townPath.split('/').filter(Boolean).at(-1));
  const board = await db.selectFrom('boards').select('id').where('node_id', '=', townId).where('kind', '=', kind as never).executeTakeFirst(); // kind comes from the category dictionary's board enum
  return board?.id ?? null;
}

/** A reopened matter goes back to its lead, who must handle it again. */
export async function reactivateLead(db: Kysely<DB>, matterId: number) {
  await db.updateTable('matter_assignments').set({ status: 'accepted', done_at: null }).where('matter_id', '=', matterId).where('role', '=', 'lead').where('status', '=', 'done').execute();
}

export async function copyReporters(db: Kysely<DB>, fromId: number, intoId: number) {
  const rows = await repo.listReporters(db, fromId);
  for (const r of rows) await repo.insertReporter(db, { matter_id: intoId, resident_id: r.resident_id, user_id: r.user_id, from_matter_id: fromId });
}
