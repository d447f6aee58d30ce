import { type Kysely, sql } from 'kysely';
import type { BBox } from '../../core/geo/area.ts';
import type { FeatureGeometry } from '../../core/geo/features.ts';
import type { MapFeatureKind } from '../../core/vocabulary.ts';
import type { DB } from '../../db/schema.ts';

export const insertMapFeatures = async (db: Kysely<DB>, rows: { nodeId: number; kind: MapFeatureKind; name: string; geometry: FeatureGeometry }[]) => {
  if (rows.length === 0) return;
  await db.insertInto('map_features').values(rows.map((r) => ({ node_id: r.nodeId, kind: r.kind, name: r.name, geometry: JSON.stringify(r.geometry) }))).execute();
};

/** Features hung on the node at `path`, on its ancestors (a town's roads cross its grids) and on its descendants. */
export const listMapFeatures = (db: Kysely<DB>, path: string | null) => {
  let q = db.selectFrom('map_features as f').innerJoin('nodes as n', 'n.id', 'f.node_id')
    .select(['f.id', 'f.node_id', 'f.kind', 'f.name', 'f.geometry']).where('n.status', '=', 'active');
  if (path) q = q.where((eb) => eb.or([eb('n.path', 'like', `${path}%`), eb(sql.val(path), 'like', sql<string>`n.path || '%'`)]));
  return q.orderBy('f.id').execute();
};

const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface PlaceQuery {
  /** Tree prefixes the reader reaches; buildings of grids outside them are not listed. */
  prefixes: string[];
  under?: string;
  search?: string;
  within?: BBox;
  limit: number;
}

/** Active buildings with a point, with their grid and community, for choosing and naming a place. */
export function listPlaceBuildings(db: Kysely<DB>, q: PlaceQuery) {
  let query = db.selectFrom('buildings as b')
    .innerJoin('nodes as g', 'g.id', 'b.grid_id')
    .leftJoin('nodes as c', 'c.id', 'g.parent_id')
    .select(['b.id', 'b.grid_id', 'b.name', 'b.address', 'b.lng', 'b.lat', 'g.name as grid_name', 'g.estate_name', 'c.name as community_name'])
    .where('b.status', '=', 'active').where('b.lng', 'is not', null).where('b.lat', 'is not', null)
    .where((eb) => eb.or(q.prefixes.map((p) => eb('g.path', 'like', `${p}%`))))
    .orderBy('b.id')
    .limit(q.limit);
  if (q.under) query = query.where('g.path', 'like', `${q.under}%`);
  if (q.within) {
    const [minLng, minLat, maxLng, maxLat] = q.within;
    query = query.where('b.lng', '>=', minLng).where('b.lng', '<=', maxLng).where('b.lat', '>=', minLat).where('b.lat', '<=', maxLat);
  }
  // Every word must appear somewhere (building, address, estate, grid or community): "锦园 3栋" finds the 3栋 of 锦园社区.
  for (const word of (q.search ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = likeText(word);
    query = query.where((eb) => eb.or([
      eb('b.name', 'ilike', pattern), eb('b.address', 'ilike', pattern), eb('g.name', 'ilike', pattern), eb('g.estate_name', 'ilike', pattern), eb('c.name', 'ilike', pattern),
    ]));
  }
  return query.execute();
}

/** The named place of a matter: its building (if any), its grid and that grid's community; one query. */
export async function placeRef(db: Kysely<DB>, buildingId: number | null, gridId: number | null) {
  if (buildingId === null && gridId === null) return null;
  let q = db.selectFrom('nodes as g').leftJoin('nodes as c', 'c.id', 'g.parent_id')
    .select(['g.id as grid_id', 'g.name as grid_name', 'g.code as grid_code', 'g.estate_name', 'c.id as community_id', 'c.name as community_name', 'c.level as community_level']);
  if (buildingId !== null) {
    const row = await q.innerJoin('buildings as b', 'b.grid_id', 'g.id').select(['b.id as building_id', 'b.name as building_name', 'b.address as building_address', 'b.lng', 'b.lat'])
      .where('b.id', '=', buildingId).executeTakeFirst();
    if (row) return row;
  }
  if (gridId === null) return null;
  q = q.where('g.id', '=', gridId);
  const row = await q.executeTakeFirst();
  return row ? { ...row, building_id: null, building_name: null, building_address: null, lng: null, lat: null } : null;
}
