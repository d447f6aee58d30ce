// The demo year taken in memory: each step follows the services' rules (the same policies, workflow transitions,
// triage, calendar, rollup deltas, events, notices and deadline jobs, mirrored from src/modules/matters), and the
// rows are written afterwards in bulk, a chunk of matters a transaction. test/demo-year.equal.test.ts loads a sample
// both ways and compares them row by row, so a service that changes what it writes fails it until this follows.
import type { Kysely } from 'kysely';
import { addDeadline, type CalendarConfig, shiftDeadline } from '../../core/calendar/calendar.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { LEVEL_ORDER, type MatterAction, nextStatus } from '../../core/matters/workflow.ts';
import { PUBLIC_TITLE_WRITERS } from '../../core/matters/public.ts';
import { holdsAny, isSystem, nowOf, type RequestContext, recordedUserId, systemContext } from '../../core/scope.ts';
import { countDeltas, metricDeltas } from '../../core/stats/deltas.ts';
import { suggestTriage } from '../../core/triage/suggest.ts';
import { type Channel, isFinished, type MatterLevel, type MatterStatus, WORKING_STATUSES } from '../../core/vocabulary.ts';
import { beijingDay, beijingMinute } from '../../core/beijing.ts';
import type { AssignmentRow, CategoryRow, DB, MatterRow } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { loadCalendar } from '../calendar/calendar.service.ts';
import { currentLead } from '../matters/handling.service.ts';
import { type ReportInput, toSeedShape } from '../matters/matters.service.ts';
import { assertActsFor, assertIsReporter, assertMayDispatch, assertMayReport, assertMayVisit, mayRead } from '../matters/matters.policy.ts';
import { facts, type StepOutcome } from '../matters/matters.step.ts';
import { mayReadResident } from '../people/people.policy.ts';
import { type DeadlineJob, DeadlineQueue } from './demo.year.jobs.ts';
import * as repo from './demo.year.repository.ts';
import { type Event, type Held, type Reporter, type Request, type WriteOptions, writeYear } from './demo.year.write.ts';
import type { MatterView, Satisfaction, TargetRef, YearSteps } from './demo.year.steps.ts';

interface Loaded { m: MatterRow; assignments: AssignmentRow[]; reporterUserIds: number[] }
type Outcome = Omit<StepOutcome, 'after'> & { after?: (m: MatterRow, eventId: number) => void };

const DUPLICATE_METRES = 200;
const DUPLICATE_HOURS = 72;
/** PostgreSQL's radians() multiplies by this constant (the double nearest π/180), so the distance agrees to the last bit. */
const RADIANS_PER_DEGREE = Math.PI / 180;
const SATISFACTION = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' } as const;

/** Ids taken from a table's own sequence a block at a time, so rows written later keep them. */
class Ids {
  private free: number[] = [];
  private at = 0;
  constructor(private readonly db: Kysely<DB>, private readonly table: Parameters<typeof repo.reserveIds>[1], private readonly block: number) {}
  async next(): Promise<number> {
    if (this.at >= this.free.length) [this.free, this.at] = [await repo.reserveIds(this.db, this.table, this.block), 0];
    const id = this.free[this.at++];
    if (id === undefined) throw new Error(`no id for ${this.table}`);
    return id;
  }
}

/** The town as the matters' rules read it, loaded once. */
interface Town {
  nodes: Map<number, { id: number; parent_id: number | null; level: string; name: string; path: string; status: string }>;
  buildings: Map<number, { id: number; grid_id: number; lng: number | null; lat: number | null }>;
  categories: CategoryRow[];
  boards: { id: number; node_id: number; kind: string; name: string }[];
  posts: Map<number, { name: string; node_id: number }>;
  departments: Map<number, { name: string; node_id: number; status: string }>;
  residents: Map<number, { id: number; user_id: number | null; path: string; building_id: number | null; unit_id: number | null }>;
  residentOfUser: Map<number, number>;
  roles: { user_id: number; role: string; node_id: number; post_id: number | null; department_id: number | null; board_id: number | null }[];
  calendar: CalendarConfig;
}

export class RowSteps implements YearSteps {
  private readonly held = new Map<number, Held>();
  private readonly jobs = new DeadlineQueue();
  private readonly ids: { matters: Ids; events: Ids; assignments: Ids; reporters: Ids; requests: Ids };

  /** The active dictionary as the report's triage reads it (listCategories), made once instead of per report. */
  private readonly active: CategoryRow[];
  private readonly shapes: ReturnType<typeof toSeedShape>[];

  private constructor(private readonly deps: AppDeps, private readonly town: Town) {
    const db = deps.db;
    this.active = town.categories.filter((c) => c.status === 'active');
    this.shapes = this.active.map(toSeedShape);
    this.ids = {
      matters: new Ids(db, 'matters', 500), events: new Ids(db, 'matter_events', 4000), assignments: new Ids(db, 'matter_assignments', 1000),
      reporters: new Ids(db, 'matter_reporters', 500), requests: new Ids(db, 'matter_requests', 100),
    };
  }

  static async load(deps: AppDeps): Promise<RowSteps> {
    const db = deps.db;
    const [nodes, buildings, categories, boards, posts, departments, residents, roles, calendar] = await Promise.all([
      repo.allNodes(db), repo.buildingPlaces(db), repo.allCategories(db), repo.allBoards(db), repo.postPlaces(db), repo.departmentPlaces(db),
      repo.residentPlaces(db), repo.activeRoles(db), loadCalendar(db),
    ]);
    const residentOfUser = new Map<number, number>();
    for (const r of residents) if (r.user_id !== null && !residentOfUser.has(r.user_id)) residentOfUser.set(r.user_id, r.id);
    return new RowSteps(deps, {
      nodes: new Map(nodes.map((n) => [n.id, n])), buildings: new Map(buildings.map((b) => [b.id, b])), categories, boards,
      posts: new Map(posts.map((p) => [p.id, p])), departments: new Map(departments.map((d) => [d.id, d])),
      residents: new Map(residents.map((r) => [r.id, r])), residentOfUser, roles, calendar,
    });
  }

  // ---- reading, as the services' loadForUpdate / visibleMatter do ----

  private hold(id: number): Held {
    const h = this.held.get(id);
    if (!h) throw notFound(`Matter ${id}`);
    return h;
  }

  private reporterUserIds(h: Held): number[] {
    const ids = new Set<number>();
    for (const r of h.reporters) {
      if (r.user_id) ids.add(r.user_id);
      const linked = r.resident_id ? this.town.residents.get(r.resident_id)?.user_id : null;
      if (linked) ids.add(linked);
    }
    return [...ids];
  }

  private loaded(ctx: RequestContext, id: number): Loaded {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    const h = this.hold(id);
    const loaded = { m: h.m, assignments: h.assignments, reporterUserIds: this.reporterUserIds(h) };
    if (!isSystem(ctx.actor) && !mayRead(ctx.actor, h.m, h.assignments, loaded.reporterUserIds)) throw notFound(`Matter ${id}`);
    return loaded;
  }

  /** lockedStep: the step, then the matter as the actor may read it afterwards (404 when the step took it out of sight). */
  private async step(ctx: RequestContext, id: number, fn: (loaded: Loaded) => Promise<unknown> | unknown): Promise<MatterRow> {
    await fn(this.loaded(ctx, id));
    // A copy, as a row read back from the database is: later steps and jobs must not change what the story holds.
    return { ...this.loaded(ctx, id).m };
  }

  // ---- the one way a step changes a matter (applyStep, recordEvent, settle in matters.step.ts) ----

  private async apply(ctx: RequestContext, loaded: Loaded, action: MatterAction, channel: Channel, decide: (status: MatterStatus) => Outcome): Promise<MatterRow> {
    const { m } = loaded;
    const h = this.hold(m.id);
    const before = facts(m, h.assignments);
    nextStatus(m.status, action, m.suspended_from);
    const outcome = decide(m.status);
    const status = nextStatus(m.status, action, outcome.resumeTo ?? m.suspended_from);
    const was = m.status;
    Object.assign(m, outcome.patch, { status, updated_at: new Date() });
    const event = await this.event(ctx, h, { action, role: outcome.role, channel, statusBefore: was, statusAfter: status, note: outcome.note, details: outcome.details });
    outcome.after?.(m, event.id);
    this.settle(h, before, action, event.at);
    return m;
  }

  private async event(ctx: RequestContext, h: Held, e: { action: string; role: string; channel: Channel; statusBefore?: MatterStatus | null; statusAfter?: MatterStatus;
    note?: string | null; details?: Record<string, unknown> }): Promise<Event> {
    const event: Event = {
      id: await this.ids.events.next(), matter_id: h.m.id, at: nowOf(ctx), actor_user_id: recordedUserId(ctx.actor), actor_role: e.role, channel: e.channel, action: e.action,
      status_before: e.statusBefore === undefined ? h.m.status : e.statusBefore, status_after: e.statusAfter ?? h.m.status,
      note: e.note ?? null, details: JSON.stringify(e.details ?? {}),
    };
    h.events.push(event);
    return event;
  }

  private settle(h: Held, before: ReturnType<typeof facts> | null, action: MatterAction | 'report', at: Date): void {
    const change = { before, after: facts(h.m, h.assignments), action, at };
    for (const d of countDeltas(change)) {
      const key = JSON.stringify([d.nodeId, d.day, d.source, d.categoryId, d.level, d.status]);
      const sum = h.counts.get(key);
      if (sum) sum.n += d.n;
      else h.counts.set(key, { ...d });
    }
    for (const d of metricDeltas(change)) {
      const key = `${d.subject}\u0000${d.day}`;
      const sum = h.metrics.get(key);
      if (!sum) h.metrics.set(key, { subject: d.subject, day: d.day, counters: { ...d.counters } });
      else for (const [c, n] of Object.entries(d.counters) as [keyof typeof d.counters, number][]) sum.counters[c] += n;
    }
  }

  // ---- intake and triage (matters.service.ts) ----

  async report(ctx: RequestContext, input: ReportInput): Promise<MatterView> {
    const role = assertMayReport(ctx.actor);
    const area = this.area(input.location);
    const categories = this.active;
    const category = input.categoryCode ? categories.find((c) => c.code === input.categoryCode) : undefined;
    if (input.categoryCode && !category) throw new AppError('VALIDATION_FAILED', `Unknown category code ${input.categoryCode}.`);
    const suggestion = suggestTriage(input.description, this.shapes, category ? { categoryCode: category.code } : undefined);
    const chosen = category ?? categories.find((c) => c.code === suggestion.category?.code);
    const owner = this.ancestorAt(area.path, ['town', 'district']);
    const reporter = this.reporter(ctx, input.reporter);
    if (input.photos.length) throw new AppError('VALIDATION_FAILED', 'The demo year reports no photos.');
    const contact = input.reporter.contactPhone ? this.deps.vault.seal('phone', input.reporter.contactPhone) : null;
    const now = nowOf(ctx);
    const id = await this.ids.matters.next();
    const m: MatterRow = {
      id, code: `SJ${beijingDay(now).replaceAll('-', '')}-${String(id).padStart(6, '0')}`,
      source: input.source, channel: input.channel, title: input.title ?? input.description.slice(0, 30), description: input.description,
      category_id: chosen?.id ?? null, grid_id: area.gridId, area_node_id: area.id, area_path: area.path, owner_node_id: owner.id, owner_path: owner.path,
      lng: area.lng, lat: area.lat, building_id: area.buildingId, address: input.address ?? '',
      reporter_resident_id: reporter.residentId, reporter_user_id: reporter.userId, reporter_anonymous: input.reporter.anonymous,
      contact_name: input.reporter.contactName ?? null, contact_phone_hash: contact?.hash ?? null, contact_phone_enc: contact?.enc ?? null, contact_phone_masked: contact?.masked ?? null,
      status: 'reported', suspended_from: null, complexity: null, scope: null, level: (chosen?.default_level ?? suggestion.level) as MatterLevel, lead_board_id: null,
      urgent: input.urgent ?? (chosen?.urgent || suggestion.urgent), due_at: null, overdue: false, reported_at: now, registered_at: null, dispatched_at: null,
      handled_at: null, closed_at: null, closed_on_time: null, satisfaction: null, rated_at: null, reopen_count: 0, verify_fail_count: 0, suspension_count: 0,
      extension_count: 0, escalation_count: 0, possible_duplicate_of: null, merged_into_id: null, follows_id: null, client_id: input.clientId ?? null,
      public_code: '', title_public: input.title !== undefined && holdsAny(ctx.actor, PUBLIC_TITLE_WRITERS), updated_at: new Date(),
    };
    const h: Held = { m, assignments: [], reporters: [], requests: [], events: [], notices: [], counts: new Map(), metrics: new Map() };
    const duplicates = chosen && area.lng !== null && area.lat !== null ? this.nearbyOpen(chosen.id, area.lng, area.lat, new Date(now.getTime() - DUPLICATE_HOURS * 3600_000)) : [];
    this.held.set(id, h);
    if (reporter.userId || reporter.residentId) h.reporters.push({ id: await this.ids.reporters.next(), matter_id: id, resident_id: reporter.residentId, user_id: reporter.userId, from_matter_id: null });
    if (duplicates[0]) m.possible_duplicate_of = duplicates[0].id;
    const event = await this.event(ctx, h, {
      action: 'report', role, channel: input.channel, statusBefore: null, statusAfter: 'reported',
      details: { source: input.source, suggestion: { category: suggestion.category, level: suggestion.level, scope: suggestion.scope, urgent: suggestion.urgent }, duplicates },
    });
    this.settle(h, null, 'report', event.at);
    if (input.followsMatterId) throw new AppError('VALIDATION_FAILED', 'The demo year reports no follow-ups.');
    return { ...m };
  }

  /** findNearbyOpen in matters.repository.ts: the same equirectangular distance, nearest first (then by id), at most 5. */
  private nearbyOpen(categoryId: number, lng: number, lat: number, since: Date) {
    const found: { id: number; code: string; distance: number }[] = [];
    for (const { m } of this.held.values()) {
      if (m.category_id !== categoryId || m.reported_at < since || m.lng === null || m.lat === null || isFinished(m.status)) continue;
      if (Math.abs(m.lat - lat) >= DUPLICATE_METRES / 110540 || Math.abs(m.lng - lng) >= DUPLICATE_METRES / 80000) continue;
      found.push({ id: m.id, code: m.code, distance: Math.sqrt(((m.lng - lng) * Math.cos(lat * RADIANS_PER_DEGREE) * 111320) ** 2 + ((m.lat - lat) * 110540) ** 2) });
    }
    return found.sort((a, b) => a.distance - b.distance || a.id - b.id).slice(0, 5).filter((r) => r.distance <= DUPLICATE_METRES);
  }

  private area(location: ReportInput['location']) {
    if ('buildingId' in location) {
      const b = this.town.buildings.get(location.buildingId);
      if (!b) throw notFound(`Building ${location.buildingId}`);
      const node = this.node(b.grid_id);
      return { id: node.id, path: node.path, gridId: node.id, lng: b.lng, lat: b.lat, buildingId: b.id };
    }
    if ('nodeId' in location) {
      const node = this.node(location.nodeId);
      if (node.status === 'retired') throw new AppError('RETIRED');
      return { id: node.id, path: node.path, gridId: node.level === 'grid' ? node.id : null, lng: null, lat: null, buildingId: null };
    }
    throw new AppError('VALIDATION_FAILED', 'The demo year reports by building or grid.');
  }

  private node(id: number) {
    const n = this.town.nodes.get(id);
    if (!n) throw notFound(`Node ${id}`);
    return n;
  }

  private reporter(ctx: RequestContext, r: ReportInput['reporter']) {
    const actor = ctx.actor;
    if (actor?.assignments.some((a) => a.role === 'resident')) return { userId: actor.userId, residentId: this.town.residentOfUser.get(actor.userId) ?? null };
    if (r.residentId) {
      const res = this.town.residents.get(r.residentId);
      if (!res || !mayReadResident(actor, { gridPath: res.path, buildingId: res.building_id, unitId: res.unit_id })) throw notFound(`Resident ${r.residentId}`);
      return { userId: res.user_id, residentId: res.id };
    }
    return { userId: recordedUserId(actor), residentId: null };
  }

  /** ancestorAt in matters.service.ts. */
  private ancestorAt(path: string, levels: readonly string[]) {
    const byDepth = path.split('/').filter(Boolean).map(Number).flatMap((id) => this.town.nodes.get(id) ?? []).sort((a, b) => b.path.length - a.path.length);
    const hit = byDepth.find((n) => levels.includes(n.level)) ?? byDepth.at(-1);
    if (!hit) throw notFound('The matter’s place in the tree');
    return hit;
  }

  private category(id: number | null) {
    return id === null ? undefined : this.town.categories.find((c) => c.id === id);
  }

  register(ctx: RequestContext, id: number, categoryCode: string): Promise<MatterView> {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'register', 'web', () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const category = this.town.categories.find((c) => c.code === categoryCode && c.status === 'active');
      if (!category) throw new AppError('VALIDATION_FAILED', `Unknown category code ${categoryCode}.`);
      const suggestion = suggestTriage(loaded.m.description, [toSeedShape(category)], { categoryCode: category.code });
      const level = suggestion.level as MatterLevel;
      const town = this.ancestorAt(loaded.m.area_path, ['town', 'district']);
      const owner = level === 'grid' || level === 'community' ? this.ancestorAt(loaded.m.area_path, ['community', 'town', 'district'])
        : level === 'district' ? this.ancestorAt(loaded.m.area_path, ['district']) : town;
      const townId = Number(town.path.split('/').filter(Boolean).at(-1));
      const board = category.lead_board ? (this.town.boards.find((b) => b.node_id === townId && b.kind === category.lead_board)?.id ?? null) : null;
      return {
        role,
        patch: {
          category_id: category.id, complexity: suggestion.complexity, scope: suggestion.scope, level, lead_board_id: board, urgent: loaded.m.urgent || category.urgent,
          registered_at: nowOf(ctx), owner_node_id: owner.id, owner_path: owner.path,
        },
        note: null, details: { category: category.code, level, owner: owner.id },
      };
    }));
  }

  reject(ctx: RequestContext, id: number, reason: string) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'reject', 'web', () => ({ role: assertMayDispatch(ctx.actor, loaded.m), note: reason })));
  }

  async merge(ctx: RequestContext, id: number, intoId: number, note: string) {
    if (id === intoId) throw new AppError('VALIDATION_FAILED', 'A matter cannot be merged into itself.');
    const target = this.loaded(ctx, intoId);
    if (isFinished(target.m.status) && target.m.status !== 'closed') throw new AppError('INVALID_TRANSITION', 'Merge into a live matter, not a merged or rejected one.');
    const loaded = this.loaded(ctx, id);
    const role = assertMayDispatch(ctx.actor, loaded.m);
    const copies: Reporter[] = [];
    for (const r of this.hold(id).reporters) copies.push({ id: await this.ids.reporters.next(), matter_id: intoId, resident_id: r.resident_id, user_id: r.user_id, from_matter_id: id });
    await this.apply(ctx, loaded, 'merge', 'web', () => ({
      role, note, patch: { merged_into_id: intoId }, details: { into: intoId, intoCode: target.m.code },
      after: () => { this.hold(intoId).reporters.push(...copies); },
    }));
    return { ...this.loaded(ctx, id).m };
  }

  // ---- dispatch (dispatch.service.ts) ----

  dispatch(ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]): Promise<MatterView> {
    return this.step(ctx, id, async (loaded) => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const due = this.dueFor(ctx, loaded.m);
      const targets = [await this.assignment(ctx, id, lead, 'lead', due, false), ...(await Promise.all(assists.map((a) => this.assignment(ctx, id, a, 'assist', due, false))))];
      return this.apply(ctx, loaded, 'dispatch', 'web', () => ({
        role, note: null, patch: { due_at: due, dispatched_at: nowOf(ctx), overdue: false }, details: { lead, assists, dueAt: due.toISOString() },
        after: (m) => {
          this.hold(id).assignments.push(...targets);
          this.jobs.schedule(m, nowOf(ctx));
        },
      }));
    });
  }

  reassign(ctx: RequestContext, id: number, lead: TargetRef, assists: TargetRef[]): Promise<MatterView> {
    return this.step(ctx, id, async (loaded) => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const due = this.dueFor(ctx, loaded.m);
      const targets = [await this.assignment(ctx, id, lead, 'lead', due, false), ...(await Promise.all(assists.map((a) => this.assignment(ctx, id, a, 'assist', due, false))))];
      return this.apply(ctx, loaded, 'reassign', 'web', () => ({
        role, note: null, patch: { due_at: due, dispatched_at: loaded.m.dispatched_at ?? nowOf(ctx) }, details: { lead, assists, dueAt: due.toISOString() },
        after: (m) => {
          for (const a of loaded.assignments) if (a.status === 'pending' || a.status === 'accepted') a.status = 'cancelled';
          this.hold(id).assignments.push(...targets);
          this.jobs.schedule(m, nowOf(ctx));
        },
      }));
    });
  }

  summon(ctx: RequestContext, id: number, departments: TargetRef[], note: string) {
    return this.step(ctx, id, async (loaded) => {
      const targets = await Promise.all(departments.map((d) => this.assignment(ctx, id, d, 'assist', loaded.m.due_at, true)));
      return this.apply(ctx, loaded, 'summon', 'web', () => ({
        role: assertMayDispatch(ctx.actor, loaded.m), note, details: { summoned: departments },
        after: () => { this.hold(id).assignments.push(...targets); },
      }));
    });
  }

  accept(ctx: RequestContext, id: number) {
    return this.step(ctx, id, (loaded) => {
      const mine = this.mine(ctx, loaded, ['pending']);
      if (mine.a.role === 'assist') return this.assistStep(ctx, loaded, mine, 'accept', null);
      return this.apply(ctx, loaded, 'accept', 'web', () => ({
        role: mine.role, details: { assignment: mine.a.id },
        after: () => Object.assign(mine.a, { status: 'accepted', accepted_at: nowOf(ctx) }),
      }));
    });
  }

  returnMatter(ctx: RequestContext, id: number, reason: string) {
    return this.step(ctx, id, (loaded) => {
      const mine = this.mine(ctx, loaded, ['pending', 'accepted']);
      if (mine.a.role === 'assist') return this.assistStep(ctx, loaded, mine, 'return', reason);
      return this.apply(ctx, loaded, 'return', 'web', () => ({
        role: mine.role, note: reason, details: { assignment: mine.a.id },
        after: (m) => {
          Object.assign(mine.a, { status: 'returned', return_reason: reason });
          this.jobs.cancel(m.id);
        },
      }));
    });
  }

  assistDone(ctx: RequestContext, id: number, note: string) {
    return this.step(ctx, id, (loaded) => {
      const mine = this.mine(ctx, loaded, ['pending', 'accepted']);
      if (mine.a.role !== 'assist') throw new AppError('INVALID_TRANSITION', 'The lead marks the whole matter handled instead.');
      return this.assistStep(ctx, loaded, mine, 'done', note);
    });
  }

  escalate(ctx: RequestContext, id: number, reason: string) {
    return this.step(ctx, id, (loaded) => this.escalateIn(ctx, loaded, reason, 'web'));
  }

  private escalateIn(ctx: RequestContext, loaded: Loaded, reason: string, channel: 'web' | 'system') {
    return this.apply(ctx, loaded, 'escalate', channel, () => {
      const role = isSystem(ctx.actor) ? 'system' : assertMayDispatch(ctx.actor, loaded.m);
      const owner = this.node(loaded.m.owner_node_id);
      const targetId = owner.parent_id;
      if (!targetId) throw new AppError('INVALID_HIERARCHY', 'The matter is already owned at the top of the tree; escalate it across to another district instead.');
      const target = this.town.nodes.get(targetId);
      if (!target || target.status === 'retired') throw notFound(`Node ${targetId}`);
      if (target.level !== 'town' && target.level !== 'district' && target.level !== 'community') throw new AppError('INVALID_HIERARCHY', 'A matter escalates to a community, town or district centre.');
      const level = target.level as MatterLevel;
      const higher = LEVEL_ORDER.indexOf(level) > LEVEL_ORDER.indexOf(loaded.m.level) ? level : loaded.m.level;
      return { role, note: reason, patch: { owner_node_id: target.id, owner_path: target.path, level: higher, escalation_count: loaded.m.escalation_count + 1 }, details: { from: owner.id, to: target.id } };
    });
  }

  private assistStep(ctx: RequestContext, loaded: Loaded, mine: { a: AssignmentRow; role: string }, what: 'accept' | 'return' | 'done', note: string | null) {
    const action = what === 'accept' ? 'assist_accept' : what === 'return' ? 'assist_return' : 'assist_done';
    return this.apply(ctx, loaded, action, 'web', () => ({
      role: mine.role as never, // an assignment's role string is one of the Role values resolved by actsFor
      note, details: { assignment: mine.a.id, assist: what },
      after: () => {
        if (what === 'accept') Object.assign(mine.a, { status: 'accepted', accepted_at: nowOf(ctx) });
        if (what === 'return') Object.assign(mine.a, { status: 'returned', return_reason: note });
        if (what === 'done') Object.assign(mine.a, { status: 'done', done_at: nowOf(ctx) });
      },
    }));
  }

  private mine(ctx: RequestContext, loaded: Loaded, statuses: AssignmentRow['status'][]) {
    const open = loaded.assignments.filter((x) => statuses.includes(x.status));
    for (const a of open) {
      try {
        return { a, role: assertActsFor(ctx.actor, a) };
      } catch {
        // try the next assignment
      }
    }
    if (open[0]) assertActsFor(ctx.actor, open[0]);
    throw new AppError('INVALID_TRANSITION', 'There is no open assignment on this matter for you.');
  }

  private dueFor(ctx: RequestContext, m: MatterRow): Date {
    const category = this.category(m.category_id);
    if (!category) throw new AppError('VALIDATION_FAILED', 'Register the matter with a category (or give dueAt) before dispatching it.');
    return addDeadline(nowOf(ctx), category.deadline_amount, category.deadline_unit, this.town.calendar);
  }

  /** An assignment row as dispatch.service.ts's assign() inserts it (resolveTarget for its name and node). */
  private async assignment(ctx: RequestContext, matterId: number, t: TargetRef, role: 'lead' | 'assist', due: Date | null, summoned: boolean): Promise<AssignmentRow> {
    let resolved: { name: string; node_id: number } | undefined;
    if (t.kind === 'node') {
      const n = this.town.nodes.get(t.id);
      resolved = n && n.status !== 'retired' ? { name: n.name, node_id: n.id } : undefined;
    } else if (t.kind === 'post') resolved = this.town.posts.get(t.id);
    else {
      const d = this.town.departments.get(t.id);
      resolved = d?.status === 'active' ? d : undefined;
    }
    if (!resolved) throw notFound(`${t.kind} ${t.id}`);
    return {
      id: await this.ids.assignments.next(), matter_id: matterId, role, target_kind: t.kind, target_id: t.id, target_name: resolved.name, node_id: resolved.node_id,
      status: 'pending', summoned, due_at: due, accepted_at: null, done_at: null, return_reason: null, created_by: recordedUserId(ctx.actor), created_at: nowOf(ctx),
    };
  }

  // ---- handling (handling.service.ts) ----

  progress(ctx: RequestContext, id: number, note: string) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'progress', 'web', () => ({ role: leadRole(ctx, loaded), note })));
  }

  handle(ctx: RequestContext, id: number, note: string) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'handle', 'web', () => {
      const role = leadRole(ctx, loaded);
      const open = loaded.assignments.filter((a) => a.role === 'assist' && (a.status === 'pending' || a.status === 'accepted'));
      if (open.length) throw new AppError('ASSISTS_PENDING', `Waiting for ${open.map((a) => a.target_name).join('、')} to finish their part.`, { assignments: open.map((a) => a.id) });
      return {
        role, note, patch: { handled_at: nowOf(ctx) },
        after: () => {
          const lead = currentLead(loaded);
          if (lead) Object.assign(lead, { status: 'done', done_at: nowOf(ctx) });
          this.jobs.cancel(id);
        },
      };
    }));
  }

  async request(ctx: RequestContext, id: number, kind: 'suspend' | 'extend', reason: string, extendTo?: string) {
    const loaded = this.loaded(ctx, id);
    const h = this.hold(id);
    const lead = currentLead(loaded);
    if (!lead) throw new AppError('INVALID_TRANSITION', 'Only a matter with a lead can be suspended or extended.');
    const role = assertActsFor(ctx.actor, lead);
    if (!WORKING_STATUSES.some((s) => s === loaded.m.status)) throw new AppError('INVALID_TRANSITION', `A ${loaded.m.status} matter cannot be ${kind === 'suspend' ? 'suspended' : 'extended'}.`);
    const to = extendTo ? new Date(extendTo) : null;
    if (kind === 'extend' && (!to || !loaded.m.due_at || to <= loaded.m.due_at)) throw new AppError('VALIDATION_FAILED', 'An extension must move the due time later.');
    if (h.requests.some((r) => r.status === 'pending')) throw new AppError('CONFLICT', 'A request is already waiting for a decision.');
    const request: Request = {
      id: await this.ids.requests.next(), matter_id: id, assignment_id: lead.id, kind, reason, extend_to: to, status: 'pending', requested_by: recordedUserId(ctx.actor),
      requested_at: nowOf(ctx), decided_by: null, decided_at: null, decision_note: null,
    };
    h.requests.push(request);
    await this.event(ctx, h, { action: `${kind}_requested`, role, channel: 'web', note: reason, details: { request: request.id, extendTo: to?.toISOString() ?? null } });
    return request;
  }

  decide(ctx: RequestContext, id: number, requestId: number, approve: boolean, note: string): Promise<MatterView> {
    return this.step(ctx, id, async (loaded) => {
      const request = this.hold(id).requests.find((r) => r.id === requestId);
      if (!request) throw notFound(`Request ${requestId}`);
      if (request.status !== 'pending') throw new AppError('CONFLICT', 'The request has already been decided.');
      const decided = { status: approve ? ('approved' as const) : ('rejected' as const), decided_by: recordedUserId(ctx.actor), decided_at: nowOf(ctx), decision_note: note };
      if (!approve) {
        const role = assertMayDispatch(ctx.actor, loaded.m);
        Object.assign(request, decided);
        await this.event(ctx, this.hold(id), { action: `${request.kind}_rejected`, role, channel: 'web', note, details: { request: requestId } });
        return loaded.m;
      }
      if (request.kind === 'suspend') {
        return this.apply(ctx, loaded, 'suspend', 'web', () => ({
          role: assertMayDispatch(ctx.actor, loaded.m), note: request.reason,
          patch: { suspended_from: loaded.m.status, suspension_count: loaded.m.suspension_count + 1 }, details: { request: requestId, approvedNote: note },
          after: () => {
            Object.assign(request, decided);
            this.jobs.cancel(id);
          },
        }));
      }
      return this.apply(ctx, loaded, 'extend', 'web', () => ({
        role: assertMayDispatch(ctx.actor, loaded.m), note: request.reason,
        patch: { due_at: request.extend_to, overdue: false, extension_count: loaded.m.extension_count + 1 },
        details: { request: requestId, from: loaded.m.due_at?.toISOString() ?? null, to: request.extend_to?.toISOString() ?? null },
        after: (m) => {
          Object.assign(request, decided);
          this.moveAssignmentDue(id, m.due_at);
          this.jobs.schedule(m, nowOf(ctx));
        },
      }));
    });
  }

  resume(ctx: RequestContext, id: number, note: string): Promise<MatterView> {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'resume', 'web', () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      const since = this.hold(id).events.filter((e) => e.action === 'suspend').at(-1);
      const category = this.category(loaded.m.category_id);
      const due = loaded.m.due_at && since ? shiftDeadline(loaded.m.due_at, since.at, nowOf(ctx), category?.deadline_unit ?? 'natural_days', this.town.calendar) : loaded.m.due_at;
      return {
        role, note, resumeTo: loaded.m.suspended_from, patch: { suspended_from: null, due_at: due }, details: { dueAt: due?.toISOString() ?? null },
        after: (m) => {
          this.moveAssignmentDue(id, m.due_at);
          this.jobs.schedule(m, nowOf(ctx));
        },
      };
    }));
  }

  private moveAssignmentDue(id: number, due: Date | null) {
    for (const a of this.hold(id).assignments) if (a.status === 'pending' || a.status === 'accepted') a.due_at = due;
  }

  // ---- feedback and evaluation (evaluation.service.ts) ----

  verify(ctx: RequestContext, id: number, passed: boolean, note: string) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, passed ? 'verify_pass' : 'verify_fail', 'web', () => {
      const role = assertMayDispatch(ctx.actor, loaded.m);
      if (!passed) return { role, note, patch: { verify_fail_count: loaded.m.verify_fail_count + 1 }, after: () => this.reactivateLead(id) };
      return { role, note, after: (m) => this.tellReporters(m, note) };
    }));
  }

  rate(ctx: RequestContext, id: number, satisfaction: Satisfaction, comment: string) {
    return this.step(ctx, id, (loaded) => {
      const ok = satisfaction !== 'dissatisfied';
      return this.apply(ctx, loaded, ok ? 'rate_ok' : 'rate_bad', 'web', () => {
        const role = assertIsReporter(ctx.actor, loaded.reporterUserIds);
        const now = nowOf(ctx);
        const closing = ok ? { closed_at: now, closed_on_time: onTime(loaded.m, now) } : { reopen_count: loaded.m.reopen_count + 1 };
        return {
          role, note: comment, patch: { satisfaction, rated_at: now, ...closing }, details: { satisfaction, label: SATISFACTION[satisfaction] },
          after: ok ? undefined : () => this.reactivateLead(id),
        };
      });
    });
  }

  close(ctx: RequestContext, id: number, note: string) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'close', 'web', () => ({
      role: assertMayDispatch(ctx.actor, loaded.m), note, patch: { closed_at: nowOf(ctx), closed_on_time: onTime(loaded.m, nowOf(ctx)) },
    })));
  }

  visit(ctx: RequestContext, id: number, outcome: string, satisfied: boolean) {
    return this.step(ctx, id, (loaded) => this.apply(ctx, loaded, 'return_visit', 'phone', () => ({
      role: assertMayVisit(ctx.actor, loaded.m), note: outcome, details: { satisfied },
    })));
  }

  private reactivateLead(id: number) {
    for (const a of this.hold(id).assignments) if (a.role === 'lead' && a.status === 'done') Object.assign(a, { status: 'accepted', done_at: null });
  }

  private tellReporters(m: MatterRow, note: string | null) {
    const h = this.hold(m.id);
    const body = `您反映的问题（${m.code}）已处理完毕${note ? `：${note}` : ''}。请对处理结果进行评价。`;
    const seen = new Set<string>();
    for (const r of h.reporters) {
      const key = `${r.user_id ?? ''}/${r.resident_id ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      h.notices.push({ user_id: r.user_id, resident_id: r.resident_id, matter_id: m.id, kind: 'matter.feedback', body });
    }
  }

  routing = async (id: number) => {
    const { m } = this.hold(id);
    return { level: m.level, owner_node_id: m.owner_node_id, grid_id: m.grid_id };
  };

  status = async (id: number) => this.held.get(id)?.m.status;

  // ---- the deadline jobs (deadline.jobs.ts, run as jobs.runner.ts runs them) ----

  async runDue(now: Date, log: (what: string, err: unknown) => void): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = this.jobs.claim(now);
      if (batch.length === 0) return total;
      for (const j of batch) {
        try {
          await this.runJob(j, now);
        } catch (err) {
          log(`job: job ${j.seq} (${j.kind}) failed`, err);
        }
        j.status = 'done';
        total++;
      }
    }
  }

  private async runJob(job: DeadlineJob, now: Date): Promise<void> {
    const h = this.hold(job.matter_id);
    const { m } = h;
    const dueAt = (JSON.parse(job.payload) as { dueAt?: unknown }).dueAt;
    if (!WORKING_STATUSES.some((s) => s === m.status) || !m.due_at || m.due_at.toISOString() !== dueAt) return;
    const ctx = systemContext(`job-${job.seq}`, now);
    const loaded = { m, assignments: h.assignments, reporterUserIds: this.reporterUserIds(h) };
    if (job.kind === 'matter.remind') {
      const lead = currentLead(loaded);
      const users = lead ? this.usersActingFor(lead) : [];
      const body = `事件 ${m.code}「${m.title}」将于 ${beijingMinute(m.due_at)} 到期，请抓紧办理。`;
      for (const u of users) h.notices.push({ user_id: u, resident_id: null, matter_id: m.id, kind: 'matter.remind', body });
      await this.event(ctx, h, { action: 'remind', role: 'system', channel: 'system', note: body, details: { notified: users.length } });
      return;
    }
    m.overdue = true;
    await this.event(ctx, h, { action: 'overdue', role: 'system', channel: 'system', note: `已超过办理时限 ${beijingMinute(m.due_at)}`, details: { dueAt: m.due_at.toISOString() } });
    if (this.node(m.owner_node_id).parent_id) await this.escalateIn(ctx, loaded, '超期未办结，自动升级督办', 'system');
  }

  /** usersActingFor in deadline.jobs.ts: a post's, department's or board's handlers, or the node's staff. */
  private usersActingFor(a: AssignmentRow): number[] {
    const roles = { post: ['post_handler'], department: ['department_handler'], board: ['board_lead'], node: ['grid_worker', 'grid_chief', 'community_staff', 'centre_operator'] }[a.target_kind];
    const column = { post: 'post_id', department: 'department_id', board: 'board_id', node: 'node_id' } as const;
    const users = this.town.roles.filter((r) => r[column[a.target_kind]] === a.target_id && roles.includes(r.role)).map((r) => r.user_id);
    return [...new Set(users)];
  }

  // ---- writing ----

  /** Writes every matter with its rows and rollups (writeYear), the deadline jobs still pending with their matters. */
  write(db: Kysely<DB>, opts: WriteOptions = {}): Promise<void> {
    return writeYear(db, [...this.held.values()], (ids) => this.jobs.pendingRows(ids), opts);
  }
}


function leadRole(ctx: RequestContext, loaded: Loaded) {
  const lead = currentLead(loaded);
  if (!lead) throw new AppError('INVALID_TRANSITION', 'The matter has no lead to handle it.');
  return assertActsFor(ctx.actor, lead);
}

/** onTime in evaluation.service.ts: handled by the due time. */
function onTime(m: MatterRow, now: Date): boolean | null {
  if (!m.due_at) return null;
  return (m.handled_at ?? now).getTime() <= m.due_at.getTime();
}

