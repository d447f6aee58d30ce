import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { PASSWORD } from './helpers/factory.ts';
import { useTestTown } from './helpers/town.ts';

describe('accounts and scoped roles', () => {
  const t = useTestTown();
  const [admin] = t.sessions('t_admin');

  it('creates a grid worker who can log in and sees only their grid', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username: 'new_worker', displayName: '新网格员', password: 'a-long-password', phone: '13800001111',
      roles: [{ role: 'grid_worker', nodeId: t.town.g21.id, employment: 'part_time' }],
    } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'new_worker', phone: '138****1111', roles: [{ role: 'grid_worker', nodeId: t.town.g21.id, employment: 'part_time' }] });
    const me = await t.login('new_worker', 'a-long-password');
    const seen = (await t.app.inject({ method: 'GET', url: '/api/residents', headers: me })).json().items.map((r: { name: string }) => r.name);
    expect(seen).toEqual(['张伟']);
  });

  it('derives a role’s scope from its department, post or building', async () => {
    const dept = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username: 'police2', displayName: '民警乙', password: 'a-long-password', roles: [{ role: 'department_handler', departmentId: t.town.police.id }],
    } });
    expect(dept.json().roles[0]).toMatchObject({ departmentId: t.town.police.id, nodeId: t.town.town.id });
    const unitHead = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username: 'unit_head2', displayName: '单元长', password: 'a-long-password', roles: [{ role: 'unit_head', unitId: t.town.unit.id }],
    } });
    expect(unitHead.json().roles[0]).toMatchObject({ unitId: t.town.unit.id, buildingId: t.town.building.id, nodeId: t.town.g11.id });
  });

  it('keeps one A and one B grid chief per grid', async () => {
    const make = (username: string, abSlot: 'A' | 'B') => t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username, displayName: username, password: 'a-long-password', roles: [{ role: 'grid_chief', nodeId: t.town.g11.id, abSlot }],
    } });
    expectError(await make('chief_dup', 'A'), 409, 'CONFLICT');
    expect((await make('chief_b', 'B')).statusCode).toBe(201);
    expectError(await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: {
      username: 'chief_x', displayName: 'x', password: 'a-long-password', roles: [{ role: 'grid_chief', nodeId: t.town.g12.id }],
    } }), 400, 'VALIDATION_FAILED');
    expect(await t.deps.db.selectFrom('users').select('id').where('username', 'in', ['chief_dup', 'chief_x']).execute()).toEqual([]);
  });

  it('refuses roles at the wrong level, bad usernames, short passwords and unknown ids', async () => {
    const base = { username: 'someone', displayName: '某人', password: 'a-long-password' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, roles: [{ role: 'community_staff', nodeId: t.town.g11.id }] }, 400, 'INVALID_HIERARCHY'],
      [{ ...base, roles: [{ role: 'department_handler' }] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, roles: [{ role: 'department_handler', departmentId: 99999 }] }, 404, 'NOT_FOUND'],
      [{ ...base, roles: [{ role: 'mayor', nodeId: t.town.town.id }] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, roles: [] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, username: 'a b', roles: [{ role: 'volunteer', nodeId: t.town.g11.id }] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, password: 'short', roles: [{ role: 'volunteer', nodeId: t.town.g11.id }] }, 400, 'VALIDATION_FAILED'],
      [{ ...base, username: 't_worker11', roles: [{ role: 'volunteer', nodeId: t.town.g11.id }] }, 409, 'CONFLICT'],
    ];
    for (const [payload, status, code] of cases) expectError(await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload }), status, code);
    expect(await t.deps.db.selectFrom('users').select('id').where('username', '=', 'someone').execute()).toEqual([]);
  });

  it('lets only administrators manage people, inside their own subtree', async () => {
    const payload = { username: 'sneaky', displayName: 'x', password: 'a-long-password', roles: [{ role: 'admin', nodeId: t.town.town.id }] };
    expectError(await t.app.inject({ method: 'POST', url: '/api/users', headers: await t.login('t_staff1'), payload }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url: '/api/users', headers: await t.login('t_centre') }), 403, 'FORBIDDEN');
    // A town administrator cannot grant a role on the district above.
    expectError(await t.app.inject({ method: 'POST', url: '/api/users', headers: admin, payload: { ...payload, roles: [{ role: 'admin', nodeId: t.town.district.id }] } }), 403, 'FORBIDDEN');
  });

  it('ends a role and disables an account, which ends its sessions', async () => {
    const worker = await t.login('t_worker12');
    const user = (await t.app.inject({ method: 'GET', url: `/api/users/${t.town.users.worker12}`, headers: admin })).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/users/${user.id}/roles/${user.roles[0].id}`, headers: admin })).statusCode).toBe(204);
    expectError(await t.app.inject({ method: 'GET', url: '/api/residents', headers: worker }), 403, 'FORBIDDEN');
    expect((await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, headers: admin, payload: { status: 'disabled' } })).statusCode).toBe(200);
    expectError(await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: worker }), 401, 'UNAUTHENTICATED');
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 't_worker12', password: PASSWORD } }), 401, 'INVALID_CREDENTIALS');
  });

  it('records every change in the audit trail, readable by administrators', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/audit?action=user.create&limit=2', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(2);
    expect(res.json().items[0]).toMatchObject({ action: 'user.create', actorUsername: 't_admin' });
    const next = await t.app.inject({ method: 'GET', url: `/api/audit?action=user.create&limit=2&cursor=${res.json().nextCursor}`, headers: admin });
    expect(next.json().items[0].id).toBeLessThan(res.json().items[1].id);
    expectError(await t.app.inject({ method: 'GET', url: '/api/audit', headers: await t.login('t_worker11') }), 403, 'FORBIDDEN');
  });
});
