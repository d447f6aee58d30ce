import { describe, expect, it } from 'vitest';
import type { Boundary } from './geojson.schema.ts';
import { GridLocator, type LocatableGrid, toGcj02, toWgs84 } from './locator.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): number[][] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const polygon = (...rings: number[][][]): Boundary => ({ type: 'Polygon', coordinates: rings });

// Grid 1 has a hole; grid 2 shares grid 1's east edge; micro-grids sit inside them.
const grids: LocatableGrid[] = [
  { id: 1, level: 'grid', boundary: polygon(rect(109.1, 34.3, 109.11, 34.31), rect(109.104, 34.304, 109.106, 34.306)) },
  { id: 2, level: 'grid', boundary: polygon(rect(109.11, 34.3, 109.12, 34.31)) },
  { id: 11, level: 'microgrid', boundary: polygon(rect(109.1, 34.3, 109.103, 34.303)) },
  {
    id: 12,
    level: 'microgrid',
    boundary: { type: 'MultiPolygon', coordinates: [[rect(109.111, 34.301, 109.112, 34.302)], [rect(109.118, 34.308, 109.119, 34.309)]] },
  },
];

describe('GridLocator', () => {
  const locator = new GridLocator(grids);

  it('counts grids and micro-grids, not polygons', () => {
    expect(locator.size).toBe(4);
  });

  it('resolves a point inside a square grid', () => {
    expect(locator.locate(109.102, 34.308)).toEqual({ gridId: 1, microgridId: null });
    expect(locator.locate(109.115, 34.305)).toEqual({ gridId: 2, microgridId: null });
  });

  it('does not resolve a point inside a hole', () => {
    expect(locator.locate(109.105, 34.305)).toEqual({ gridId: null, microgridId: null });
    expect(locator.locate(109.1035, 34.305)).toEqual({ gridId: 1, microgridId: null });
  });

  it('resolves points outside every grid, and non-finite input, to null', () => {
    expect(locator.locate(109.2, 34.5)).toEqual({ gridId: null, microgridId: null });
    expect(locator.locate(109.099, 34.305)).toEqual({ gridId: null, microgridId: null });
    expect(locator.locate(Number.NaN, 34.305)).toEqual({ gridId: null, microgridId: null });
  });

  it('resolves micro-grids, including each part of a MultiPolygon', () => {
    expect(locator.locate(109.1015, 34.3015)).toEqual({ gridId: 1, microgridId: 11 });
    expect(locator.locate(109.1115, 34.3015)).toEqual({ gridId: 2, microgridId: 12 });
    expect(locator.locate(109.1185, 34.3085)).toEqual({ gridId: 2, microgridId: 12 });
    expect(locator.locate(109.115, 34.3085).microgridId).toBeNull();
  });

  it('resolves a point on a shared edge to exactly one neighbour, consistently', () => {
    const onEdge = locator.locate(109.11, 34.305);
    expect([1, 2]).toContain(onEdge.gridId);
    expect(locator.locate(109.11, 34.305)).toEqual(onEdge);
    expect([1, 2]).toContain(locator.locate(109.11, 34.31).gridId);
  });

  it('prefers the smallest of overlapping grids, whatever the input order', () => {
    const big: LocatableGrid = { id: 5, level: 'grid', boundary: polygon(rect(109.2, 34.2, 109.3, 34.3)) };
    const small: LocatableGrid = { id: 9, level: 'grid', boundary: polygon(rect(109.25, 34.25, 109.26, 34.26)) };
    const twin: LocatableGrid = { id: 7, level: 'grid', boundary: polygon(rect(109.25, 34.25, 109.26, 34.26)) };
    for (const list of [[big, small, twin], [twin, small, big]]) {
      const l = new GridLocator(list);
      // The twins have equal area, so the smaller id wins.
      expect(l.locate(109.255, 34.255).gridId).toBe(7);
      expect(l.locate(109.21, 34.21).gridId).toBe(5);
    }
  });

  it('handles an empty list', () => {
    const empty = new GridLocator([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(109.1, 34.3)).toEqual({ gridId: null, microgridId: null });
  });

  it('rejects unclosed rings with the grid id in the message', () => {
    const open = rect(109.1, 34.3, 109.11, 34.31).slice(0, 4).concat([[109.1, 34.305]]);
    expect(() => new GridLocator([{ id: 42, level: 'grid', boundary: polygon(open) }])).toThrow(/grid 42: ring 0/);
  });
});

describe('GCJ-02 input', () => {
  // About 90 m wide: much narrower than the ~500 m GCJ-02 offset around Xi'an.
  const narrow: LocatableGrid = { id: 20, level: 'grid', boundary: polygon(rect(109.2995, 34.2, 109.3005, 34.3)) };
  const locator = new GridLocator([narrow]);
  const wgs: [number, number] = [109.3, 34.25];
  const gcj = toGcj02(...wgs);

  it('offsets coordinates inside China by more than the grid width', () => {
    expect(Math.abs(gcj[0] - wgs[0])).toBeGreaterThan(0.001);
  });

  it('converts GCJ-02 input to WGS-84 before locating', () => {
    expect(locator.locate(gcj[0], gcj[1], 'gcj02').gridId).toBe(20);
    // Taking the same numbers as WGS-84 lands hundreds of metres east, outside the narrow grid.
    expect(locator.locate(gcj[0], gcj[1], 'wgs84').gridId).toBeNull();
    expect(locator.locate(gcj[0], gcj[1]).gridId).toBeNull();
  });

  it('round-trips WGS-84 → GCJ-02 → WGS-84 to within a centimetre', () => {
    const [lng, lat] = toWgs84(gcj[0], gcj[1], 'gcj02');
    expect(lng).toBeCloseTo(wgs[0], 7);
    expect(lat).toBeCloseTo(wgs[1], 7);
    expect(toWgs84(1, 2, 'wgs84')).toEqual([1, 2]);
  });
});
