import { createHash, randomBytes } from 'node:crypto';
import { AppError, notFound } from '../../core/errors.ts';
import { type Actor, type RequestContext, signedIn } from '../../core/scope.ts';
import { ACCOUNT_MAX_FAILURES, FORGET_AFTER_SECONDS, addressKey, reserveAttempt } from '../../core/throttle.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { mayUnlockAccount } from './access.policy.ts';
import * as repo from './access.repository.ts';
import * as attempts from './login-attempts.repository.ts';
import { verifyPassword } from './passwords.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
const newSecret = () => randomBytes(32).toString('base64url');

export class AccessService {
  constructor(private readonly deps: AppDeps) {}

  /**
   * Checks a password under the failed-login throttle (src/core/throttle.ts), keyed by the account and the
   * client address. The try is counted before the hash is checked and given back on success, so concurrent
   * guesses get no more checks than the policy allows; returns a session token to set as a cookie.
   */
  async login(username: string, password: string, ctx: RequestContext, userAgent: string | null) {
    const { db } = this.deps;
    const account = username.trim().toLowerCase();
    const from = addressKey(ctx.ip);
    const now = new Date();
    const reserved = await db.transaction().execute(async (trx) => {
      const address = await attempts.lockAddress(trx, account, from, now);
      const window = await attempts.lockWindow(trx, account, now);
      const decision = reserveAttempt({ failures: address.failures, lastAt: address.last_at }, { failures: window.failures, windowStart: window.window_start }, now);
      // Refused inside the transaction, so a refused try leaves no row behind.
      if (!decision.allowed) throw new AppError(decision.code, undefined, { retryAfterSeconds: decision.retryAfterSeconds });
      await attempts.saveAddress(trx, account, from, decision.address);
      await attempts.saveWindow(trx, account, decision.account);
      return decision;
    });

    const user = await repo.findUserByUsername(db, account);
    const ok = await verifyPassword(user?.password_hash ?? null, password);
    if (!ok || !user || user.status !== 'active') {
      await db.transaction().execute(async (trx) => {
        const subject = { subjectType: 'user', subjectId: user?.id ?? null } as const;
        await appendAudit(trx, ctx, { action: 'auth.login_failed', ...subject, details: { username: account, failures: reserved.address.failures, accountFailures: reserved.account.failures } });
        // The try that fills the account's window locks it for every address: worth an administrator's notice.
        if (reserved.account.failures === ACCOUNT_MAX_FAILURES) await appendAudit(trx, ctx, { action: 'auth.account_locked', ...subject, details: { username: account } });
      });
      await attempts.purgeBefore(db, new Date(now.getTime() - FORGET_AFTER_SECONDS * 1000));
      throw new AppError('INVALID_CREDENTIALS');
    }
    const { token, expiresAt } = await db.transaction().execute(async (trx) => {
      await attempts.releaseSuccess(trx, account, from);
      const session = await this.openSession(trx, user.id, ctx, userAgent, now);
      await appendAudit(trx, { ...ctx, actor: selfActor(user.id, user.username, user.display_name) }, { action: 'auth.login', subjectType: 'user', subjectId: user.id });
      return session;
    });
    return { token, expiresAt, actor: await this.actorFor(user.id, 'session') };
  }

  /** An administrator lifts an account's sign-in throttle: its lock and every address's back-off. */
  async unlock(ctx: RequestContext, userId: number): Promise<void> {
    const { db } = this.deps;
    signedIn(ctx.actor);
    const user = await repo.findUserById(db, userId);
    const paths = user ? await repo.assignmentPathsOf(db, userId) : [];
    if (!user || !mayUnlockAccount(ctx.actor, paths.map((p) => p.path))) throw notFound(`User ${userId}`);
    await db.transaction().execute(async (trx) => {
      const cleared = await attempts.clearAccount(trx, user.username.toLowerCase());
      await appendAudit(trx, ctx, { action: 'auth.unlock', subjectType: 'user', subjectId: userId, details: { username: user.username, ...cleared } });
    });
  }

  /** Starts a session for a user who has just proved who they are, inside the caller's transaction; the token goes in the cookie. */
  async openSession(trx: Kysely<DB>, userId: number, ctx: RequestContext, userAgent: string | null, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecret();
    const expiresAt = new Date(now.getTime() + this.deps.config.sessionTtlHours * 3600_000);
    await repo.insertSession(trx, { id: sha256(token), userId, expiresAt, ip: ctx.ip, userAgent });
    return { token, expiresAt };
  }

  async logout(sessionToken: string | undefined, ctx: RequestContext): Promise<void> {
    if (!sessionToken) return;
    await this.deps.db.transaction().execute(async (trx) => {
      await repo.deleteSession(trx, sha256(sessionToken));
      if (ctx.actor) await appendAudit(trx, ctx, { action: 'auth.logout', subjectType: 'user', subjectId: ctx.actor.userId });
    });
  }

  /** Resolves the caller from a session cookie or a bearer token; null for anonymous or stale credentials. */
  async resolve(sessionToken: string | undefined, bearer: string | undefined): Promise<Actor | null> {
    const { db } = this.deps;
    if (bearer) {
      const token = await repo.findLiveToken(db, sha256(bearer));
      if (!token) return null;
      await repo.touchToken(db, token.id);
      return this.actorFor(token.user_id, 'token');
    }
    if (sessionToken) {
      const session = await repo.findLiveSession(db, sha256(sessionToken));
      return session ? this.actorFor(session.user_id, 'session') : null;
    }
    return null;
  }

  private async actorFor(userId: number, via: Actor['via']): Promise<Actor | null> {
    const user = await repo.findUserById(this.deps.db, userId);
    if (user?.status !== 'active') return null;
    const assignments = await repo.loadAssignments(this.deps.db, userId);
    return { userId, username: user.username, displayName: user.display_name, assignments, via };
  }

  async createToken(ctx: RequestContext, name: string) {
    const actor = signedIn(ctx.actor);
    const secret = `dg_${newSecret()}`;
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const created = await repo.insertToken(trx, actor.userId, name, sha256(secret));
      await appendAudit(trx, ctx, { action: 'token.create', subjectType: 'api_token', subjectId: created.id, details: { name } });
      return created;
    });
    return { ...row, token: secret };
  }

  listTokens(ctx: RequestContext) {
    return repo.listTokens(this.deps.db, signedIn(ctx.actor).userId);
  }

  async revokeToken(ctx: RequestContext, id: number): Promise<void> {
    const actor = signedIn(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const result = await repo.revokeToken(trx, actor.userId, id);
      if (Number(result.numUpdatedRows) === 0) throw notFound('The token');
      await appendAudit(trx, ctx, { action: 'token.revoke', subjectType: 'api_token', subjectId: id });
    });
  }
}

/** Stand-in actor for audit records of a person who has just proved who they are (before their session resolves). */
export const selfActor = (userId: number, username: string, displayName: string): Actor => ({ userId, username, displayName, assignments: [], via: 'session' });
