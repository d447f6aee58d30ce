import type { Kysely, Selectable } from 'kysely';
import type { DB, IntakeSourcesTable } from '../../db/schema.ts';
import { getActiveSource } from './intake.repository.ts';

/** Source settings change rarely; past this age they are read again (another process may have disabled one). */
const SOURCE_CACHE_MS = 10_000;

/**
 * The active intake sources, cached briefly: every intake request needs its source, and a database round trip
 * each would cost more than the message's own insert under group commit.
 */
export class SourceCache {
  private readonly cache = new Map<number, { row: Selectable<IntakeSourcesTable> | undefined; at: number }>();

  constructor(private readonly db: Kysely<DB>) {}

  /** An active source of the kind; unknown and disabled ones look the same from outside. */
  async active(id: number, kind: 'wecom' | 'webhook') {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < SOURCE_CACHE_MS) return hit.row?.kind === kind ? hit.row : undefined;
    const row = await getActiveSource(this.db, id);
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(id, { row, at: Date.now() });
    return row?.kind === kind ? row : undefined;
  }

  forget(id: number): void {
    this.cache.delete(id);
  }
}
