import { request } from '../api/client.ts';

export interface BoundaryFeature {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] };
  properties: { id: number; code: string; name: string; kind: string; parentId: number | null };
}
export interface BoundaryCollection { type: 'FeatureCollection'; features: BoundaryFeature[] }

const cache = new Map<string, Promise<BoundaryCollection>>();

/** Boundaries (WGS-84) of the nodes of one kind under a node, e.g. every grid of a town; cached per page. */
export function boundaries(under: number | null, kind: 'grid' | 'community' | 'town' = 'grid'): Promise<BoundaryCollection> {
  const key = `${under ?? ''}:${kind}`;
  let p = cache.get(key);
  if (!p) {
    const q = new URLSearchParams({ kind });
    if (under) q.set('under', String(under));
    p = request<BoundaryCollection>('GET', `/api/geo/boundaries?${q}`);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
