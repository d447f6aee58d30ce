import { beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/app.ts';
import { useOnlineTown } from './fixture.ts';

describe('group members and staff coverage (三定 · 进圈入群)', () => {
  const o = useOnlineTown();
  let g11b: number;
  beforeAll(async () => {
    const u = o.town.users;
    const add = async (groupId: number, externalUserId: string, displayName: string, link: { userId?: number; residentId?: number } = {}) => {
      const res = await o.app.inject({ method: 'POST', url: `/api/online-groups/${groupId}/members`, headers: o.admin, payload: { externalUserId, displayName, ...link } });
      if (res.statusCode !== 201) throw new Error(res.body);
      return res.json();
    };
    const second = await o.app.inject({ method: 'POST', url: '/api/online-groups', headers: o.admin, payload: { gridId: o.town.g11.id, platform: 'wechat', externalId: 'wx-g11-2', name: '花园1网格二群' } });
    g11b = second.json().id;
    // 花园1网格群: worker, chief (t_staff1), police, a linked resident and one unknown nickname — fully covered.
    await add(o.groups.g11, 'w11', '网格员甲', { userId: u.worker11 });
    await add(o.groups.g11, 's1', '花园社区干部', { userId: u.staff1 });
    await add(o.groups.g11, 'police', '派出所民警', { userId: u.dept });
    await add(o.groups.g11, 'wang', '王建国', { residentId: o.town.residents.r11 });
    await add(o.groups.g11, 'anon', '快乐每一天');
    // 花园1网格二群: chief and police, no worker.
    await add(g11b, 's1', '花园社区干部', { userId: u.staff1 });
    await add(g11b, 'police', '派出所民警', { userId: u.dept });
    // 花园2网格群: its worker and an unknown nickname only.
    await add(o.groups.g12, 'w12', '网格员乙', { userId: u.worker12 });
    await add(o.groups.g12, 'anon2', '路人');
    // 建新1网格's only group is retired: that grid has no online grid any more.
    const retire = await o.app.inject({ method: 'PATCH', url: `/api/online-groups/${o.groups.g21}`, headers: o.admin, payload: { status: 'retired' } });
    expect(retire.statusCode).toBe(200);
  });

  it('lists members with their real-name status; only staff in scope may read or link them', async () => {
    const worker = await o.login('t_worker11');
    const list = await o.app.inject({ method: 'GET', url: `/api/online-groups/${o.groups.g11}/members`, headers: worker });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((m: { externalUserId: string; realName: string }) => [m.externalUserId, m.realName])).toEqual([
      ['w11', 'staff'], ['s1', 'staff'], ['police', 'staff'], ['wang', 'resident'], ['anon', 'none'],
    ]);
    const other = await o.login('t_worker12');
    expectError(await o.app.inject({ method: 'GET', url: `/api/online-groups/${o.groups.g11}/members`, headers: other }), 404, 'NOT_FOUND');
    expectError(await o.app.inject({ method: 'POST', url: `/api/online-groups/${o.groups.g11}/members`, headers: worker, payload: { externalUserId: 'x', displayName: 'x', residentId: 1, userId: 1 } }), 400, 'VALIDATION_FAILED');
    // A resident of another grid cannot be linked by this grid's worker.
    expectError(await o.app.inject({ method: 'POST', url: `/api/online-groups/${o.groups.g11}/members`, headers: worker, payload: { externalUserId: 'x', displayName: 'x', residentId: o.town.residents.r21 } }), 404, 'NOT_FOUND');
    // Nor an account that works elsewhere (the other community's staff): member links must not look up names.
    const link = (userId: number) => o.app.inject({ method: 'POST', url: `/api/online-groups/${o.groups.g11}/members`, headers: worker, payload: { externalUserId: `u-${userId}`, displayName: '群友', userId } });
    // (The set-up above links the grid's worker, its chief and the town's police officer: accounts on its branch.)
    expectError(await link(o.town.users.staff2), 404, 'NOT_FOUND');
  });

  it('computes coverage per group, grid, community and town as counted by hand', async () => {
    const res = await o.app.inject({ method: 'GET', url: `/api/online-groups/coverage?under=${o.town.town.id}`, headers: o.admin });
    expect(res.statusCode).toBe(200);
    const c = res.json();
    const group = (id: number) => c.groups.find((g: { groupId: number }) => g.groupId === id);
    expect(group(o.groups.g11)).toMatchObject({ members: 5, realName: 4, hasGridWorker: true, hasGridChief: true, covered: true, departments: [{ id: o.town.police.id, name: '观音桥派出所' }] });
    expect(group(g11b)).toMatchObject({ members: 2, realName: 2, hasGridWorker: false, hasGridChief: true, covered: false });
    expect(group(o.groups.g12)).toMatchObject({ members: 2, realName: 1, hasGridWorker: true, hasGridChief: false, departments: [], covered: false });
    expect(group(o.groups.g21)).toBeUndefined();
    const pick = (f: Record<string, number>) => ({ grids: f.grids, gridsWithGroup: f.gridsWithGroup, groups: f.groups, groupsWithWorker: f.groupsWithWorker, groupsWithChief: f.groupsWithChief,
      groupsWithDepartment: f.groupsWithDepartment, coveredGroups: f.coveredGroups, members: f.members, realName: f.realName, gridCoverage: f.gridCoverage, staffCoverage: f.staffCoverage });
    const byId = (list: { nodeId: number }[], id: number) => pick(list.find((x) => x.nodeId === id) as unknown as Record<string, number>); // rows are figure objects
    expect(byId(c.grids, o.town.g11.id)).toEqual({ grids: 1, gridsWithGroup: 1, groups: 2, groupsWithWorker: 1, groupsWithChief: 2, groupsWithDepartment: 2, coveredGroups: 1, members: 7, realName: 6, gridCoverage: 1, staffCoverage: 0.5 });
    expect(byId(c.grids, o.town.g12.id)).toEqual({ grids: 1, gridsWithGroup: 1, groups: 1, groupsWithWorker: 1, groupsWithChief: 0, groupsWithDepartment: 0, coveredGroups: 0, members: 2, realName: 1, gridCoverage: 1, staffCoverage: 0 });
    expect(byId(c.grids, o.town.g21.id)).toEqual({ grids: 1, gridsWithGroup: 0, groups: 0, groupsWithWorker: 0, groupsWithChief: 0, groupsWithDepartment: 0, coveredGroups: 0, members: 0, realName: 0, gridCoverage: 0, staffCoverage: 0 });
    expect(byId(c.communities, o.town.c1.id)).toEqual({ grids: 2, gridsWithGroup: 2, groups: 3, groupsWithWorker: 2, groupsWithChief: 2, groupsWithDepartment: 2, coveredGroups: 1, members: 9, realName: 7, gridCoverage: 1, staffCoverage: 0.333 });
    expect(byId(c.communities, o.town.c2.id)).toEqual({ grids: 1, gridsWithGroup: 0, groups: 0, groupsWithWorker: 0, groupsWithChief: 0, groupsWithDepartment: 0, coveredGroups: 0, members: 0, realName: 0, gridCoverage: 0, staffCoverage: 0 });
    expect(byId(c.towns, o.town.town.id)).toEqual({ grids: 3, gridsWithGroup: 2, groups: 3, groupsWithWorker: 2, groupsWithChief: 2, groupsWithDepartment: 2, coveredGroups: 1, members: 9, realName: 7, gridCoverage: 0.667, staffCoverage: 0.333 });
  });

  it('scopes coverage to the caller', async () => {
    const staff2 = await o.login('t_staff2');
    const own = await o.app.inject({ method: 'GET', url: '/api/online-groups/coverage', headers: staff2 });
    expect(own.statusCode).toBe(200);
    expect(own.json().under.id).toBe(o.town.c2.id);
    expectError(await o.app.inject({ method: 'GET', url: `/api/online-groups/coverage?under=${o.town.c1.id}`, headers: staff2 }), 403, 'FORBIDDEN');
    const resident = await o.login('t_resident');
    expectError(await o.app.inject({ method: 'GET', url: '/api/online-groups/coverage', headers: resident }), 403, 'FORBIDDEN');
  });
});
