// Tiny seeded PRNG so demo data is reproducible across runs and machines.

/** A deterministic stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [min, max). */
  range(min: number, max: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [-amplitude, amplitude); symmetric noise around zero. */
  jitter(amplitude: number): number;
  /** Uniform angle in [0, 2π), for random phases and directions. */
  angle(): number;
  /** Fisher–Yates shuffle into a new array; the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
}

/** mulberry32 (32-bit state, period 2^32): floats in [0, 1), plenty for layout jitter. */
export function mulberry32(seed: number): () => number {
  // Coerce to uint32 so fractional or negative seeds still give a stable stream.
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wraps mulberry32 with the handful of helpers the tiler needs. */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const range = (min: number, max: number): number => min + (max - min) * next();
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const jitter = (amplitude: number): number => amplitude * (2 * next() - 1);
  const angle = (): number => 2 * Math.PI * next();
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      // i and j are both in [0, out.length), so the reads are defined elements of type T.
      const a = out[i] as T;
      out[i] = out[j] as T;
      out[j] = a;
    }
    return out;
  };
  return { next, range, int, jitter, angle, shuffle };
}
