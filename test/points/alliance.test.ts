import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { beijingDay } from '../../src/core/beijing.ts';
import { expiringAt } from '../../src/core/points/ledger.ts';
import { systemContext } from '../../src/core/scope.ts';
import { createJobRunner } from '../../src/modules/jobs/jobs.setup.ts';
import { EXPIRE_LOTS_JOB, expireLots, RECONCILE_JOB, reconcileIn } from '../../src/modules/points/ledger.jobs.ts';
import * as repo from '../../src/modules/points/points.repository.ts';
import { PointsService } from '../../src/modules/points/points.service.ts';
import { expectError } from '../helpers/app.ts';
import { Actor } from '../helpers/matters.ts';
import { useTestTown } from '../helpers/town.ts';

interface Merchant { id: number; name: string; state: string; keepers: { id: number; name: string; phone: string | null; resident: boolean }[]; items: Item[] }
interface Item { id: number; name: string; points: number; stock: number | null }
interface Code { id: number; code: string | null; qr: string | null; state: string; points: number; expiresAt: string }
interface Mine { balance: number; held: number; available: number }
interface Counter { id: number; state: string; points: number; resident: string; codeTail: string }

let nextPhone = 13800001000;
let nextIp = 1;

describe('the merchant alliance (德商联盟): codes, counters, limits, hours and proofs', () => {
  const t = useTestTown({ seed: 'story' });
  const [resident, resident12, resident21, staff, worker, admin] = t.actors('t_resident', 't_resident12', 't_resident21', 't_staff1', 't_worker11', 't_admin');
  const ctx = systemContext('test');
  const points = () => new PointsService(t.deps);
  const proof = () => repo.reconcile(t.deps.db);
  let keys = 0;
  const key = () => `k-${++keys}`;

  /** Gives a resident points from issuance, as an adjustment. */
  async function fund(residentId: number, amount: number) {
    const account = await repo.ensureResidentAccount(t.deps.db, residentId);
    const issuance = await repo.systemAccount(t.deps.db, 'issuance');
    await t.deps.db.transaction().execute((trx) => points().transferIn(trx, ctx, { key: `fund:${residentId}:${key()}`, kind: 'adjust', debitId: issuance.id, creditId: account.id, amount }));
  }

  /** A merchant of c1 open all day with one item, and its keeper signed in by phone code. */
  async function openShop(item: { name: string; points: number; stock: number | null }, extra: Record<string, unknown> = {}) {
    const phone = String(nextPhone++);
    const m = await staff.ok<Merchant>('POST', '/api/merchants', {
      communityId: t.town.c1.id, name: `王嬢嬢副食店${phone.slice(-3)}`, address: '花园路12号', opens: '00:00', closes: '00:00', keeper: { name: '王秀英', phone }, ...extra,
    });
    const it = await staff.ok<Item>('POST', `/api/merchants/${m.id}/items`, item);
    const ip = `10.8.0.${nextIp++}`;
    const sent = await t.app.inject({ method: 'POST', url: '/api/auth/phone/code', payload: { phone }, remoteAddress: ip });
    const verified = await t.app.inject({ method: 'POST', url: '/api/auth/phone/verify', payload: { phone, code: sent.json().demoCode }, remoteAddress: ip });
    expect(verified.statusCode).toBe(200);
    const cookie = verified.cookies.find((c) => c.name === 'dg_session');
    const keeper = Actor.withSession(() => t.app, `keeper${phone}`, { cookie: `dg_session=${cookie?.value}` });
    return { merchant: m, item: it, keeper, keeperUserId: verified.json().userId as number };
  }

  const redeem = (who: Actor, itemId: number, quantity = 1, k = key()) => who.raw('POST', '/api/points/redemptions', { itemId, quantity, key: k });
  const balance = (who: Actor) => who.ok<Mine>('GET', '/api/points/me');

  it('holds the points and stock with a code, lets the keeper confirm it once however many scans race, and posts to the merchant', async () => {
    const { merchant, item, keeper } = await openShop({ name: '酱油一瓶', points: 20, stock: 3 });
    expect(merchant.keepers).toEqual([expect.objectContaining({ name: '王秀英', phone: expect.stringMatching(/^138\*+\d{4}$/) })]);
    await fund(t.town.residents.r11, 50);
    const shop = await resident.ok<{ items: { id: number; home: boolean; items: Item[] }[] }>('GET', '/api/points/shop');
    expect(shop.items.find((m) => m.id === merchant.id)).toMatchObject({ home: true, items: [{ id: item.id, points: 20, stock: 3 }] });

    // A double press sends one key twice at once: one code.
    const twice = key();
    const pressed = await Promise.all([redeem(resident, item.id, 1, twice), redeem(resident, item.id, 1, twice)]);
    expect(pressed.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(pressed[0]?.json<Code>().id).toBe(pressed[1]?.json<Code>().id);
    await resident.ok('POST', `/api/points/redemptions/${pressed[0]?.json<Code>().id}/cancel`);
    const k = key();
    const first = await redeem(resident, item.id, 1, k);
    expect(first.statusCode).toBe(200);
    const code = first.json<Code>();
    expect(code).toMatchObject({ state: 'pending', points: 20, code: expect.stringMatching(/^\d{8}$/), qr: `DGPT:${code.code}` });
    // A retried press answers the same code; the same key for another item is refused.
    expect((await redeem(resident, item.id, 1, k)).json<Code>().id).toBe(code.id);
    expectError(await redeem(resident, item.id, 2, k), 409, 'IDEMPOTENCY_CONFLICT');
    expect(await balance(resident)).toMatchObject({ balance: 50, held: 20, available: 30 });
    expect((await staff.ok<Merchant>('GET', `/api/merchants/${merchant.id}`)).items[0]?.stock).toBe(2);

    const scans = await Promise.all(Array.from({ length: 200 }, () => keeper.raw('POST', `/api/merchants/${merchant.id}/confirm`, { code: code.qr })));
    const won = scans.filter((r) => r.statusCode === 200);
    expect(won).toHaveLength(1);
    expect(won[0]?.json<Counter>()).toMatchObject({ state: 'confirmed', points: 20, resident: '王**', codeTail: code.code?.slice(-4) });
    for (const r of scans.filter((x) => x.statusCode !== 200)) expectError(r, 409, 'CODE_USED');
    expect(await balance(resident)).toMatchObject({ balance: 30, held: 0, available: 30 });
    const account = await t.deps.db.selectFrom('point_accounts').selectAll().where('merchant_id', '=', merchant.id).executeTakeFirstOrThrow();
    expect(account.balance).toBe(20);
    expect(await t.deps.db.selectFrom('point_entries').select('id').where('account_id', '=', account.id).execute()).toHaveLength(1);
    const today = await keeper.ok<{ items: Counter[]; confirmed: number; confirmedPoints: number }>('GET', `/api/merchants/${merchant.id}/today`);
    expect(today).toMatchObject({ confirmed: 1, confirmedPoints: 20 });
    // Neither another resident nor the community staff run this counter.
    expectError(await resident12.raw('POST', `/api/merchants/${merchant.id}/confirm`, { code: code.code }), 403, 'FORBIDDEN');
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('lets ten codes of 30 race on 100 points and holds at most three', async () => {
    const { item } = await openShop({ name: '洗衣粉', points: 30, stock: null });
    await fund(t.town.residents.r12, 100 - (await balance(resident12)).balance);
    const raced = await Promise.all(Array.from({ length: 10 }, () => redeem(resident12, item.id)));
    const ok = raced.filter((r) => r.statusCode === 200);
    expect(ok.length).toBeLessThanOrEqual(3);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of raced.filter((x) => x.statusCode !== 200)) expect(['INSUFFICIENT_POINTS', 'LIMIT_REACHED']).toContain(r.json().error.code);
    const mine = await balance(resident12);
    expect(mine).toMatchObject({ balance: 100, held: 30 * ok.length });
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('refuses bad codes and input with stable codes and changes nothing', async () => {
    const a = await openShop({ name: '鸡蛋十个', points: 5, stock: 1 });
    const b = await openShop({ name: '理发一次', points: 5, stock: null });
    await fund(t.town.residents.r11, 20);
    const before = await balance(resident);
    for (const quantity of [-1, 0, 1.5, 21]) expectError(await redeem(resident, a.item.id, quantity), 400, 'VALIDATION_FAILED');
    expectError(await resident.raw('POST', '/api/points/redemptions', { itemId: a.item.id, quantity: 1 }), 400, 'VALIDATION_FAILED');
    expectError(await staff.raw('POST', `/api/merchants/${a.merchant.id}/items`, { name: '负数', points: -3 }), 400, 'VALIDATION_FAILED');
    expectError(await staff.raw('POST', `/api/merchants/${a.merchant.id}/items`, { name: '小数', points: 2.5 }), 400, 'VALIDATION_FAILED');
    expect(await balance(resident)).toMatchObject(before);

    const code = (await redeem(resident, a.item.id)).json<Code>();
    // The last egg box is held: a second code is refused, and comes back when the first is declined.
    expectError(await redeem(resident, a.item.id), 409, 'OUT_OF_STOCK');
    expectError(await b.keeper.raw('POST', `/api/merchants/${b.merchant.id}/confirm`, { code: code.code }), 409, 'CODE_OTHER_MERCHANT');
    expectError(await a.keeper.raw('POST', `/api/merchants/${a.merchant.id}/confirm`, { code: '00000000' === code.code ? '00000001' : '00000000' }), 404, 'CODE_UNKNOWN');
    expectError(await a.keeper.raw('POST', `/api/merchants/${a.merchant.id}/confirm`, { code: 'hello' }), 400, 'VALIDATION_FAILED');
    const declined = await a.keeper.ok<Counter>('POST', `/api/merchants/${a.merchant.id}/decline`, { code: code.code, reason: '居民不要了' });
    expect(declined.state).toBe('declined');
    expectError(await a.keeper.raw('POST', `/api/merchants/${a.merchant.id}/confirm`, { code: code.code }), 409, 'CODE_USED');
    expect(await balance(resident)).toMatchObject({ ...before, held: 0 });

    // A code left alone runs out by itself (the durable job at its five minutes), freeing the points and the egg box.
    const late = (await redeem(resident, a.item.id)).json<Code>();
    expect(await balance(resident)).toMatchObject({ held: 5 });
    const after = new Date(Date.parse(late.expiresAt) + 1000);
    await createJobRunner(t.deps).runDue(after);
    const codes = await resident.ok<{ items: Code[] }>('GET', '/api/points/redemptions/mine');
    expect(codes.items.find((c) => c.id === late.id)).toMatchObject({ state: 'expired', code: null, qr: null });
    expect(await balance(resident)).toMatchObject({ ...before, held: 0 });
    expect((await staff.ok<Merchant>('GET', `/api/merchants/${a.merchant.id}`)).items[0]?.stock).toBe(1);
    expectError(await a.keeper.raw('POST', `/api/merchants/${a.merchant.id}/confirm`, { code: late.code }), 409, 'CODE_EXPIRED');

    // A suspended shop takes no new codes; a resident cancels her own code.
    const mine = (await redeem(resident, b.item.id)).json<Code>();
    expect((await resident.ok<Code>('POST', `/api/points/redemptions/${mine.id}/cancel`)).state).toBe('declined');
    const shown = (await redeem(resident, b.item.id)).json<Code>();
    await staff.ok('POST', `/api/merchants/${b.merchant.id}/suspend`, { reason: '被投诉，暂停核查' });
    expectError(await redeem(resident, b.item.id), 409, 'MERCHANT_UNAVAILABLE');
    // A suspended shop collects nothing; the code it was shown can still be declined, freeing the points.
    expectError(await b.keeper.raw('POST', `/api/merchants/${b.merchant.id}/confirm`, { code: shown.code }), 409, 'MERCHANT_UNAVAILABLE');
    await b.keeper.ok('POST', `/api/merchants/${b.merchant.id}/decline`, { code: shown.code, reason: '暂停期间' });
    expectError(await worker.raw('POST', `/api/merchants/${b.merchant.id}/reinstate`, {}), 403, 'FORBIDDEN');
    await staff.ok('POST', `/api/merchants/${b.merchant.id}/reinstate`, {});
    expect(await balance(resident)).toMatchObject({ ...before, held: 0 });
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('refuses a keeper at their own counter, holds residents and merchants to their daily limits, and flags the patterns', async () => {
    const own = await openShop({ name: '凉面一碗', points: 1, stock: null }, { dailyPointsCap: 3 });
    // The keeper is also 王建国 of the register: self-dealing is refused and flagged.
    await t.deps.db.updateTable('merchant_keepers').set({ user_id: t.town.users.resident }).where('merchant_id', '=', own.merchant.id).execute();
    await fund(t.town.residents.r11, 10);
    expectError(await redeem(resident, own.item.id), 403, 'SELF_DEALING');
    await t.deps.db.updateTable('merchant_keepers').set({ user_id: own.keeperUserId }).where('merchant_id', '=', own.merchant.id).execute();

    await admin.ok('PUT', '/api/points/scheme', { lotMonths: null, residentDailyRedemptions: 2, residentDailyPoints: 500, repeatWindowDays: 7, repeatThreshold: 2 });
    expectError(await resident.raw('PUT', '/api/points/scheme', { lotMonths: null, residentDailyRedemptions: 99, residentDailyPoints: 500, repeatWindowDays: 7, repeatThreshold: 2 }), 403, 'FORBIDDEN');
    await fund(t.town.residents.r21, 10);
    const c1 = (await redeem(resident21, own.item.id)).json<Code>();
    const c2 = (await redeem(resident21, own.item.id)).json<Code>();
    expectError(await redeem(resident21, own.item.id), 409, 'LIMIT_REACHED');
    await own.keeper.ok('POST', `/api/merchants/${own.merchant.id}/confirm`, { code: c1.code });
    await own.keeper.ok('POST', `/api/merchants/${own.merchant.id}/confirm`, { code: c2.code });
    // The shop's own cap (3 points a day) stops another resident's code at the fourth point.
    await fund(t.town.residents.r11, 5);
    await redeem(resident, own.item.id).then((r) => expect(r.statusCode).toBe(200));
    expectError(await redeem(resident, own.item.id), 409, 'LIMIT_REACHED');

    const flags = await staff.ok<{ items: { id: number; kind: string; state: string; resident: { name: string } | null }[] }>('GET', '/api/points/flags?state=open');
    const kinds = flags.items.map((f) => f.kind);
    for (const k of ['self_dealing', 'resident_limit', 'merchant_limit', 'repeat_merchant']) expect(kinds).toContain(k);
    expect(flags.items.find((f) => f.kind === 'self_dealing')?.resident?.name).toBe('王**');
    const flag = flags.items[0];
    if (!flag) throw new Error('no flag');
    await staff.ok('POST', `/api/points/flags/${flag.id}/review`, { state: 'cleared', note: '核实无误' });
    expectError(await staff.raw('POST', `/api/points/flags/${flag.id}/review`, { state: 'upheld' }), 409, 'CONFLICT');
    expectError(await resident.raw('GET', '/api/points/flags'), 403, 'FORBIDDEN');
    await admin.ok('PUT', '/api/points/scheme', { lotMonths: null, residentDailyRedemptions: 5, residentDailyPoints: 500, repeatWindowDays: 7, repeatThreshold: 4 });
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('grants volunteer hours when someone other than the recorder signs them off, once', async () => {
    const rules = await admin.ok<{ items: { rule: string; points: number }[] }>('GET', '/api/points/rules');
    const perHour = rules.items.find((r) => r.rule === 'volunteer_hours')?.points ?? 0;
    const before = await balance(resident);
    expectError(await resident.raw('POST', '/api/points/hours', { residentId: t.town.residents.r11, activity: '帮孤寡老人打扫', servedOn: beijingDay(new Date()), minutes: 90 }), 403, 'FORBIDDEN');
    expectError(await worker.raw('POST', '/api/points/hours', { residentId: t.town.residents.r11, activity: '明天的', servedOn: '2999-01-01', minutes: 90 }), 400, 'VALIDATION_FAILED');
    expectError(await worker.raw('POST', '/api/points/hours', { residentId: t.town.residents.r11, activity: '太短', servedOn: beijingDay(new Date()), minutes: 5 }), 400, 'VALIDATION_FAILED');
    const h = await worker.ok<{ id: number; state: string }>('POST', '/api/points/hours', { residentId: t.town.residents.r11, activity: '帮孤寡老人打扫卫生', servedOn: beijingDay(new Date()), minutes: 90 });
    expect(h.state).toBe('pending');
    // A grid worker records but does not sign off; the recorder never signs off their own.
    expectError(await worker.raw('POST', `/api/points/hours/${h.id}/approve`, {}), 403, 'FORBIDDEN');
    const approved = await Promise.all([staff.raw('POST', `/api/points/hours/${h.id}/approve`, {}), staff.raw('POST', `/api/points/hours/${h.id}/approve`, {})]);
    expect(approved.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(approved.find((r) => r.statusCode === 200)?.json()).toMatchObject({ state: 'approved', points: Math.floor(perHour * 1.5) });
    expect((await balance(resident)).balance).toBe(before.balance + Math.floor(perHour * 1.5));
    const mine = await resident.ok<{ items: { id: number; resident: { name: string } }[] }>('GET', '/api/points/hours/mine');
    expect(mine.items.find((x) => x.id === h.id)?.resident.name).not.toMatch(/\*/);
    const listed = await staff.ok<{ items: { id: number; resident: { name: string } }[] }>('GET', '/api/points/hours');
    // The staff who sign hours off see whose they are, as the register shows them.
    expect(listed.items.find((x) => x.id === h.id)?.resident.name).toBe('王建国');
    const rejected = await worker.ok<{ id: number }>('POST', '/api/points/hours', { residentId: t.town.residents.r11, activity: '重复登记', servedOn: beijingDay(new Date()), minutes: 60 });
    await staff.ok('POST', `/api/points/hours/${rejected.id}/reject`, { reason: '重复登记' });
    expect((await balance(resident)).balance).toBe(before.balance + Math.floor(perHour * 1.5));
  });

  it('reports figures, redemptions and settlement, and settles a merchant once', async () => {
    const { merchant, item, keeper } = await openShop({ name: '修鞋一次', points: 4, stock: null });
    await fund(t.town.residents.r11, 8);
    for (let i = 0; i < 2; i++) {
      const c = (await redeem(resident, item.id)).json<Code>();
      await keeper.ok('POST', `/api/merchants/${merchant.id}/confirm`, { code: c.code });
    }
    const day = beijingDay(new Date());
    const figures = await staff.ok<{ redeemed: number; redemptions: number; registered: number; children: { node: { id: number }; redeemed: number }[] }>('GET', `/api/points/figures?nodeId=${t.town.c1.id}&from=${day}&to=${day}`);
    const confirmedToday = await t.deps.db.selectFrom('redemptions as d').innerJoin('residents as r', 'r.id', 'd.resident_id').innerJoin('nodes as g', 'g.id', 'r.grid_id')
      .select((eb) => eb.fn.sum<number>('d.points').as('n')).where('d.state', '=', 'confirmed').where('g.path', 'like', `${t.town.c1.path}%`).executeTakeFirstOrThrow();
    expect(figures.redeemed).toBe(Number(confirmedToday.n));
    expect(figures.registered).toBeGreaterThanOrEqual(2);
    expect(figures.children.reduce((s, c) => s + c.redeemed, 0)).toBe(figures.redeemed);
    expectError(await resident.raw('GET', `/api/points/figures?nodeId=${t.town.c1.id}&from=${day}&to=${day}`), 403, 'FORBIDDEN');

    const report = await keeper.raw('GET', `/api/merchants/${merchant.id}/report.xlsx?from=${day}&to=${day}`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('兑换明细');
    expect(ws?.getRow(2).getCell(3).value).toBe('修鞋一次');
    expect(ws?.getRow(2).getCell(6).value).toBe('王**');

    const k = key();
    const settled = await staff.ok<{ points: number; created: boolean }>('POST', `/api/merchants/${merchant.id}/settle`, { key: k });
    expect(settled).toMatchObject({ points: 8, created: true });
    expect(await staff.ok('POST', `/api/merchants/${merchant.id}/settle`, { key: k })).toMatchObject({ points: 8, created: false });
    expectError(await staff.raw('POST', `/api/merchants/${merchant.id}/settle`, { key: key() }), 409, 'CONFLICT');
    const sheet = await staff.raw('GET', `/api/points/settlement.xlsx?nodeId=${t.town.c1.id}&from=${day}&to=${day}`);
    const swb = new ExcelJS.Workbook();
    await swb.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    swb.getWorksheet('商户结算')?.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[0] === merchant.name)).toEqual([merchant.name, expect.any(String), '正常', 2, 8, 8, 0]);
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('proves the ledger every night and raises the alarm when a balance does not match its entries', async () => {
    const ok = await admin.ok<{ ok: boolean; total: number }>('POST', '/api/points/reconcile');
    expect(ok).toMatchObject({ ok: true, total: 0 });
    const account = await repo.ensureResidentAccount(t.deps.db, t.town.residents.r21);
    // Someone edits a balance behind the ledger's back.
    await t.deps.db.updateTable('point_accounts').set((eb) => ({ balance: eb('balance', '+', 7) })).where('id', '=', account.id).execute();
    await t.deps.db.insertInto('jobs').values({ kind: RECONCILE_JOB, run_at: new Date(Date.now() - 1000), dedupe_key: `${RECONCILE_JOB}:test`, payload: '{}' }).execute();
    await createJobRunner(t.deps, { kinds: [RECONCILE_JOB] }).runDue();
    const runs = await admin.ok<{ items: { ok: boolean; mismatched: { id: number }[] }[] }>('GET', '/api/points/reconciliations');
    expect(runs.items[0]).toMatchObject({ ok: false, mismatched: [{ id: account.id }] });
    const notices = await t.deps.db.selectFrom('notices').select(['user_id', 'body']).where('kind', '=', 'points_reconciliation').execute();
    expect(notices.map((n) => n.user_id)).toContain(t.town.users.admin);
    const flags = await admin.ok<{ items: { kind: string }[] }>('GET', '/api/points/flags?state=open');
    expect(flags.items.map((f) => f.kind)).toContain('reconciliation');
    // The next night is queued by the run itself.
    expect(await t.deps.db.selectFrom('jobs').select('id').where('kind', '=', RECONCILE_JOB).where('status', '=', 'pending').execute()).not.toHaveLength(0);
    await t.deps.db.updateTable('point_accounts').set((eb) => ({ balance: eb('balance', '-', 7) })).where('id', '=', account.id).execute();
    expect((await t.deps.db.transaction().execute((trx) => reconcileIn(trx, ctx))).ok).toBe(true);
  });

  it('expires lots oldest-first at the end of a period, once, and never what a code holds', async () => {
    const old = new Date(Date.now() - 100 * 86_400_000);
    const residentId = t.town.residents.r21;
    const account = await repo.ensureResidentAccount(t.deps.db, residentId);
    const issuance = await repo.systemAccount(t.deps.db, 'issuance');
    const expiry = await repo.systemAccount(t.deps.db, 'expiry');
    const start = await repo.accountById(t.deps.db, account.id);
    const run = (at: Date, k: string, amount: number, debit = issuance.id, credit = account.id, kind: 'adjust' | 'redeem' = 'adjust') =>
      t.deps.db.transaction().execute((trx) => points().transferIn(trx, systemContext('test', at), { key: k, kind, debitId: debit, creditId: credit, amount }));
    await run(old, 'lot:old', 30);
    await run(new Date(old.getTime() + 86_400_000), 'spend:old', 10, account.id, (await repo.systemAccount(t.deps.db, 'settlement')).id, 'redeem');
    await run(new Date(), 'lot:new', 15);
    await admin.ok('PUT', '/api/points/scheme', { lotMonths: 1, residentDailyRedemptions: 5, residentDailyPoints: 500, repeatWindowDays: 7, repeatThreshold: 4 });
    // Spending takes the oldest lot first: of the old lot of 30, what the spends (10 then, and today's) left expires.
    const due = expiringAt(await repo.movements(t.deps.db, account.id), new Date(Date.now() - 40 * 86_400_000));
    expect(due).toBeGreaterThan(0);
    expect(due).toBeLessThanOrEqual(20);
    const first = await expireLots(t.deps, points(), ctx);
    expect(first.points).toBe(due);
    const after = await repo.accountById(t.deps.db, account.id);
    expect(after?.balance).toBe((start?.balance ?? 0) + 35 - first.points);
    expect(after?.balance).toBeGreaterThanOrEqual(15);
    expect((await expireLots(t.deps, points(), ctx)).points).toBe(0);
    expect((await repo.accountById(t.deps.db, expiry.id))?.balance).toBeGreaterThanOrEqual(first.points);
    await admin.ok('PUT', '/api/points/scheme', { lotMonths: null, residentDailyRedemptions: 5, residentDailyPoints: 500, repeatWindowDays: 7, repeatThreshold: 4 });
    expect(EXPIRE_LOTS_JOB).toBe('points.lots.expire');
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });
});
