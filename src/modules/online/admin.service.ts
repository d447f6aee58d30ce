import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { IntakeSourcesTable } from '../../db/schema.ts';
import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { phraseBody, sourceBody } from './online.schema.ts';
import { assertAdmin } from './online.policy.ts';
import type { SensorCache } from './sensor.cache.ts';

/** Source settings change rarely; past this age they are read again (another process may have disabled one). */
const SOURCE_CACHE_MS = 10_000;

/** Intake sources (the ways messages come in) and the sensing phrases: administrators only. */
export class OnlineAdminService {
  constructor(private readonly deps: AppDeps, private readonly sensors: SensorCache) {}

  async sources(ctx: RequestContext) {
    assertAdmin(ctx.actor);
    return this.deps.db.selectFrom('intake_sources').selectAll().orderBy('id').execute();
  }

  async createSource(ctx: RequestContext, body: z.infer<typeof sourceBody>) {
    assertAdmin(ctx.actor);
    if (body.kind === 'wecom' && !(body.token && body.aesKey && body.corpId)) throw new AppError('VALIDATION_FAILED', 'A WeCom source needs token, aesKey and corpId.');
    if (body.kind === 'webhook' && !body.secret) throw new AppError('VALIDATION_FAILED', 'A webhook source needs a secret.');
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('intake_sources').values({
        kind: body.kind, name: body.name, token: body.kind === 'wecom' ? (body.token ?? null) : null, aes_key: body.kind === 'wecom' ? (body.aesKey ?? null) : null,
        corp_id: body.kind === 'wecom' ? (body.corpId ?? null) : null, secret: body.kind === 'webhook' ? (body.secret ?? null) : null,
      }).returningAll().executeTakeFirstOrThrow();
      this.sourceCache.delete(row.id);
      await appendAudit(trx, ctx, { action: 'intake.source.create', subjectType: 'intake_source', subjectId: row.id, details: { kind: row.kind, name: row.name } });
      return row;
    });
  }

  /**
   * An active source of the kind, for an intake request; unknown and disabled ones look the same from
   * outside. Cached briefly: every intake request needs it, and a database round trip each would cost
   * more than the message's own insert under group commit.
   */
  async activeSource(id: number, kind: 'wecom' | 'webhook') {
    const hit = this.sourceCache.get(id);
    if (hit && Date.now() - hit.at < SOURCE_CACHE_MS) return hit.row?.kind === kind ? hit.row : undefined;
    const row = await this.deps.db.selectFrom('intake_sources').selectAll().where('id', '=', id).where('status', '=', 'active').executeTakeFirst();
    if (this.sourceCache.size > 1000) this.sourceCache.clear();
    this.sourceCache.set(id, { row, at: Date.now() });
    return row?.kind === kind ? row : undefined;
  }

  private readonly sourceCache = new Map<number, { row: Selectable<IntakeSourcesTable> | undefined; at: number }>();

  async phrases(ctx: RequestContext) {
    assertAdmin(ctx.actor);
    return this.deps.db.selectFrom('sensing_phrases').selectAll().orderBy('id').execute();
  }

  async addPhrase(ctx: RequestContext, body: z.infer<typeof phraseBody>) {
    assertAdmin(ctx.actor);
    if (body.kind === 'category') {
      if (!body.categoryCode) throw new AppError('VALIDATION_FAILED', 'A category phrase needs a categoryCode.');
      const c = await this.deps.db.selectFrom('categories').select('id').where('code', '=', body.categoryCode).executeTakeFirst();
      if (!c) throw new AppError('VALIDATION_FAILED', `Unknown category code ${body.categoryCode}.`);
    }
    if (body.kind === 'urgent' && !body.urgentKind) throw new AppError('VALIDATION_FAILED', 'An urgent phrase needs an urgentKind.');
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const dup = await trx.selectFrom('sensing_phrases').select('id').where('kind', '=', body.kind).where('phrase', '=', body.phrase)
        .where('category_code', body.kind === 'category' ? '=' : 'is', body.kind === 'category' ? (body.categoryCode ?? null) : null)
        .where('urgent_kind', body.kind === 'urgent' ? '=' : 'is', body.kind === 'urgent' ? (body.urgentKind ?? null) : null).executeTakeFirst();
      if (dup) throw new AppError('CONFLICT', `That phrase is already in the dictionary (#${dup.id}).`);
      const r = await trx.insertInto('sensing_phrases').values({
        kind: body.kind, phrase: body.phrase, category_code: body.kind === 'category' ? (body.categoryCode ?? null) : null,
        urgent_kind: body.kind === 'urgent' ? (body.urgentKind ?? null) : null, weight: body.weight, created_by: ctx.actor?.userId || null,
      }).returningAll().executeTakeFirstOrThrow();
      await appendAudit(trx, ctx, { action: 'sensing.phrase.add', subjectType: 'sensing_phrase', subjectId: r.id, details: { kind: r.kind, phrase: r.phrase } });
      return r;
    });
    this.sensors.invalidate();
    return row;
  }

  async deletePhrase(ctx: RequestContext, id: number) {
    assertAdmin(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await trx.deleteFrom('sensing_phrases').where('id', '=', id).returningAll().executeTakeFirst();
      if (!r) throw notFound(`Phrase ${id}`);
      await appendAudit(trx, ctx, { action: 'sensing.phrase.delete', subjectType: 'sensing_phrase', subjectId: id, details: { kind: r.kind, phrase: r.phrase } });
    });
    this.sensors.invalidate();
  }
}
