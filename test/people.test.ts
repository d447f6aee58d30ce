import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { useTestTown } from './helpers/town.ts';

interface ResidentOut { id: number; gridId: number; name: string; phone: string | null; idNumber: string | null }

describe('residents and personal information', () => {
  const t = useTestTown();
  const as = (username: string) => t.login(username);
  const residents = async (username: string, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/residents${query}`, headers: await as(username) });
    return res;
  };
  const names = async (username: string, query = '') => ((await residents(username, query)).json().items as ResidentOut[]).map((r) => r.name).sort();

  it('a grid worker sees their own grid’s people and not the neighbouring grid’s', async () => {
    expect(await names('t_worker11')).toEqual(['王建国']);
    expect(await names('t_worker12')).toEqual(['李秀英']);
    expect((await residents('t_worker11', `?gridId=${t.town.g12.id}`)).json().items).toEqual([]);
    expectError(await t.app.inject({ method: 'GET', url: `/api/residents/${t.town.residents.r12}`, headers: await as('t_worker11') }), 404, 'NOT_FOUND');
  });

  it('community staff see every grid of their community and none of another’s', async () => {
    expect(await names('t_staff1')).toEqual(['李秀英', '王建国']);
    expect(await names('t_staff2')).toEqual(['张伟']);
    expect(await names('t_centre')).toEqual(['张伟', '李秀英', '王建国']);
  });

  it('a building head sees only the residents of their building', async () => {
    expect(await names('t_head')).toEqual(['王建国']);
  });

  it('department, post and volunteer roles see no resident data; anonymous callers nothing private', async () => {
    for (const who of ['t_police', 't_post', 't_volunteer']) expectError(await residents(who), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'GET', url: '/api/residents' }), 401, 'UNAUTHENTICATED');
    expectError(await t.app.inject({ method: 'GET', url: `/api/residents/${t.town.residents.r11}` }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'GET', url: `/api/households?gridId=${t.town.g11.id}` }), 401, 'UNAUTHENTICATED');
    expectError(await t.app.inject({ method: 'GET', url: '/api/users' }), 401, 'UNAUTHENTICATED');
    expectError(await t.app.inject({ method: 'GET', url: '/api/audit' }), 401, 'UNAUTHENTICATED');
  });

  it('shows numbers masked by default, to everyone', async () => {
    const [r] = (await residents('t_worker11')).json().items as ResidentOut[];
    expect(r).toMatchObject({ phone: '138****5678', idNumber: '1101**********002X' });
    const raw = JSON.stringify((await residents('t_admin')).json());
    for (const full of ['13812345678', '11010519491231002X', '13987654321']) expect(raw).not.toContain(full);
  });

  it('reveals a phone only to roles that need it, with a reason, and audits each view', async () => {
    const url = `/api/residents/${t.town.residents.r11}/reveal`;
    const before = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'pii.reveal').execute();
    const ok = await t.app.inject({ method: 'POST', url, headers: await as('t_worker11'), payload: { fields: ['phone'], reason: '上门走访前电话联系' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: t.town.residents.r11, phone: '13812345678' });
    const records = await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').orderBy('id').execute();
    expect(records.length).toBe(before.length + 1);
    expect(records.at(-1)).toMatchObject({ actor_user_id: t.town.users.worker11, subject_type: 'resident', subject_id: String(t.town.residents.r11) });
    expect(records.at(-1)?.details).toMatchObject({ fields: ['phone'], reason: '上门走访前电话联系' });

    // A grid worker may not see full ID numbers; a building head no full numbers at all.
    expectError(await t.app.inject({ method: 'POST', url, headers: await as('t_worker11'), payload: { fields: ['id_number'], reason: '核对身份' } }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'POST', url, headers: await as('t_head'), payload: { fields: ['phone'], reason: '联系住户' } }), 403, 'FORBIDDEN');
    // Out of scope looks like absence.
    expectError(await t.app.inject({ method: 'POST', url, headers: await as('t_staff2'), payload: { fields: ['phone'], reason: '联系住户' } }), 404, 'NOT_FOUND');
    expectError(await t.app.inject({ method: 'POST', url, headers: await as('t_worker11'), payload: { fields: ['phone'] } }), 400, 'VALIDATION_FAILED');
    const admin = await t.app.inject({ method: 'POST', url, headers: await as('t_admin'), payload: { fields: ['phone', 'id_number'], reason: '户籍核对' } });
    expect(admin.json()).toEqual({ id: t.town.residents.r11, phone: '13812345678', idNumber: '11010519491231002X' });
    const after = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'pii.reveal').execute();
    expect(after.length).toBe(before.length + 2);
  });

  it('cannot be read back from the database without the key', async () => {
    const row = await t.deps.db.selectFrom('residents').selectAll().where('id', '=', t.town.residents.r11).executeTakeFirstOrThrow();
    const dump = JSON.stringify(row);
    expect(dump).not.toContain('13812345678');
    expect(dump).not.toContain('11010519491231002X');
  });

  it('finds a resident by an exact phone number through its hash, and audits the search', async () => {
    const found = await residents('t_staff1', '?phone=13812345678');
    expect((found.json().items as ResidentOut[]).map((r) => r.name)).toEqual(['王建国']);
    const search = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'pii.search').execute();
    expect(search.length).toBeGreaterThan(0);
  });

  it('registers a resident with validated, sealed numbers; bad input changes nothing', async () => {
    const headers = await as('t_worker11');
    const count = async () => (await t.deps.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const n0 = await count();
    const good = { gridId: t.town.g11.id, householdId: t.town.households.h1.id, name: '赵大妈', gender: 'F', birthDate: '1948-05-01', phone: '13600001234', idNumber: '110105194805010021' };
    for (const [payload, status, code] of [
      [{ ...good, phone: '12345' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, idNumber: '110105194805010020' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, name: 'x'.repeat(51) }, 400, 'VALIDATION_FAILED'],
      [{ ...good, gridId: 'eleven' }, 400, 'VALIDATION_FAILED'],
      [{ name: '缺网格' }, 400, 'VALIDATION_FAILED'],
      [{ ...good, gridId: 999_999 }, 404, 'NOT_FOUND'],
      [{ ...good, householdId: t.town.households.h2.id }, 404, 'NOT_FOUND'],
      [{ ...good, gridId: t.town.g12.id, householdId: t.town.households.h2.id }, 403, 'FORBIDDEN'],
      [{ ...good, idNumber: '11010519491231002X' }, 409, 'CONFLICT'],
    ] as const) {
      expectError(await t.app.inject({ method: 'POST', url: '/api/residents', headers, payload }), status, code);
    }
    expect(await count()).toBe(n0);
    const res = await t.app.inject({ method: 'POST', url: '/api/residents', headers, payload: good });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '赵大妈', phone: '136****1234', idNumber: '1101**********0021', gridId: t.town.g11.id });
    expect(await count()).toBe(n0 + 1);
  });
});
