import { z } from 'zod';
import { idParam } from '../../core/fields.ts';
import { TILE_CRSES } from '../../core/geo/tiles.ts';
import { MAP_FEATURE_KINDS } from '../../core/vocabulary.ts';

export const mapConfigSchema = z.object({
  tiles: z.object({
    url: z.string().describe('XYZ template: {z} {x} {y}, maybe {s}'),
    crs: z.enum(TILE_CRSES).describe('the coordinate system the tiles are drawn in; gcj02 means every overlay is shifted to match'),
    attribution: z.string(), subdomains: z.string(), maxZoom: z.number(),
  }).nullable().describe('null: no tile server; the maps draw grids, communities, roads, landmarks and buildings themselves'),
});

export const featuresQuery = z.object({ under: idParam.optional().describe('features around this node (its own, its ancestors\' and its descendants\')') });
export const featuresResult = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.enum(['Point', 'LineString', 'Polygon']), coordinates: z.unknown() }),
    properties: z.object({ id: z.number(), kind: z.enum(MAP_FEATURE_KINDS), name: z.string() }),
  })),
});

export const placesQuery = z.object({
  lng: z.coerce.number().min(-180).max(180).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  crs: z.enum(['wgs84', 'gcj02']).default('wgs84').describe('of lng/lat; answers are always WGS-84'),
  q: z.string().trim().max(50).optional().describe('part of a building\'s name or address, its estate or its grid'),
  under: idParam.optional().describe('only buildings in the subtree of this node'),
  radius: z.coerce.number().int().min(50).max(5000).default(1500).describe('metres around the point, when there is no search text'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
}).refine((v) => (v.lng === undefined) === (v.lat === undefined), { message: 'give both lng and lat, or neither', path: ['lat'] });

export const placeSchema = z.object({
  id: z.number().describe('the building id, for a report\'s location { buildingId }'),
  name: z.string(), label: z.string().describe('estate and building, e.g. 锦绣花园3栋'), address: z.string(),
  gridId: z.number(), gridName: z.string(), communityName: z.string().nullable(),
  lng: z.number(), lat: z.number(), distanceM: z.number().nullable().describe('from the given point, in metres'),
});
export const placesResult = z.object({ items: z.array(placeSchema) });
