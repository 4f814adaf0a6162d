import { PiecewiseAffineMap } from '../model/types';
import { Cycle } from './types';
import { classify } from './stability';
import { CONSISTENCY_RTOL } from './candidate';
import { matMul } from '../model/dense';
import { formatRegion, layoutBits, layoutOf, wordsPerRegion } from './sequence';
import { distInf, maxAbs, POINT_RTOL, SCALE_FLOOR } from './verify';

/** The cycles found so far, for recognising a cycle again in any phase. */
export class CycleStore {
  private readonly orbits = new Map<number, Float64Array[]>();

  constructor(private readonly M: number) {}

  /** True when the orbit (k points at orbit[0..k·M)) matches a stored k-cycle in some phase. */
  has(orbit: Float64Array, k: number): boolean {
    const M = this.M;
    const list = this.orbits.get(k);
    if (!list) return false;
    const scaleNew = maxAbs(orbit, 0, k * M);
    for (const known of list) {
      const tol = POINT_RTOL * Math.max(scaleNew, maxAbs(known, 0, k * M), SCALE_FLOOR);
      for (let r = 0; r < k; r++) {
        let match = true;
        for (let j = 0; j < k && match; j++) match = distInf(orbit, j * M, known, ((r + j) % k) * M, M) <= tol;
        if (match) return true;
      }
    }
    return false;
  }

  add(orbit: Float64Array, k: number): void {
    const list = this.orbits.get(k) ?? [];
    list.push(Float64Array.from(orbit.subarray(0, k * this.M)));
    this.orbits.set(k, list);
  }
}

/** Index of the lexicographically smallest of the k points (the canonical first point). */
function smallestPoint(orbit: Float64Array, k: number, M: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) {
    for (let m = 0; m < M; m++) {
      const a = orbit[j * M + m];
      const b = orbit[best * M + m];
      if (a !== b) {
        if (a < b) best = j;
        break;
      }
    }
  }
  return best;
}

/**
 * Region of a cycle point as text (formatRegion). A u_i within CONSISTENCY_RTOL of its border is
 * a border point computed with rounding error (e.g. 1e-17 for an exact 0), and u = 0 is off by
 * definition; likewise a y_i within the tolerance of its clip bound counts as not clipped.
 */
function regionText(map: PiecewiseAffineMap, z: number[], zmax: number): string {
  const { M, H, A, B, S, s0, c, clip } = map;
  const layout = layoutOf(map);
  const bits = new Int32Array(wordsPerRegion(layoutBits(layout)));
  const set = (b: number) => (bits[b >>> 5] |= 1 << (b & 31));
  const u = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let v = s0[h];
    let scale = Math.abs(s0[h]);
    for (let m = 0; m < M; m++) {
      v += S[h * M + m] * z[m];
      scale += Math.abs(S[h * M + m]) * zmax;
    }
    u[h] = v > 0 ? v : 0;
    if (v > CONSISTENCY_RTOL * scale) set(h);
  }
  for (let i = 0; clip && i < M; i++) {
    let y = c[i];
    let scale = Math.abs(c[i]);
    for (let m = 0; m < M; m++) {
      y += A[i * M + m] * z[m];
      scale += Math.abs(A[i * M + m]) * zmax;
    }
    for (let h = 0; h < H; h++) {
      y += B[i * H + h] * u[h];
      scale += Math.abs(B[i * H + h]) * u[h];
    }
    const lo = clip.lo[i];
    const hi = clip.hi[i];
    if (y < lo - CONSISTENCY_RTOL * Math.max(scale, Math.abs(lo))) set(H + i);
    else if (y > hi + CONSISTENCY_RTOL * Math.max(scale, Math.abs(hi))) set(H + M + i);
  }
  return formatRegion(bits, 0, layout);
}

/** The Jacobian J_d = A + B diag(d) S of one region (its text), with clipped rows zeroed. */
function regionJacobian(map: PiecewiseAffineMap, text: string): Float64Array {
  const { M, H, A, B, S } = map;
  const J = Float64Array.from(A);
  for (let h = 0; h < H; h++) {
    if (text[h] !== '1') continue;
    for (let i = 0; i < M; i++) {
      const b = B[i * H + h];
      if (b === 0) continue;
      for (let m = 0; m < M; m++) J[i * M + m] += b * S[h * M + m];
    }
  }
  if (map.clip) for (let i = 0; i < M; i++) if (text[H + 1 + i] !== '.') J.fill(0, i * M, (i + 1) * M);
  return J;
}

/** F = J_k ⋯ J_1 for the regions of the points in orbit order. */
function productOf(map: PiecewiseAffineMap, regions: readonly string[]): Float64Array {
  const M = map.M;
  let F = regionJacobian(map, regions[0]);
  for (let j = 1; j < regions.length; j++) F = matMul(regionJacobian(map, regions[j]), F, M, M, M);
  return F;
}

/**
 * The reported form of a verified orbit: points in orbit order starting at the
 * lexicographically smallest, their regions, and the stability of F (whose eigenvalues do not
 * depend on the phase: cyclic products of the same matrices are similar). `seqRegions` are the
 * regions the orbit was solved in (orbit order from its first point); where a point lies on a
 * border they may differ from the reported ones (u = 0 is off), and then F is taken from the
 * reported regions, so that regions and eigenvalues always agree.
 */
export function buildCycle(map: PiecewiseAffineMap, orbit: Float64Array, k: number, F: Float64Array, seqRegions?: readonly string[]): Cycle {
  const M = map.M;
  const first = smallestPoint(orbit, k, M);
  const points: number[][] = [];
  for (let j = 0; j < k; j++) {
    const o = ((first + j) % k) * M;
    points.push(Array.from(orbit.subarray(o, o + M)));
  }
  const zmax = maxAbs(orbit, 0, k * M);
  const regions = points.map((z) => regionText(map, z, zmax));
  const solvedIn = seqRegions?.map((_, j) => seqRegions[(first + j) % k]);
  const agree = !solvedIn || solvedIn.every((r, j) => r === regions[j]);
  const s = classify(agree ? F : productOf(map, regions), M);
  return {
    order: k,
    points,
    eigenvalues: s.eigenvalues,
    spectralRadius: s.spectralRadius,
    stable: s.stable,
    classification: s.classification,
    regions,
  };
}
