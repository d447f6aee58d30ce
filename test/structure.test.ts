import { describe, expect, it } from 'vitest';
import { toGcj02 } from '../src/core/geo/locator.ts';
import { expectError } from './helpers/app.ts';
import { rect } from './helpers/factory.ts';
import { useTestTown } from './helpers/town.ts';

describe('the governed structure', () => {
  const t = useTestTown();
  const [admin] = t.sessions('t_admin');
  const nodeCount = async () => (await t.deps.db.selectFrom('nodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  it('lists the tree publicly, with codes, and rolls counts up to every level', async () => {
    const kids = await t.app.inject({ method: 'GET', url: `/api/nodes?parentId=${t.town.town.id}&withFigures=true` });
    expect(kids.json().items.map((n: { code: string }) => n.code)).toEqual(['500105004001', '500105004002']);
    expect(kids.json().items[0].figures).toEqual({ households: 2, population: 5, grids: 2, gridsWithGroup: 1 });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/nodes/${t.town.town.id}` })).json();
    expect(detail.figures).toMatchObject({ households: 3, population: 9, grids: 3, gridsWithGroup: 1, onlineGroups: 1, residents: 3 });
    expect(detail.figures.coverage).toBeCloseTo(1 / 3);
    expect(detail.ancestors.map((a: { name: string }) => a.name)).toEqual(['江北区']);
    const grid = (await t.app.inject({ method: 'GET', url: `/api/nodes/${t.town.g11.id}` })).json();
    expect(grid.code.startsWith('500105004001')).toBe(true);
    expect(grid.boundary.type).toBe('Polygon');
  });

  it('pages through lists with an opaque cursor', async () => {
    const first = (await t.app.inject({ method: 'GET', url: '/api/nodes?level=grid&limit=2' })).json();
    expect(first.items).toHaveLength(2);
    const second = (await t.app.inject({ method: 'GET', url: `/api/nodes?level=grid&limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.items.map((n: { name: string }) => n.name)).toEqual(['建新1网格']);
    expect(second.nextCursor).toBeNull();
    expectError(await t.app.inject({ method: 'GET', url: '/api/nodes?cursor=%%%' }), 400, 'INVALID_CURSOR');
  });

  it('resolves a point to its grid in WGS-84 and GCJ-02, and a point outside the town to none', async () => {
    const locate = (q: string) => t.app.inject({ method: 'GET', url: `/api/geo/locate?${q}` }).then((r) => r.json());
    expect((await locate('lng=106.505&lat=29.51')).grid.id).toBe(t.town.g11.id);
    expect((await locate('lng=106.515&lat=29.51&crs=wgs84')).grid.id).toBe(t.town.g12.id);
    // Near g11's east edge, where the ~400 m GCJ-02 offset reaches into g12.
    const [gx, gy] = toGcj02(106.508, 29.51);
    const gcj = await locate(`lng=${gx}&lat=${gy}&crs=gcj02`);
    expect(gcj.grid.id).toBe(t.town.g11.id);
    expect(gcj.community.id).toBe(t.town.c1.id);
    // The same GCJ-02 numbers read as WGS-84 land ~400 m away, in the neighbouring grid: the conversion matters.
    expect((await locate(`lng=${gx}&lat=${gy}`)).grid?.id).toBe(t.town.g12.id);
    expect(await locate('lng=107.5&lat=30.5')).toEqual({ grid: null, microgrid: null, community: null });
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/locate?lng=200&lat=29' })).statusCode).toBe(400);
  });

  it('creates, edits, moves and retires nodes; codes follow a move', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/nodes', headers: admin, payload: { parentId: t.town.c1.id, level: 'grid', code: '500105004001003', name: '花园3网格', kind: 'shops', boundary: rect(106.5, 29.52, 106.51, 29.53) } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const micro = await t.app.inject({ method: 'POST', url: '/api/nodes', headers: admin, payload: { parentId: id, level: 'microgrid', code: '500105004001003001', name: '商铺一段' } });
    expect(micro.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/locate?lng=106.505&lat=29.525' })).json().grid.id).toBe(id);

    expect((await t.app.inject({ method: 'PATCH', url: `/api/nodes/${id}`, headers: admin, payload: { name: '花园商铺专属网格' } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: `/api/nodes/${id}/move`, headers: admin, payload: { parentId: t.town.c2.id } })).statusCode).toBe(204);
    const moved = (await t.app.inject({ method: 'GET', url: `/api/nodes/${id}` })).json();
    expect(moved).toMatchObject({ parentId: t.town.c2.id, code: '500105004002003', name: '花园商铺专属网格', kind: 'shops' });
    const movedMicro = (await t.app.inject({ method: 'GET', url: `/api/nodes/${micro.json().id}` })).json();
    expect(movedMicro.code).toBe('500105004002003001');
    expect(movedMicro.ancestors.map((a: { id: number }) => a.id)).toContain(t.town.c2.id);

    expectError(await t.app.inject({ method: 'POST', url: `/api/nodes/${id}/retire`, headers: admin, payload: {} }), 409, 'CONFLICT');
    expect((await t.app.inject({ method: 'POST', url: `/api/nodes/${id}/retire`, headers: admin, payload: { cascade: true } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/geo/locate?lng=106.505&lat=29.525' })).json().grid).toBeNull();
    expectError(await t.app.inject({ method: 'PATCH', url: `/api/nodes/${id}`, headers: admin, payload: { name: 'x' } }), 409, 'RETIRED');
  });

  it('never deletes a node that anything refers to; deletes an unused mistake', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: `/api/nodes/${t.town.g11.id}`, headers: admin });
    expectError(res, 409, 'NODE_IN_USE');
    expect(res.json().error.details.references).toMatchObject({ buildings: 1, residents: 1, online_groups: 1 });
    const mistake = (await t.app.inject({ method: 'POST', url: '/api/nodes', headers: admin, payload: { parentId: t.town.c2.id, level: 'grid', code: '500105004002009', name: '错建网格' } })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/nodes/${mistake.id}`, headers: admin })).statusCode).toBe(204);
    expectError(await t.app.inject({ method: 'GET', url: `/api/nodes/${mistake.id}` }), 404, 'NOT_FOUND');
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const n0 = await nodeCount();
    const base = { parentId: t.town.c1.id, level: 'grid', code: '500105004001007', name: '新网格' };
    const cases: [Record<string, unknown>, number, string, RegExp?][] = [
      [{ ...base, code: '500105004002007' }, 400, 'INVALID_CODE', /500105004001/],
      [{ ...base, code: '50010500400100' }, 400, 'INVALID_CODE'],
      [{ ...base, level: 'community' }, 400, 'INVALID_HIERARCHY'],
      [{ ...base, name: '' }, 400, 'VALIDATION_FAILED', /name/],
      [{ ...base, name: '网'.repeat(101) }, 400, 'VALIDATION_FAILED', /100/],
      [{ ...base, parentId: 'c1' }, 400, 'VALIDATION_FAILED'],
      [{ level: 'grid' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, parentId: 987654 }, 404, 'NOT_FOUND'],
      [{ ...base, code: t.town.g12 ? '500105004001002' : '' }, 409, 'CONFLICT'],
      [{ ...base, kind: 'castle' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, boundary: { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.51, 29.5], [106.51, 29.51]]] } }, 400, 'VALIDATION_FAILED'],
      [{ ...base, boundary: { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.51, 29.5], [106.51, 29.51], [106.5, 29.6]]] } }, 400, 'VALIDATION_FAILED', /closed/],
      [{ ...base, boundary: { type: 'Circle', radius: 3 } }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code, message] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/nodes', headers: admin, payload });
      expectError(res, status, code);
      if (message) expect(res.json().error.message).toMatch(message);
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/api/nodes', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"parentId": ' });
    expect(notJson.statusCode).toBe(400);
    expect(await nodeCount()).toBe(n0);
  });

  it('lets only administrators in scope change the tree', async () => {
    const payload = { parentId: t.town.c1.id, level: 'grid', code: '500105004001008', name: '越权网格' };
    expectError(await t.app.inject({ method: 'POST', url: '/api/nodes', payload }), 401, 'UNAUTHENTICATED');
    for (const who of ['t_worker11', 't_staff1', 't_centre', 't_police']) {
      expectError(await t.app.inject({ method: 'POST', url: '/api/nodes', headers: await t.login(who), payload }), 403, 'FORBIDDEN');
    }
  });

  it('keeps buildings, units and households to the grid’s staff', async () => {
    const worker = await t.login('t_worker11');
    const b = await t.app.inject({ method: 'POST', url: '/api/buildings', headers: worker, payload: { gridId: t.town.g11.id, name: '2栋', address: '花园路1号2栋', units: ['1单元', '2单元'] } });
    expect(b.statusCode).toBe(201);
    expect(b.json().units.map((u: { name: string }) => u.name)).toEqual(['1单元', '2单元']);
    const h = await t.app.inject({ method: 'POST', url: '/api/households', headers: worker, payload: { gridId: t.town.g11.id, buildingId: b.json().id, unitId: b.json().units[0].id, room: '502', population: 4 } });
    expect(h.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `/api/buildings?gridId=${t.town.g11.id}`, headers: worker })).json().items).toHaveLength(2);
    expectError(await t.app.inject({ method: 'GET', url: `/api/buildings?gridId=${t.town.g12.id}`, headers: worker }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'POST', url: '/api/households', headers: worker, payload: { gridId: t.town.g12.id, room: '1' } }), 403, 'FORBIDDEN');
    const head = await t.login('t_head');
    expect((await t.app.inject({ method: 'GET', url: `/api/buildings?gridId=${t.town.g11.id}`, headers: head })).json().items.map((x: { name: string }) => x.name)).toEqual(['1栋']);
    expectError(await t.app.inject({ method: 'GET', url: `/api/buildings?gridId=${t.town.g11.id}`, headers: await t.login('t_police') }), 403, 'FORBIDDEN');
  });

  it('binds online groups to grids and reports coverage per node', async () => {
    const staff = await t.login('t_staff2');
    const g = await t.app.inject({ method: 'POST', url: '/api/online-groups', headers: staff, payload: { gridId: t.town.g21.id, platform: 'wecom', externalId: 'wrG21', name: '建新1网格居民群' } });
    expect(g.statusCode).toBe(201);
    expectError(await t.app.inject({ method: 'POST', url: '/api/online-groups', headers: staff, payload: { gridId: t.town.g21.id, platform: 'wecom', externalId: 'wrG21', name: '重复' } }), 409, 'CONFLICT');
    expectError(await t.app.inject({ method: 'POST', url: '/api/online-groups', headers: staff, payload: { gridId: t.town.g12.id, platform: 'wecom', externalId: 'wrX', name: '越权' } }), 403, 'FORBIDDEN');
    const c2 = (await t.app.inject({ method: 'GET', url: `/api/nodes/${t.town.c2.id}` })).json();
    expect(c2.figures.coverage).toBe(1);
    const listed = (await t.app.inject({ method: 'GET', url: '/api/online-groups', headers: staff })).json();
    expect(listed.items.map((x: { externalId: string }) => x.externalId)).toEqual(['wrG21']);
  });

  it('keeps the centre organisation: boards with posts, departments and joint-duty posts', async () => {
    const board = await t.app.inject({ method: 'POST', url: '/api/boards', headers: admin, payload: { nodeId: t.town.town.id, kind: 'livelihood', name: '民生服务' } });
    expect(board.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: `/api/boards/${board.json().id}/posts`, headers: admin, payload: { name: '社会保障岗' } })).statusCode).toBe(201);
    expectError(await t.app.inject({ method: 'POST', url: '/api/boards', headers: admin, payload: { nodeId: t.town.town.id, kind: 'livelihood', name: '重复' } }), 409, 'CONFLICT');
    const dept = await t.app.inject({ method: 'POST', url: '/api/departments', headers: admin, payload: { nodeId: t.town.town.id, name: '市场监管所', kind: 'joint_duty', jointDutyType: 'market_supervision' } });
    expect(dept.statusCode).toBe(201);
    expectError(await t.app.inject({ method: 'POST', url: '/api/departments', headers: admin, payload: { nodeId: t.town.town.id, name: '城管', kind: 'department', jointDutyType: 'fire' } }), 400, 'VALIDATION_FAILED');
    const boards = (await t.app.inject({ method: 'GET', url: `/api/boards?nodeId=${t.town.town.id}`, headers: admin })).json();
    expect(boards.items.map((b: { kind: string }) => b.kind).sort()).toEqual(['livelihood', 'safety_law']);
    const depts = (await t.app.inject({ method: 'GET', url: `/api/departments?nodeId=${t.town.town.id}`, headers: await t.login('t_police') })).json();
    expect(depts.items.map((d: { name: string }) => d.name)).toEqual(['观音桥派出所', '市场监管所']);
  });
});
