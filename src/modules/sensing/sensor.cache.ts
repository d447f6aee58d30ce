import type { Kysely } from 'kysely';
import { DEFAULT_DICTIONARY, mergeDictionary } from '../../core/sensing/index.ts';
import { createCombinedSensor, loadSensingModel, type SensingModel } from '../../core/sensing/learn.ts';
import type { SensingDictionary, Sensor } from '../../core/sensing/types.ts';
import type { DB } from '../../db/schema.ts';
import { sensorPhrases } from '../online/intake.repository.ts';
import { currentModelRef, modelArtifact } from './models.repository.ts';

/** Other app processes may change phrases or promote a model too; past this age the sensor is rebuilt anyway. */
const MAX_AGE_MS = 60_000;

/** The caches of this process per database, so a promoting retrain job (built apart from the app) invalidates them too. */
const caches = new WeakMap<Kysely<DB>, Set<SensorCache>>();

/**
 * The loaded current model per database, shared by every cache of this process (intake's, the demo stream's): one
 * copy in memory. A replaced model is freed once no sensor built from it can still be in use (sensors live at most
 * MAX_AGE_MS; twice that to be sure).
 */
const models = new WeakMap<Kysely<DB>, { id: number; model: Promise<SensingModel> }>();

async function loadedModel(db: Kysely<DB>, id: number): Promise<SensingModel | null> {
  const held = models.get(db);
  if (held?.id === id) return held.model;
  const row = await modelArtifact(db, id);
  if (!row) return null;
  const again = models.get(db);
  if (again?.id === id) return again.model;
  const model = loadSensingModel(row.engine, row.artifact);
  models.set(db, { id, model });
  model.catch(() => {
    if (models.get(db)?.model === model) models.delete(db);
  });
  if (held) {
    held.model.then((old) => {
      setTimeout(() => old.dispose(), 2 * MAX_AGE_MS).unref();
    }, () => {});
  }
  return model;
}

/** Invalidates every sensor cache of this process on `db`. */
export function invalidateSensors(db: Kysely<DB>): void {
  for (const c of caches.get(db) ?? []) c.invalidate();
}

/** The dictionary intake senses with: the default merged with the sensing_phrases rows. */
export async function townDictionary(db: Kysely<DB>): Promise<SensingDictionary> {
  const rows = await sensorPhrases(db);
  return mergeDictionary(DEFAULT_DICTIONARY, rows.map((r) => ({ kind: r.kind, categoryCode: r.category_code, urgentKind: r.urgent_kind, phrase: r.phrase, weight: r.weight })));
}

/**
 * The sensor of intake: the town's dictionary combined with the current model, built once and reused for every
 * message. Each rebuild reads the current model's id (one indexed row) and loads its artifact only when it changed.
 * Phrase changes, promotions and rollbacks through this process invalidate it at once.
 */
export class SensorCache {
  private current: { sensor: Sensor; builtAt: number } | null = null;
  private building: Promise<Sensor> | null = null;
  private generation = 0;

  constructor(private readonly db: Kysely<DB>) {
    const set = caches.get(db) ?? new Set<SensorCache>();
    set.add(this);
    caches.set(db, set);
  }

  async get(): Promise<Sensor> {
    if (this.current && Date.now() - this.current.builtAt < MAX_AGE_MS) return this.current.sensor;
    this.building ??= this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  invalidate(): void {
    this.generation += 1;
    this.current = null;
  }

  private async build(): Promise<Sensor> {
    const generation = this.generation;
    const dictionary = await townDictionary(this.db);
    const sensor = createCombinedSensor(dictionary, await this.currentModel());
    // A change while building makes this result stale: use it for this call, but do not keep it.
    if (generation === this.generation) this.current = { sensor, builtAt: Date.now() };
    return sensor;
  }

  private async currentModel(): Promise<SensingModel | null> {
    const ref = await currentModelRef(this.db);
    return ref ? loadedModel(this.db, ref.id) : null;
  }
}

/** The sensor intake would use now (the CLI's `sense`): the town's dictionary and the database's current model. */
export function currentSensor(deps: { db: Kysely<DB> }): Promise<Sensor> {
  return new SensorCache(deps.db).get();
}
