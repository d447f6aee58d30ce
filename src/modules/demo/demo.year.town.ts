// The demo town as the year sees it: who works where, who lives where, and who handles what kind of matter.
import type { Kysely } from 'kysely';
import type { CategorySeed } from '../../core/categories/catalogue.ts';
import { DEPARTMENT_SPECS } from '../../core/demo/catalog.ts';
import type { Rng } from '../../core/prng.ts';
import type { DB } from '../../db/schema.ts';
import type { Channel, MatterLevel, MatterSource } from '../../core/vocabulary.ts';
import type { ReportInput } from '../matters/matters.service.ts';
import * as repo from './demo.repository.ts';
import { type Clock, describe, drawFate, drawStall, type Fate, pickCategory, sourceQuota, type Stage } from './demo.year.plan.ts';

export interface Person { residentId: number; gridId: number; username: string | null; buildingId: number | null }
export interface Building { id: number; name: string; lng: number | null; lat: number | null }
export interface Grid { id: number; communityId: number; worker: string; buildings: Building[]; residents: Person[]; accounts: Person[] }
/** Somebody a matter is dispatched to, with the account that acts for it. */
export interface Target { kind: 'post' | 'department' | 'node'; id: number; user: string }

/** Posts the dictionary names that the demo town folds into a neighbouring post. */
const POST_ALIAS: Record<string, string> = { 环境卫生岗: '公共服务岗', 安全监管岗: '应急管理岗', 平安建设岗: '综合执法岗', 就业服务岗: '社会保障岗', 安全生产岗: '应急管理岗' };
/** The district department a town summons (吹哨) for each kind of trouble. */
const SUMMONED: readonly [RegExp, string][] = [[/^(10|S09|S0300[12])/, 'water'], [/^(02|S06|09010)/, 'transport'], [/^(S02|S08|S03010)/, 'housing'], [/./, 'urban']];

export class DemoTownModel {
  readonly grids: Grid[] = [];
  readonly accounts: Person[] = [];
  readonly centre: string[] = [];
  districtAdmin = 'admin_district';
  districtId = 0;
  private readonly staff = new Map<number, string[]>();
  private readonly posts = new Map<string, Target>();
  private readonly departments = new Map<string, Target>();
  private readonly gridById = new Map<number, Grid>();

  static async load(db: Kysely<DB>): Promise<DemoTownModel> {
    const town = new DemoTownModel();
    const [nodes, roles, buildings, residents, posts, departments] = await Promise.all([
      repo.districtsAndGrids(db), repo.actingRoles(db), repo.allBuildings(db), repo.residentsWithAccounts(db), repo.allPosts(db), repo.allDepartments(db),
    ]);
    const worker = new Map<number, string>();
    const postUser = new Map<number, string>();
    const deptUser = new Map<number, string>();
    for (const r of roles) {
      if (r.role === 'centre_operator') town.centre.push(r.username);
      if (r.role === 'admin' && r.level === 'district') town.districtAdmin = r.username;
      if (r.role === 'community_staff') town.staff.set(r.node_id, [...(town.staff.get(r.node_id) ?? []), r.username]);
      if (r.role === 'grid_worker') worker.set(r.node_id, r.username);
      if (r.role === 'post_handler' && r.post_id) postUser.set(r.post_id, r.username);
      if (r.role === 'department_handler' && r.department_id) deptUser.set(r.department_id, r.username);
    }
    for (const p of posts) { const user = postUser.get(p.id); if (user) town.posts.set(p.name, { kind: 'post', id: p.id, user }); }
    for (const d of departments) {
      const user = deptUser.get(d.id);
      const slug = DEPARTMENT_SPECS.find((s) => s.department.name === d.name)?.slug;
      if (!user) continue;
      if (d.joint_duty_type) town.departments.set(d.joint_duty_type, { kind: 'department', id: d.id, user });
      if (slug) town.departments.set(slug, { kind: 'department', id: d.id, user });
    }
    for (const n of nodes) {
      if (n.level === 'district') town.districtId = n.id;
      const user = worker.get(n.id);
      if (n.level !== 'grid' || !user || n.parent_id === null) continue;
      const grid: Grid = { id: n.id, communityId: n.parent_id, worker: user, buildings: [], residents: [], accounts: [] };
      town.grids.push(grid);
      town.gridById.set(n.id, grid);
    }
    for (const b of buildings) town.gridById.get(b.grid_id)?.buildings.push({ id: b.id, name: b.name, lng: b.lng, lat: b.lat });
    for (const r of residents) {
      const person: Person = { residentId: r.id, gridId: r.grid_id, username: r.username, buildingId: r.building_id };
      const grid = town.gridById.get(r.grid_id);
      grid?.residents.push(person);
      if (r.username) { grid?.accounts.push(person); town.accounts.push(person); }
    }
    if (town.centre.length === 0 || town.grids.length === 0) throw new Error('the demo year needs the demo town: load it first');
    return town;
  }

  grid(id: number | null): Grid {
    const g = id === null ? undefined : this.gridById.get(id);
    if (!g) throw new Error(`the demo year has no grid ${id}`);
    return g;
  }

  communityStaff(communityId: number, pick: number): string {
    const team = this.staff.get(communityId) ?? [];
    const user = team[pick % Math.max(1, team.length)];
    if (!user) throw new Error(`community ${communityId} has no staff`);
    return user;
  }

  post(c: CategorySeed): Target | null {
    return c.leadPost ? (this.posts.get(POST_ALIAS[c.leadPost] ?? c.leadPost) ?? null) : null;
  }

  department(key: string): Target | null {
    return this.departments.get(key) ?? null;
  }

  summoned(c: CategorySeed): Target | null {
    return this.department(SUMMONED.find(([re]) => re.test(c.code))?.[1] ?? 'urban');
  }

  /** Lead and assists by the level the matter is registered at: grids and communities handle their own. */
  targets(rng: Rng, c: CategorySeed, level: MatterLevel, grid: Grid, staffPick: number): { lead: Target; assists: Target[] } {
    const gridT: Target = { kind: 'node', id: grid.id, user: grid.worker };
    const community: Target = { kind: 'node', id: grid.communityId, user: this.communityStaff(grid.communityId, staffPick) };
    const post = this.post(c);
    const joint = c.leadJointDuty ? this.department(c.leadJointDuty) : null;
    const helpers = c.assistJointDuty.map((k) => this.department(k)).filter((t): t is Target => t !== null);
    if (level === 'grid') return { lead: gridT, assists: post && rng.chance(0.15) ? [post] : [] };
    if (level === 'community') {
      if (!post || rng.chance(0.65)) return { lead: community, assists: joint && rng.chance(0.5) ? [joint] : [] };
      return { lead: post, assists: [community] };
    }
    const lead = joint ?? post ?? community;
    const assists = [...helpers, ...(rng.chance(0.3) ? [community] : [])].filter((t) => t.kind !== lead.kind || t.id !== lead.id);
    return { lead, assists };
  }

  /** Whom the centre sends a returned matter to instead. */
  alternative(c: CategorySeed, lead: Target, grid: Grid, staffPick: number): Target {
    const options = [this.post(c), c.leadJointDuty ? this.department(c.leadJointDuty) : null, this.summoned(c),
      { kind: 'node' as const, id: grid.communityId, user: this.communityStaff(grid.communityId, staffPick) }];
    const other = options.find((t): t is Target => t !== null && (t.kind !== lead.kind || t.id !== lead.id));
    if (!other) throw new Error('no other handler for a returned matter');
    return other;
  }
}

/** One matter as planned: where, when, who reports and rates it, and how its story goes. */
export interface Plan {
  index: number;
  rng: Rng;
  source: MatterSource;
  at: Date;
  category: CategorySeed;
  grid: Grid;
  building: Building | null;
  description: string;
  /** The account that files the report: the grid worker, a centre operator, or the resident. */
  reporter: string;
  /** The resident it is reported by or for, if any. */
  resident: Person | null;
  /** The resident account that will rate it; nobody rates staff-found matters or anonymous callers. */
  rater: string | null;
  contact: { name: string; phone: string } | null;
  fate: Fate;
  stall: Stage | null;
  byCommunity: boolean;
  staffPick: number;
  centre: string;
  /** Plan index of the matter this one repeats; it gets merged into it. */
  duplicateOf: number | null;
}

const STAFF_SOURCES: ReadonlySet<MatterSource> = new Set(['visit', 'patrol', 'inspection']);
const CHANNEL: Record<MatterSource, Channel> = {
  group_message: 'group', visit: 'phone', patrol: 'phone', resident_report: 'web', hotline: 'phone', sensor: 'system', inspection: 'phone', deliberation: 'web',
};
/** How often a source's matter comes from a named resident rather than from staff or an anonymous caller. */
const ON_BEHALF: Partial<Record<MatterSource, number>> = { group_message: 0.9, visit: 0.6, hotline: 0.35 };

export function planYear(root: Rng, town: DemoTownModel, clock: Clock, n: number, end: Date): Plan[] {
  const sources = sourceQuota(root.fork('sources'), n);
  // Bigger grids (more buildings) raise more matters; dedicated grids still raise some.
  const gridWeights = town.grids.map((g): [Grid, number] => [g, 2 + g.buildings.length]);
  const demoResidents = town.accounts.filter((a) => a.username?.startsWith('resident'));
  const plans = sources.map((source, index): Plan => {
    const rng = root.fork(`matter-${index}`);
    const self = source === 'resident_report' ? rng.pick(rng.chance(0.3) && demoResidents.length > 0 ? demoResidents : town.accounts) : null;
    const grid = self ? town.grid(self.gridId) : rng.weighted(gridWeights);
    const resident = self ?? onBehalf(rng, source, grid);
    const building = grid.buildings.find((b) => b.id === resident?.buildingId) ?? (grid.buildings.length > 0 ? rng.pick(grid.buildings) : null);
    let at = clock.reportTime(rng, clock.reportDay(rng, end, STAFF_SOURCES.has(source)), source);
    if (at.getTime() >= end.getTime()) at = new Date(end.getTime() - rng.int(5, 180) * 60_000);
    const category = pickCategory(rng, source, at);
    const centre = rng.pick(town.centre);
    return {
      index, rng, source, at, category, grid, building, description: describe(rng, source, category, place(rng, building)),
      reporter: self?.username ?? (source === 'hotline' || source === 'sensor' ? centre : grid.worker),
      resident, rater: resident?.username ?? null, contact: source === 'hotline' && !resident ? caller(rng) : null,
      fate: drawFate(rng), stall: drawStall(rng, at, end), byCommunity: rng.chance(0.75), staffPick: rng.int(0, 5), centre, duplicateOf: null,
    };
  });
  markDuplicates(root.fork('duplicates'), plans, end);
  return plans;
}

function onBehalf(rng: Rng, source: MatterSource, grid: Grid): Person | null {
  if (grid.residents.length === 0 || !rng.chance(ON_BEHALF[source] ?? 0)) return null;
  return rng.chance(0.7) && grid.accounts.length > 0 ? rng.pick(grid.accounts) : rng.pick(grid.residents);
}

const place = (rng: Rng, b: Building | null) => (b ? `${b.name}${rng.pick(['', '楼下', '门口', '附近', '旁边'])}` : '网格内');
const caller = (rng: Rng) => ({
  name: `${rng.pick(['王', '李', '张', '刘', '陈', '杨', '赵', '黄'])}${rng.pick(['先生', '女士'])}`,
  phone: `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
});

/** A few group messages and calls repeat a matter reported hours before at the same place; the centre merges them. */
function markDuplicates(rng: Rng, plans: Plan[], end: Date): void {
  const byTime = [...plans].sort((a, b) => a.at.getTime() - b.at.getTime());
  byTime.forEach((p, i) => {
    if ((p.source !== 'group_message' && p.source !== 'hotline') || !rng.chance(0.035)) return;
    const original = byTime.slice(Math.max(0, i - 40), i).reverse()
      .find((o) => o.duplicateOf === null && !o.fate.reject && o.building !== null && o.source !== 'sensor' && !o.category.urgent);
    const at = original ? new Date(original.at.getTime() + rng.range(1, 30) * 3600_000) : end;
    if (!original || at.getTime() >= end.getTime()) return;
    const resident = p.source === 'group_message' && original.grid.residents.length > 0 ? rng.pick(original.grid.residents) : null;
    Object.assign(p, {
      duplicateOf: original.index, at, category: original.category, grid: original.grid, building: original.building, resident, rater: null,
      reporter: p.source === 'hotline' ? p.centre : original.grid.worker, contact: p.source === 'hotline' ? caller(rng) : null,
      description: describe(rng, p.source, original.category, place(rng, original.building)),
    });
  });
}

/** The report as its reporter files it: staff pick the type on the phone, residents and callers describe it. */
export function reportInput(p: Plan): ReportInput {
  // The building gives the matter its grid and its point on the map, as when a reporter picks it on the phone.
  const location: ReportInput['location'] = p.building ? { buildingId: p.building.id } : { nodeId: p.grid.id };
  return {
    source: p.source, channel: CHANNEL[p.source], description: p.description, photos: [], location,
    categoryCode: STAFF_SOURCES.has(p.source) || p.source === 'sensor' ? p.category.code : undefined,
    reporter: { anonymous: false, residentId: p.resident?.residentId, contactName: p.contact?.name, contactPhone: p.contact?.phone },
  };
}
