import type { z } from 'zod';
import { type BBox, bbox } from '../../core/geo/area.ts';
import { notFound } from '../../core/errors.ts';
import { bboxAround, bboxesOverlap, bboxOf, nearestFirst } from '../../core/geo/features.ts';
import { toWgs84 } from '../../core/geo/locator.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import * as repo from './map.repository.ts';
import { placePrefixes } from './map.policy.ts';
import type { placesQuery } from './map.schema.ts';
import * as structureRepo from './structure.repository.ts';
import type { StructureService } from './structure.service.ts';

/** How far past a node's own box its map reaches for roads and landmarks, in degrees (≈ 1 km). */
const FEATURE_MARGIN = 0.01;
/** Candidates read for one list; a town has a few thousand buildings, a neighbourhood far fewer. */
const CANDIDATES = 2000;

/** What maps draw besides the grids (roads, rivers, parks, landmarks), and the buildings people choose a place from. */
export class MapService {
  constructor(private readonly deps: AppDeps, private readonly structure: StructureService) {}

  config() {
    return { tiles: this.deps.config.mapTiles };
  }

  /** Drawn features around a node: those hung on it, above or below it, that reach into its boundary's box. */
  async features(under: number | undefined) {
    const { db } = this.deps;
    if (!under) return repo.listMapFeatures(db, null);
    const node = await structureRepo.getNodeWithBoundary(db, under);
    if (!node) throw notFound(`Node ${under}`);
    const rows = await repo.listMapFeatures(db, node.path);
    if (!node.boundary) return rows;
    const [minLng, minLat, maxLng, maxLat] = bbox(node.boundary);
    const box: BBox = [minLng - FEATURE_MARGIN, minLat - FEATURE_MARGIN, maxLng + FEATURE_MARGIN, maxLat + FEATURE_MARGIN];
    return rows.filter((r) => {
      const b = bboxOf(r.geometry);
      return b !== null && bboxesOverlap(b, box);
    });
  }

  /**
   * Buildings to choose a place from, for the reader's part of the tree: with a point, those within `radius`
   * nearest first (or, with search text, every match nearest first); without one, matches by name.
   */
  async places(ctx: RequestContext, q: z.infer<typeof placesQuery>) {
    const prefixes = placePrefixes(ctx.actor);
    if (prefixes.length === 0) return [];
    const under = q.under ? (await this.structure.requireNode(q.under)).path : undefined;
    const from = q.lng !== undefined && q.lat !== undefined ? toWgs84(q.lng, q.lat, q.crs) : null;
    const within = from && !q.q ? bboxAround(from[0], from[1], q.radius) : undefined;
    const rows = await repo.listPlaceBuildings(this.deps.db, { prefixes, under, search: q.q, within, limit: CANDIDATES });
    // The query keeps only rows with a point; the filter tells the type so.
    const located = rows.flatMap((r) => (r.lng !== null && r.lat !== null ? [{ ...r, lng: r.lng, lat: r.lat }] : []));
    if (!from) {
      const collator = new Intl.Collator('zh-CN', { numeric: true });
      return located.sort((a, b) => collator.compare(`${a.estate_name ?? ''}${a.address}`, `${b.estate_name ?? ''}${b.address}`))
        .slice(0, q.limit).map((r) => ({ ...r, distanceM: null }));
    }
    const near = nearestFirst(located, from);
    return (within ? near.filter((r) => r.distanceM <= q.radius) : near).slice(0, q.limit);
  }
}
