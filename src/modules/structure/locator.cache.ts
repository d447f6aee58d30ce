import type { Kysely } from 'kysely';
import { GridLocator } from '../../core/geo/locator.ts';
import type { DB } from '../../db/schema.ts';
import { activeBoundaries, boundaryVersion } from './structure.repository.ts';

/**
 * The in-memory R-tree of grid boundaries, rebuilt whenever the boundary version in the database moves.
 * Checking one meta row per lookup keeps every app copy in step without any cross-process messaging.
 */
export interface NodeRef { id: number; code: string; name: string; parentId: number | null }

export interface LocatorSnapshot {
  locator: GridLocator;
  /** Grids, micro-grids and communities by id, so a lookup answers without another query. */
  refs: Map<number, NodeRef>;
}

export class GridLocatorCache {
  #version: string | null = null;
  #locator: Promise<LocatorSnapshot> | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  /** `db` lets a caller inside a transaction read through it (PGlite has a single connection). */
  async get(db: Kysely<DB> = this.db): Promise<LocatorSnapshot> {
    const version = await boundaryVersion(db);
    if (this.#locator === null || version !== this.#version) {
      this.#version = version;
      this.#locator = activeBoundaries(db).then(({ located, parents }) => ({
        locator: new GridLocator(located.flatMap((r) => (r.boundary && (r.level === 'grid' || r.level === 'microgrid') ? [{ id: r.id, level: r.level, boundary: r.boundary }] : []))),
        refs: new Map([...located, ...parents].map((r) => [r.id, { id: r.id, code: r.code, name: r.name, parentId: r.parent_id }])),
      }));
      // A failed build must not be cached: the next lookup tries again.
      this.#locator.catch(() => {
        this.#locator = null;
      });
    }
    return this.#locator;
  }
}
