import { api, unwrap } from '../api/client.ts';
import type { BoundaryCollection } from '../api/types.ts';

export type { BoundaryCollection } from '../api/types.ts';

const cache = new Map<string, Promise<BoundaryCollection>>();

/** Boundaries (WGS-84) of the nodes of one kind under a node, e.g. every grid of a town; cached per page. */
export function boundaries(under: number | null, kind: 'grid' | 'community' | 'town' = 'grid'): Promise<BoundaryCollection> {
  const key = `${under ?? ''}:${kind}`;
  let p = cache.get(key);
  if (!p) {
    p = unwrap(api.GET('/api/geo/boundaries', { params: { query: { kind, under: under || undefined } } }));
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}
