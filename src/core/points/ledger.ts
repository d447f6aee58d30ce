import { createHash } from 'node:crypto';
import type { EarnRule } from '../vocabulary.ts';

/**
 * The points ledger's rules (德分宝), pure: what an idempotency key's body is, whether an earning rule's caps allow a
 * grant, and which points expire oldest-first. The ledger itself keeps TigerBeetle's discipline in the database —
 * immutable double-entry transfers, client-chosen keys, holds checked at the reservation by constraints — and these
 * functions decide only what needs no database.
 */

/** A stable fingerprint of a request body: the same key with the same body is a retry, with another a conflict. */
export function bodyHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
}

/** An earning rule as the administrators set it: points per event, caps per resident per day and per month (0: none). */
export interface RuleTerms { rule: EarnRule; points: number; dailyCap: number; monthlyCap: number; active: boolean }

/** What a resident has already earned under a rule today and this month (Beijing days). */
export interface Earned { today: number; month: number }

/**
 * The points a grant may give under a rule: its points, cut to what is left under the daily and the monthly cap;
 * 0 when the rule is off or a cap is reached (a cap of 0 is no cap).
 */
export function grantable(terms: RuleTerms, earned: Earned, points = terms.points): number {
  if (!terms.active || points <= 0) return 0;
  let n = points;
  if (terms.dailyCap > 0) n = Math.min(n, terms.dailyCap - earned.today);
  if (terms.monthlyCap > 0) n = Math.min(n, terms.monthlyCap - earned.month);
  return Math.max(0, n);
}

/** A movement of one account in time order: points in (+, an earned lot) or out (−). */
export interface Movement { at: Date; delta: number }

/**
 * The points that expire at `cutoff`, oldest first (Open Loyalty's lots, FIFO): every point spent uses up the oldest
 * lot still holding points, so what expires is what is left of the lots earned before the cutoff. Movements must be in
 * time order; a negative result is impossible (spending never exceeds what was earned before it).
 */
export function expiringAt(movements: readonly Movement[], cutoff: Date): number {
  const lots: { at: Date; left: number }[] = [];
  for (const m of movements) {
    if (m.delta > 0) {
      lots.push({ at: m.at, left: m.delta });
      continue;
    }
    let spend = -m.delta;
    for (const lot of lots) {
      if (spend === 0) break;
      const used = Math.min(lot.left, spend);
      lot.left -= used;
      spend -= used;
    }
  }
  return lots.filter((l) => l.at < cutoff).reduce((s, l) => s + l.left, 0);
}
