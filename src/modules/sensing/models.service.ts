import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../core/errors.ts';
import { normalise } from '../../core/sensing/index.ts';
import {
  atLeastAsGood, createCombinedSensor, heldOutSplit, type LabelledText, loadSensingModel, measureSensor, type SensingFigures, type SensingModel,
} from '../../core/sensing/learn.ts';
import { stripEmoji } from '../../core/sensing/normalise.ts';
import type { SensingDictionary } from '../../core/sensing/types.ts';
import { nowOf, type RequestContext, recordedUserId, systemContext } from '../../core/scope.ts';
import { URGENT_KINDS, type UrgentKind } from '../../core/vocabulary.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { DB } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { baseSetHash, loadBaseSet } from './base-set.ts';
import { trainInWorker } from './trainer.ts';
import { allLabels, RETRAIN_JOB } from './labels.repository.ts';
import * as repo from './models.repository.ts';
import { assertMayManageSensing } from './sensing.policy.ts';
import { invalidateSensors, type SensorCache, townDictionary } from './sensor.cache.ts';

const KINDS = new Set<string>(URGENT_KINDS);
/** Two texts are one line of the training set when they read the same after normalising (case, width, spaces, emojis). */
const sameText = (text: string) => stripEmoji(normalise(text));

/** What a version was trained on, as stored in sensing_models.training. */
interface Training { baseSetHash: string; baseLines: number; townLabels: number; maxLabelId: number | null; trainLines: number; heldOutLines: number }

/** The base set with the town's labels: a label replaces a base line of the same text, a later label an earlier one. */
export async function trainingExamples(db: Kysely<DB>): Promise<{ examples: LabelledText[]; base: number; labels: number; maxLabelId: number | null }> {
  const base = loadBaseSet();
  const labels = await allLabels(db);
  const byText = new Map<string, LabelledText>();
  for (const b of base) byText.set(sameText(b.text), b);
  for (const l of labels) {
    const urgentKind = l.urgent_kind && KINDS.has(l.urgent_kind) ? (l.urgent_kind as UrgentKind) : null; // checked against the vocabulary just before
    byText.set(sameText(l.text), { text: l.text, actionable: l.actionable || urgentKind !== null, urgentKind, categoryCode: l.category_code });
  }
  return { examples: [...byText.values()], base: base.length, labels: labels.length, maxLabelId: labels.at(-1)?.id ?? null };
}

/** A candidate trained on the train part, and both it and the current model measured on the held-out part. */
export interface Candidate {
  model: SensingModel;
  training: Training;
  candidate: SensingFigures;
  current: SensingFigures;
  currentId: number | null;
  better: boolean;
}

/** Trains and measures a candidate; slow (seconds), and holds no connection while it trains. */
export async function trainCandidate(db: Kysely<DB>): Promise<Candidate> {
  const set = await trainingExamples(db);
  const dictionary = await townDictionary(db);
  const ref = await repo.currentModelRef(db);
  const currentRow = ref ? await repo.modelArtifact(db, ref.id) : undefined;
  const { train, test } = heldOutSplit(set.examples);
  const model = await trainInWorker(train, dictionary);
  const current = currentRow ? await loadSensingModel(currentRow.engine, currentRow.artifact) : null;
  const figures = measure(dictionary, model, current, test);
  // Only measured here: intake loads the version it senses with from the database. The artifact stays serialisable.
  model.dispose();
  current?.dispose();
  return {
    model, candidate: figures.candidate, current: figures.current, currentId: ref?.id ?? null, better: atLeastAsGood(figures.candidate, figures.current),
    training: { baseSetHash: baseSetHash(), baseLines: set.base, townLabels: set.labels, maxLabelId: set.maxLabelId, trainLines: train.length, heldOutLines: test.length },
  };
}

function measure(dictionary: SensingDictionary, candidate: SensingModel, current: SensingModel | null, test: LabelledText[]) {
  return {
    candidate: measureSensor(createCombinedSensor(dictionary, candidate), test),
    current: measureSensor(createCombinedSensor(dictionary, current), test),
  };
}

/**
 * Records a trained candidate in the caller's transaction: the next version, 'current' (the old current retired)
 * when it measured at least as well as the current model, else 'rejected'. Answers the row.
 */
export async function recordCandidate(trx: Kysely<DB>, ctx: RequestContext, c: Candidate) {
  const old = await repo.lockCurrent(trx);
  // A promotion or rollback since the measuring makes the comparison stale: keep the candidate, promote nothing.
  const promote = c.better && (old?.id ?? null) === c.currentId;
  const at = nowOf(ctx);
  if (promote && old) await repo.setModelStatus(trx, old.id, 'retired');
  const row = await repo.insertModel(trx, {
    version: await repo.nextVersion(trx), status: promote ? 'current' : 'rejected', engine: c.model.engine, params: JSON.stringify(c.model.params),
    training: JSON.stringify(c.training), figures: JSON.stringify({ candidate: c.candidate, current: c.current, decision: promote ? 'promoted' : 'rejected' }),
    artifact: Buffer.from(c.model.serialise()), reason: 'retrain', created_by: recordedUserId(ctx.actor), created_at: at, promoted_at: promote ? at : null,
  });
  await repo.pruneArtifacts(trx);
  await appendAudit(trx, ctx, { action: promote ? 'sensing.model.promote' : 'sensing.model.reject', subjectType: 'sensing_model', subjectId: row.id,
    details: { version: row.version, retired: promote ? (old?.version ?? null) : null, f1: c.candidate.f1, currentF1: c.current.f1 } });
  return row;
}

/**
 * The base model (version 1, current) when sensing_models is empty: trained on the train part of the shipped base set,
 * measured on its held-out part. Two processes starting at once make one version 1: the other's insert wins.
 */
export async function ensureBaseModel(deps: Pick<AppDeps, 'db'>): Promise<void> {
  if (await repo.hasAnyModel(deps.db)) return;
  const dictionary = await townDictionary(deps.db);
  const base = loadBaseSet();
  const { train, test } = heldOutSplit(base);
  // In a worker thread too: its WebAssembly memory goes when the thread ends, not when this process collects it.
  const model = await trainInWorker(train, dictionary);
  const figures = measureSensor(createCombinedSensor(dictionary, model), test);
  model.dispose();
  const ctx = systemContext('sensing.base');
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (await repo.hasAnyModel(trx)) return;
      const at = nowOf(ctx);
      const row = await repo.insertModel(trx, {
        version: 1, status: 'current', engine: model.engine, params: JSON.stringify(model.params),
        training: JSON.stringify({ baseSetHash: baseSetHash(), baseLines: base.length, townLabels: 0, maxLabelId: null, trainLines: train.length, heldOutLines: test.length } satisfies Training),
        figures: JSON.stringify({ candidate: figures, current: null, decision: 'base' }), artifact: Buffer.from(model.serialise()), reason: 'base',
        created_by: null, created_at: at, promoted_at: at,
      });
      await appendAudit(trx, ctx, { action: 'sensing.model.base', subjectType: 'sensing_model', subjectId: row.id, details: { version: 1, f1: figures.f1 } });
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  invalidateSensors(deps.db);
}

/** The versions of the sensing model for administrators: listing, promoting, rolling back, retraining now. */
export class ModelsService {
  constructor(private readonly deps: AppDeps, private readonly sensors: SensorCache) {}

  list(ctx: RequestContext) {
    assertMayManageSensing(ctx.actor);
    return repo.listModels(this.deps.db);
  }

  /** Makes a version current (the current one retired), whatever its status: an administrator's decision. */
  async promote(ctx: RequestContext, id: number, reason: string) {
    assertMayManageSensing(ctx.actor);
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const old = await repo.lockCurrent(trx);
      const m = await repo.lockModel(trx, id);
      if (!m) throw notFound({ en: `Sensing model ${id}`, zh: `感知模型 ${id}` });
      if (m.status === 'current') throw new AppError('INVALID_TRANSITION', { en: `Version ${m.version} is already the current model.`, zh: `第 ${m.version} 版已经是当前模型了。` });
      if (!(await repo.hasArtifact(trx, m.id))) throw new AppError('INVALID_TRANSITION', { en: `Version ${m.version} is too old: its model was pruned.`, zh: `第 ${m.version} 版太旧，模型已清理，不能再启用。` });
      if (old) await repo.setModelStatus(trx, old.id, 'retired');
      const promoted = await repo.setModelStatus(trx, m.id, 'current', nowOf(ctx));
      await appendAudit(trx, ctx, { action: 'sensing.model.promote', subjectType: 'sensing_model', subjectId: m.id, details: { version: m.version, retired: old?.version ?? null, reason } });
      return promoted;
    });
    this.sensors.invalidate();
    return row;
  }

  /** The current version is retired and the one promoted before it comes back (as it was promoted then). */
  async rollback(ctx: RequestContext, reason: string) {
    assertMayManageSensing(ctx.actor);
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.lockCurrent(trx);
      const back = current ? await repo.promotedBefore(trx, current) : undefined;
      if (!current || !back) throw new AppError('INVALID_TRANSITION', { en: 'There is no earlier promoted version to roll back to.', zh: '没有更早上线过的模型版本可以回退。' });
      await repo.setModelStatus(trx, current.id, 'retired');
      const restored = await repo.setModelStatus(trx, back.id, 'current');
      await appendAudit(trx, ctx, { action: 'sensing.model.rollback', subjectType: 'sensing_model', subjectId: back.id, details: { version: back.version, retired: current.version, reason } });
      return restored;
    });
    this.sensors.invalidate();
    return row;
  }

  /** Queues a retrain to run now; answers the job's id. */
  async retrainNow(ctx: RequestContext): Promise<number> {
    assertMayManageSensing(ctx.actor);
    const now = nowOf(ctx);
    return this.deps.db.transaction().execute(async (trx) => {
      const jobId = await repo.queueJob(trx, { kind: RETRAIN_JOB, run_at: now, dedupe_key: `${RETRAIN_JOB}:now:${now.toISOString()}`, payload: JSON.stringify({ requestedBy: recordedUserId(ctx.actor) }) });
      await appendAudit(trx, ctx, { action: 'sensing.retrain.queue', subjectType: 'job', subjectId: jobId, details: {} });
      return jobId;
    });
  }
}
