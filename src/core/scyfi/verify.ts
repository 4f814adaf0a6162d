import { PiecewiseAffineMap } from '../model/types';
import { stepInto } from '../model/evaluate';

/** Two points are the same when ‖a − b‖∞ ≤ POINT_RTOL · scale (scale: the orbit's size). */
export const POINT_RTOL = 1e-7;
/** f(z_j) must match z_{j+1} to VERIFY_RTOL · scale (times the error growth ‖J_j⋯J_1‖ when iterating). */
export const VERIFY_RTOL = 1e-7;
/** Lower bound of the scale, so orbits at (or near) the origin compare sensibly. */
export const SCALE_FLOOR = 1e-12;

export function maxAbs(a: Float64Array, from: number, to: number): number {
  let best = 0;
  for (let i = from; i < to; i++) {
    const v = Math.abs(a[i]);
    if (v > best) best = v;
  }
  return best;
}

export function distInf(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[ao + i] - b[bo + i]);
    if (v > best) best = v;
  }
  return best;
}

/**
 * Checks a candidate orbit (z_1..z_k at orbit[0..k·M)) against the actual map: each
 * f(z_j) ≈ z_{j+1}, f^k(z_1) ≈ z_1 by iterating, and least period k (no z_j ≈ z_1 for j > 1).
 * `growth[j]` bounds the error amplification after j+1 steps (‖J_{j+1}⋯J_1‖∞).
 */
export function verifyOrbit(
  map: PiecewiseAffineMap,
  orbit: Float64Array,
  k: number,
  growth: (j: number) => number,
): boolean {
  const { M, H } = map;
  const scale = Math.max(maxAbs(orbit, 0, k * M), SCALE_FLOOR);
  const tol = VERIFY_RTOL * scale;
  const uBuf = new Float64Array(H);
  const fz = new Float64Array(M);
  for (let j = 0; j < k; j++) {
    stepInto(map, orbit, j * M, fz, 0, uBuf);
    const nextOffset = ((j + 1) % k) * M;
    if (!(distInf(fz, 0, orbit, nextOffset, M) <= tol)) return false;
  }
  const w = Float64Array.from(orbit.subarray(0, M));
  const w2 = new Float64Array(M);
  for (let j = 0; j < k; j++) {
    stepInto(map, w, 0, w2, 0, uBuf);
    w.set(w2);
    const nextOffset = ((j + 1) % k) * M;
    if (!(distInf(w, 0, orbit, nextOffset, M) <= tol * Math.max(1, growth(j)))) return false;
  }
  const same = POINT_RTOL * scale;
  for (let j = 1; j < k; j++) if (distInf(orbit, j * M, orbit, 0, M) <= same) return false;
  return true;
}
