// Geometry helpers for drawn map features and nearby places: bounding boxes, overlaps and ground distances.
import type { LineString, Point, Polygon, Position } from 'geojson';
import type { BBox } from './area.ts';

/** A drawn feature's shape (map_features.geometry), WGS-84. */
export type FeatureGeometry = Point | LineString | Polygon;

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine); WGS-84 points in, good to a few metres at town scale. */
export function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLng = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** All positions of a geometry, whatever its type. */
export function positionsOf(g: { type: string; coordinates: unknown }): Position[] {
  const out: Position[] = [];
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') out.push(c as Position);
    else for (const x of c) walk(x);
  };
  walk(g.coordinates);
  return out;
}

/** The bounding box of any geometry's positions; null for an empty one. */
export function bboxOf(g: { type: string; coordinates: unknown }): BBox | null {
  const ps = positionsOf(g);
  if (ps.length === 0) return null;
  let box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lng = 0, lat = 0] of ps) box = [Math.min(box[0], lng), Math.min(box[1], lat), Math.max(box[2], lng), Math.max(box[3], lat)];
  return box;
}

export const bboxesOverlap = (a: BBox, b: BBox): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** A box grown by `metres` on every side (for "near this point"). */
export function bboxAround(lng: number, lat: number, metres: number): BBox {
  const dLat = metres / 111_320;
  const dLng = metres / (111_320 * Math.max(0.01, Math.cos(rad(lat))));
  return [lng - dLng, lat - dLat, lng + dLng, lat + dLat];
}

/** Items with a point, nearest first, each with its distance in whole metres; ties keep their order. */
export function nearestFirst<T extends { lng: number; lat: number }>(items: readonly T[], from: readonly [number, number]): (T & { distanceM: number })[] {
  return items.map((it) => ({ ...it, distanceM: Math.round(distanceM(from, [it.lng, it.lat])) })).sort((a, b) => a.distanceM - b.distanceM);
}

/** 锦绣花园 + 3栋 → 锦绣花园3栋: how people name a building; one of a dedicated grid (no estate) keeps its own name. */
export const placeLabel = (estate: string | null, building: string) => (estate && !building.startsWith(estate) ? `${estate}${building}` : building);
