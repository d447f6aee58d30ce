import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectError } from './helpers/app.ts';
import { testEngine } from './helpers/engine.ts';
import { uploadPhoto } from './helpers/matters.ts';
import { useTestTown } from './helpers/town.ts';

interface Visit { id: number; gridId: number; at: string; note: string; by: { id: number; name: string }; households: { id: number; room: string; buildingName: string | null }[]; photos: string[] }

describe(`household visits, report idempotency and category suggestions (${testEngine})`, () => {
  const t = useTestTown();
  const [worker11, worker12, centre, police] = t.actors('t_worker11', 't_worker12', 't_centre', 't_police');
  const visitCount = async () => Number((await t.deps.db.selectFrom('visits').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('logs a visit with households and a photo; the grid and the centre read it back; a re-send by clientId makes no second visit', async () => {
    const photo = await uploadPhoto(t.app, await t.login('t_worker11'));
    const clientId = randomUUID();
    const before = await visitCount();
    const res = await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], note: '老人独居，身体尚好', photos: [photo], clientId });
    expect(res.statusCode).toBe(201);
    const v = res.json() as Visit;
    expect(v).toMatchObject({ gridId: t.town.g11.id, note: '老人独居，身体尚好', by: { name: '网格员甲' }, households: [{ id: t.town.households.h1.id, room: '101', buildingName: '1栋' }], photos: [photo] });
    const again = await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], note: '老人独居，身体尚好', clientId });
    expect(again.statusCode).toBe(200);
    expect((again.json() as Visit).id).toBe(v.id);
    expect(await visitCount()).toBe(before + 1);
    // Another user with the same key is a conflict, not someone else's visit.
    expectError(await worker12.raw('POST', '/api/visits', { gridId: t.town.g12.id, householdIds: [t.town.households.h2.id], clientId }), 409, 'CONFLICT');

    const list = await centre.ok<{ items: Visit[] }>('GET', `/api/visits?gridId=${t.town.g11.id}`);
    expect(list.items.map((i) => i.id)).toContain(v.id);
    const mine = await worker11.ok<{ items: Visit[] }>('GET', `/api/visits?gridId=${t.town.g11.id}`);
    expect(mine.items[0]?.id).toBe(v.id);
  });

  it('keeps the time of a visit drafted earlier and filters by Beijing day', async () => {
    const at = '2026-03-10T02:00:00+08:00'; // 10:00 Beijing on 10 March is 18:00 UTC on 9 March
    const v = await worker11.ok<Visit>('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], note: '补录', at });
    expect(new Date(v.at).toISOString()).toBe(new Date(at).toISOString());
    const day = await worker11.ok<{ items: Visit[] }>('GET', `/api/visits?gridId=${t.town.g11.id}&from=2026-03-10&to=2026-03-10`);
    expect(day.items.map((i) => i.id)).toEqual([v.id]);
    const before = await worker11.ok<{ items: Visit[] }>('GET', `/api/visits?gridId=${t.town.g11.id}&to=2026-03-09`);
    expect(before.items).toEqual([]);
  });

  it('refuses households of another grid, unknown photos, a future time, an empty list and bad ids, storing nothing', async () => {
    const before = await visitCount();
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id, t.town.households.h2.id] }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], photos: ['a'.repeat(64)] }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], at: new Date(Date.now() + 86_400_000).toISOString() }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [] }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id], clientId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
    expectError(await worker11.raw('POST', '/api/visits', { gridId: t.town.c1.id, householdIds: [t.town.households.h1.id] }), 400, 'INVALID_HIERARCHY');
    expect(await visitCount()).toBe(before);
  });

  it("lets only the grid's staff log visits, and only the grid and the centre read them", async () => {
    const before = await visitCount();
    expectError(await worker12.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id] }), 403, 'FORBIDDEN');
    expectError(await police.raw('POST', '/api/visits', { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id] }), 403, 'FORBIDDEN');
    expectError(await t.app.inject({ method: 'POST', url: '/api/visits', payload: { gridId: t.town.g11.id, householdIds: [t.town.households.h1.id] } }), 401, 'UNAUTHENTICATED');
    expectError(await worker12.raw('GET', `/api/visits?gridId=${t.town.g11.id}`), 403, 'FORBIDDEN');
    expectError(await police.raw('GET', `/api/visits?gridId=${t.town.g11.id}`), 403, 'FORBIDDEN');
    expect(await visitCount()).toBe(before);
  });

  it('answers a re-sent report with the same clientId with the first matter (200), once', async () => {
    const clientId = randomUUID();
    const hash = await uploadPhoto(t.app, await t.login('t_worker11'));
    const report = { source: 'patrol', channel: 'phone', description: '花园路路灯不亮', location: { lng: 106.505, lat: 29.505, crs: 'wgs84' }, photos: [hash], clientId };
    const first = await worker11.raw('POST', '/api/matters', report);
    expect(first.statusCode).toBe(201);
    const second = await worker11.raw('POST', '/api/matters', report);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const n = await t.deps.db.selectFrom('matters').select((e) => e.fn.countAll().as('n')).where('client_id', '=', clientId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    expectError(await worker12.raw('POST', '/api/matters', { ...report, location: { lng: 106.515, lat: 29.505 } }), 409, 'CONFLICT');
    expectError(await worker11.raw('POST', '/api/matters', { ...report, clientId: 'nope' }), 400, 'VALIDATION_FAILED');
  });

  it('suggests a category for free text as it is typed', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/categories/suggest?text=${encodeURIComponent('小区里路灯坏了不亮')}` });
    expect(r.statusCode).toBe(200);
    const s = r.json() as { category: { code: string; name: string } | null; alternatives: unknown[] };
    expect(s.category?.name).toBeTruthy();
    const none = await t.app.inject({ method: 'GET', url: `/api/categories/suggest?text=${encodeURIComponent('嗯')}` });
    expect(none.json().category).toBeNull();
    expectError(await t.app.inject({ method: 'GET', url: '/api/categories/suggest?text=' }), 400, 'VALIDATION_FAILED');
  });
});
