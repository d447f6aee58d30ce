// Deterministic demo-town generator: community strips cut into rows of cells that tile the town exactly.
import type { Polygon, Position } from 'geojson';
import { Rng } from '../prng.ts';
import { buildMesh, must, type StripLayout, type TownLayout, type TownMesh, type Vertex } from './tiler.mesh.ts';

export interface TileTownOptions {
  /** Same seed, same town: demo data must be reproducible. */
  seed: number;
  /** [minLng, minLat, maxLng, maxLat] in WGS-84; the town's outline spans exactly this box. */
  bbox: [number, number, number, number];
  /** Number of grids in each community, west to east. */
  gridsPerCommunity: number[];
}

export interface TiledCommunity {
  boundary: Polygon;
  grids: Polygon[];
}

export interface TiledTown {
  town: Polygon;
  communities: TiledCommunity[];
}

/** Guards against runaway demo sizes; a real town has a few hundred grids at most. */
export const MAX_DEMO_GRIDS = 50_000;

/** Fraction of a row (or column) by which its borders may wander from the even split. */
const SPLIT_JITTER = 0.2;
/** Values closer than this fraction of the finest spacing are merged so no sliver edges appear. */
const SNAP_FRACTION = 0.15;

function validate(opts: TileTownOptions): void {
  const [minLng, minLat, maxLng, maxLat] = opts.bbox;
  if (![minLng, minLat, maxLng, maxLat].every(Number.isFinite) || !(minLng < maxLng) || !(minLat < maxLat)) {
    throw new RangeError('tileTown: bbox must be finite [minLng, minLat, maxLng, maxLat] with min < max');
  }
  if (minLng < -180 || maxLng > 180 || minLat < -90 || maxLat > 90) {
    throw new RangeError('tileTown: bbox must lie within [-180, -90, 180, 90]');
  }
  if (!Number.isFinite(opts.seed)) throw new RangeError('tileTown: seed must be a finite number');
  if (opts.gridsPerCommunity.length === 0) throw new RangeError('tileTown: need at least one community');
  for (const [i, n] of opts.gridsPerCommunity.entries()) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`tileTown: community ${i} must have a positive whole number of grids, got ${n}`);
    }
  }
  const total = opts.gridsPerCommunity.reduce((a, b) => a + b, 0);
  if (total > MAX_DEMO_GRIDS) throw new RangeError(`tileTown: at most ${MAX_DEMO_GRIDS} grids, got ${total}`);
}

/** Moves each value onto a target closer than `threshold`; spacing guarantees at most one such target. */
function snap(values: number[], targets: readonly number[], threshold: number): number[] {
  return values.map((value) => {
    for (const target of targets) if (Math.abs(target - value) < threshold) return target;
    return value;
  });
}

/** Even split of (start, end) into `parts`, each interior cut nudged by up to SPLIT_JITTER of a part. */
function jitteredCuts(start: number, end: number, parts: number, rng: Rng): number[] {
  const cuts: number[] = [];
  for (let m = 1; m < parts; m++) cuts.push(start + ((end - start) * (m + rng.jitter(SPLIT_JITTER))) / parts);
  return cuts;
}

/** Spreads n cells over r rows as evenly as possible, the extra cells going to random rows. */
function cellsPerRow(n: number, rows: number, rng: Rng): number[] {
  const base = Math.floor(n / rows);
  const lucky = new Set(rng.shuffle([...Array(rows).keys()]).slice(0, n - base * rows));
  return Array.from({ length: rows }, (_, j) => base + (lucky.has(j) ? 1 : 0));
}

/** Plans strips, rows and column cuts in the unit square; geometry comes later in the mesh. */
function planLayout(opts: TileTownOptions, rng: Rng): TownLayout {
  const [minLng, minLat, maxLng, maxLat] = opts.bbox;
  const counts = opts.gridsPerCommunity;
  // Local metric in degrees of latitude, so "square" cells look square on the map.
  const widthM = (maxLng - minLng) * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const heightM = maxLat - minLat;

  const weights = counts.map((n) => n * rng.range(0.88, 1.12));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const edges = [0];
  let acc = 0;
  for (const w of weights.slice(0, -1)) {
    acc += w;
    edges.push(acc / totalWeight);
  }
  edges.push(1);

  const widths = counts.map((_, i) => (edges[i + 1] ?? 1) - (edges[i] ?? 0));
  const rowCounts = counts.map((n, i) => {
    const ideal = Math.sqrt((n * heightM) / ((widths[i] ?? 1) * widthM));
    return Math.min(n, Math.max(1, Math.round(ideal)));
  });
  const cells = counts.map((n, i) => cellsPerRow(n, rowCounts[i] ?? 1, rng));
  const gv = SNAP_FRACTION / Math.max(...rowCounts);
  const gu = SNAP_FRACTION * Math.min(...cells.map((row, i) => (widths[i] ?? 1) / Math.max(...row)));

  const strips: StripLayout[] = [];
  counts.forEach((_, i) => {
    const u0 = edges[i] ?? 0;
    const u1 = edges[i + 1] ?? 1;
    const rowCuts = jitteredCuts(0, 1, rowCounts[i] ?? 1, rng);
    const previous = strips[i - 1]?.rows.slice(1, -1) ?? [];
    const rows = [0, ...snap(rowCuts, previous, gv), 1];
    const breaks: number[][] = [];
    for (const [j, c] of (cells[i] ?? []).entries()) {
      breaks.push(snap(jitteredCuts(u0, u1, c, rng), breaks[j - 1] ?? [], gu));
    }
    strips.push({ u0, u1, rows, breaks });
  });
  const cell = Math.sqrt((widthM * heightM) / counts.reduce((a, b) => a + b, 0));
  return { strips, widthM, heightM, gu, gv, cell };
}

/** The part of a chain between two of its vertices, in the requested direction. */
function between(chain: readonly Vertex[], from: Vertex, to: Vertex): Vertex[] {
  const a = chain.indexOf(from);
  const b = chain.indexOf(to);
  if (a < 0 || b < 0) throw new Error('tiler: vertex not on chain');
  return a <= b ? chain.slice(a, b + 1) : chain.slice(b, a + 1).reverse();
}

/** Joins chains end to start into a closed GeoJSON polygon with fresh position arrays. */
function ring(parts: readonly Vertex[][]): Polygon {
  const vertices: Vertex[] = [];
  for (const part of parts) vertices.push(...(vertices.length === 0 ? part : part.slice(1)));
  if (vertices[0] !== vertices[vertices.length - 1]) throw new Error('tiler: ring does not close');
  const coordinates: Position[] = vertices.map((p) => [p.x, p.y]);
  return { type: 'Polygon', coordinates: [coordinates] };
}

const reversed = <T>(items: readonly T[]): T[] => items.slice().reverse();

/** Cuts the mesh into town, community and grid polygons, all counter-clockwise. */
function assembleTown(layout: TownLayout, mesh: TownMesh): TiledTown {
  const { borders, lines, columns, lineAt } = mesh;
  const last = layout.strips.length;
  const communities = layout.strips.map((s, i) => {
    const grids: Polygon[] = [];
    s.breaks.forEach((cuts, j) => {
      const lower = must(lines[i]?.[j], 'lower line');
      const upper = must(lines[i]?.[j + 1], 'upper line');
      const cutsWithEnds = [s.u0, ...cuts, s.u1];
      for (let m = 0; m + 1 < cutsWithEnds.length; m++) {
        const a = cutsWithEnds[m] ?? s.u0;
        const b = cutsWithEnds[m + 1] ?? s.u1;
        const at = (row: number, u: number): Vertex => must(lineAt[i]?.[row]?.get(u), 'cell corner');
        const east = b === s.u1 ? between(must(borders[i + 1], 'east border'), at(j, b), at(j + 1, b)) : must(columns[i]?.[j]?.get(b), 'east column');
        const west = a === s.u0 ? between(must(borders[i], 'west border'), at(j + 1, a), at(j, a)) : reversed(must(columns[i]?.[j]?.get(a), 'west column'));
        grids.push(ring([between(lower, at(j, a), at(j, b)), east, between(upper, at(j + 1, b), at(j + 1, a)), west]));
      }
    });
    const bottom = must(lines[i]?.[0], 'bottom line');
    const top = must(lines[i]?.[s.rows.length - 1], 'top line');
    const boundary = ring([bottom, must(borders[i + 1], 'east border'), reversed(top), reversed(must(borders[i], 'west border'))]);
    return { boundary, grids };
  });
  const south = layout.strips.flatMap((_, i) => (i === 0 ? must(lines[i]?.[0], 'line') : must(lines[i]?.[0], 'line').slice(1)));
  const north = layout.strips.flatMap((s, i) => {
    const line = must(lines[i]?.[s.rows.length - 1], 'line');
    return i === 0 ? line : line.slice(1);
  });
  const town = ring([south, must(borders[last], 'east edge'), reversed(north), reversed(must(borders[0], 'west edge'))]);
  return { town, communities };
}

/** Generates a demo town whose grids tile it exactly; rings are closed, counter-clockwise and simple. */
export function tileTown(opts: TileTownOptions): TiledTown {
  validate(opts);
  const rng = new Rng(opts.seed);
  const layout = planLayout(opts, rng);
  const mesh = buildMesh(layout, opts.bbox, rng);
  return assembleTown(layout, mesh);
}
