// A year of matters for the demo town, told once as each matter's story (life) and taken step by step in time order,
// every step by a real account of the right role at a simulated time (ctx.at): through the services and deadline jobs
// (via 'services'), or by the same rules in memory and written in bulk (via 'rows', the default; demo.year.rows.ts).
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as repo from './demo.repository.ts';
import * as yearRepo from './demo.year.repository.ts';
import { DEMO_SEED } from '../../core/demo/generate.ts';
import { AppError } from '../../core/errors.ts';
import { Rng, type SeedLike } from '../../core/prng.ts';
import type { Actor, RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { loadAssignments } from '../access/access.repository.ts';
import { REMIND_BEFORE_MS } from '../matters/deadlines.ts';
import { Agenda, Clock, RATE_COMMENTS, Ratings, REJECT_REASONS, type Stage } from './demo.year.plan.ts';
import { RowSteps } from './demo.year.rows.ts';
import { type MatterView, ServiceSteps, type YearSteps } from './demo.year.steps.ts';
import { DemoTownModel, type Plan, planYear, reportInput, type Target } from './demo.year.town.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
type Life = AsyncGenerator<Date, void, void>;

export interface DemoYearOptions {
  seed?: SeedLike;
  /** How many matters to report over the year (default 2,500). */
  matters?: number;
  /** The end of the year (default now): history runs over the 365 days before it. */
  end?: Date;
  log?: (message: string) => void;
  /** Stops the replay between steps (a server shutting down); what was loaded stays, later steps never happen. */
  signal?: AbortSignal;
  /**
   * 'rows' (the default): every step taken in memory by the services' rules and written in bulk, in chunks of
   * matters, each chunk one transaction. 'services': every step through the services and the job runner, each its
   * own transaction, as real use takes it — minutes instead of seconds; test/demo-year.equal.test.ts compares both.
   */
  via?: 'rows' | 'services';
}

export interface DemoYearFigures {
  matters: number;
  bySource: Record<string, number>;
  byStatus: Record<string, number>;
  steps: number;
  jobsRun: number;
  rated: number;
  dissatisfied: number;
  satisfactionRate: number | null;
  /** Steps a service refused, by error; expected empty. */
  refused: Record<string, number>;
  seconds: number;
}

/**
 * Loads about a year of matters into the demo town; load the town first. Deterministic for a seed and end, and the
 * same rows either way (`via`), up to ids and the times rows were inserted.
 */
export async function loadDemoYear(deps: AppDeps, opts: DemoYearOptions = {}): Promise<DemoYearFigures> {
  const started = Date.now();
  const end = opts.end ?? new Date();
  const town = await DemoTownModel.load(deps.db);
  const clock = new Clock();
  const plans = planYear(new Rng(`${String(opts.seed ?? DEMO_SEED)}/demo-year`), town, clock, opts.matters ?? 2500, end);
  const rows = opts.via === 'services' ? null : await RowSteps.load(deps);
  const steps: YearSteps = rows ?? new ServiceSteps(deps);
  const sim = new Sim(deps, town, clock, end, steps, opts.log, opts.signal);
  await sim.preload(plans.flatMap((p) => [p.reporter, p.centre, p.grid.worker, ...(p.rater ? [p.rater] : [])]));
  for (const p of plans) sim.agenda.push(p.at, life(sim, p));
  await sim.run(plans.length);
  if (rows) await rows.write(deps.db, { log: opts.log, signal: opts.signal });

  const tallied = await repo.matterTally(deps.db);
  const tally = (key: 'source' | 'status') => {
    const out: Record<string, number> = {};
    for (const r of tallied) out[r[key]] = (out[r[key]] ?? 0) + r.n;
    return out;
  };
  const { rated, bad } = sim.ratings;
  return {
    matters: tallied.reduce((a, r) => a + r.n, 0), bySource: tally('source'), byStatus: tally('status'), steps: sim.steps, jobsRun: sim.jobsRun,
    rated, dissatisfied: bad, satisfactionRate: rated ? (rated - bad) / rated : null, refused: Object.fromEntries(sim.refused), seconds: (Date.now() - started) / 1000,
  };
}

class Sim {
  readonly agenda = new Agenda<Life | 'jobs'>();
  readonly ids = new Map<number, number>();
  readonly refused = new Map<string, number>();
  readonly ratings = new Ratings();
  readonly never: Date;
  steps = 0;
  jobsRun = 0;
  private readonly actors = new Map<string, Actor>();

  constructor(private readonly deps: AppDeps, readonly town: DemoTownModel, readonly clock: Clock, private readonly end: Date, readonly s: YearSteps,
    private readonly log?: (message: string) => void, private readonly signal?: AbortSignal) {
    this.never = new Date(end.getTime() + DAY);
  }

  /** Pops work in time order until the end of the year; whatever is scheduled later stays open. */
  async run(total: number): Promise<void> {
    let reported = 0;
    for (let item = this.agenda.pop(); item && item.at.getTime() <= this.end.getTime(); item = this.agenda.pop()) {
      if (this.signal?.aborted) return;
      // PGlite answers within microtasks: without a turn of the event loop, a server replaying the year in
      // the background would accept no request until it is done.
      await nextTurn();
      if (item.value === 'jobs') {
        this.jobsRun += await this.s.runDue(item.at, (what, err) => this.refuse(what, err));
        continue;
      }
      if (this.ids.size > reported) {
        reported = this.ids.size;
        if (reported % 250 === 0) this.log?.(`demo year: ${reported}/${total} matters reported, at ${item.at.toISOString().slice(0, 10)}`);
      }
      try {
        const next = await item.value.next();
        if (!next.done) this.agenda.push(next.value, item.value);
      } catch (err) {
        this.refuse('step', err);
      }
    }
    this.jobsRun += await this.s.runDue(this.end, (what, err) => this.refuse(what, err));
  }

  private refuse(what: string, err: unknown): void {
    const key = `${what}: ${err instanceof AppError ? `${err.code} ${err.message}` : err instanceof Error ? err.message : String(err)}`.slice(0, 200);
    if (!this.refused.has(key)) this.log?.(`demo year: refused ${key}`);
    this.refused.set(key, (this.refused.get(key) ?? 0) + 1);
  }

  /** Reads the accounts the plans name at once (a few thousand single reads otherwise); `as` reads any other when first needed. */
  async preload(usernames: Iterable<string>): Promise<void> {
    const { users, roles } = await yearRepo.accountsWithRoles(this.deps.db, [...new Set(usernames)]);
    for (const u of users) {
      // The same fields, in the same order, as loadAssignments in access.repository.ts.
      const assignments = roles.filter((r) => r.user_id === u.id).map((r) => ({
        id: r.id, role: r.role, nodeId: r.node_id, nodePath: r.path, boardId: r.board_id, postId: r.post_id, departmentId: r.department_id,
        buildingId: r.building_id, unitId: r.unit_id, abSlot: r.ab_slot, employment: r.employment,
      }));
      this.actors.set(u.username, { userId: u.id, username: u.username, displayName: u.display_name, assignments, via: 'session' });
    }
  }

  /** Runs one service call as `username` at `at`, the way a request from that person would. */
  async as<T>(username: string, at: Date, fn: (ctx: RequestContext) => Promise<T>): Promise<T> {
    let actor = this.actors.get(username);
    if (!actor) {
      const u = await repo.userByUsername(this.deps.db, username);
      actor = { userId: u.id, username: u.username, displayName: u.display_name, assignments: await loadAssignments(this.deps.db, u.id), via: 'session' };
      this.actors.set(username, actor);
    }
    this.steps++;
    return fn({ actor, ip: '127.0.0.1', requestId: 'demo-year', at });
  }

  /** Who triages, dispatches, verifies and closes: community staff for grid and community matters, else the centre that owns it. */
  async dispatcher(id: number, p: Plan): Promise<string> {
    const m = await this.s.routing(id);
    if (m.owner_node_id === this.town.districtId) return this.town.districtAdmin;
    if ((m.level === 'grid' || m.level === 'community') && p.byCommunity) return this.town.communityStaff(this.town.grid(m.grid_id).communityId, p.staffPick);
    return p.centre;
  }

  async status(id: number): Promise<string | undefined> {
    return this.s.status(id);
  }

  /** The jobs run exactly when a deadline's reminder or overdue mark falls due. */
  deadline(m: MatterView, now: Date): void {
    if (!m.due_at) return;
    const remind = new Date(m.due_at.getTime() - REMIND_BEFORE_MS);
    if (remind > now) this.agenda.push(remind, 'jobs');
    // A due time already past (resumed after it, say) is noticed by the jobs right away, not back in time.
    this.agenda.push(new Date(Math.max(m.due_at.getTime(), now.getTime())), 'jobs');
  }
}

const ref = (t: Target) => ({ kind: t.kind, id: t.id });
const same = (a: Target, b: Target) => a.kind === b.kind && a.id === b.id;

/** One matter's life: each resumption takes the step due now and yields the time of the next one. */
async function* life(sim: Sim, p: Plan): Life {
  const { rng: r, fate: f, category: c } = p;
  const s = sim.s;
  let t = p.at;
  const first = await sim.as(p.reporter, t, (ctx) => s.report(ctx, reportInput(p)));
  const id = first.id;
  sim.ids.set(p.index, id);
  // Urgent matters and those due within hours are worked on at once, day or night.
  const urgent = first.urgent || c.deadline.unit === 'natural_hours';
  const grid = sim.town.grid(first.grid_id);
  const wait = (min: number, max: number, stage?: Stage): Date => (t = stage !== undefined && stage === p.stall ? sim.never : sim.clock.later(t, min, max, r, urgent));
  const centre = async <T>(fn: (ctx: RequestContext) => Promise<T>) => sim.as(await sim.dispatcher(id, p), t, fn);

  if (p.duplicateOf !== null) {
    yield wait(15, 180);
    const into = sim.ids.get(p.duplicateOf);
    const status = into === undefined ? undefined : await sim.status(into);
    if (into === undefined || status === undefined || status === 'merged' || status === 'rejected') await centre((ctx) => s.reject(ctx, id, '重复反映，原事项已办结'));
    else await centre((ctx) => s.merge(ctx, id, into, '与已受理事项重复，合并办理'));
    return;
  }
  if (f.reject && p.source !== 'sensor' && p.source !== 'inspection') {
    yield wait(20, 240);
    await centre((ctx) => s.reject(ctx, id, r.pick(REJECT_REASONS)));
    return;
  }
  yield wait(urgent ? 3 : 20, urgent ? 12 : 300, 'register');
  let m = await centre((ctx) => s.register(ctx, id, c.code));
  const plan = sim.town.targets(r, c, m.level, grid, p.staffPick);
  let lead = plan.lead;
  let assists = plan.assists;
  yield wait(urgent ? 2 : 5, urgent ? 8 : 90, 'dispatch');
  m = await centre((ctx) => s.dispatch(ctx, id, ref(lead), assists.map(ref)));
  sim.deadline(m, t);
  if (f.returned && !urgent) {
    yield wait(30, 240);
    await sim.as(lead.user, t, (ctx) => s.returnMatter(ctx, id, '不属于本单位职责范围，请重新派遣'));
    lead = sim.town.alternative(c, lead, grid, p.staffPick);
    assists = assists.filter((a) => !same(a, lead));
    yield wait(10, 120);
    m = await centre((ctx) => s.reassign(ctx, id, ref(lead), assists.map(ref)));
    sim.deadline(m, t);
  }
  yield wait(urgent ? 2 : 10, urgent ? 10 : 150, 'accept');
  await sim.as(lead.user, t, (ctx) => s.accept(ctx, id));
  for (const a of assists) {
    yield wait(5, 90);
    await sim.as(a.user, t, (ctx) => s.accept(ctx, id));
  }
  // 吹哨报到: a community matter beyond the community goes up to the street, which summons a post;
  // a street matter summons a district department.
  let summoned: Target | null = null;
  if (f.escalate && !urgent && m.level === 'community' && lead.kind === 'node') {
    yield wait(60, 900);
    await centre((ctx) => s.escalate(ctx, id, '超出社区处置能力，提请街道协调'));
    summoned = sim.town.post(c) ?? sim.town.summoned(c);
  } else if (f.summon && !urgent && m.level === 'town') summoned = sim.town.summoned(c);
  if (summoned && !same(summoned, lead) && !assists.some((a) => summoned && same(a, summoned))) {
    const who = summoned;
    yield wait(10, 240);
    await centre((ctx) => s.summon(ctx, id, [ref(who)], '街道吹哨，请部门报到'));
    yield wait(10, 240);
    await sim.as(who.user, t, (ctx) => s.accept(ctx, id));
    assists = [...assists, who];
  }
  // Extensions and suspensions are asked for in good time, before the due time; approval follows.
  let due = m.due_at;
  const beforeDue = (d: Date) => new Date(t.getTime() + r.range(0.2, 0.8) * Math.min(120 * MIN, d.getTime() - t.getTime()));
  if ((f.extend || f.suspend) && !urgent && due && due.getTime() - t.getTime() > 4 * 3600_000) {
    const old = due;
    t = sim.clock.handleAt(t, old, false, false, r);
    yield t;
    const to = new Date(old.getTime() + r.int(3, 10) * DAY).toISOString();
    const request = await sim.as(lead.user, t, (ctx) => f.extend ? s.request(ctx, id, 'extend', '需协调多方共同处置，申请延期', to) : s.request(ctx, id, 'suspend', '等待产权单位确认维修方案'));
    t = beforeDue(old);
    yield t;
    m = await centre((ctx) => s.decide(ctx, id, request.id, true, f.extend ? '同意延期' : '同意挂起'));
    if (!f.extend) {
      yield wait(2 * 1440, 10 * 1440);
      m = await centre((ctx) => s.resume(ctx, id, '条件具备，恢复办理'));
    }
    sim.deadline(m, t);
    due = m.due_at;
  }
  // Progress notes and the assists' parts fall between now and the lead's handling.
  const handleAt = sim.clock.handleAt(t, due, f.late, urgent, r);
  const until = p.stall === 'handle' ? sim.clock.later(t, 240, 2880, r, urgent) : handleAt;
  const between = () => new Date(t.getTime() + (until.getTime() - t.getTime()) * r.range(0.2, 0.5));
  if (f.progress) {
    t = between();
    yield t;
    await sim.as(lead.user, t, (ctx) => s.progress(ctx, id, r.pick(['已到现场查看，正在处置', '已联系相关单位，约定处置时间', '已安排人员处置'])));
  }
  for (const a of assists) {
    t = between();
    yield t;
    await sim.as(a.user, t, (ctx) => s.assistDone(ctx, id, '已配合完成'));
  }
  t = p.stall === 'handle' ? sim.never : handleAt;
  yield t;
  await sim.as(lead.user, t, (ctx) => s.handle(ctx, id, '已处置完毕，现场已恢复'));
  if (f.verifyFail) {
    yield wait(30, 600, 'verify');
    await centre((ctx) => s.verify(ctx, id, false, '复核发现问题未彻底解决，请继续处理'));
    yield wait(60, 1440);
    await sim.as(lead.user, t, (ctx) => s.handle(ctx, id, '已返工处理'));
  }
  yield wait(urgent ? 10 : 30, urgent ? 60 : 600, 'verify');
  await centre((ctx) => s.verify(ctx, id, true, '已核查，处理到位'));
  const rater = f.silent ? null : p.rater;
  if (rater) {
    for (let again = false; ; again = true) {
      t = p.stall === 'rate' && !again ? sim.never : sim.clock.later(t, 60, 2880, r, true);
      yield t;
      const satisfaction = sim.ratings.next(r, again);
      await sim.as(rater, t, (ctx) => s.rate(ctx, id, satisfaction, r.pick(RATE_COMMENTS[satisfaction])));
      if (satisfaction !== 'dissatisfied') break;
      yield wait(120, 1440);
      await sim.as(lead.user, t, (ctx) => s.handle(ctx, id, '根据居民意见再次处理'));
      yield wait(30, 600);
      await centre((ctx) => s.verify(ctx, id, true, '再次核查，已处理到位'));
    }
  } else {
    if (p.source === 'hotline' || p.rater) {
      yield wait(60, 1440);
      await sim.as(grid.worker, t, (ctx) => s.visit(ctx, id, '电话回访，反映人认可处理结果', true));
    }
    yield wait(30, 1440, 'rate');
    await centre((ctx) => s.close(ctx, id, '已核查回访，予以结案'));
  }
  if (f.revisit) {
    yield wait(3 * 1440, 10 * 1440);
    await sim.as(grid.worker, t, (ctx) => s.visit(ctx, id, '回访：问题未再出现', true));
  }
}
