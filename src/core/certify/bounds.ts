import { PiecewiseAffineMap } from '../model/types';
import { stepInto } from '../model/evaluate';
import { Prng } from '../scyfi/prng';
import { BoundSource } from './types';

/**
 * The box the certificate speaks about, and the bounds of every switch value inside it.
 *
 * A cycle point is the image of another cycle point, so if every point of a cycle lies in a box
 * Z, every point lies in f(Z) ∩ Z as well; interval arithmetic over-approximates f(Z), and
 * repeating it shrinks the box to one that still holds every cycle of Z (of any order). From
 * the final box come the big-M bounds of the MILP: L_h ≤ u_h ≤ U_h for every switch, and with
 * an output clip the bounds of the pre-clip values y_i.
 */
export interface Box {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

export interface PropagatedBounds {
  /** The box every cycle point of the original box lies in; empty when some lo > hi. */
  z: Box;
  /** Bounds of u_h = S_h z + s0_h over z. */
  u: Box;
  /** With an output clip: bounds of y_i = A_i z + B_i relu(u) + c_i before the clip. */
  y?: Box;
  /** Interval passes done. */
  passes: number;
  empty: boolean;
}

/** Propagation stops when no coordinate of the box shrinks by more than this fraction of its width. */
export const PROPAGATION_RTOL = 1e-6;
const MAX_PASSES = 200;

function intervalDot(row: Float64Array, ro: number, n: number, lo: ArrayLike<number>, hi: ArrayLike<number>, l0: number): [number, number] {
  let a = l0;
  let b = l0;
  for (let m = 0; m < n; m++) {
    const w = row[ro + m];
    if (w > 0) {
      a += w * lo[m];
      b += w * hi[m];
    } else if (w < 0) {
      a += w * hi[m];
      b += w * lo[m];
    }
  }
  return [a, b];
}

/** One interval image of the box: bounds of u, of y and of z' = clip(y). */
function image(map: PiecewiseAffineMap, z: Box): { u: Box; y: Box; next: Box } {
  const { M, H, A, B, S, s0, c, clip } = map;
  const u = { lo: new Float64Array(H), hi: new Float64Array(H) };
  const rlo = new Float64Array(H);
  const rhi = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    const [a, b] = intervalDot(S, h * M, M, z.lo, z.hi, s0[h]);
    u.lo[h] = a;
    u.hi[h] = b;
    rlo[h] = Math.max(0, a);
    rhi[h] = Math.max(0, b);
  }
  const y = { lo: new Float64Array(M), hi: new Float64Array(M) };
  const next = { lo: new Float64Array(M), hi: new Float64Array(M) };
  for (let i = 0; i < M; i++) {
    const [a1, b1] = intervalDot(A, i * M, M, z.lo, z.hi, c[i]);
    const [a2, b2] = intervalDot(B, i * H, H, rlo, rhi, 0);
    y.lo[i] = a1 + a2;
    y.hi[i] = b1 + b2;
    next.lo[i] = clip ? Math.min(Math.max(y.lo[i], clip.lo[i]), clip.hi[i]) : y.lo[i];
    next.hi[i] = clip ? Math.min(Math.max(y.hi[i], clip.lo[i]), clip.hi[i]) : y.hi[i];
  }
  return { u, y, next };
}

/**
 * Shrinks `start` to f(Z) ∩ Z until it stops shrinking, and returns the switch (and pre-clip)
 * bounds over the final box. Interval arithmetic is evaluated in floating point; every bound is
 * widened by a relative 1e-12 so rounding cannot cut a true point off.
 */
export function propagateBounds(map: PiecewiseAffineMap, start: Box): PropagatedBounds {
  const M = map.M;
  const z = { lo: Float64Array.from(start.lo), hi: Float64Array.from(start.hi) };
  const widen = (x: number, dir: number) => x + dir * 1e-12 * Math.max(Math.abs(x), 1e-300);
  let passes = 0;
  let empty = false;
  for (; passes < MAX_PASSES; passes++) {
    const { next } = image(map, z);
    let shrunk = false;
    for (let i = 0; i < M; i++) {
      const width = z.hi[i] - z.lo[i];
      const lo = Math.max(z.lo[i], widen(next.lo[i], -1));
      const hi = Math.min(z.hi[i], widen(next.hi[i], 1));
      if (lo > z.lo[i] + PROPAGATION_RTOL * width || hi < z.hi[i] - PROPAGATION_RTOL * width) shrunk = true;
      z.lo[i] = lo;
      z.hi[i] = hi;
      if (lo > hi) empty = true;
    }
    if (empty || !shrunk) break;
  }
  const { u, y } = image(map, z);
  for (let h = 0; h < map.H; h++) {
    u.lo[h] = widen(u.lo[h], -1);
    u.hi[h] = widen(u.hi[h], 1);
  }
  for (let i = 0; i < M; i++) {
    y.lo[i] = widen(y.lo[i], -1);
    y.hi[i] = widen(y.hi[i], 1);
  }
  return { z, u, ...(map.clip ? { y } : {}), passes, empty };
}

export interface DefaultBound {
  /** R of the claim: every cycle point considered has ‖z‖∞ ≤ R. */
  bound: number;
  source: BoundSource;
  /** One line on how R was obtained. */
  detail: string;
  /** The starting box (per coordinate; within [−R, R]^M). */
  box: Box;
}

/** Simulated trajectories give R = SIM_MARGIN × the largest state they (and the known cycles) reach. */
export const SIM_MARGIN = 10;
const SIM_STARTS = 64;
const SIM_STEPS = 200;
/** A trajectory whose second half reaches beyond this factor of its first half's reach is escaping. */
const SIM_GROWTH = 4;

/**
 * Entry-wise bounds |J_d|_im ≤ P_im over every region d: J_d = A + Σ_{h∈d} B[:,h] S[h,:], so
 * entry (i, m) is A_im plus any subset of the terms B_ih S_hm, which is largest in modulus with
 * all positive or all negative terms. Clipped rows of J are 0, within the bound too.
 */
function jacobianEnvelope(map: PiecewiseAffineMap): Float64Array {
  const { M, H, A, B, S } = map;
  const P = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    for (let m = 0; m < M; m++) {
      let pos = 0;
      let neg = 0;
      for (let h = 0; h < H; h++) {
        const t = B[i * H + h] * S[h * M + m];
        if (t > 0) pos += t;
        else neg += t;
      }
      const a = A[i * M + m];
      P[i * M + m] = Math.max(Math.abs(a + pos), Math.abs(a + neg));
    }
  }
  return P;
}

/**
 * A proven bound from a contraction in a weighted ∞-norm ‖z‖_v = max_i |z_i| / v_i: the map is
 * continuous and piecewise affine, so |f(z) − f(0)| ≤ P |z| entry-wise with P the Jacobian
 * envelope, hence ‖f(z)‖_v ≤ ‖f(0)‖_v + ρ ‖z‖_v with ρ = max_i (P v)_i / v_i. When ρ < 1, the
 * point of a cycle that is largest in ‖·‖_v is the image of a point no larger, so every cycle
 * point has ‖z‖_v ≤ ‖f(0)‖_v / (1 − ρ), i.e. |z_i| ≤ v_i ‖f(0)‖_v / (1 − ρ). v is the
 * (approximate) Perron vector of P, which makes ρ close to the spectral radius of P; any
 * positive v gives a valid bound.
 */
export function absorbingBound(map: PiecewiseAffineMap): { box: Box; rho: number } | undefined {
  const M = map.M;
  const P = jacobianEnvelope(map);
  let v = new Float64Array(M).fill(1);
  for (let it = 0; it < 200; it++) {
    const w = new Float64Array(M);
    let top = 0;
    for (let i = 0; i < M; i++) {
      let s = 0;
      for (let m = 0; m < M; m++) s += P[i * M + m] * v[m];
      w[i] = s;
      top = Math.max(top, s);
    }
    if (!(top > 0)) break;
    // A floor keeps every weight positive (P may be reducible).
    for (let i = 0; i < M; i++) w[i] = Math.max(w[i] / top, 1e-6);
    v = w;
  }
  let rho = 0;
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let m = 0; m < M; m++) s += P[i * M + m] * v[m];
    rho = Math.max(rho, s / v[i]);
  }
  // Rounding in the sums above is far below this margin.
  rho = rho * (1 + 1e-9) + 1e-15;
  if (!(rho < 1)) return undefined;
  const f0 = new Float64Array(M);
  stepInto(map, new Float64Array(M), 0, f0, 0, new Float64Array(map.H));
  let f0w = 0;
  for (let i = 0; i < M; i++) f0w = Math.max(f0w, Math.abs(f0[i]) / v[i]);
  const radius = (f0w / (1 - rho)) * (1 + 1e-9);
  const hi = v.map((x) => x * radius);
  return { box: { lo: hi.map((x) => -x), hi }, rho };
}

function maxAbsOf(values: Iterable<number>): number {
  let m = 0;
  for (const x of values) m = Math.max(m, Math.abs(x));
  return m;
}

/**
 * R from simulated trajectories and known cycle points, with a wide margin: not a proof.
 * SIM_MARGIN × the largest of: the known cycle points, ‖f(0)‖∞, 1, and the median over
 * SIM_STARTS trajectories (started uniformly in a cube of the size of the others) of the largest
 * state each reaches in its first SIM_STEPS / 2 steps, where a trajectory whose second half goes
 * beyond SIM_GROWTH times that counts as escaping (infinite). The median of a short run, because
 * a map with unbounded orbits has trajectories that wander near its cycles for a while and then
 * escape, and how far they get says nothing about where the cycles are.
 */
function simulatedBound(map: PiecewiseAffineMap, knownPoints: readonly (readonly number[])[], seed: number): number {
  const { M, H } = map;
  const rng = new Prng(seed);
  const f0 = new Float64Array(M);
  stepInto(map, new Float64Array(M), 0, f0, 0, new Float64Array(H));
  const spread = Math.max(1, maxAbsOf(knownPoints.flat()), maxAbsOf(f0));
  const z = new Float64Array(M);
  const w = new Float64Array(M);
  const uBuf = new Float64Array(H);
  const reach: number[] = [];
  for (let s = 0; s < SIM_STARTS; s++) {
    for (let m = 0; m < M; m++) z[m] = rng.uniform(-spread, spread);
    let first = 0;
    let second = 0;
    for (let t = 0; t < SIM_STEPS && second <= SIM_GROWTH * first; t++) {
      stepInto(map, z, 0, w, 0, uBuf);
      z.set(w);
      const a = maxAbsOf(z);
      if (!(a < Infinity)) second = Infinity;
      else if (t < SIM_STEPS / 2) first = Math.max(first, a);
      else second = Math.max(second, a);
    }
    reach.push(second <= SIM_GROWTH * first ? first : Infinity);
  }
  reach.sort((a, b) => a - b);
  const median = reach[SIM_STARTS / 2];
  return SIM_MARGIN * Math.max(spread, Number.isFinite(median) ? median : 0);
}

/**
 * The default R: the clip range when every unit is clipped on both sides (every cycle point is
 * an image, so it lies in [lo, hi]); else a proven absorbing bound when the map contracts in a
 * weighted ∞-norm; else SIM_MARGIN × the reach of simulated trajectories and known cycles.
 */
export function defaultBound(map: PiecewiseAffineMap, knownPoints: readonly (readonly number[])[], seed: number): DefaultBound {
  const M = map.M;
  const clip = map.clip;
  if (clip && Array.from({ length: M }, (_, i) => Number.isFinite(clip.lo[i]) && Number.isFinite(clip.hi[i])).every(Boolean)) {
    const box = { lo: Float64Array.from(clip.lo), hi: Float64Array.from(clip.hi) };
    return { bound: Math.max(maxAbsOf(box.lo), maxAbsOf(box.hi)), source: 'clip', detail: 'the clip range: every state after one step lies in it', box };
  }
  const absorbing = absorbingBound(map);
  if (absorbing) {
    const bound = maxAbsOf(absorbing.box.hi);
    return { bound, source: 'absorbing', detail: `proven: the map contracts (factor ${absorbing.rho.toPrecision(4)}) in a weighted ∞-norm outside it`, box: clipBox(map, absorbing.box) };
  }
  const bound = simulatedBound(map, knownPoints, seed);
  return { bound, source: 'simulated', detail: `${SIM_MARGIN} × the largest of the cycles found, ‖f(0)‖∞, 1 and the median reach of ${SIM_STARTS} simulated trajectories (not a proof that nothing lies beyond)`, box: clipBox(map, cube(M, bound)) };
}

export function cube(M: number, R: number): Box {
  return { lo: new Float64Array(M).fill(-R), hi: new Float64Array(M).fill(R) };
}

/** The box intersected with the clip range, where a unit is clipped. */
export function clipBox(map: PiecewiseAffineMap, box: Box): Box {
  if (!map.clip) return box;
  const { lo, hi } = map.clip;
  return { lo: box.lo.map((x, i) => Math.max(x, lo[i])), hi: box.hi.map((x, i) => Math.min(x, hi[i])) };
}
