import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { type Boundary, boundarySchema, featureCollectionSchema, MAX_BOUNDARY_POSITIONS } from './geojson.schema.ts';

const square = (x: number, y: number, s = 0.01): number[][] => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

/** All issue messages of a failed parse, so assertions fail loudly if the parse unexpectedly succeeds. */
function messages(input: unknown): string[] {
  const result = boundarySchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe('boundarySchema', () => {
  it('accepts a polygon with a hole and keeps it unchanged', () => {
    const polygon = { type: 'Polygon', coordinates: [square(109.1, 34.3), square(109.102, 34.302, 0.002)] };
    expect(boundarySchema.parse(polygon)).toEqual(polygon);
  });

  it('accepts a multipolygon and positions with altitude', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[square(109.1, 34.3)], [square(109.2, 34.3).map(([x, y]) => [x ?? 0, y ?? 0, 412])]] };
    const parsed = boundarySchema.parse(multi);
    expect(parsed.type).toBe('MultiPolygon');
    expect(parsed.coordinates).toHaveLength(2);
  });

  it('names the ring and polygon of an unclosed ring', () => {
    const open = square(109.3, 34.3).slice(0, 4).concat([[109.3, 34.3001]]);
    const multi = { type: 'MultiPolygon', coordinates: [[square(109.1, 34.3)], [square(109.2, 34.3)], [open]] };
    const result = boundarySchema.safeParse(multi);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('ring 0 of polygon 2 is not closed: its first and last positions differ');
    expect(result.error?.issues[0]?.path).toEqual(['coordinates', 2, 0]);
    expect(messages({ type: 'Polygon', coordinates: [open] })).toEqual(['ring 0 is not closed: its first and last positions differ']);
  });

  it('rejects NaN and non-numeric coordinates', () => {
    const ring = square(109.1, 34.3);
    ring[2] = [Number.NaN, 34.31];
    expect(messages({ type: 'Polygon', coordinates: [ring] }).join()).toMatch(/finite numbers, got NaN/);
    ring[2] = [Number.POSITIVE_INFINITY, 34.31];
    expect(messages({ type: 'Polygon', coordinates: [ring] }).join()).toMatch(/got Infinity/);
    expect(messages({ type: 'Polygon', coordinates: [[[109.1, '34.3'], ...square(109.1, 34.3).slice(1)]] }).join()).toMatch(/got "34.3"/);
  });

  it('rejects rings with fewer than 4 positions', () => {
    const triangle = [
      [109.1, 34.3],
      [109.2, 34.3],
      [109.1, 34.3],
    ];
    expect(messages({ type: 'Polygon', coordinates: [triangle] })).toEqual([
      'ring 0 has 3 positions; a closed ring needs at least 4 (3 corners plus the repeated first position)',
    ]);
  });

  it('rejects positions missing latitude', () => {
    const ring = square(109.1, 34.3);
    ring[1] = [109.11];
    expect(messages({ type: 'Polygon', coordinates: [ring] }).join()).toMatch(/needs both longitude and latitude/);
  });

  it('rejects geometry types other than Polygon and MultiPolygon', () => {
    expect(messages({ type: 'Point', coordinates: [109.1, 34.3] })).toEqual([
      'boundary geometry type must be "Polygon" or "MultiPolygon", got "Point"',
    ]);
    expect(messages('POLYGON((0 0, 1 0, 1 1, 0 0))').join()).toMatch(/GeoJSON geometry object/);
  });

  it('rejects longitudes and latitudes out of range, naming the position', () => {
    const ring = square(109.1, 34.3);
    ring[1] = [200, 34.3];
    const lng = messages({ type: 'Polygon', coordinates: [ring] });
    expect(lng).toEqual([
      'position 1 of ring 0 has longitude 200, outside [-180, 180] (are longitude and latitude swapped, or is this projected data?)',
    ]);
    const swapped = square(34.3, 109.1);
    expect(messages({ type: 'MultiPolygon', coordinates: [[swapped]] }).join()).toMatch(/position 0 of ring 0 of polygon 0 has latitude 109.1, outside \[-90, 90\]/);
  });

  it('caps the total number of positions', () => {
    const big: number[][] = [];
    for (let i = 0; i < MAX_BOUNDARY_POSITIONS; i++) big.push([109 + i * 1e-7, 34.3 + (i % 2) * 1e-4]);
    big.push([109, 34.3]);
    expect(messages({ type: 'Polygon', coordinates: [big] })).toEqual([
      'boundary has 100,001 positions; at most 100,000 are allowed (simplify it first)',
    ]);
  });

  it('is interchangeable with the GeoJSON geometry types', () => {
    // Compile-time checks: these assignments fail typechecking if the inferred type drifts.
    const toGeo = (b: Boundary): Polygon | MultiPolygon => b;
    const fromGeo = (g: Polygon | MultiPolygon): Boundary => g;
    const polygon: Polygon = { type: 'Polygon', coordinates: [square(109.1, 34.3)], bbox: [109.1, 34.3, 109.11, 34.31] };
    expect(boundarySchema.parse(toGeo(fromGeo(polygon)))).toEqual(polygon);
  });
});

describe('featureCollectionSchema', () => {
  const feature = (geometry: unknown, properties: unknown = { name: '一网格' }) => ({ type: 'Feature', geometry, properties });

  it('accepts boundary features, null geometries and null properties', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [feature({ type: 'Polygon', coordinates: [square(109.1, 34.3)] }), feature(null), feature(null, null)],
    };
    const parsed = featureCollectionSchema.parse(fc);
    expect(parsed.features).toHaveLength(3);
    expect(parsed.features[0]?.properties).toEqual({ name: '一网格' });
  });

  it('reports geometry problems with the feature index in the path', () => {
    const open = square(109.1, 34.3).slice(0, 4).concat([[109.2, 34.4]]);
    const result = featureCollectionSchema.safeParse({
      type: 'FeatureCollection',
      features: [feature(null), feature({ type: 'Polygon', coordinates: [open] })],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['features', 1, 'geometry', 'coordinates', 0]);
    expect(result.error?.issues[0]?.message).toMatch(/not closed/);
  });

  it('rejects a wrong top-level type and non-record properties', () => {
    const wrong = featureCollectionSchema.safeParse({ type: 'Feature', features: [] });
    expect(wrong.error?.issues[0]?.message).toBe('the top-level object must have type "FeatureCollection"');
    const badProps = featureCollectionSchema.safeParse({ type: 'FeatureCollection', features: [feature(null, 'x')] });
    expect(badProps.success).toBe(false);
    expect(badProps.error?.issues[0]?.path).toEqual(['features', 0, 'properties']);
  });
});
