import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, loadDemoTown } from '../src/modules/demo/demo.loader.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

/** The README's demo logins, one per role: each must log in and hold that role. */
const README_LOGINS: [string, string][] = [
  ['admin', 'admin'], ['centre1', 'centre_operator'], ['board_livelihood', 'board_lead'], ['post_traffic', 'post_handler'],
  ['dept_police', 'department_handler'], ['c01_staff1', 'community_staff'], ['c01_staff1', 'grid_chief'], ['w01001', 'grid_worker'],
  ['b01001_1', 'building_head'], ['u01001_1_1', 'unit_head'], ['v001', 'volunteer'], ['mediator1', 'mediator'], ['merchant1', 'merchant'], ['resident1', 'resident'],
];

describe('the demo town', () => {
  const t = useTestTown({ seed: 'demo' });

  it('has the shape of a town like Baqiao', async () => {
    const count = async (level: string) => (await t.app.inject({ method: 'GET', url: `/api/nodes?level=${level}&limit=500` })).json().items.length;
    expect(await count('district')).toBe(1);
    expect(await count('town')).toBe(1);
    expect(await count('community')).toBe(8);
    expect(await count('grid')).toBe(149);
    expect(t.town).toMatchObject({ grids: 149, onlineGroups: 217 });
    const dedicated = await t.deps.db.selectFrom('nodes').select('kind').where('level', '=', 'grid').where('kind', '!=', 'residential').execute();
    expect(dedicated.map((d) => d.kind).sort()).toEqual(['institutions', 'medical', 'schools', 'schools', 'shops', 'shops', 'shops']);
    expect(t.town.residents).toBeGreaterThanOrEqual(2000);
    expect(t.town.households).toBeGreaterThan(25_000);
  });

  it('gives every grid a code that starts with its community’s division code', async () => {
    const { rows } = await sql<{ bad: number }>`select count(*)::int as bad from nodes g join nodes c on c.id = g.parent_id
      where g.level = 'grid' and (length(g.code) <> 15 or left(g.code, 12) <> c.code or length(c.code) <> 12)`.execute(t.deps.db);
    expect(rows[0]?.bad).toBe(0);
  });

  it('covers 100% of physical grids with online grids, as the town figure shows', async () => {
    const townId = (await t.app.inject({ method: 'GET', url: '/api/nodes?level=town' })).json().items[0].id;
    const town = (await t.app.inject({ method: 'GET', url: `/api/nodes/${townId}` })).json();
    expect(town.figures).toMatchObject({ grids: 149, gridsWithGroup: 149, onlineGroups: 217, coverage: 1 });
  });

  it('staffs about one grid worker per 200 households and an A/B grid chief pair per grid', async () => {
    const workers = await t.deps.db.selectFrom('role_assignments').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'grid_worker').executeTakeFirstOrThrow();
    const perWorker = t.town.households / workers.n;
    expect(perWorker).toBeGreaterThan(150);
    expect(perWorker).toBeLessThan(250);
    const { rows } = await sql<{ grids: number }>`select count(*)::int as grids from nodes n where n.level = 'grid'
      and (select count(*) from role_assignments r where r.node_id = n.id and r.role = 'grid_chief' and r.ab_slot = 'A') = 1
      and (select count(*) from role_assignments r where r.node_id = n.id and r.role = 'grid_chief' and r.ab_slot = 'B') = 1`.execute(t.deps.db);
    expect(rows[0]?.grids).toBe(149);
  });

  it('has the four boards with posts and the seven joint-duty posts', async () => {
    const admin = await t.login('admin', DEMO_PASSWORD);
    const townId = (await t.app.inject({ method: 'GET', url: '/api/nodes?level=town' })).json().items[0].id;
    const boards = (await t.app.inject({ method: 'GET', url: `/api/boards?nodeId=${townId}`, headers: admin })).json().items;
    expect(boards.map((b: { name: string }) => b.name).sort()).toEqual(['党的建设', '民生服务', '平安法治', '经济发展'].sort());
    for (const b of boards) expect(b.posts.length).toBeGreaterThanOrEqual(2);
    const depts = (await t.app.inject({ method: 'GET', url: `/api/departments?nodeId=${townId}`, headers: admin })).json().items;
    expect(new Set(depts.filter((d: { kind: string }) => d.kind === 'joint_duty').map((d: { jointDutyType: string }) => d.jointDutyType)))
      .toEqual(new Set(['police_station', 'market_supervision', 'judicial', 'tax', 'traffic_police', 'fire', 'health_centre']));
  });

  it('resolves each grid’s buildings to that grid', async () => {
    const sample = await t.deps.db.selectFrom('buildings').select(['grid_id', 'lng', 'lat']).orderBy('id').limit(40).execute();
    for (const b of sample) {
      const found = (await t.app.inject({ method: 'GET', url: `/api/geo/locate?lng=${b.lng}&lat=${b.lat}` })).json();
      expect(found.grid.id).toBe(b.grid_id);
    }
  });

  it.each(README_LOGINS)('logs in the README account %s as %s', async (username, role) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().assignments.map((a: { role: string }) => a.role)).toContain(role);
  });

  it('is deterministic: the same seed gives the same town', async () => {
    const t2 = await createTestApp();
    try {
      await loadDemoTown(t2.deps);
      const names = (db: TestApp['deps']['db']) => db.selectFrom('nodes').select(['code', 'name', 'boundary']).orderBy('code').execute();
      expect(await names(t2.deps.db)).toEqual(await names(t.deps.db));
      const people = (db: TestApp['deps']['db']) => db.selectFrom('residents').select(['name', 'phone_masked', 'birth_date']).orderBy('id').limit(50).execute();
      expect(await people(t2.deps.db)).toEqual(await people(t.deps.db));
    } finally {
      await t2.close();
    }
  });
});
