import { describe, expect, it } from 'vitest';
import { systemContext } from '../../src/core/scope.ts';
import * as repo from '../../src/modules/points/points.repository.ts';
import { PointsService, type TransferInput } from '../../src/modules/points/points.service.ts';
import { useTestTown } from '../helpers/town.ts';

interface Mine { balance: number; held: number; available: number; items: { delta: number; kind: string; rule: string | null }[]; granted?: number; already?: boolean }

describe('the points ledger (德分宝)', () => {
  const t = useTestTown({ seed: 'story' });
  const [resident, resident12, admin, staff] = t.actors('t_resident', 't_resident12', 't_admin', 't_staff1');
  const ctx = systemContext('test');
  const points = () => new PointsService(t.deps);
  const run = <T>(fn: (s: PointsService, trx: Parameters<PointsService['transferIn']>[0]) => Promise<T>) => t.deps.db.transaction().execute((trx) => fn(points(), trx));
  const account = (residentId: number) => repo.ensureResidentAccount(t.deps.db, residentId);
  const proof = () => repo.reconcile(t.deps.db);

  it('grants the daily check-in once however many times it is pressed at once', async () => {
    const presses = await Promise.all(Array.from({ length: 20 }, () => resident.raw('POST', '/api/points/checkin')));
    expect(presses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const answers = presses.map((r) => r.json<Mine>());
    expect(answers.filter((a) => (a.granted ?? 0) > 0)).toHaveLength(1);
    const mine = await resident.ok<Mine>('GET', '/api/points/me');
    expect(mine).toMatchObject({ balance: 2, held: 0, available: 2, items: [{ delta: 2, kind: 'earn', rule: 'daily_checkin' }] });
    expect(await resident.ok<Mine>('POST', '/api/points/checkin')).toMatchObject({ granted: 0, already: true, balance: 2 });
    expect(await proof()).toEqual({ mismatched: [], total: 0, entriesTotal: 0 });
    // Staff without a home in the register, and the anonymous, have no points.
    expect((await staff.raw('POST', '/api/points/checkin')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/points/checkin' })).statusCode).toBe(401);
  });

  it('lets ten holds of 30 race on 100 points and reserves exactly three, then posts, voids and expires them', async () => {
    const r12 = await account(t.town.residents.r12);
    const [issuance, settlement] = await Promise.all([repo.systemAccount(t.deps.db, 'issuance'), repo.systemAccount(t.deps.db, 'settlement')]);
    await run((s, trx) => s.transferIn(trx, ctx, { key: 'adjust:r12:100', kind: 'adjust', debitId: issuance.id, creditId: r12.id, amount: 100, note: '志愿服务补录' }));
    const hold = (i: number, until = new Date(Date.now() + 300_000)): TransferInput => ({ key: `hold:r12:${i}`, kind: 'redeem', debitId: r12.id, creditId: settlement.id, amount: 30, pendingUntil: until });
    const raced = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => run((s, trx) => s.transferIn(trx, ctx, hold(i)))));
    const won = raced.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ transfer: repo.TransferRow }>).value.transfer);
    expect(won).toHaveLength(3);
    for (const r of raced) if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('INSUFFICIENT_POINTS');
    expect(await repo.accountById(t.deps.db, r12.id)).toMatchObject({ balance: 100, held: 90 });
    const [a, b, c] = won as [repo.TransferRow, repo.TransferRow, repo.TransferRow];
    await run((s, trx) => s.postHold(trx, ctx, a.id));
    // A hold is posted once; a voided one cannot be posted.
    await expect(run((s, trx) => s.postHold(trx, ctx, a.id))).rejects.toMatchObject({ code: 'CONFLICT' });
    await run((s, trx) => s.releaseHold(trx, ctx, b.id, 'voided'));
    await expect(run((s, trx) => s.postHold(trx, ctx, b.id))).rejects.toMatchObject({ code: 'CONFLICT' });
    // The third runs out by itself.
    await t.deps.db.updateTable('point_transfers').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', c.id).execute();
    expect(await points().expireHolds(ctx)).toBe(1);
    expect(await repo.transferById(t.deps.db, c.id)).toMatchObject({ state: 'expired' });
    expect(await repo.accountById(t.deps.db, r12.id)).toMatchObject({ balance: 70, held: 0 });
    expect(await repo.accountById(t.deps.db, settlement.id)).toMatchObject({ balance: 30 });
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('answers a retried key with the first transfer, refuses the key with another body, and changes nothing', async () => {
    const issuance = await repo.systemAccount(t.deps.db, 'issuance');
    const r11 = await account(t.town.residents.r11);
    const body: TransferInput = { key: 'adjust:r11:once', kind: 'adjust', debitId: issuance.id, creditId: r11.id, amount: 10 };
    const first = await run((s, trx) => s.transferIn(trx, ctx, body));
    const again = await run((s, trx) => s.transferIn(trx, ctx, body));
    expect(again).toMatchObject({ created: false, transfer: { id: first.transfer.id } });
    const before = await repo.accountById(t.deps.db, r11.id);
    await expect(run((s, trx) => s.transferIn(trx, ctx, { ...body, amount: 11 }))).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    for (const amount of [-5, 0, 2.5]) await expect(run((s, trx) => s.transferIn(trx, ctx, { ...body, key: `bad:${amount}`, amount }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await repo.accountById(t.deps.db, r11.id)).toEqual(before);

    // A reversal compensates, once; a reversal is not reversed; more than the balance cannot be taken back.
    const back = await run((s, trx) => s.reverse(trx, ctx, first.transfer.id, 'reverse:once', '录错了'));
    expect(back.transfer).toMatchObject({ kind: 'reverse', reverses_id: first.transfer.id, amount: 10 });
    expect(await run((s, trx) => s.reverse(trx, ctx, first.transfer.id, 'reverse:once', '录错了'))).toMatchObject({ created: false });
    await expect(run((s, trx) => s.reverse(trx, ctx, first.transfer.id, 'reverse:twice', '再冲'))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(run((s, trx) => s.reverse(trx, ctx, back.transfer.id, 'reverse:back', '冲回来'))).rejects.toMatchObject({ code: 'CONFLICT' });
    const big = await run((s, trx) => s.transferIn(trx, ctx, { key: 'adjust:r11:big', kind: 'adjust', debitId: issuance.id, creditId: r11.id, amount: 50 }));
    const settlement = await repo.systemAccount(t.deps.db, 'settlement');
    await run((s, trx) => s.transferIn(trx, ctx, { key: 'spend:r11', kind: 'redeem', debitId: r11.id, creditId: settlement.id, amount: 45 }));
    await expect(run((s, trx) => s.reverse(trx, ctx, big.transfer.id, 'reverse:big', '冲正'))).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('grants a rule once per event and nothing past its daily cap', async () => {
    const grants: number[] = [];
    for (const event of ['m1', 'm2', 'm3', 'm4', 'm1']) {
      const r = await run((s, trx) => s.earnIn(trx, ctx, 'accepted_report', t.town.residents.r12, event));
      grants.push(r.created ? (r.transfer?.amount ?? 0) : 0);
    }
    expect(grants).toEqual([10, 10, 10, 0, 0]);
    expect(await proof()).toMatchObject({ mismatched: [], total: 0 });
  });

  it('keeps the rules for administrators to set and everyone signed in to read', async () => {
    // The rules are the scheme's published terms: a resident reads how to earn; the anonymous read nothing.
    expect((await resident12.raw('GET', '/api/points/rules')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/points/rules' })).statusCode).toBe(401);
    expect((await staff.raw('PUT', '/api/points/rules/daily_checkin', { points: 3, dailyCap: 3, monthlyCap: 90, active: true })).statusCode).toBe(403);
    expect((await admin.raw('PUT', '/api/points/rules/daily_checkin', { points: -1, dailyCap: 3, monthlyCap: 90, active: true })).statusCode).toBe(400);
    expect((await admin.raw('PUT', '/api/points/rules/no_such_rule', { points: 1, dailyCap: 0, monthlyCap: 0, active: true })).statusCode).toBe(400);
    await admin.ok('PUT', '/api/points/rules/daily_checkin', { points: 3, dailyCap: 3, monthlyCap: 90, active: true });
    const rules = await staff.ok<{ items: { rule: string; points: number }[] }>('GET', '/api/points/rules');
    expect(rules.items.find((r) => r.rule === 'daily_checkin')?.points).toBe(3);
  });
});
