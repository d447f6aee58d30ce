import gcoord from 'gcoord';
import { get as idbGet, set as idbSet } from 'idb-keyval';
import { api, unwrap } from '../api/client.ts';
import type { BoundaryCollection, MapConfig, MapFeatureCollection } from '../api/types.ts';

export type { BoundaryCollection, MapConfig, MapFeatureCollection, Place } from '../api/types.ts';

const cache = new Map<string, Promise<unknown>>();

/**
 * One promise per key for the page's life; a failure is forgotten so the next call tries again. Public map layers
 * are also kept in IndexedDB, so a phone that has seen them once still draws them with no network.
 */
function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    const stored = `dualgrid-map:${key}`;
    p = load().then(
      (v) => { void idbSet(stored, v).catch(() => undefined); return v; },
      // Offline (or the server is down): the last copy this phone saw, else the original failure.
      async (e: unknown) => ((await idbGet<T>(stored).catch(() => undefined)) ?? Promise.reject(e)),
    );
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/** Boundaries (WGS-84) of the nodes of one kind under a node, e.g. every grid of a town; cached per page. */
export function boundaries(under: number | null, kind: 'grid' | 'community' | 'town' = 'grid'): Promise<BoundaryCollection> {
  return cached(`b:${under ?? ''}:${kind}`, () => unwrap(api.GET('/api/geo/boundaries', { params: { query: { kind, under: under || undefined } } })));
}

/** Roads, rivers, parks and landmarks (WGS-84) around a node, or of everything; cached per page. */
export function mapFeatures(under: number | null = null): Promise<MapFeatureCollection> {
  return cached(`f:${under ?? ''}`, () => unwrap(api.GET('/api/map/features', { params: { query: { under: under || undefined } } })));
}

/** The tile server, if the deployment has one; without an answer (offline) the maps go without tiles. */
export function mapConfig(): Promise<MapConfig> {
  return cached('config', () => unwrap(api.GET('/api/map/config')).catch(() => ({ tiles: null })));
}

export type Crs = 'wgs84' | 'gcj02' | 'cgcs2000' | 'bd09';
const GCOORD = { wgs84: gcoord.WGS84, cgcs2000: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** A WGS-84 point in another system (CGCS2000 is WGS-84 to within centimetres). */
export function fromWgs84(lng: number, lat: number, to: Crs): [number, number] {
  if (to === 'wgs84' || to === 'cgcs2000') return [lng, lat];
  const [x = lng, y = lat] = gcoord.transform([lng, lat], gcoord.WGS84, GCOORD[to]);
  return [x, y];
}

/** A point of another system back in WGS-84 (what the server stores). */
export function toWgs84(lng: number, lat: number, from: Crs): [number, number] {
  if (from === 'wgs84' || from === 'cgcs2000') return [lng, lat];
  const [x = lng, y = lat] = gcoord.transform([lng, lat], GCOORD[from], gcoord.WGS84);
  return [x, y];
}

/** Ground distance in metres between two WGS-84 points (haversine). */
export function metresBetween(a: [number, number], b: [number, number]): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(b[1] - a[1]) / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(rad(b[0] - a[0]) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
