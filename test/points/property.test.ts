import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.ts';
import { bodyHash } from '../../src/core/points/ledger.ts';
import { systemContext } from '../../src/core/scope.ts';
import type { TransferState } from '../../src/core/vocabulary.ts';
import * as repo from '../../src/modules/points/points.repository.ts';
import { PointsService, type TransferInput } from '../../src/modules/points/points.service.ts';
import { testEngine } from '../helpers/engine.ts';
import { useTestTown } from '../helpers/town.ts';

/**
 * A seeded property test of the points ledger: random batches of earns, holds, posts, voids, expiries, reversals and
 * retried keys, each batch run concurrently (every operation in its own transaction: on PGlite they take turns on the
 * one session, on PostgreSQL they race). A model follows what actually succeeded, and after every batch the database
 * must agree with it and keep the ledger's invariants. A refusal must carry the stable code the situation allows.
 *
 * POINTS_PROPERTY_SEED and POINTS_PROPERTY_RUNS override the fixed seed and the number of runs.
 */

const SEED = Number(process.env.POINTS_PROPERTY_SEED ?? 20261203);
const RUNS = Number(process.env.POINTS_PROPERTY_RUNS ?? (testEngine === 'postgres' ? 300 : 100));
const EXPECTED = new Set(['INSUFFICIENT_POINTS', 'CONFLICT', 'IDEMPOTENCY_CONFLICT', 'NOT_FOUND']);
const GHOST_ID = 2_000_000_000;
const RULE = 'volunteer_hours' as const;

// ---- the operations as fast-check draws them: abstract picks, resolved against the model when their batch runs ----
const pick = fc.nat({ max: 1_000_000 });
const opArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('earn' as const), to: fc.nat(2), amount: fc.integer({ min: 1, max: 25 }), adjust: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('earnRule' as const), to: fc.nat(2), points: fc.integer({ min: 1, max: 20 }), again: fc.boolean(), pick }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('hold' as const), from: fc.nat(2), to: fc.nat(2), amount: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('spend' as const), from: fc.nat(2), amount: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('post' as const), pick, fresh: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('void' as const), pick, fresh: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('expire' as const), pick, fresh: fc.boolean(), job: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('reverse' as const), pick, mode: fc.constantFrom('new' as const, 'new' as const, 'sameKey' as const, 'reuseKey' as const), ofReversal: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('retry' as const), pick, diff: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('ghost' as const), how: fc.constantFrom('post' as const, 'void' as const, 'reverse' as const) }) },
);
type Draw = (typeof opArb) extends fc.Arbitrary<infer T> ? T : never;
const batchesArb = fc.array(fc.array(opArb, { minLength: 2, maxLength: 8 }), { minLength: 3, maxLength: 8 });

// ---- the concrete operations of one batch ----
type Concrete =
  | { t: 'transfer'; label: 'earn' | 'spend' | 'hold' | 'retry' | 'retry-diff'; input: TransferInput }
  | { t: 'earnRule'; residentId: number; accountId: number; eventRef: string; points: number }
  | { t: 'resolve'; how: 'post' | 'void' | 'expire'; id: number }
  | { t: 'job'; id: number }
  | { t: 'reverse'; id: number; key: string; mode: 'new' | 'sameKey' | 'reuseKey' }
  | { t: 'ghost'; how: 'post' | 'void' | 'reverse' };

type Outcome = { ok: true; value: unknown } | { ok: false; code: string | null; error: unknown };

interface MTransfer {
  id: number; key: string; kind: string; debit: number; credit: number; amount: number; state: TransferState; hold: boolean;
  reversesId: number | null; reversal: { id: number; key: string } | null;
}
interface Created { created: boolean; transfer: repo.TransferRow | null }

/** The model: every balance and hold, every transfer of the run, updated from what actually succeeded. */
class Model {
  balance = new Map<number, number>();
  held = new Map<number, number>();
  transfers = new Map<number, MTransfer>();
  byKey = new Map<string, number>();
  /** Every keyed body sent so far (whatever became of it), for retries. */
  inputs: TransferInput[] = [];
  eventRefs: { residentId: number; accountId: number; eventRef: string; points: number }[] = [];
  available = (id: number) => (this.balance.get(id) ?? 0) - (this.held.get(id) ?? 0);
  add(id: number, field: 'balance' | 'held', delta: number) {
    const m = this[field];
    m.set(id, (m.get(id) ?? 0) + delta);
  }
}

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : null);
const show = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}${e instanceof AppError ? '' : `\n${e.stack ?? ''}`}` : String(e));
const describeOp = (c: Concrete) => JSON.stringify(c, (_k, v: unknown) => (v instanceof Date ? 'date' : v));

describe('the points ledger under random concurrent operations (property)', () => {
  const t = useTestTown({ seed: 'story' });
  const ctx = systemContext('test');
  const points = () => new PointsService(t.deps);
  const inTrx = <T>(fn: (s: PointsService, trx: Parameters<PointsService['transferIn']>[0]) => Promise<T>) => t.deps.db.transaction().execute((trx) => fn(points(), trx));
  const later = () => new Date(Date.now() + 3_600_000);

  it(`keeps every invariant over ${RUNS} seeded runs of concurrent batches (seed ${SEED})`, async () => {
    const residentIds = [t.town.residents.r11, t.town.residents.r12, t.town.residents.r21];
    const residents = await Promise.all(residentIds.map((id) => repo.ensureResidentAccount(t.deps.db, id)));
    const [issuance, settlement] = await Promise.all([repo.systemAccount(t.deps.db, 'issuance'), repo.systemAccount(t.deps.db, 'settlement')]);
    // Test set-up: no caps on the rule the grants use, so a grant always gives what it asks for.
    await t.deps.db.updateTable('point_rules').set({ daily_cap: 0, monthly_cap: 0, active: true }).where('rule', '=', RULE).execute();
    const residentAccount = (i: number) => residents[i % residents.length] as repo.AccountRow;
    let seq = 0;
    let totalOps = 0;
    let batchesRun = 0;
    const tally = new Map<string, number>();
    const count = (label: string) => tally.set(label, (tally.get(label) ?? 0) + 1);

    const runOne = async (run: number, batches: Draw[][]) => {
      const model = new Model();
      const accounts = await t.deps.db.selectFrom('point_accounts').select(['id', 'balance', 'held']).execute();
      for (const a of accounts) {
        model.balance.set(a.id, a.balance);
        model.held.set(a.id, a.held);
        if (a.held !== 0) throw new Error(`run ${run} starts with account ${a.id} holding ${a.held}: the previous run left a hold`);
      }
      const runStart = Number((await t.deps.db.selectFrom('point_transfers').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst())?.max ?? 0);

      for (const [b, draws] of batches.entries()) {
        const where = `run ${run}, batch ${b}`;
        const holds = [...model.transfers.values()].filter((x) => x.hold);
        const pending = holds.filter((x) => x.state === 'pending');
        const all = [...model.transfers.values()];
        const from = <T>(list: T[], n: number) => (list.length === 0 ? undefined : list[n % list.length]);
        const key = (what: string) => `prop:${run}:${what}:${++seq}`;

        // Resolve the draws against the model as it stands at the start of the batch.
        const ops: Concrete[] = [];
        for (const d of draws) {
          if (d.t === 'earn') {
            const to = residentAccount(d.to);
            ops.push({ t: 'transfer', label: 'earn', input: { key: key('earn'), kind: d.adjust ? 'adjust' : 'earn', debitId: issuance.id, creditId: to.id, amount: d.amount, note: 'property earn' } });
          } else if (d.t === 'earnRule') {
            const again = d.again ? from(model.eventRefs, d.pick) : undefined;
            ops.push({ t: 'earnRule', ...(again ?? { residentId: residentIds[d.to] ?? 0, accountId: residentAccount(d.to).id, eventRef: `prop-${run}-${++seq}`, points: d.points }) });
          } else if (d.t === 'hold') {
            const debit = residentAccount(d.from);
            const credit = d.to === 0 ? settlement : residentAccount(d.from + d.to);
            ops.push({ t: 'transfer', label: 'hold', input: { key: key('hold'), kind: 'redeem', debitId: debit.id, creditId: credit.id, amount: d.amount, pendingUntil: later() } });
          } else if (d.t === 'spend') {
            ops.push({ t: 'transfer', label: 'spend', input: { key: key('spend'), kind: 'redeem', debitId: residentAccount(d.from).id, creditId: settlement.id, amount: d.amount } });
          } else if (d.t === 'post' || d.t === 'void' || d.t === 'expire') {
            const h = from(d.fresh ? pending : holds, d.pick) ?? from(holds, d.pick);
            if (!h) continue;
            ops.push(d.t === 'expire' && d.job ? { t: 'job', id: h.id } : { t: 'resolve', how: d.t, id: h.id });
          } else if (d.t === 'reverse') {
            const reversals = all.filter((x) => x.kind === 'reverse');
            const target = (d.ofReversal ? from(reversals, d.pick) : undefined) ?? from(all.filter((x) => x.kind !== 'reverse' && x.state === 'posted'), d.pick) ?? from(all, d.pick);
            if (!target) continue;
            const other = from(all.filter((x) => x.id !== target.id), d.pick);
            const k = d.mode === 'sameKey' && target.reversal ? target.reversal.key : d.mode === 'reuseKey' && other ? other.key : key('reverse');
            ops.push({ t: 'reverse', id: target.id, key: k, mode: k === target.reversal?.key ? 'sameKey' : d.mode === 'reuseKey' && other ? 'reuseKey' : 'new' });
          } else if (d.t === 'retry') {
            const input = from(model.inputs, d.pick);
            if (!input) continue;
            ops.push(d.diff
              ? { t: 'transfer', label: 'retry-diff', input: { ...input, amount: input.amount + 1 } }
              : { t: 'transfer', label: 'retry', input: { ...input } });
          } else {
            ops.push({ t: 'ghost', how: d.how });
          }
        }
        for (const op of ops) if (op.t === 'transfer' && op.label !== 'retry' && op.label !== 'retry-diff') model.inputs.push(op.input);
        for (const op of ops) if (op.t === 'earnRule' && !model.eventRefs.some((e) => e.eventRef === op.eventRef)) model.eventRefs.push(op);

        // Run them all at once, each in its own transaction.
        const past = new Date(Date.now() - 1000);
        const markDue = (id: number) => t.deps.db.updateTable('point_transfers').set({ expires_at: past }).where('id', '=', id).where('state', '=', 'pending').execute();
        const exec = async (op: Concrete): Promise<unknown> => {
          switch (op.t) {
            case 'transfer': return inTrx((s, trx) => s.transferIn(trx, ctx, op.input));
            case 'earnRule': return inTrx((s, trx) => s.earnIn(trx, ctx, RULE, op.residentId, op.eventRef, op.points));
            case 'resolve':
              if (op.how === 'post') return inTrx((s, trx) => s.postHold(trx, ctx, op.id));
              if (op.how === 'void') return inTrx((s, trx) => s.releaseHold(trx, ctx, op.id, 'voided'));
              await markDue(op.id);
              return inTrx((s, trx) => s.releaseHold(trx, ctx, op.id, 'expired'));
            case 'job':
              await markDue(op.id);
              return points().expireHolds(ctx);
            case 'reverse': return inTrx((s, trx) => s.reverse(trx, ctx, op.id, op.key, 'property reversal'));
            case 'ghost':
              if (op.how === 'post') return inTrx((s, trx) => s.postHold(trx, ctx, GHOST_ID));
              if (op.how === 'void') return inTrx((s, trx) => s.releaseHold(trx, ctx, GHOST_ID, 'voided'));
              return inTrx((s, trx) => s.reverse(trx, ctx, GHOST_ID, key('ghost'), 'nothing'));
          }
        };
        const settled = await Promise.allSettled(ops.map(exec));
        const outcomes: Outcome[] = settled.map((r) => (r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, code: codeOf(r.reason), error: r.reason }));
        totalOps += ops.length;
        batchesRun += 1;
        const log = () => ops.map((op, i) => {
          const o = outcomes[i] as Outcome;
          return `  ${describeOp(op)} → ${o.ok ? JSON.stringify(o.value, (_k, v: unknown) => (v instanceof Date ? 'date' : v)) : `${o.code ?? 'UNEXPECTED'}: ${show(o.error)}`}`;
        }).join('\n');
        const fail = (why: string): never => {
          throw new Error(`${where}: ${why}\nthe batch:\n${log()}`);
        };
        for (const [i, o] of outcomes.entries()) {
          const op = ops[i] as Concrete;
          count(`${op.t === 'transfer' ? op.label : op.t === 'resolve' ? op.how : op.t}:${o.ok ? 'ok' : o.code}`);
          if (!o.ok && (o.code === null || !EXPECTED.has(o.code))) fail(`operation ${i} failed with an unexpected error: ${show(o.error)}`);
        }
        const pairs = ops.map((op, i) => ({ op, o: outcomes[i] as Outcome }));
        const created = (o: Outcome) => (o.ok ? (o.value as Created) : null);

        // What can only lower an account's available points in this batch, so a refusal is judged against the least
        // the account could have had at any moment of it.
        const decrease = new Map<number, number>();
        const lower = (id: number, n: number) => decrease.set(id, (decrease.get(id) ?? 0) + n);
        for (const { op, o } of pairs) {
          const c = created(o);
          if (!c?.created || !c.transfer) continue;
          if (op.t === 'transfer' || op.t === 'reverse') lower(c.transfer.debit_id, c.transfer.amount);
        }
        const availableAtStart = new Map([...model.balance.keys()].map((id) => [id, model.available(id)]));
        const floor = (id: number) => (availableAtStart.get(id) ?? 0) - (decrease.get(id) ?? 0);
        const start = new Map([...model.transfers.values()].map((x) => [x.id, x.state]));
        const addTransfer = (row: repo.TransferRow, hold: boolean) => {
          if (model.transfers.has(row.id)) fail(`transfer ${row.id} was created twice`);
          model.transfers.set(row.id, { id: row.id, key: row.key, kind: row.kind, debit: row.debit_id, credit: row.credit_id, amount: row.amount, state: row.state, hold, reversesId: row.reverses_id, reversal: null });
          model.byKey.set(row.key, row.id);
          if (row.state === 'pending') model.add(row.debit_id, 'held', row.amount);
          else {
            model.add(row.debit_id, 'balance', -row.amount);
            model.add(row.credit_id, 'balance', row.amount);
          }
        };

        // 1. Keyed transfers and grants: one transfer per key, a retry answers it, another body is refused.
        const keyOf = (op: Concrete) => (op.t === 'transfer' ? op.input.key : op.t === 'earnRule' ? `rule:${RULE}:${op.eventRef}` : null);
        const keyed = pairs.filter((p) => keyOf(p.op) !== null);
        const keys = [...new Set(keyed.map((p) => keyOf(p.op) as string))];
        const rows = keys.length === 0 ? [] : await t.deps.db.selectFrom('point_transfers').selectAll().where('key', 'in', keys).execute();
        const rowOf = new Map(rows.map((r) => [r.key, r]));
        for (const k of keys) {
          const row = rowOf.get(k);
          const before = model.byKey.get(k);
          const mine = keyed.filter((p) => keyOf(p.op) === k);
          const creators = mine.filter((p) => created(p.o)?.created);
          if (creators.length > 1) fail(`key ${k} created ${creators.length} transfers`);
          if (before !== undefined && creators.length > 0) fail(`key ${k} was used before (transfer ${before}) and created another`);
          if (before !== undefined && row?.id !== before) fail(`key ${k} belonged to transfer ${before}, now to ${row?.id}`);
          if (before === undefined && creators.length === 0 && row) fail(`key ${k} has transfer ${row.id} that no operation created`);
          const creator = creators[0];
          if (creator) {
            const c = created(creator.o) as Created;
            if (!row || c.transfer?.id !== row.id) fail(`key ${k}: the created transfer ${c.transfer?.id} is not the stored one (${row?.id})`);
            const r = row as repo.TransferRow;
            if (creator.op.t === 'transfer') {
              const i = creator.op.input;
              if (r.debit_id !== i.debitId || r.credit_id !== i.creditId || r.amount !== i.amount || r.kind !== i.kind || r.state !== (i.pendingUntil ? 'pending' : 'posted')) fail(`key ${k}: stored ${JSON.stringify(r)} is not what was sent`);
            } else if (creator.op.t === 'earnRule') {
              if (r.debit_id !== issuance.id || r.credit_id !== creator.op.accountId || r.amount !== creator.op.points || r.state !== 'posted' || r.kind !== 'earn') fail(`grant ${k}: stored ${JSON.stringify(r)}`);
            }
            addTransfer(r, r.state === 'pending');
          }
          for (const { op, o } of mine) {
            const hash = op.t === 'transfer' ? bodyHash(op.input) : null;
            if (o.ok) {
              const c = o.value as Created;
              if (c.created) continue;
              if (!c.transfer) fail(`key ${k}: a grant without a cap gave nothing`);
              if (!row || c.transfer?.id !== row.id) fail(`key ${k}: a retry answered transfer ${c.transfer?.id}, the key's is ${row?.id}`);
              if (hash !== null && row?.body_hash !== hash) fail(`key ${k}: another body was answered as a retry`);
            } else if (o.code === 'IDEMPOTENCY_CONFLICT') {
              if (!row || hash === null || row.body_hash === hash) fail(`key ${k}: IDEMPOTENCY_CONFLICT for the same body or no transfer`);
            } else if (o.code === 'INSUFFICIENT_POINTS') {
              if (op.t !== 'transfer' || op.input.debitId === issuance.id) fail(`key ${k}: INSUFFICIENT_POINTS where nothing can run out`);
              const input = (op as { input: TransferInput }).input;
              if (before !== undefined) fail(`key ${k}: INSUFFICIENT_POINTS for a key already used`);
              if (input.amount <= floor(input.debitId)) fail(`key ${k}: ${input.amount} refused as INSUFFICIENT_POINTS though account ${input.debitId} had at least ${floor(input.debitId)} available all along`);
            } else fail(`key ${k}: refused with ${o.code}`);
          }
        }

        // 2. Holds: each is posted, voided or expired once; a second resolution is a CONFLICT.
        const targeted = pairs.filter((p) => p.op.t === 'resolve' || p.op.t === 'job');
        const holdIds = [...new Set(targeted.map((p) => (p.op as { id: number }).id))];
        const jobsRan = targeted.some((p) => p.op.t === 'job');
        const states = holdIds.length === 0 ? [] : await t.deps.db.selectFrom('point_transfers').select(['id', 'state']).where('id', 'in', holdIds).execute();
        const stateOf = new Map(states.map((s) => [s.id, s.state]));
        const target = { post: 'posted', void: 'voided', expire: 'expired' } as const;
        for (const id of holdIds) {
          const h = model.transfers.get(id) as MTransfer;
          const now = stateOf.get(id);
          const direct = targeted.filter((p) => p.op.t === 'resolve' && p.op.id === id);
          const jobs = targeted.filter((p) => p.op.t === 'job' && p.op.id === id);
          for (const { o } of jobs) if (!o.ok) fail(`the expiry job failed: ${show(o.error)}`);
          for (const { o } of direct) if (!o.ok && o.code !== 'CONFLICT') fail(`hold ${id}: resolving it was refused with ${o.code}`);
          const won = direct.filter((p) => p.o.ok);
          if (start.get(id) !== 'pending') {
            if (won.length > 0) fail(`hold ${id} was ${start.get(id)} and was resolved again`);
            if (now !== h.state) fail(`hold ${id} was ${h.state} and is now ${now}`);
            continue;
          }
          if (won.length > 1) fail(`hold ${id} was resolved ${won.length} times`);
          const w = won[0];
          if (w) {
            const how = (w.op as { how: 'post' | 'void' | 'expire' }).how;
            if (now !== target[how] || (w.o as { value: { state: string } }).value.state !== target[how]) fail(`hold ${id}: ${how} succeeded but the hold is ${now}`);
          } else {
            const madeDue = jobs.length > 0 || direct.some((p) => (p.op as { how: string }).how === 'expire');
            if (now !== 'expired' || !jobsRan || !madeDue) fail(`hold ${id}: nothing resolved it, yet it is ${now}`);
          }
          h.state = now as TransferState;
          model.add(h.debit, 'held', -h.amount);
          if (h.state === 'posted') {
            model.add(h.debit, 'balance', -h.amount);
            model.add(h.credit, 'balance', h.amount);
          }
        }

        // 3. Reversals: once, of a posted transfer, never of a reversal.
        const reversing = pairs.filter((p) => p.op.t === 'reverse');
        for (const id of new Set(reversing.map((p) => (p.op as { id: number }).id))) {
          const tr = model.transfers.get(id) as MTransfer;
          const mine = reversing.filter((p) => (p.op as { id: number }).id === id);
          const opKey = (p: (typeof mine)[number]) => (p.op as { key: string }).key;
          const creators = mine.filter((p) => created(p.o)?.created);
          if (creators.length > 1) fail(`transfer ${id} was reversed ${creators.length} times`);
          if (tr.kind === 'reverse') {
            for (const { o } of mine) if (o.ok || o.code !== 'CONFLICT') fail(`reversal ${id} was reversed or refused with ${o.ok ? 'nothing' : o.code}`);
            continue;
          }
          const earlier = tr.reversal;
          const creator = creators[0];
          if (creator) {
            if (earlier) fail(`transfer ${id} was reversed again`);
            const row = (created(creator.o) as Created).transfer as repo.TransferRow;
            if (tr.state !== 'posted') fail(`transfer ${id} is ${tr.state} and was reversed`);
            if (model.byKey.has(row.key)) fail(`the reversal took the used key ${row.key}`);
            if (row.kind !== 'reverse' || row.reverses_id !== id || row.debit_id !== tr.credit || row.credit_id !== tr.debit || row.amount !== tr.amount || row.state !== 'posted') fail(`the reversal of ${id} is ${JSON.stringify(row)}`);
            addTransfer(row, false);
            tr.reversal = { id: row.id, key: row.key };
          }
          const winner = earlier ?? (creator ? { key: opKey(creator), id: (created(creator.o) as Created).transfer?.id ?? 0 } : null);
          for (const p of mine) {
            const { o } = p;
            if (p === creator) continue;
            if (o.ok) {
              const c = o.value as Created;
              if (c.created || !winner || opKey(p) !== winner.key || c.transfer?.id !== winner.id) fail(`transfer ${id}: a reversal with key ${opKey(p)} answered ${JSON.stringify(c.transfer)}`);
            } else if (o.code === 'CONFLICT') {
              const mayBeUnposted = start.get(id) !== 'posted';
              if (!mayBeUnposted && !(winner && winner.key !== opKey(p))) fail(`transfer ${id}: reversal refused with CONFLICT though nothing reversed it`);
            } else if (o.code === 'IDEMPOTENCY_CONFLICT') {
              if ((p.op as { mode: string }).mode !== 'reuseKey' || earlier) fail(`transfer ${id}: IDEMPOTENCY_CONFLICT for a fresh key or an already reversed transfer`);
            } else if (o.code === 'INSUFFICIENT_POINTS') {
              if (tr.state !== 'posted' || earlier || tr.credit === issuance.id) fail(`transfer ${id}: INSUFFICIENT_POINTS where it cannot apply`);
              if (tr.amount <= floor(tr.credit)) fail(`transfer ${id}: reversing ${tr.amount} refused though account ${tr.credit} had at least ${floor(tr.credit)} available`);
            } else fail(`transfer ${id}: reversal refused with ${o.code}`);
          }
        }

        // 4. What does not exist is NOT_FOUND.
        for (const { op, o } of pairs) if (op.t === 'ghost' && (o.ok || o.code !== 'NOT_FOUND')) fail(`a ${op.how} of nothing answered ${o.ok ? 'success' : o.code}`);

        // 5. The database against the model and the ledger's invariants.
        const now = await t.deps.db.selectFrom('point_accounts').select(['id', 'kind', 'balance', 'held']).orderBy('id').execute();
        let sum = 0;
        for (const a of now) {
          sum += a.balance;
          if (a.kind !== 'issuance' && a.balance < 0) fail(`account ${a.id} (${a.kind}) is at ${a.balance}`);
          if (a.held < 0 || (a.kind !== 'issuance' && a.held > a.balance)) fail(`account ${a.id} holds ${a.held} of ${a.balance}`);
          if (a.balance !== model.balance.get(a.id) || a.held !== model.held.get(a.id)) fail(`account ${a.id} is ${a.balance}/${a.held} held, the model says ${model.balance.get(a.id)}/${model.held.get(a.id)}`);
        }
        if (sum !== 0) fail(`the balances sum to ${sum}`);
        const heldBy = await t.deps.db.selectFrom('point_transfers').select((eb) => ['debit_id', eb.fn.sum<number>('amount').as('held')]).where('state', '=', 'pending').groupBy('debit_id').execute();
        const heldOf = new Map(heldBy.map((r) => [r.debit_id, Number(r.held)]));
        for (const a of now) if (a.held !== (heldOf.get(a.id) ?? 0)) fail(`account ${a.id} holds ${a.held}, its pending transfers ${heldOf.get(a.id) ?? 0}`);
        const proof = await repo.reconcile(t.deps.db);
        if (proof.mismatched.length > 0 || proof.total !== 0 || proof.entriesTotal !== 0) fail(`reconcile: ${JSON.stringify(proof)}`);
        const stored = await t.deps.db.selectFrom('point_transfers').select(['id', 'state', 'debit_id', 'credit_id', 'amount']).where('id', '>', runStart).execute();
        const entries = await t.deps.db.selectFrom('point_entries').select(['transfer_id', 'account_id', 'delta']).where('transfer_id', '>', runStart).execute();
        const entriesOf = new Map<number, { account_id: number; delta: number }[]>();
        for (const e of entries) entriesOf.set(e.transfer_id, [...(entriesOf.get(e.transfer_id) ?? []), e]);
        if (stored.length !== model.transfers.size) fail(`${stored.length} transfers stored this run, the model knows ${model.transfers.size}`);
        for (const s of stored) {
          const m = model.transfers.get(s.id);
          if (!m || m.state !== s.state) fail(`transfer ${s.id} is ${s.state}, the model says ${m?.state}`);
          const es = (entriesOf.get(s.id) ?? []).map((e) => `${e.account_id}:${e.delta}`).sort();
          const want = s.state === 'posted' ? [`${s.debit_id}:${-s.amount}`, `${s.credit_id}:${s.amount}`].sort() : [];
          if (es.join(' ') !== want.join(' ')) fail(`transfer ${s.id} (${s.state}) has entries [${es.join(' ')}], not [${want.join(' ')}]`);
        }
      }

      // The run's holds still pending are voided, so the next run starts with nothing held.
      for (const h of model.transfers.values()) if (h.state === 'pending') await inTrx((s, trx) => s.releaseHold(trx, ctx, h.id, 'voided'));
    };

    let run = 0;
    try {
      await fc.assert(fc.asyncProperty(batchesArb, (batches) => runOne(run++, batches)), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    } catch (e) {
      console.error(`points property test failed with seed ${SEED} (POINTS_PROPERTY_SEED=${SEED} POINTS_PROPERTY_RUNS=${RUNS} to replay)`);
      throw e;
    }
    console.log(`points property: seed ${SEED}, ${RUNS} runs, ${batchesRun} batches, ${totalOps} operations on ${testEngine}\n  ${[...tally.entries()].sort().map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    expect(totalOps).toBeGreaterThan(1000);
    expect(await repo.reconcile(t.deps.db)).toMatchObject({ mismatched: [], total: 0 });
  }, 600_000);
});
