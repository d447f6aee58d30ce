// Shared-vertex mesh behind tileTown: every edge is built once, so neighbouring rings can never gap or overlap.
import type { Rng } from '../prng.ts';

export interface StripLayout {
  u0: number;
  u1: number;
  /** Row cuts in [0, 1], first 0 and last 1. */
  rows: number[];
  /** Interior column cuts per row, ascending, strictly inside (u0, u1). */
  breaks: number[][];
}

export interface TownLayout {
  strips: StripLayout[];
  /** Bbox extent in degrees of latitude, so x and y share one unit. */
  widthM: number;
  heightM: number;
  /** Smallest gap between distinct cuts along u and v (unit-square units). */
  gu: number;
  gv: number;
  /** Side of an average square cell, in the same unit as widthM. */
  cell: number;
}

const BOTTOM = 1;
const RIGHT = 2;
const TOP = 4;
const LEFT = 8;

/** A mesh node: unit-square position (u, v), then displaced map position (x, y). */
export interface Vertex {
  u: number;
  v: number;
  x: number;
  y: number;
  /** Outer sides the vertex lies on (bit set); 0 for interior vertices. */
  sides: number;
  /** Midpoints wiggle across their edge by up to `amp`; primary vertices have amp 0. */
  axis: 'x' | 'y';
  amp: number;
  midpoint: boolean;
}

export interface TownMesh {
  /** Strip borders west to east, south to north, midpoints included. */
  borders: Vertex[][];
  /** Horizontal lines per strip, row cut by row cut, west to east. */
  lines: Vertex[][][];
  /** Column edges per strip and row, keyed by cut, south to north. */
  columns: Map<number, Vertex[]>[][];
  /** Primary vertices per line, keyed by u, for slicing cells out of lines. */
  lineAt: Map<number, Vertex>[][];
  borderAt: Map<number, Vertex>[];
}

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`tiler: missing ${what}`);
  return value;
}

/** Builds vertices, displaces them, warps them organically and fits the result onto the bbox. */
export function buildMesh(layout: TownLayout, bbox: [number, number, number, number], rng: Rng): TownMesh {
  const { strips, widthM: W, heightM: H } = layout;
  const all: Vertex[] = [];
  const make = (u: number, v: number, sides: number, axis: 'x' | 'y' = 'x', amp = 0, midpoint = false): Vertex => {
    const vertex = { u, v, x: u * W, y: v * H, sides, axis, amp, midpoint };
    all.push(vertex);
    return vertex;
  };
  // Half-cell pieces keep the later warp from bowing an edge across a neighbour; new points inherit shared outer sides.
  const maxPiece = layout.cell / 2;
  const withMidpoints = (chain: Vertex[], axis: 'x' | 'y', clearance: number): Vertex[] => {
    const out: Vertex[] = [];
    chain.forEach((a, k) => {
      out.push(a);
      const b = chain[k + 1];
      if (b === undefined) return;
      const length = Math.hypot((b.u - a.u) * W, (b.v - a.v) * H);
      const pieces = Math.max(2, Math.ceil(length / maxPiece));
      const amp = Math.min((0.36 * length) / pieces, 0.12 * clearance);
      for (let q = 1; q < pieces; q++) {
        const f = q / pieces;
        out.push(make(a.u + (b.u - a.u) * f, a.v + (b.v - a.v) * f, a.sides & b.sides, axis, amp, true));
      }
    });
    return out;
  };
  // Narrowest cell per strip bounds how far a border midpoint may wiggle sideways.
  const minColumn = strips.map((s) => {
    let min = s.u1 - s.u0;
    for (const cuts of s.breaks) {
      const edges = [s.u0, ...cuts, s.u1];
      for (let m = 1; m < edges.length; m++) min = Math.min(min, (edges[m] ?? 1) - (edges[m - 1] ?? 0));
    }
    return min;
  });

  const borderAt = Array.from({ length: strips.length + 1 }, () => new Map<number, Vertex>());
  const borders = borderAt.map((at, k) => {
    const values = [...new Set([...(strips[k - 1]?.rows ?? []), ...(strips[k]?.rows ?? [])])].sort((a, b) => a - b);
    const u = k === 0 ? 0 : k === strips.length ? 1 : must(strips[k], 'strip').u0;
    const side = (k === 0 ? LEFT : 0) | (k === strips.length ? RIGHT : 0);
    const chain = values.map((v) => {
      const vertex = make(u, v, side | (v === 0 ? BOTTOM : 0) | (v === 1 ? TOP : 0));
      at.set(v, vertex);
      return vertex;
    });
    const clearance = Math.min(minColumn[k - 1] ?? 1, minColumn[k] ?? 1) * W;
    return withMidpoints(chain, 'x', clearance);
  });

  const lineAt = strips.map((s, i) =>
    s.rows.map((v, j) => {
      const at = new Map<number, Vertex>();
      at.set(s.u0, must(borderAt[i]?.get(v), 'west border vertex'));
      const side = j === 0 ? BOTTOM : j === s.rows.length - 1 ? TOP : 0;
      const cuts = [...(s.breaks[j - 1] ?? []), ...(s.breaks[j] ?? [])].sort((a, b) => a - b);
      for (const u of cuts) if (!at.has(u)) at.set(u, make(u, v, side));
      at.set(s.u1, must(borderAt[i + 1]?.get(v), 'east border vertex'));
      return at;
    }),
  );
  const lines = strips.map((s, i) =>
    s.rows.map((v, j) => {
      const chain = [...must(lineAt[i]?.[j], 'line').values()].sort((a, b) => a.u - b.u);
      const below = j > 0 ? v - (s.rows[j - 1] ?? 0) : 1;
      const above = j < s.rows.length - 1 ? (s.rows[j + 1] ?? 1) - v : 1;
      return withMidpoints(chain, 'y', Math.min(below, above) * H);
    }),
  );
  const columns = strips.map((s, i) =>
    s.breaks.map((cuts, j) => {
      const edges = new Map<number, Vertex[]>();
      cuts.forEach((u, m) => {
        const bottom = must(lineAt[i]?.[j]?.get(u), 'column foot');
        const top = must(lineAt[i]?.[j + 1]?.get(u), 'column head');
        const gap = Math.min(u - (cuts[m - 1] ?? s.u0), (cuts[m + 1] ?? s.u1) - u) * W;
        edges.set(u, withMidpoints([bottom, top], 'x', gap));
      });
      return edges;
    }),
  );

  bendBorders(all, layout, rng);
  displace(all, layout, rng);
  fitToBbox(all, bbox);
  return { borders, lines, columns, lineAt, borderAt };
}

/** Meanders community borders; x stays affine in u within a strip, so the map is one-to-one and orientation-preserving. */
function bendBorders(all: readonly Vertex[], layout: TownLayout, rng: Rng): void {
  const { strips, widthM: W, heightM: H, gu, gv, cell } = layout;
  const finest = Math.min(gu * W, gv * H);
  const edges = [0, ...strips.map((s) => s.u1)];
  const meanders = edges.map((_, k) => {
    const narrowest = Math.min((strips[k - 1]?.u1 ?? 1) - (strips[k - 1]?.u0 ?? 0), (strips[k]?.u1 ?? 1) - (strips[k]?.u0 ?? 0));
    const cycles = rng.int(1, 2);
    const phase = rng.angle();
    const wave = (2 * Math.PI * cycles) / H;
    // Outer edges stay put; caps keep strips ≥ 60% wide, border slope ≤ 0.35 and half-cell chord bow ≤ finest gap / 10.
    const metres = Math.min(0.2 * narrowest * W, 0.35 / wave, (3.2 * finest) / (wave * wave * cell * cell));
    return { amp: k === 0 || k === strips.length ? 0 : metres / W, cycles, phase };
  });
  const shifted = (k: number, v: number): number => {
    const m = meanders[k];
    return (edges[k] ?? 0) + (m === undefined ? 0 : m.amp * Math.sin(2 * Math.PI * m.cycles * v + m.phase));
  };
  for (const p of all) {
    // Binary search for the strip holding u; a vertex on a border gets the same x from either side.
    let i = 0;
    let hi = strips.length - 1;
    while (i < hi) {
      const mid = (i + hi + 1) >> 1;
      if ((edges[mid] ?? 0) <= p.u) i = mid;
      else hi = mid - 1;
    }
    const u0 = edges[i] ?? 0;
    const u1 = edges[i + 1] ?? 1;
    const west = shifted(i, p.v);
    p.x = (west + ((p.u - u0) / (u1 - u0)) * (shifted(i + 1, p.v) - west)) * W;
  }
}

/** Jitters interior vertices, pushes the outline outwards and bends everything with a gentle smooth warp. */
function displace(all: readonly Vertex[], layout: TownLayout, rng: Rng): void {
  const { widthM: W, heightM: H, gu, gv, cell } = layout;
  // Outline bulge: two low harmonics along the perimeter, always outwards so no edge can fold back.
  const f1 = rng.int(2, 3);
  const f2 = rng.int(5, 7);
  const p1 = rng.angle();
  const p2 = rng.angle();
  const bulge = (t: number): number =>
    0.8 * cell * (0.55 + 0.25 * Math.sin(2 * Math.PI * f1 * t + p1) + 0.2 * Math.sin(2 * Math.PI * f2 * t + p2));
  // Three long waves, total slope < 1 keeps the warp one-to-one; chord bow ≈ 1.3·slope·cell²/span stays < finest gap / 4.
  const span = Math.max(W, H);
  const finest = Math.min(gu * W, gv * H);
  const slope = Math.min(0.12, (0.15 * finest * span) / (cell * cell));
  const waves = [0, 1, 2].map(() => {
    const theta = rng.angle();
    const swing = theta + Math.PI / 2 + rng.jitter(0.5);
    const omega = (2 * Math.PI) / (span * rng.range(0.45, 1));
    return { nx: Math.cos(theta), ny: Math.sin(theta), dx: Math.cos(swing), dy: Math.sin(swing), omega, a: slope / omega, phase: rng.angle() };
  });

  for (const p of all) {
    if (p.sides !== 0) {
      const t =
        p.sides & BOTTOM ? p.u / 4 : p.sides & RIGHT ? 0.25 + p.v / 4 : p.sides & TOP ? 0.5 + (1 - p.u) / 4 : 0.75 + (1 - p.v) / 4;
      const d = bulge(t) + (p.midpoint ? rng.range(0, p.amp) : 0);
      if (p.sides & BOTTOM) p.y -= d;
      if (p.sides & TOP) p.y += d;
      if (p.sides & LEFT) p.x -= d;
      if (p.sides & RIGHT) p.x += d;
    } else if (p.midpoint) {
      if (p.axis === 'x') p.x += rng.jitter(p.amp);
      else p.y += rng.jitter(p.amp);
    } else {
      p.x += rng.jitter(0.05 * gu * W);
      p.y += rng.jitter(0.05 * gv * H);
    }
  }
  for (const p of all) {
    let dx = 0;
    let dy = 0;
    for (const w of waves) {
      const s = w.a * Math.sin(w.omega * (w.nx * p.x + w.ny * p.y) + w.phase);
      dx += s * w.dx;
      dy += s * w.dy;
    }
    p.x += dx;
    p.y += dy;
  }
}

/** Scales the mesh onto the bbox and rounds to 1e-7° (about 1 cm) so shared vertices stay bit-identical. */
function fitToBbox(all: readonly Vertex[], [minLng, minLat, maxLng, maxLat]: [number, number, number, number]): void {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const p of all) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const round = (n: number): number => Math.round(n * 1e7) / 1e7;
  for (const p of all) {
    p.x = round(minLng + ((p.x - x0) / (x1 - x0)) * (maxLng - minLng));
    p.y = round(minLat + ((p.y - y0) / (y1 - y0)) * (maxLat - minLat));
  }
}
