import { describe, expect, it } from 'vitest';
import { tileTown } from '../geo/tiler.ts';
import { DEMO_GRIDS_PER_COMMUNITY, DEMO_SEED, generateDemoTown } from './generate.ts';
import { demoMapFeatures } from './landmarks.ts';

const BOX: [number, number, number, number] = [109.05, 34.25, 109.15, 34.33];

describe('the demo town\'s bearings', () => {
  const town = generateDemoTown(DEMO_SEED);
  const tiles = tileTown({ seed: DEMO_SEED, bbox: BOX, gridsPerCommunity: [...DEMO_GRIDS_PER_COMMUNITY] });
  const features = demoMapFeatures(town, tiles, BOX);

  it('is the same for the same town', () => {
    expect(demoMapFeatures(generateDemoTown(DEMO_SEED), tileTown({ seed: DEMO_SEED, bbox: BOX, gridsPerCommunity: [...DEMO_GRIDS_PER_COMMUNITY] }), BOX)).toEqual(features);
  });

  it('names a landmark for every community and every dedicated grid, all inside the town', () => {
    const names = features.filter((f) => f.kind === 'landmark').map((f) => f.name);
    for (const c of town.communities) expect(names).toContain(`${c.name}党群服务中心`);
    const dedicated = town.communities.flatMap((c) => c.grids).filter((g) => g.kind !== 'residential').length;
    expect(names.length).toBe(4 + town.communities.length + dedicated);
    expect(new Set(names).size).toBe(names.length);
    const flat = (c: unknown): number[][] => (Array.isArray(c) && typeof c[0] === 'number' ? [c as number[]] : Array.isArray(c) ? c.flatMap(flat) : []);
    for (const f of features) {
      for (const [lng = 0, lat = 0] of flat(f.geometry.coordinates)) {
        expect(lng >= BOX[0] && lng <= BOX[2] && lat >= BOX[1] && lat <= BOX[3], f.name).toBe(true);
      }
    }
  });

  it('runs a road along each border between neighbouring communities', () => {
    const roads = features.filter((f) => f.kind === 'road');
    expect(roads).toHaveLength(tiles.communities.length - 1);
    roads.forEach((road, i) => {
      const r6 = (v: number | undefined) => Math.round((v ?? 0) * 1e6) / 1e6;
      const on = (ring: number[][] | undefined) => new Set((ring ?? []).map((p) => `${r6(p[0])},${r6(p[1])}`));
      const west = on(tiles.communities[i]?.boundary.coordinates[0]);
      const east = on(tiles.communities[i + 1]?.boundary.coordinates[0]);
      const coords = road.geometry.type === 'LineString' ? road.geometry.coordinates : [];
      expect(coords.length).toBeGreaterThanOrEqual(2);
      // Stored coordinates are rounded to 6 decimals (≈ 0.1 m).
      for (const p of coords) expect(west.has(`${p[0]},${p[1]}`) && east.has(`${p[0]},${p[1]}`)).toBe(true);
    });
  });
});
