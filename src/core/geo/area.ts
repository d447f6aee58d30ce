// Planar measures in degree space: enough for ranking, sanity checks and placing demo points, not for surveying.
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Any polygonal geometry; a validated `Boundary` fits here too. */
export type PolygonalGeometry = Polygon | MultiPolygon;

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

/** Polygons of a geometry as lists of rings, so callers need not branch on the type. */
export function polygonsOf(geometry: PolygonalGeometry): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Signed shoelace area in degrees², positive when counter-clockwise; relative to the first position to avoid cancellation. */
export function ringArea(ring: readonly Position[]): number {
  const origin = ring[0];
  if (origin === undefined || ring.length < 3) return 0;
  const x0 = origin[0] ?? 0;
  const y0 = origin[1] ?? 0;
  let twice = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] ?? origin;
    const b = ring[(i + 1) % ring.length] ?? origin;
    twice += ((a[0] ?? 0) - x0) * ((b[1] ?? 0) - y0) - ((b[0] ?? 0) - x0) * ((a[1] ?? 0) - y0);
  }
  return twice / 2;
}

/** Area of one polygon's rings: exterior minus holes, whatever their orientation. */
function ringsArea(rings: readonly Position[][]): number {
  let area = 0;
  rings.forEach((ring, r) => {
    area += r === 0 ? Math.abs(ringArea(ring)) : -Math.abs(ringArea(ring));
  });
  return area;
}

/** Planar area in degrees², holes subtracted, summed over all polygons. */
export function polygonArea(geometry: PolygonalGeometry): number {
  let area = 0;
  for (const rings of polygonsOf(geometry)) area += ringsArea(rings);
  return area;
}

/** Bounding box of every position; NaN box for a geometry without positions. */
export function bbox(geometry: PolygonalGeometry): BBox {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const rings of polygonsOf(geometry)) {
    for (const ring of rings) {
      for (const p of ring) {
        const x = p[0] ?? Number.NaN;
        const y = p[1] ?? Number.NaN;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (minX > maxX) return [Number.NaN, Number.NaN, Number.NaN, Number.NaN];
  return [minX, minY, maxX, maxY];
}

/** Area-weighted centroid of one ring as [cx, cy, signedArea], relative coordinates for precision. */
function ringMoment(ring: readonly Position[]): [number, number, number] {
  const origin = ring[0] ?? [0, 0];
  const x0 = origin[0] ?? 0;
  const y0 = origin[1] ?? 0;
  let twice = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] ?? origin;
    const b = ring[(i + 1) % ring.length] ?? origin;
    const ax = (a[0] ?? 0) - x0;
    const ay = (a[1] ?? 0) - y0;
    const bx = (b[0] ?? 0) - x0;
    const by = (b[1] ?? 0) - y0;
    const cross = ax * by - bx * ay;
    twice += cross;
    sx += (ax + bx) * cross;
    sy += (ay + by) * cross;
  }
  if (twice === 0) return [x0, y0, 0];
  return [x0 + sx / (3 * twice), y0 + sy / (3 * twice), twice / 2];
}

/** Area-weighted centroid [lng, lat] of the largest polygon; may lie outside a concave one, so callers check containment. */
export function centroid(geometry: PolygonalGeometry): [number, number] {
  let best: Position[][] | undefined;
  let bestArea = Number.NEGATIVE_INFINITY;
  for (const rings of polygonsOf(geometry)) {
    const area = ringsArea(rings);
    if (area > bestArea) {
      bestArea = area;
      best = rings;
    }
  }
  if (best === undefined || best.length === 0) return [Number.NaN, Number.NaN];
  let weight = 0;
  let cx = 0;
  let cy = 0;
  best.forEach((ring, r) => {
    const [x, y, signed] = ringMoment(ring);
    const area = r === 0 ? Math.abs(signed) : -Math.abs(signed);
    weight += area;
    cx += x * area;
    cy += y * area;
  });
  if (weight > 0) return [cx / weight, cy / weight];
  // Degenerate (zero-area) polygon: fall back to the mean of its exterior positions.
  const exterior = best[0] ?? [];
  const n = Math.max(exterior.length - 1, 1);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += exterior[i]?.[0] ?? 0;
    my += exterior[i]?.[1] ?? 0;
  }
  return [mx / n, my / n];
}
