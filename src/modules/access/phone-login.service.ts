import type { Kysely } from 'kysely';
import { AppError, forbidden } from '../../core/errors.ts';
import { mask, normalise } from '../../core/pii.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { maySignInByPhone } from './access.policy.ts';
import * as repo from './access.repository.ts';
import * as phoneRepo from './phone-login.repository.ts';
import { type AccessService, selfActor } from './access.service.ts';
import { CODE_TTL_SECONDS, CodeHasher, MAX_TRIES, checkSend, codeState, newCode } from './phone-codes.ts';
import { sendSms } from './sms.gateway.ts';

const HOUR_MS = 3600_000;
const KEEP_CODES_MS = 24 * HOUR_MS;

/**
 * Signing in with only a phone number (residents on /r): a six-digit code sent through the SMS gateway
 * webhook (or shown on the page in demo SMS mode), then verified into the normal session cookie. The first
 * sign-in of a number creates a resident account; the number itself is stored sealed like every other.
 */
export class PhoneLoginService {
  readonly #hasher: CodeHasher;

  constructor(private readonly deps: AppDeps, private readonly access: AccessService) {
    this.#hasher = new CodeHasher(deps.config.piiKey);
  }

  get mode() {
    return this.deps.config.smsMode;
  }

  async sendCode(rawPhone: string, ctx: RequestContext) {
    const { db, vault, config } = this.deps;
    const phone = normalise('phone', rawPhone);
    const phoneHash = vault.hash('phone', phone);
    const now = new Date();
    const since = new Date(now.getTime() - HOUR_MS);
    const [phoneSends, ipSends] = await Promise.all([phoneRepo.codeSendsToPhone(db, phoneHash, since), phoneRepo.codeSendsFromIp(db, ctx.ip, since)]);
    const decision = checkSend(phoneSends.map((r) => r.created_at), ipSends.map((r) => r.created_at), now);
    if (!decision.allowed) {
      throw new AppError('RATE_LIMITED', { en: `Wait ${decision.retryAfterSeconds} seconds before asking for another code.`, zh: `请等 ${decision.retryAfterSeconds} 秒再获取验证码。` }, { retryAfterSeconds: decision.retryAfterSeconds, reason: decision.reason });
    }

    const code = newCode();
    // Send first, store after: a gateway that refuses leaves nothing behind, and the database is not held
    // while the gateway answers.
    if (config.smsMode === 'webhook' && config.smsWebhookUrl && config.smsWebhookSecret) {
      const minutes = Math.round(CODE_TTL_SECONDS / 60);
      await sendSms(config.smsWebhookUrl, config.smsWebhookSecret, {
        kind: 'login_code', phone, code, expiresInSeconds: CODE_TTL_SECONDS,
        text: `【双网格】您的验证码是 ${code}，${minutes} 分钟内有效。如非本人操作，请忽略本短信。`,
      }, now);
    }
    await db.transaction().execute(async (trx) => {
      await phoneRepo.deleteCodesBefore(trx, new Date(now.getTime() - KEEP_CODES_MS));
      await phoneRepo.insertCode(trx, { phoneHash, codeHash: this.#hasher.hash(phoneHash, code), ip: ctx.ip, createdAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_SECONDS * 1000) });
      await appendAudit(trx, ctx, { action: 'auth.phone_code_sent', subjectType: 'phone', details: { phone: mask('phone', phone), mode: config.smsMode } });
    });
    return { phone, mode: config.smsMode, code };
  }

  /**
   * Checks the latest code of the number; on success finds or creates the account and starts a session. Each try
   * is counted before the code is compared, in the one statement that decides whether it may be tried, so a
   * burst gets at most MAX_TRIES comparisons; a used, expired or spent code is refused without comparing, so the
   * answer never tells whether the guess was right.
   */
  async verify(rawPhone: string, code: string, ctx: RequestContext, userAgent: string | null) {
    const { db, vault } = this.deps;
    const phone = normalise('phone', rawPhone);
    const phoneHash = vault.hash('phone', phone);
    const now = new Date();
    const row = await phoneRepo.latestCode(db, phoneHash);
    if (!row) throw new AppError('PHONE_CODE_EXPIRED');
    const reserved = await phoneRepo.reserveTry(db, row.id, now, MAX_TRIES);
    if (!reserved) {
      const current = await phoneRepo.codeById(db, row.id);
      const state = codeState(current && { expiresAt: current.expires_at, attempts: current.attempts, usedAt: current.used_at }, now);
      throw new AppError(state === 'locked' ? 'PHONE_CODE_LOCKED' : 'PHONE_CODE_EXPIRED');
    }

    if (!this.#hasher.matches(phoneHash, code, row.code_hash)) {
      await appendAudit(db, ctx, { action: 'auth.phone_code_failed', subjectType: 'phone', details: { phone: mask('phone', phone), attempts: reserved.attempts } });
      if (reserved.attempts >= MAX_TRIES) throw new AppError('PHONE_CODE_LOCKED');
      throw new AppError('PHONE_CODE_INVALID', undefined, { triesLeft: MAX_TRIES - reserved.attempts });
    }

    const { userId, created, token, expiresAt } = await db.transaction().execute(async (trx) => {
      // Claimed once: two requests racing with the same code cannot both start a session.
      const claimed = await phoneRepo.claimCode(trx, row.id, now);
      if (!claimed) throw new AppError('PHONE_CODE_EXPIRED');
      const user = await this.findOrCreate(trx, ctx, phone, phoneHash);
      const session = await this.access.openSession(trx, user.id, ctx, userAgent, now);
      await appendAudit(trx, { ...ctx, actor: selfActor(user.id, user.username, user.displayName) }, {
        action: 'auth.login', subjectType: 'user', subjectId: user.id, details: { via: 'phone', phone: mask('phone', phone) },
      });
      return { userId: user.id, created: user.created, ...session };
    });
    const actor = await this.access.resolve(token, undefined);
    if (!actor) throw new AppError('INTERNAL', `The new session of user ${userId} did not resolve.`);
    return { token, expiresAt, actor, created };
  }

  /** The account of a number: an existing resident-side account, or a new resident at the top of the tree. */
  private async findOrCreate(trx: Kysely<DB>, ctx: RequestContext, phone: string, phoneHash: string) {
    const owners = await phoneRepo.usersWithPhone(trx, phoneHash);
    if (owners.length > 0) {
      const active = owners.filter((u) => u.status === 'active');
      if (active.length === 0) throw forbidden({ en: 'This account is disabled; ask the community office.', zh: '这个账号已经停用了，请找社区办公室。' });
      for (const u of active) {
        const roles = (await repo.loadAssignments(trx, u.id)).map((a) => a.role);
        if (!maySignInByPhone(roles)) continue;
        // An account left with no role (all ended) comes back as a resident, so it can report again.
        if (roles.length === 0) await repo.insertAssignment(trx, u.id, { role: 'resident', nodeId: await this.residentNode(trx) });
        return { id: u.id, username: u.username, displayName: u.display_name, created: false };
      }
      throw forbidden({ en: 'This number belongs to a staff account; sign in with the username and password.', zh: '这个号码是工作人员账号，请用用户名和密码登录。' });
    }

    const sealed = this.deps.vault.seal('phone', phone);
    const username = await this.freeUsername(trx, phoneHash);
    const displayName = `居民${phone.slice(-4)}`;
    const nodeId = await this.residentNode(trx);
    const { id } = await repo.insertUser(trx, {
      username, display_name: displayName, password_hash: null, phone_hash: sealed.hash, phone_enc: sealed.enc, phone_masked: sealed.masked,
    });
    await repo.insertAssignment(trx, id, { role: 'resident', nodeId });
    await appendAudit(trx, { ...ctx, actor: selfActor(id, username, displayName) }, {
      action: 'user.create', subjectType: 'user', subjectId: id, details: { username, roles: ['resident'], nodeId, via: 'phone' },
    });
    return { id, username, displayName, created: true };
  }

  /** m_ and the first hex digits of the number's keyed hash; longer in the unlikely case the short one is taken. */
  private async freeUsername(trx: Kysely<DB>, phoneHash: string): Promise<string> {
    const hex = Buffer.from(phoneHash, 'base64url').toString('hex');
    for (const length of [10, 16, 32]) {
      const candidate = `m_${hex.slice(0, length)}`;
      if (!(await repo.findUserByUsername(trx, candidate))) return candidate;
    }
    throw new AppError('CONFLICT', 'No free username for this number.');
  }

  /** Residents signing in by phone are placed at the town (when the tree holds one town) or at the root. */
  private async residentNode(trx: Kysely<DB>): Promise<number> {
    const towns = await phoneRepo.activeTowns(trx);
    if (towns.length === 1 && towns[0]) return towns[0].id;
    const root = await phoneRepo.activeRoot(trx);
    if (!root) throw new AppError('NOT_READY', 'The town is not set up yet: there is no place to register residents.');
    return root.id;
  }
}
