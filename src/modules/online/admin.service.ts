import type { z } from 'zod';
import { AppError, notFound } from '../../core/errors.ts';
import { type RequestContext, recordedUserId } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import * as repo from './intake.repository.ts';
import { getCategoryByCode } from './lookups.repository.ts';
import type { phraseBody, sourceBody } from './online.schema.ts';
import { assertAdmin } from './online.policy.ts';
import type { SensorCache } from '../sensing/sensor.cache.ts';
import type { SourceCache } from './source.cache.ts';

/** Intake sources (the ways messages come in) and the sensing phrases: administrators only. */
export class OnlineAdminService {
  constructor(private readonly deps: AppDeps, private readonly sensors: SensorCache, private readonly sources: SourceCache) {}

  listSources(ctx: RequestContext) {
    assertAdmin(ctx.actor);
    return repo.listSources(this.deps.db);
  }

  async createSource(ctx: RequestContext, body: z.infer<typeof sourceBody>) {
    assertAdmin(ctx.actor);
    if (body.kind === 'wecom' && !(body.token && body.aesKey && body.corpId)) throw new AppError('VALIDATION_FAILED', 'A WeCom source needs token, aesKey and corpId.');
    if (body.kind === 'webhook' && !body.secret) throw new AppError('VALIDATION_FAILED', 'A webhook source needs a secret.');
    const wecom = body.kind === 'wecom';
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.insertSource(trx, {
        kind: body.kind, name: body.name, token: wecom ? (body.token ?? null) : null, aes_key: wecom ? (body.aesKey ?? null) : null,
        corp_id: wecom ? (body.corpId ?? null) : null, secret: body.kind === 'webhook' ? (body.secret ?? null) : null,
      });
      this.sources.forget(row.id);
      await appendAudit(trx, ctx, { action: 'intake.source.create', subjectType: 'intake_source', subjectId: row.id, details: { kind: row.kind, name: row.name } });
      return row;
    });
  }

  listPhrases(ctx: RequestContext) {
    assertAdmin(ctx.actor);
    return repo.listPhrases(this.deps.db);
  }

  async addPhrase(ctx: RequestContext, body: z.infer<typeof phraseBody>) {
    assertAdmin(ctx.actor);
    if (body.kind === 'category') {
      if (!body.categoryCode) throw new AppError('VALIDATION_FAILED', 'A category phrase needs a categoryCode.');
      if (!(await getCategoryByCode(this.deps.db, body.categoryCode))) throw new AppError('VALIDATION_FAILED', `Unknown category code ${body.categoryCode}.`);
    }
    if (body.kind === 'urgent' && !body.urgentKind) throw new AppError('VALIDATION_FAILED', { en: 'An urgent phrase needs an urgentKind.', zh: '紧急词语要选一个紧急类别。' });
    const phrase = {
      kind: body.kind, phrase: body.phrase, category_code: body.kind === 'category' ? (body.categoryCode ?? null) : null,
      urgent_kind: body.kind === 'urgent' ? (body.urgentKind ?? null) : null,
    };
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const dup = await repo.findPhrase(trx, phrase);
      if (dup) throw new AppError('CONFLICT', `That phrase is already in the dictionary (#${dup.id}).`);
      const r = await repo.insertPhrase(trx, { ...phrase, weight: body.weight, created_by: recordedUserId(ctx.actor) });
      await appendAudit(trx, ctx, { action: 'sensing.phrase.add', subjectType: 'sensing_phrase', subjectId: r.id, details: { kind: r.kind, phrase: r.phrase } });
      return r;
    });
    this.sensors.invalidate();
    return row;
  }

  async deletePhrase(ctx: RequestContext, id: number) {
    assertAdmin(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await repo.deletePhrase(trx, id);
      if (!r) throw notFound(`Phrase ${id}`);
      await appendAudit(trx, ctx, { action: 'sensing.phrase.delete', subjectType: 'sensing_phrase', subjectId: id, details: { kind: r.kind, phrase: r.phrase } });
    });
    this.sensors.invalidate();
  }
}
