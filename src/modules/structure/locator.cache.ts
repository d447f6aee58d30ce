import type { Kysely } from 'kysely';
import { GridLocator } from '../../core/geo/locator.ts';
import type { DB } from '../../db/schema.ts';
import { activeBoundaries, boundaryVersion } from './structure.repository.ts';

/**
 * The in-memory R-tree of grid boundaries, rebuilt whenever the boundary version in the database moves.
 * Checking one meta row per lookup keeps every app copy in step without any cross-process messaging.
 */
export class GridLocatorCache {
  #version: string | null = null;
  #locator: Promise<GridLocator> | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  async get(): Promise<GridLocator> {
    const version = await boundaryVersion(this.db);
    if (this.#locator === null || version !== this.#version) {
      this.#version = version;
      this.#locator = activeBoundaries(this.db).then(
        (rows) => new GridLocator(rows.flatMap((r) => (r.boundary && (r.level === 'grid' || r.level === 'microgrid') ? [{ id: r.id, level: r.level, boundary: r.boundary }] : []))),
      );
      // A failed build must not be cached: the next lookup tries again.
      this.#locator.catch(() => {
        this.#locator = null;
      });
    }
    return this.#locator;
  }
}
