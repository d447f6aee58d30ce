// Zod schemas for grid boundaries: uploads come from hand-drawn GIS files, so errors must say exactly what is wrong.
import { z } from 'zod';

/** Upper bound on positions in one boundary; keeps point-in-polygon tests and payloads bounded. */
export const MAX_BOUNDARY_POSITIONS = 100_000;

/** Short human-readable rendering of an unexpected input value. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

const coordinateSchema = z.number({
  error: (iss) =>
    iss.input === undefined ? 'a coordinate is missing' : `coordinates must be finite numbers, got ${describe(iss.input)}`,
});

// Altitude is tolerated because many GIS exports carry it; it is ignored everywhere else.
const positionSchema = z
  .array(coordinateSchema, { error: 'a position must be an array [longitude, latitude]' })
  .min(2, 'a position needs both longitude and latitude')
  .max(3, 'a position has at most 3 numbers: longitude, latitude and optional altitude');

const ringSchema = z.array(positionSchema, { error: 'a ring must be an array of positions' });

const polygonCoordinatesSchema = z
  .array(ringSchema, { error: 'polygon coordinates must be an array of rings' })
  .min(1, 'a polygon needs at least its exterior ring');

const bboxSchema = z.union([
  z.tuple([z.number(), z.number(), z.number(), z.number()]),
  z.tuple([z.number(), z.number(), z.number(), z.number(), z.number(), z.number()]),
]);

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Checks ring closure, size and coordinate ranges for one polygon's rings. */
function checkPolygon(rings: number[][][], label: (ring: number) => string, path: Path, ctx: Ctx): void {
  rings.forEach((ring, r) => {
    const where = label(r);
    if (ring.length < 4) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, r],
        message: `${where} has ${ring.length} position${ring.length === 1 ? '' : 's'}; a closed ring needs at least 4 (3 corners plus the repeated first position)`,
      });
      return;
    }
    ring.forEach((position, k) => {
      const [lng = 0, lat = 0] = position;
      if (lng < -180 || lng > 180) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, r, k, 0],
          message: `position ${k} of ${where} has longitude ${lng}, outside [-180, 180] (are longitude and latitude swapped, or is this projected data?)`,
        });
      }
      if (lat < -90 || lat > 90) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, r, k, 1],
          message: `position ${k} of ${where} has latitude ${lat}, outside [-90, 90] (are longitude and latitude swapped?)`,
        });
      }
    });
    const first = ring[0] ?? [];
    const last = ring[ring.length - 1] ?? [];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, r],
        message: `${where} is not closed: its first and last positions differ`,
      });
    }
  });
}

/** Rejects oversized boundaries before walking them position by position. */
function checkSize(polygons: number[][][][], ctx: Ctx): boolean {
  let total = 0;
  for (const rings of polygons) for (const ring of rings) total += ring.length;
  if (total <= MAX_BOUNDARY_POSITIONS) return true;
  ctx.addIssue({
    code: 'custom',
    path: ['coordinates'],
    message: `boundary has ${formatCount(total)} positions; at most ${formatCount(MAX_BOUNDARY_POSITIONS)} are allowed (simplify it first)`,
  });
  return false;
}

export const polygonSchema = z
  .object({
    type: z.literal('Polygon'),
    coordinates: polygonCoordinatesSchema,
    bbox: bboxSchema.optional(),
  })
  .superRefine((geometry, ctx) => {
    if (!checkSize([geometry.coordinates], ctx)) return;
    checkPolygon(geometry.coordinates, (r) => `ring ${r}`, ['coordinates'], ctx);
  });

export const multiPolygonSchema = z
  .object({
    type: z.literal('MultiPolygon'),
    coordinates: z
      .array(polygonCoordinatesSchema, { error: 'multipolygon coordinates must be an array of polygons' })
      .min(1, 'a multipolygon needs at least one polygon'),
    bbox: bboxSchema.optional(),
  })
  .superRefine((geometry, ctx) => {
    if (!checkSize(geometry.coordinates, ctx)) return;
    geometry.coordinates.forEach((rings, p) => {
      checkPolygon(rings, (r) => `ring ${r} of polygon ${p}`, ['coordinates', p], ctx);
    });
  });

/** A grid boundary: a WGS-84 Polygon or MultiPolygon with closed rings. */
export const boundarySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return 'a boundary must be a GeoJSON geometry object';
    const input: unknown = iss.input;
    const got = typeof input === 'object' && input !== null && 'type' in input ? describe(input.type) : 'no type';
    return `boundary geometry type must be "Polygon" or "MultiPolygon", got ${got}`;
  },
});

export type Boundary = z.infer<typeof boundarySchema>;

/** A feature whose geometry is a valid boundary or null (features still being drawn). */
export const boundaryFeatureSchema = z.object({
  type: z.literal('Feature', { error: 'each feature must have type "Feature"' }),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: boundarySchema.nullable(),
  // GeoJSON allows null properties; callers treat null like an empty record.
  properties: z.record(z.string(), z.unknown()).nullable(),
  bbox: bboxSchema.optional(),
});

export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection', { error: 'the top-level object must have type "FeatureCollection"' }),
  features: z.array(boundaryFeatureSchema, { error: 'features must be an array' }),
  bbox: bboxSchema.optional(),
});

export type BoundaryFeature = z.infer<typeof boundaryFeatureSchema>;
export type BoundaryFeatureCollection = z.infer<typeof featureCollectionSchema>;
