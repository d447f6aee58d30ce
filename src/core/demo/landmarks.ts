// The demo town's bearings: a river, a wetland park, main roads, roads along community borders and the places
// people name when giving directions (the street office, the station, schools, the market, community centres).
// Pure and deterministic: the same town gives the same features; everything lies within the town's box.
import type { Position } from 'geojson';
import { type BBox, centroid } from '../geo/area.ts';
import type { FeatureGeometry } from '../geo/features.ts';
import type { TiledTown } from '../geo/tiler.ts';
import type { MapFeatureKind } from '../vocabulary.ts';
import { ADDRESS_PREFIX, DEMO_TOWN } from './catalog.ts';
import type { DemoTown } from './spec.ts';

export interface DemoMapFeature { kind: MapFeatureKind; name: string; geometry: FeatureGeometry }

/** Roads along the borders between neighbouring communities, west to east. */
const BORDER_ROADS = ['东城一路', '锦园街', '红庆路', '石王街', '向阳路', '建设东路', '幸福南路'];

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

export function demoMapFeatures(town: DemoTown, tiles: TiledTown, box: BBox): DemoMapFeature[] {
  const [minLng, minLat, maxLng, maxLat] = box;
  const w = maxLng - minLng;
  const h = maxLat - minLat;
  /** A point at fractions (x, y) of the town's box. */
  const at = (x: number, y: number): Position => [r6(minLng + w * x), r6(minLat + h * y)];
  /** A gently bending line through the box: `x(t)`/`y(t)` give fractions for t in 0..1. */
  const line = (x: (t: number) => number, y: (t: number) => number, steps = 10): FeatureGeometry => ({
    type: 'LineString', coordinates: Array.from({ length: steps + 1 }, (_, i) => at(x(i / steps), y(i / steps))),
  });
  const point = (p: Position): FeatureGeometry => ({ type: 'Point', coordinates: p });
  const features: DemoMapFeature[] = [];

  // The river runs north along the western edge, the wetland park on its east bank.
  features.push({ kind: 'river', name: '灞河', geometry: line((t) => 0.05 + 0.025 * Math.sin(t * 5.2), (t) => t, 16) });
  features.push({
    kind: 'park', name: `${DEMO_TOWN.short}灞河湿地公园`,
    geometry: { type: 'Polygon', coordinates: [[at(0.09, 0.56), at(0.16, 0.57), at(0.17, 0.72), at(0.1, 0.74), at(0.09, 0.56)]] },
  });

  // Main roads: one spine each way, and two more east–west.
  features.push({ kind: 'main_road', name: '灞源大道', geometry: line((t) => t, (t) => 0.5 + 0.012 * Math.sin(t * 4)) });
  features.push({ kind: 'main_road', name: '纺渭路', geometry: line((t) => 0.46 + 0.01 * Math.sin(t * 3), (t) => t) });
  features.push({ kind: 'main_road', name: '新庄大道', geometry: line((t) => 0.74 - 0.012 * Math.sin(t * 2.5), (t) => t) });
  features.push({ kind: 'main_road', name: '柳巷路', geometry: line((t) => 0.06 + 0.94 * t, (t) => 0.21 + 0.01 * Math.cos(t * 3)) });
  features.push({ kind: 'main_road', name: '长坡路', geometry: line((t) => 0.08 + 0.92 * t, (t) => 0.82 - 0.012 * Math.sin(t * 3.5)) });

  // Community borders follow roads, as they usually do: the vertices two neighbouring outlines share.
  tiles.communities.forEach((c, i) => {
    const next = tiles.communities[i + 1];
    const name = BORDER_ROADS[i];
    if (!next || !name) return;
    const theirs = new Set((next.boundary.coordinates[0] ?? []).map((p) => `${p[0]},${p[1]}`));
    const shared = (c.boundary.coordinates[0] ?? []).filter((p) => theirs.has(`${p[0]},${p[1]}`));
    const unique = shared.filter((p, k) => k === 0 || `${p}` !== `${shared[k - 1]}`).sort((a, b) => (a[1] ?? 0) - (b[1] ?? 0));
    if (unique.length >= 2) features.push({ kind: 'road', name, geometry: { type: 'LineString', coordinates: unique.map((p) => [r6(p[0] ?? 0), r6(p[1] ?? 0)]) } });
  });

  // Where people say "next to …": the street office, the police station, the metro station, the bus hub.
  features.push({ kind: 'landmark', name: `${DEMO_TOWN.name}办事处`, geometry: point(at(0.48, 0.53)) });
  features.push({ kind: 'landmark', name: `${DEMO_TOWN.short}派出所`, geometry: point(at(0.43, 0.47)) });
  features.push({ kind: 'landmark', name: `地铁${DEMO_TOWN.short}站`, geometry: point(at(0.3, 0.505)) });
  features.push({ kind: 'landmark', name: `${DEMO_TOWN.short}公交枢纽站`, geometry: point(at(0.76, 0.2)) });

  // Each community's centre, and the venue of every dedicated grid (school, market, hospital …) at its grid.
  town.communities.forEach((community, ci) => {
    const tiled = tiles.communities[ci];
    if (!tiled) return;
    const [cx, cy] = centroid(tiled.boundary);
    features.push({ kind: 'landmark', name: `${community.name}党群服务中心`, geometry: point([r6(cx), r6(cy)]) });
    community.grids.forEach((grid, gi) => {
      const polygon = tiled.grids[gi];
      const first = grid.buildings[0];
      if (grid.kind === 'residential' || !polygon || !first) return;
      const venue = venueOf(first.address, first.name);
      const [gx, gy] = centroid(polygon);
      if (venue) features.push({ kind: 'landmark', name: venue, geometry: point([r6(gx), r6(gy)]) });
    });
  });
  return features;
}

/** "<prefix><street><n>号<venue><building>" → the venue, e.g. 灞源第一中学. */
function venueOf(address: string, building: string): string | null {
  const rest = address.startsWith(ADDRESS_PREFIX) ? address.slice(ADDRESS_PREFIX.length) : address;
  const m = /^.+?\d+号(.+)$/.exec(rest);
  const venue = m?.[1]?.endsWith(building) ? m[1].slice(0, -building.length) : null;
  return venue || null;
}
