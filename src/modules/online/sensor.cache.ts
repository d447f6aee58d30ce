import type { Kysely } from 'kysely';
import { createSensor, DEFAULT_DICTIONARY, mergeDictionary } from '../../core/sensing/index.ts';
import type { Sensor } from '../../core/sensing/types.ts';
import type { DB } from '../../db/schema.ts';
import { sensorPhrases } from './intake.repository.ts';

/** Other app processes may change phrases too; past this age the merged sensor is rebuilt anyway. */
const MAX_AGE_MS = 60_000;

/**
 * The sensor built from the default dictionary merged with the sensing_phrases rows, built once and
 * reused for every message; phrase changes through this process invalidate it at once.
 */
export class SensorCache {
  private current: { sensor: Sensor; builtAt: number } | null = null;
  private building: Promise<Sensor> | null = null;
  private generation = 0;

  constructor(private readonly db: Kysely<DB>) {}

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
    const rows = await sensorPhrases(this.db);
    const sensor = createSensor(mergeDictionary(DEFAULT_DICTIONARY, rows.map((r) => ({
      kind: r.kind, categoryCode: r.category_code, urgentKind: r.urgent_kind, phrase: r.phrase, weight: r.weight,
    }))));
    // A change while building makes this result stale: use it for this call, but do not keep it.
    if (generation === this.generation) this.current = { sensor, builtAt: Date.now() };
    return sensor;
  }
}
