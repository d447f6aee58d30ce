import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { decodeCursor, page } from '../../core/cursor.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { normalizePublicCode, PUBLIC_TITLE_WRITERS } from '../../core/matters/public.ts';
import { suggestTriage } from '../../core/triage/suggest.ts';
import { holdsAny, nowOf, type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { CategoryRow, DB, MatterRow } from '../../db/schema.ts';
import { MATTER_STATUSES, type MatterLevel, type MatterScope, type MatterStatus } from '../../core/vocabulary.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AppDeps } from '../../deps.ts';
import { beijingDay, endOfBeijingDay, startOfBeijingDay } from '../../core/beijing.ts';
import { listCategories } from '../dictionary/dictionary.repository.ts';
import { assertUploaded } from '../files/files.service.ts';
import { mayReadResident } from '../people/people.policy.ts';
import { PointsService } from '../points/points.service.ts';
import { labelTriageCategory } from '../sensing/labels.service.ts';
import { placeRef } from '../structure/map.repository.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { assertMayDispatch, assertMayReport, visibility } from './matters.policy.ts';
import * as repo from './matters.repository.ts';
import type { listQuery, registerBody, reportBody } from './matters.schema.ts';
import { applyStep, loadForUpdate, lockedStep, recordEvent, settle, visibleMatter } from './matters.step.ts';

export type ReportInput = z.infer<typeof reportBody>;
const DUPLICATE_METRES = 200;
const DUPLICATE_HOURS = 72;

/** Intake (信息收集) and triage (研判): matters come in from every source and are registered by the centre. */
export class MattersService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService, private readonly points = new PointsService(deps)) {}

  async report(ctx: RequestContext, input: ReportInput) {
    return this.deps.db.transaction().execute((trx) => this.reportIn(trx, ctx, input));
  }

  /**
   * A report sent with an idempotency key answers the matter the key made before (created false), also when
   * two sends of one draft race and the unique key lets only one in.
   */
  async submit(ctx: RequestContext, input: ReportInput): Promise<{ m: MatterRow; created: boolean }> {
    const { clientId } = input;
    const earlier = clientId ? await this.byClientId(ctx, clientId) : null;
    if (earlier) return { m: earlier, created: false };
    try {
      return { m: await this.report(ctx, input), created: true };
    } catch (e) {
      const again = clientId && isUniqueViolation(e) ? await this.byClientId(ctx, clientId) : null;
      if (again) return { m: again, created: false };
      throw e;
    }
  }

  async reportIn(trx: Kysely<DB>, ctx: RequestContext, input: ReportInput) {
    const role = assertMayReport(ctx.actor);
    const area = await this.resolveArea(trx, input.location);
    const categories = await listCategories(trx);
    const category = input.categoryCode ? categories.find((c) => c.code === input.categoryCode) : undefined;
    if (input.categoryCode && !category) throw new AppError('VALIDATION_FAILED', { en: `Unknown category code ${input.categoryCode}.`, zh: `没有编码为 ${input.categoryCode} 的事件分类。` });
    const suggestion = suggestTriage(input.description, categories.map(toSeedShape), category ? { categoryCode: category.code } : undefined);
    const chosen = category ?? categories.find((c) => c.code === suggestion.category?.code);
    const owner = await ancestorAt(trx, area.path, ['town', 'district']);
    const reporter = await this.resolveReporter(trx, ctx, input.reporter);
    await assertUploaded(trx, input.photos);
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
      // A title staff wrote may be shown in public; a resident's own words never are (the page shows the category).
      title_public: input.title !== undefined && holdsAny(ctx.actor, PUBLIC_TITLE_WRITERS),
    }, beijingDay(now));
    if (reporter.userId || reporter.residentId) await repo.insertReporter(trx, { matter_id: m.id, resident_id: reporter.residentId, user_id: reporter.userId, from_matter_id: null });
    const duplicates = chosen && area.lng !== null && area.lat !== null
      ? await repo.findNearbyOpen(trx, { categoryId: chosen.id, lng: area.lng, lat: area.lat, since: new Date(now.getTime() - DUPLICATE_HOURS * 3600_000), metres: DUPLICATE_METRES, excludeId: m.id })
      : [];
    const flagged = duplicates[0] ? await repo.updateMatter(trx, m.id, { possible_duplicate_of: duplicates[0].id }) : m;
    const event = await recordEvent(trx, ctx, flagged, {
      action: 'report', role, channel: input.channel, statusBefore: null, statusAfter: 'reported',
      details: { source: input.source, suggestion: { category: suggestion.category, level: suggestion.level, scope: suggestion.scope, urgent: suggestion.urgent }, duplicates },
      photos: input.photos.map((hash) => ({ hash, stage: 'report' as const })),
    });
    await settle(trx, null, flagged, 'report', event.at);
    if (input.followsMatterId) return this.follow(trx, ctx, flagged, input.followsMatterId);
    return flagged;
  }

  /**
   * The matter an earlier report with this idempotency key made, if the same user made it; another user's key
   * is a conflict. Lets a phone re-send a draft whose response it lost without making a second matter.
   */
  async byClientId(ctx: RequestContext, clientId: string) {
    const m = await repo.getMatterByClientId(this.deps.db, clientId);
    if (!m) return null;
    const first = await repo.firstReportActor(this.deps.db, m.id);
    const me = recordedUserId(ctx.actor);
    if (me === null || first?.actor_user_id !== me) throw new AppError('CONFLICT', { en: 'That clientId was already used for another report.', zh: '这条草稿已经用来上报过别的事了，请重新填写。' });
    return m;
  }

  /** A new report of a closed matter links to it and reopens it; the new report itself is merged in. */
  private async follow(trx: Kysely<DB>, ctx: RequestContext, fresh: MatterRow, followsId: number) {
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
    const categories = await listCategories(this.deps.db);
    const current = categories.find((c) => c.id === m.category_id);
    return suggestTriage(m.description, categories.map(toSeedShape), current ? { categoryCode: current.code } : undefined);
  }

  async register(ctx: RequestContext, id: number, body: z.infer<typeof registerBody>) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) =>
      applyStep(trx, ctx, loaded, 'register', 'web', async () => {
        const role = assertMayDispatch(ctx.actor, loaded.m);
        const category = await repo.activeCategoryByCode(trx, body.categoryCode);
        if (!category) throw new AppError('VALIDATION_FAILED', { en: `Unknown category code ${body.categoryCode}.`, zh: `没有编码为 ${body.categoryCode} 的事件分类。` });
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
            ...(body.title ? { title: body.title, title_public: true } : {}),
          },
          note: body.note ?? null,
          details: { category: category.code, level, owner: owner.id, ...(body.title ? { title: body.title } : {}) },
          after: async (t, m) => {
            // A matter made from group messages filed under another category teaches the sensor (感知标注).
            await labelTriageCategory(t, ctx, loaded.m.id, category.code);
            // A registered resident's report accepted as a matter (立案) earns its points, once, with the registration.
            if (m.reporter_resident_id !== null) await this.points.earnIn(t, ctx, 'accepted_report', m.reporter_resident_id, `matter:${m.id}`);
          },
        };
      }));
  }

  async reject(ctx: RequestContext, id: number, reason: string) {
    return lockedStep(this.deps.db, ctx, id, (trx, loaded) =>
      applyStep(trx, ctx, loaded, 'reject', 'web', async () => ({ role: assertMayDispatch(ctx.actor, loaded.m), note: reason })));
  }

  async get(ctx: RequestContext, id: number) {
    return (await visibleMatter(this.deps.db, ctx, id)).m;
  }

  async detail(ctx: RequestContext, id: number) {
    const m = await this.get(ctx, id);
    const { db } = this.deps;
    const [assignments, events, photos, requests, category, place] = await Promise.all([
      repo.listAssignments(db, id), repo.listEvents(db, id), repo.listPhotos(db, id), repo.listRequests(db, id),
      m.category_id ? repo.categoryRef(db, m.category_id) : undefined,
      placeRef(db, m.building_id, m.grid_id),
    ]);
    return { m, assignments, events, photos, requests, category: category ?? null, place };
  }

  async list(ctx: RequestContext, q: z.infer<typeof listQuery>) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const under = q.under ? (await this.structure.requireNode(q.under)).path : undefined;
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const statuses = q.status ? q.status.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const isStatus = (s: string): s is MatterStatus => MATTER_STATUSES.some((x) => x === s);
    if (statuses && !statuses.every(isStatus)) throw new AppError('VALIDATION_FAILED', `status must be among ${MATTER_STATUSES.join(', ')}.`);
    const rows = await repo.listMatters(this.deps.db, {
      visibility: visibility(ctx.actor), status: statuses?.filter(isStatus), source: q.source, categoryId: q.categoryId, under,
      assignedToMe: q.mine === 'assigned', overdue: q.overdue === 'true', now: nowOf(ctx), from: q.from ? startOfBeijingDay(q.from) : undefined,
      to: q.to ? endOfBeijingDay(q.to) : undefined, q: q.q, order: q.order,
      after: cursor ? { key: cursor[0] ?? '', id: Number(cursor[1]) } : undefined, limit: q.limit,
    });
    // The cursor is the sort key and the id: [due time (or 'infinity'), id] by due, [id, id] by recency.
    return page(rows, q.limit, (last) => [q.order === 'due' ? (last.due_at?.toISOString() ?? 'infinity') : last.id, last.id]);
  }

  /**
   * The public page by its public code (any case, with or without hyphens): the stages, the category and the
   * masked outcome. The internal code answers 404 here like an unknown one, so counting codes finds nothing.
   */
  async publicView(code: string) {
    const publicCode = normalizePublicCode(code);
    const m = publicCode ? await repo.getMatterByPublicCode(this.deps.db, publicCode) : undefined;
    if (!m) throw notFound({ en: 'The matter', zh: '这件事' });
    const events = await repo.listPublicEvents(this.deps.db, m.id);
    const category = m.category_id ? await repo.categoryRef(this.deps.db, m.category_id) : undefined;
    return { m, events, categoryName: category?.name ?? null };
  }

  private async resolveArea(trx: Kysely<DB>, location: ReportInput['location']) {
    if ('lng' in location) {
      const found = await this.structure.locate(location.lng, location.lat, location.crs, trx);
      if (!found.grid) throw new AppError('VALIDATION_FAILED', { en: 'That location is outside every grid; choose the grid or the community instead.', zh: '这个位置不在任何网格里，请改选网格或社区。' });
      const node = await this.structure.requireNode(found.microgrid?.id ?? found.grid.id, trx);
      return { id: node.id, path: node.path, gridId: found.grid.id, lng: location.lng, lat: location.lat, buildingId: null };
    }
    if ('buildingId' in location) {
      const b = await repo.getBuilding(trx, location.buildingId);
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
      const self = await repo.residentOfUser(trx, actor.userId);
      return { userId: actor.userId, residentId: self?.id ?? null };
    }
    if (r.residentId) {
      const res = await repo.residentPlace(trx, r.residentId);
      if (!res || !mayReadResident(actor, { gridPath: res.path, buildingId: res.building_id, unitId: res.unit_id })) throw notFound(`Resident ${r.residentId}`);
      return { userId: res.user_id, residentId: res.id };
    }
    // Staff reporting what they saw themselves (patrol, visit, sensor) are the reporter of record.
    return { userId: recordedUserId(actor), residentId: null };
  }
}

export function toSeedShape(c: CategoryRow) {
  return {
    code: c.code, catalogue: c.catalogue, major: c.major, name: c.name, defaultLevel: c.default_level, scope: c.scope, complexity: c.complexity,
    leadBoard: c.lead_board, leadPost: c.lead_post, leadJointDuty: c.lead_joint_duty, assistJointDuty: c.assist_joint_duty,
    deadline: { amount: c.deadline_amount, unit: c.deadline_unit }, urgent: c.urgent, keywords: c.keywords,
  };
}

const levelOfScope = (scope: MatterScope): MatterLevel => ({ household: 'grid', shared: 'community', public: 'town' } as const)[scope];

/** The nearest ancestor (or the node itself) at one of the levels; the top of the path when none matches. */
export async function ancestorAt(db: Kysely<DB>, path: string, levels: readonly string[]) {
  const ids = path.split('/').filter(Boolean).map(Number);
  const nodes = await repo.nodesByIds(db, ids);
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
  const board = await repo.boardOfKind(db, townId, kind);
  return board?.id ?? null;
}

/** A reopened matter goes back to its lead, who must handle it again. */
export async function reactivateLead(db: Kysely<DB>, matterId: number) {
  await repo.setAssignmentsStatus(db, matterId, ['done'], { status: 'accepted', done_at: null }, 'lead');
}

export async function copyReporters(db: Kysely<DB>, fromId: number, intoId: number) {
  const rows = await repo.listReporters(db, fromId);
  for (const r of rows) await repo.insertReporter(db, { matter_id: intoId, resident_id: r.resident_id, user_id: r.user_id, from_matter_id: fromId });
}
