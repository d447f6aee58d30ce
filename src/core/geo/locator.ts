// Point → grid lookup: an R-tree over polygon bounding boxes narrows candidates before exact ring tests.
import Flatbush from 'flatbush';
import gcoordModule from 'gcoord';
import type { Position } from 'geojson';
import pointInPolygon from 'point-in-polygon-hao';
import { polygonArea, polygonsOf } from './area.ts';
import type { Boundary } from './geojson.schema.ts';

// Safe: gcoord's CJS build sets module.exports to the API its typings call `default`, so either object has that shape.
const gcoord = ((gcoordModule as { default?: unknown }).default ?? gcoordModule) as typeof gcoordModule.default;

export type GridLevel = 'grid' | 'microgrid';
export type Crs = 'wgs84' | 'gcj02';

export interface LocatableGrid {
  id: number;
  level: GridLevel;
  boundary: Boundary;
}

export interface Location {
  gridId: number | null;
  microgridId: number | null;
}

/** One indexed polygon; a MultiPolygon grid contributes one entry per polygon. */
interface Entry {
  id: number;
  level: GridLevel;
  rings: Position[][];
  /** Area of the whole grid boundary, used to break ties between overlapping grids. */
  area: number;
}

/** Converts a coordinate to WGS-84; GCJ-02 is what AMap/Tencent/WeChat hand out inside China. */
export function toWgs84(lng: number, lat: number, crs: Crs): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  const [x = Number.NaN, y = Number.NaN] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84);
  return [x, y];
}

/** Converts a WGS-84 coordinate to GCJ-02, e.g. to draw grids on an AMap base layer. */
export function toGcj02(lng: number, lat: number): [number, number] {
  const [x = Number.NaN, y = Number.NaN] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02);
  return [x, y];
}

/** Smaller area wins, then smaller id, so overlapping data still resolves the same way every time. */
function better(candidate: Entry, current: Entry | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.area !== current.area) return candidate.area < current.area;
  return candidate.id < current.id;
}

/** Rejects rings the point-in-polygon test would misread (open or too short) with a message naming the grid. */
function assertRings(id: number, rings: Position[][]): void {
  rings.forEach((ring, r) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length < 4 || first === undefined || last === undefined || first[0] !== last[0] || first[1] !== last[1]) {
      throw new Error(`grid ${id}: ring ${r} must be closed and have at least 4 positions`);
    }
  });
}

/** Immutable index answering "which grid and micro-grid hold this point?"; build once per boundary version. */
export class GridLocator {
  readonly #entries: Entry[];
  readonly #index: Flatbush | null;
  readonly #size: number;

  constructor(grids: readonly LocatableGrid[]) {
    const entries: Entry[] = [];
    for (const grid of grids) {
      const area = polygonArea(grid.boundary);
      for (const rings of polygonsOf(grid.boundary)) {
        if (rings.length === 0) continue;
        assertRings(grid.id, rings);
        entries.push({ id: grid.id, level: grid.level, rings, area });
      }
    }
    this.#entries = entries;
    this.#size = grids.length;
    // Flatbush rejects zero items, and an empty index simply locates nothing.
    this.#index = entries.length === 0 ? null : buildIndex(entries);
  }

  /** Number of grids and micro-grids the locator was built from. */
  get size(): number {
    return this.#size;
  }

  /** Finds the containing grid and micro-grid; a point on a shared edge resolves to exactly one neighbour. */
  locate(lng: number, lat: number, crs: Crs = 'wgs84'): Location {
    const none: Location = { gridId: null, microgridId: null };
    if (this.#index === null || !Number.isFinite(lng) || !Number.isFinite(lat)) return none;
    const [x, y] = toWgs84(lng, lat, crs);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return none;
    let grid: Entry | undefined;
    let microgrid: Entry | undefined;
    for (const i of this.#index.search(x, y, x, y)) {
      const entry = this.#entries[i];
      if (entry === undefined) continue;
      // 0 means "on the boundary": counting it as inside makes edge points resolve instead of falling through.
      if (pointInPolygon([x, y], entry.rings) === false) continue;
      if (entry.level === 'grid') {
        if (better(entry, grid)) grid = entry;
      } else if (better(entry, microgrid)) {
        microgrid = entry;
      }
    }
    return { gridId: grid?.id ?? null, microgridId: microgrid?.id ?? null };
  }
}

/** Packs one bounding box per polygon exterior; holes never extend the box. */
function buildIndex(entries: readonly Entry[]): Flatbush {
  const index = new Flatbush(entries.length);
  for (const entry of entries) {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const p of entry.rings[0] ?? []) {
      const px = p[0] ?? Number.NaN;
      const py = p[1] ?? Number.NaN;
      minX = Math.min(minX, px);
      minY = Math.min(minY, py);
      maxX = Math.max(maxX, px);
      maxY = Math.max(maxY, py);
    }
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  return index;
}
