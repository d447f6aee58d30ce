import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testEngine } from './helpers/engine.ts';
import type { Actor, MatterOut } from './helpers/matters.ts';
import { useTestTown, within } from './helpers/town.ts';

/**
 * No step of the closed loop can be skipped or done by the wrong person: each refusal is a 4xx with a stable
 * error code, and nothing changes — not the matter, its timeline, assignments, requests, photos, reporters,
 * notices, deadline jobs, nor the statistics rollups. Each case is a soft assertion, so one run lists them all.
 */
describe(`refusals of the closed loop (${testEngine})`, () => {
  const t = useTestTown({ seed: 'story', closeWithin: 5_000 });
  const [admin, centre, resident, post, police, worker] = t.actors('t_admin', 't_centre', 't_resident', 't_post', 't_police', 't_worker11');

  type Stage = 'reported' | 'registered' | 'dispatched' | 'handling' | 'handled' | 'feedback' | 'closed';
  const ORDER: Stage[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'feedback', 'closed'];

  /**
   * A matter walked to `stage` by the right people: 王建国 reports it in g11; the centre registers it as a street
   * matter (S06001) and dispatches the traffic post as lead with the police station assisting (unless `assist`
   * is false); the post accepts; the police finish their part once the post handles; the centre verifies; he rates.
   */
  async function matterAt(stage: Stage, opts: { assist?: boolean; assistDone?: boolean; reporter?: Actor } = {}): Promise<number> {
    const reach = (s: Stage) => ORDER.indexOf(stage) >= ORDER.indexOf(s);
    const by = opts.reporter ?? resident;
    const m = await by.ok<MatterOut>('POST', '/api/matters', { source: 'resident_report', description: '学校门口早高峰车辆乱停，堵住了校门', location: { buildingId: t.town.building.id } });
    if (reach('registered')) await centre.step(m.id, 'register', { categoryCode: 'S06001' });
    if (reach('dispatched')) await centre.step(m.id, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, assists: opts.assist === false ? [] : [{ kind: 'department', id: t.town.police.id }] });
    if (reach('handling')) await post.step(m.id, 'accept');
    if (opts.assist !== false && (reach('handled') || opts.assistDone)) await police.step(m.id, 'assist-done', { note: '民警到场疏导', photos: [] });
    if (reach('handled')) await post.step(m.id, 'handle', { note: '已疏导', photos: [] });
    if (reach('feedback')) await centre.step(m.id, 'verify', { passed: true });
    if (reach('closed')) await by.step(m.id, 'rate', { satisfaction: 'satisfied' });
    return m.id;
  }

  /** Everything a refused step could have touched. */
  async function snapshot(id: number | null) {
    const db = t.deps.db;
    const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n;
    const tables = ['matters', 'matter_events', 'matter_assignments', 'matter_requests', 'matter_photos', 'matter_reporters', 'notices'];
    return {
      counts: Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await count(name)]))),
      jobs: (await sql`select id, kind, status, run_at from jobs order by id`.execute(db)).rows,
      matterCounts: (await sql`select node_id, day::text, source, category_id, level, status, n from matter_counts where n <> 0 order by 1, 2, 3, 4, 5, 6`.execute(db)).rows,
      matterMetrics: (await sql`select * from matter_metrics order by subject, day`.execute(db)).rows,
      matter: id === null ? null : await admin.matter(id),
    };
  }

  /** The request is refused with `status` and `code`, and nothing changed. */
  async function refused(what: string, id: number | null, status: number, code: string, act: () => Promise<LightMyRequestResponse>) {
    const before = await snapshot(id);
    const res = await act();
    const got = { status: res.statusCode, code: res.statusCode >= 400 ? (res.json().error?.code ?? null) : null };
    expect.soft(got, `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toEqual({ status, code });
    expect.soft(await snapshot(id), `${what}: something changed`).toEqual(before);
  }

  const anonymous = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, ...(payload ? { payload } : {}) });
  const stepBy = (actor: Actor, id: number, step: string, payload: unknown = {}) => () => actor.raw('POST', `/api/matters/${id}/${step}`, payload);

  it('refuses a skipped step with 409 INVALID_TRANSITION', async () => {
    const reported = await matterAt('reported');
    await refused('dispatch before register', reported, 409, 'INVALID_TRANSITION', stepBy(centre, reported, 'dispatch', { lead: { kind: 'post', id: t.town.post.id } }));
    await refused('close a reported matter', reported, 409, 'INVALID_TRANSITION', stepBy(centre, reported, 'close'));
    await refused('verify a reported matter', reported, 409, 'INVALID_TRANSITION', stepBy(centre, reported, 'verify', { passed: true }));
    await refused('rate a reported matter', reported, 409, 'INVALID_TRANSITION', stepBy(resident, reported, 'rate', { satisfaction: 'satisfied' }));

    const registered = await matterAt('registered');
    await refused('register twice', registered, 409, 'INVALID_TRANSITION', stepBy(centre, registered, 'register', { categoryCode: 'S06001' }));
    await refused('handle an undispatched matter', registered, 409, 'INVALID_TRANSITION', stepBy(centre, registered, 'handle', { note: '已处理' }));

    const dispatched = await matterAt('dispatched');
    await refused('handle before accepting', dispatched, 409, 'INVALID_TRANSITION', stepBy(post, dispatched, 'handle', { note: '已疏导' }));
    await refused('verify before handling', dispatched, 409, 'INVALID_TRANSITION', stepBy(centre, dispatched, 'verify', { passed: true }));

    const handling = await matterAt('handling');
    await refused('close before handling is done', handling, 409, 'INVALID_TRANSITION', stepBy(centre, handling, 'close'));
    await refused('verify while handling', handling, 409, 'INVALID_TRANSITION', stepBy(centre, handling, 'verify', { passed: true }));
    await refused('rating before feedback', handling, 409, 'INVALID_TRANSITION', stepBy(resident, handling, 'rate', { satisfaction: 'satisfied' }));
    await refused('an assist closing the matter for the lead', handling, 409, 'INVALID_TRANSITION', stepBy(post, handling, 'assist-done', { note: '完成' }));

    const handled = await matterAt('handled');
    await refused('rating before verification', handled, 409, 'INVALID_TRANSITION', stepBy(resident, handled, 'rate', { satisfaction: 'satisfied' }));
    await refused('closing before verification', handled, 409, 'INVALID_TRANSITION', stepBy(centre, handled, 'close'));

    const closed = await matterAt('closed');
    await refused('dispatch a closed matter', closed, 409, 'INVALID_TRANSITION', stepBy(centre, closed, 'dispatch', { lead: { kind: 'post', id: t.town.post.id } }));
    await refused('handle a closed matter', closed, 409, 'INVALID_TRANSITION', stepBy(post, closed, 'handle', { note: '再处理' }));
    await refused('rate twice', closed, 409, 'INVALID_TRANSITION', stepBy(resident, closed, 'rate', { satisfaction: 'dissatisfied' }));
    await refused('verify a closed matter', closed, 409, 'INVALID_TRANSITION', stepBy(centre, closed, 'verify', { passed: true }));
  });

  it('refuses the wrong person with 403 FORBIDDEN', async () => {
    const registered = await matterAt('registered');
    await refused('dispatch by a grid worker', registered, 403, 'FORBIDDEN', stepBy(worker, registered, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } }));
    await refused('dispatch of a street matter by community staff', registered, 403, 'FORBIDDEN',
      stepBy(await t.as('t_staff1'), registered, 'dispatch', { lead: { kind: 'node', id: t.town.g11.id } }));

    // A police officer reporting what he saw may follow his report, but registering belongs to the centre.
    const byPolice = await matterAt('reported', { reporter: police });
    await refused('register by a department handler', byPolice, 403, 'FORBIDDEN', stepBy(police, byPolice, 'register', { categoryCode: 'S06001' }));
    const policeDispatched = await matterAt('dispatched', { reporter: police, assist: false });
    await refused('accept by another department (one that can see the matter)', policeDispatched, 403, 'FORBIDDEN', stepBy(police, policeDispatched, 'accept'));
    // A department with no part in the matter does not even see it.
    await refused('accept by an unrelated department', policeDispatched, 404, 'NOT_FOUND', stepBy(await t.as('t_market'), policeDispatched, 'accept'));

    const handling = await matterAt('handling', { assistDone: true });
    await refused('handle by an assist, not the lead', handling, 403, 'FORBIDDEN', stepBy(police, handling, 'handle', { note: '已处理' }));
    await refused('handle by the centre', handling, 403, 'FORBIDDEN', stepBy(centre, handling, 'handle', { note: '已处理' }));
    await refused('handle by the grid worker', handling, 403, 'FORBIDDEN', stepBy(worker, handling, 'handle', { note: '已处理' }));
    await refused('progress by the grid worker', handling, 403, 'FORBIDDEN', stepBy(worker, handling, 'progress', { note: '看了一下' }));

    // The lead asks for an extension; only the centre may decide it.
    const asked = await matterAt('handling');
    const due = (await admin.matter(asked)).dueAt ?? '';
    await post.step(asked, 'extend-request', { reason: '需协调交巡警', extendTo: new Date(new Date(due).getTime() + 86400_000).toISOString() });
    const request = (await admin.matter(asked)).requests[0]?.id;
    await refused('the lead approving its own extension', asked, 403, 'FORBIDDEN', () => post.raw('POST', `/api/matters/${asked}/requests/${request}/decide`, { approve: true }));
    await refused('the lead rejecting its own extension', asked, 403, 'FORBIDDEN', () => post.raw('POST', `/api/matters/${asked}/requests/${request}/decide`, { approve: false }));
    await refused('a second request while one is pending', asked, 409, 'CONFLICT', stepBy(post, asked, 'suspend-request', { reason: '等待审批' }));

    const handled = await matterAt('handled');
    await refused('verify by a grid worker', handled, 403, 'FORBIDDEN', stepBy(worker, handled, 'verify', { passed: true }));
    await refused('verify by the lead itself', handled, 403, 'FORBIDDEN', stepBy(post, handled, 'verify', { passed: true }));

    const feedback = await matterAt('feedback');
    await refused('rate by the centre, not the reporter', feedback, 403, 'FORBIDDEN', stepBy(centre, feedback, 'rate', { satisfaction: 'satisfied' }));
    await refused('rate by the grid worker, not the reporter', feedback, 403, 'FORBIDDEN', stepBy(worker, feedback, 'rate', { satisfaction: 'dissatisfied' }));
    await refused('rate by the lead, not the reporter', feedback, 403, 'FORBIDDEN', stepBy(post, feedback, 'rate', { satisfaction: 'satisfied' }));
    await refused('rate by another resident (who cannot see it)', feedback, 404, 'NOT_FOUND', stepBy(await t.as('t_resident12'), feedback, 'rate', { satisfaction: 'satisfied' }));

    const closed = await matterAt('closed');
    await refused('a return visit by a handler', closed, 403, 'FORBIDDEN', stepBy(post, closed, 'visit', { outcome: '回访满意' }));
    await refused('reopen by the resident', closed, 403, 'FORBIDDEN', stepBy(resident, closed, 'reopen', { reason: '又堵了' }));
  });

  it('refuses the lead marking it handled while an assist is unfinished (409 ASSISTS_PENDING)', async () => {
    const handling = await matterAt('handling');
    await refused('handled with the police still at work', handling, 409, 'ASSISTS_PENDING', stepBy(post, handling, 'handle', { note: '已疏导', photos: [] }));
    // Once the police are done, the same step goes through.
    await police.step(handling, 'assist-done', { note: '完成', photos: [] });
    expect((await post.step(handling, 'handle', { note: '已疏导', photos: [] })).status).toBe('handled');
  });

  it('refuses a return without a reason (400 VALIDATION_FAILED)', async () => {
    const dispatched = await matterAt('dispatched');
    await refused('return without a reason', dispatched, 400, 'VALIDATION_FAILED', stepBy(post, dispatched, 'return', {}));
    await refused('return with a one-letter reason', dispatched, 400, 'VALIDATION_FAILED', stepBy(post, dispatched, 'return', { reason: ' 无 ' }));
    await refused('an assist returning without a reason', dispatched, 400, 'VALIDATION_FAILED', stepBy(police, dispatched, 'return', { reason: '' }));
  });

  it("keeps another community's matter invisible to t_staff2: 404 on GET and on every step", async () => {
    const staff2 = await t.as('t_staff2');
    const id = await matterAt('handling');
    await post.step(id, 'extend-request', { reason: '需协调', extendTo: new Date(Date.now() + 30 * 86400_000).toISOString() });
    const request = (await admin.matter(id)).requests[0]?.id;
    await refused('GET', id, 404, 'NOT_FOUND', () => staff2.raw('GET', `/api/matters/${id}`));
    await refused('GET suggestion', id, 404, 'NOT_FOUND', () => staff2.raw('GET', `/api/matters/${id}/suggestion`));
    const other = await matterAt('reported');
    const bodies: Record<string, unknown> = {
      register: { categoryCode: 'S06001' }, reject: { reason: '不属实' }, dispatch: { lead: { kind: 'node', id: t.town.c2.id } }, reassign: { lead: { kind: 'node', id: t.town.c2.id } },
      summon: { departments: [{ kind: 'department', id: t.town.police.id }] }, accept: {}, return: { reason: '不归我管' }, 'assist-done': { note: '完成' },
      escalate: { reason: '上报' }, progress: { note: '进展' }, handle: { note: '完成' }, 'suspend-request': { reason: '暂停' },
      'extend-request': { reason: '延期', extendTo: new Date(Date.now() + 60 * 86400_000).toISOString() }, resume: {}, verify: { passed: true }, rate: { satisfaction: 'satisfied' },
      close: {}, reopen: { reason: '重办' }, visit: { outcome: '回访' }, merge: { intoMatterId: other },
    };
    for (const [step, body] of Object.entries(bodies)) await refused(`${step} by t_staff2`, id, 404, 'NOT_FOUND', stepBy(staff2, id, step, body));
    await refused('decide by t_staff2', id, 404, 'NOT_FOUND', () => staff2.raw('POST', `/api/matters/${id}/requests/${request}/decide`, { approve: true }));
    const list = await staff2.ok<{ items: { id: number }[] }>('GET', '/api/matters?order=recent&limit=200');
    expect(list.items.map((m) => m.id)).not.toContain(id);
  });

  it('refuses anonymous callers with 401 UNAUTHENTICATED', async () => {
    const reported = await matterAt('reported');
    const handling = await matterAt('handling');
    await refused('report', null, 401, 'UNAUTHENTICATED', () => anonymous('POST', '/api/matters', { source: 'resident_report', description: '校门口堵车', location: { buildingId: t.town.building.id } }));
    await refused('list', null, 401, 'UNAUTHENTICATED', () => anonymous('GET', '/api/matters'));
    await refused('GET a matter', reported, 401, 'UNAUTHENTICATED', () => anonymous('GET', `/api/matters/${reported}`));
    await refused('GET a suggestion', reported, 401, 'UNAUTHENTICATED', () => anonymous('GET', `/api/matters/${reported}/suggestion`));
    await refused('register (a step that fits the status)', reported, 401, 'UNAUTHENTICATED', () => anonymous('POST', `/api/matters/${reported}/register`, { categoryCode: 'S06001' }));
    await refused('close (a step that does not fit the status)', reported, 401, 'UNAUTHENTICATED', () => anonymous('POST', `/api/matters/${reported}/close`, {}));
    await refused('accept', handling, 401, 'UNAUTHENTICATED', () => anonymous('POST', `/api/matters/${handling}/accept`, {}));
    await refused('handle', handling, 401, 'UNAUTHENTICATED', () => anonymous('POST', `/api/matters/${handling}/handle`, { note: '已处理' }));
    await refused('a step on an unknown matter', null, 401, 'UNAUTHENTICATED', () => anonymous('POST', '/api/matters/99999999/register', { categoryCode: 'S06001' }));
    await refused('stats', null, 401, 'UNAUTHENTICATED', () => anonymous('GET', `/api/stats/summary?nodeId=${t.town.town.id}&from=2026-01-01&to=2026-01-31`));
  });

  it('answers unknown ids with 404 NOT_FOUND', async () => {
    const registered = await matterAt('registered');
    const handling = await matterAt('handling');
    await refused('GET an unknown matter', null, 404, 'NOT_FOUND', () => centre.raw('GET', '/api/matters/99999999'));
    await refused('a step on an unknown matter', null, 404, 'NOT_FOUND', stepBy(centre, 99999999, 'register', { categoryCode: 'S06001' }));
    await refused('the public page of an unknown code', null, 404, 'NOT_FOUND', () => anonymous('GET', '/api/public/matters/SJ20260101-999999'));
    await refused('deciding an unknown request', handling, 404, 'NOT_FOUND', () => centre.raw('POST', `/api/matters/${handling}/requests/99999999/decide`, { approve: true }));
    await refused('dispatch to an unknown post', registered, 404, 'NOT_FOUND', stepBy(centre, registered, 'dispatch', { lead: { kind: 'post', id: 99999999 } }));
    await refused('dispatch with an unknown assisting department', registered, 404, 'NOT_FOUND',
      stepBy(centre, registered, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, assists: [{ kind: 'department', id: 99999999 }] }));
    await refused('summon an unknown department', handling, 404, 'NOT_FOUND', stepBy(centre, handling, 'summon', { departments: [{ kind: 'department', id: 99999999 }] }));
    await refused('merge into an unknown matter', registered, 404, 'NOT_FOUND', stepBy(centre, registered, 'merge', { intoMatterId: 99999999 }));
    await refused('escalate to an unknown node', registered, 404, 'NOT_FOUND', stepBy(centre, registered, 'escalate', { toNodeId: 99999999, reason: '上报' }));
    await refused('report at an unknown building', null, 404, 'NOT_FOUND', () => centre.raw('POST', '/api/matters', { source: 'hotline', description: '校门口堵车', location: { buildingId: 99999999 } }));
    await refused('report at an unknown node', null, 404, 'NOT_FOUND', () => centre.raw('POST', '/api/matters', { source: 'hotline', description: '校门口堵车', location: { nodeId: 99999999 } }));
    await refused('report for an unknown resident', null, 404, 'NOT_FOUND',
      () => centre.raw('POST', '/api/matters', { source: 'hotline', description: '校门口堵车', location: { nodeId: t.town.g11.id }, reporter: { residentId: 99999999 } }));
  });

  it('refuses malformed bodies with 400 VALIDATION_FAILED', async () => {
    const report = (patch: Record<string, unknown>) => () => worker.raw('POST', '/api/matters', { source: 'patrol', description: '校门口堵车', location: { buildingId: t.town.building.id }, ...patch });
    await refused('a photo hash that is not 64 hex characters', null, 400, 'VALIDATION_FAILED', report({ photos: ['abc'] }));
    await refused('an upper-case photo hash', null, 400, 'VALIDATION_FAILED', report({ photos: ['A'.repeat(64)] }));
    await refused('a photo never uploaded', null, 400, 'VALIDATION_FAILED', report({ photos: ['0'.repeat(64)] }));
    await refused('ten photos', null, 400, 'VALIDATION_FAILED', report({ photos: Array.from({ length: 10 }, (_, i) => String(i).repeat(64)) }));
    await refused('an unknown category code', null, 400, 'VALIDATION_FAILED', report({ categoryCode: 'X99999' }));
    await refused('an unknown source', null, 400, 'VALIDATION_FAILED', report({ source: 'rumour' }));
    await refused('no description', null, 400, 'VALIDATION_FAILED', report({ description: ' ' }));
    await refused('no location', null, 400, 'VALIDATION_FAILED', report({ location: {} }));
    await refused('a latitude out of range', null, 400, 'VALIDATION_FAILED', report({ location: { lng: 106.5, lat: 95 } }));
    await refused('a malformed contact phone', null, 400, 'VALIDATION_FAILED', report({ reporter: { contactPhone: '12345' } }));
    await refused('a matter id that is not a number', null, 400, 'VALIDATION_FAILED', () => centre.raw('GET', '/api/matters/abc'));

    const reported = await matterAt('reported');
    await refused('register with an unknown category', reported, 400, 'VALIDATION_FAILED', stepBy(centre, reported, 'register', { categoryCode: 'X99999' }));
    await refused('register at an unknown level', reported, 400, 'VALIDATION_FAILED', stepBy(centre, reported, 'register', { categoryCode: 'S06001', level: 'planet' }));
    const registered = await matterAt('registered');
    await refused('dispatch to a person', registered, 400, 'VALIDATION_FAILED', stepBy(centre, registered, 'dispatch', { lead: { kind: 'person', id: t.town.users.worker11 } }));
    await refused('dispatch without a lead', registered, 400, 'VALIDATION_FAILED', stepBy(centre, registered, 'dispatch', { assists: [] }));
    await refused('dispatch due in the past', registered, 400, 'VALIDATION_FAILED', stepBy(centre, registered, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, dueAt: '2020-01-01T00:00:00+08:00' }));
    await refused('dispatch due "tomorrow"', registered, 400, 'VALIDATION_FAILED', stepBy(centre, registered, 'dispatch', { lead: { kind: 'post', id: t.town.post.id }, dueAt: 'tomorrow' }));
    const handling = await matterAt('handling', { assistDone: true });
    await refused('a progress note without text', handling, 400, 'VALIDATION_FAILED', stepBy(post, handling, 'progress', { note: '' }));
    const due = (await admin.matter(handling)).dueAt ?? '';
    await refused('an extension that moves the due time earlier', handling, 400, 'VALIDATION_FAILED',
      stepBy(post, handling, 'extend-request', { reason: '需要更多时间', extendTo: new Date(new Date(due).getTime() - 3600_000).toISOString() }));
    await refused('an extension without a date', handling, 400, 'VALIDATION_FAILED', stepBy(post, handling, 'extend-request', { reason: '需要更多时间' }));
    const handled = await matterAt('handled');
    await refused('verify without a verdict', handled, 400, 'VALIDATION_FAILED', stepBy(centre, handled, 'verify', {}));
    await refused('a failed check that says nothing', handled, 400, 'VALIDATION_FAILED', stepBy(centre, handled, 'verify', { passed: false }));
    const feedback = await matterAt('feedback');
    await refused('a rating outside the three grades', feedback, 400, 'VALIDATION_FAILED', stepBy(resident, feedback, 'rate', { satisfaction: 'great' }));
  });

  // Last: on PGlite a point location can leave the single database session stuck, which would take every
  // later test down with it.
  it('refuses a location outside every grid (400 VALIDATION_FAILED)', async () => {
    await refused('a point outside every grid', null, 400, 'VALIDATION_FAILED',
      () => within(10_000, 'POST /api/matters with a point outside every grid', worker.raw('POST', '/api/matters', { source: 'patrol', description: '校门口堵车', location: { lng: 116.4, lat: 39.9 } })));
  });
});
