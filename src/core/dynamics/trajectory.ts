// One trajectory: step the map from a start until it is periodic (order ≤ maxOrder), diverges,
// or the step budget is spent; then say where it settled, with the largest Lyapunov exponent of
// a bounded trajectory that is not periodic.
import { stepInto } from '../model/evaluate';
import type { PiecewiseAffineMap } from '../model/types';
import type { Prng } from '../scyfi/prng';
import { norm2, tangentBuffers, tangentStep } from './tangent';
import { CYCLE_MATCH_RTOL, DIVERGENCE_FACTOR, LYAPUNOV_ZERO_TOL, MIN_TRANSIENT, PATH_HEAD, PATH_TAIL, PERIOD_RTOL, type Fate, type KnownCycle, type Trajectory } from './types';

/** λ of a trajectory whose tangent vector was mapped to 0 (a finite stand-in for −∞: log of the smallest double). */
export const LYAPUNOV_FLOOR = -745;

/**
 * Not periodic, and the largest |z| over the second half of the last window beats the first half's
 * by this factor (and is past 10 × the model's scale): still escaping (a drift), not a bounded set.
 */
export const ESCAPE_GROWTH = 1.1;

/** Trajectories are tested for periods up to this even when fewer orders were searched. */
export const PERIOD_DETECT_MAX = 64;

/** How often (in steps) the trajectory is tested for periodicity. */
const CHECK_EVERY = 16;

export interface TrajectorySettings {
  maxOrder: number;
  steps: number;
  lyapunovSteps: number;
  /** ‖z‖∞ beyond this is divergence. */
  divergeAt: number;
  noLyapunov?: boolean;
  /** Keep the head and tail for drawing (default true). */
  keepPath?: boolean;
}

function distInf(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(a[ao + i] - b[bo + i]);
    if (!(x <= d)) d = x;
  }
  return d;
}

function maxAbs(a: Float64Array, o: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(a[o + i]);
    if (!(x <= m)) m = x;
  }
  return m;
}

/** The listed cycle of order k with a point within CYCLE_MATCH_RTOL of z, or -1. */
export function matchCycle(cycles: readonly KnownCycle[], k: number, z: ArrayLike<number>): number {
  const scale = Math.max(1, ...Array.from(z, Math.abs));
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i];
    if (c.order !== k) continue;
    for (const p of c.points) {
      let d = 0;
      for (let m = 0; m < p.length; m++) d = Math.max(d, Math.abs(p[m] - z[m]));
      if (d <= CYCLE_MATCH_RTOL * scale) return i;
    }
  }
  return -1;
}

/** The character of a bounded set from its largest Lyapunov exponent. */
export function characterOf(lyapunov: number): 'quasi-periodic' | 'chaotic' | 'long-period' {
  if (lyapunov > LYAPUNOV_ZERO_TOL) return 'chaotic';
  if (lyapunov >= -LYAPUNOV_ZERO_TOL) return 'quasi-periodic';
  return 'long-period';
}

/**
 * Simulates from `start`. The last 2·maxOrder + 1 states are kept in a ring to test, every few
 * steps, whether z_t = z_{t−p} and z_{t−j} = z_{t−j−p} (j < p) for the least p ≤ maxOrder, to
 * PERIOD_RTOL. The tangent vector (seeded from `rng`) follows the last `lyapunovSteps` steps:
 * λ = (1/n) Σ log ‖J(z_t) v_t‖, v renormalised every step.
 */
export function simulateOne(map: PiecewiseAffineMap, start: readonly number[], cycles: readonly KnownCycle[], s: TrajectorySettings, rng: Prng, isCancelled?: () => boolean): Trajectory {
  const { M, H } = map;
  // Periods above the searched orders are looked for too: "a 16-cycle above order 3" tells the user what to search.
  const K = Math.max(1, s.maxOrder, PERIOD_DETECT_MAX);
  const ringLen = 2 * K + 1;
  const ring = new Float64Array(ringLen * M);
  const keep = s.keepPath !== false;
  const head: number[][] = [];
  const tail: number[][] = [];
  for (let i = 0; i < M; i++) ring[i] = start[i];
  const u = new Float64Array(H);
  const tb = tangentBuffers(map);
  let v = new Float64Array(M);
  let w = new Float64Array(M);
  const windowFrom = s.steps - s.lyapunovSteps;
  const lyapFrom = s.noLyapunov ? Infinity : windowFrom;
  let logSum = 0;
  let logCount = 0;
  let vDead = false;
  // Norms over the halves of the exponent's window, to tell a slow escape from a bounded set.
  let firstHalf = 0;
  let secondHalf = 0;
  const half = windowFrom + s.lyapunovSteps / 2;
  const at = (t: number) => (t % ringLen) * M;
  const rowOf = (t: number) => Array.from(ring.subarray(at(t), at(t) + M));
  const pushTail = (t: number) => {
    if (!keep) return;
    tail.push(rowOf(t));
    if (tail.length > PATH_TAIL) tail.shift();
  };
  if (keep) head.push(rowOf(0));
  pushTail(0);
  let fate: Fate | undefined;
  let t = 0;
  const finish = (traj: Fate, steps: number): Trajectory => ({ start: [...start], head, tail: traj.kind === 'diverges' ? [] : tail, steps, fate: traj });
  if (maxAbs(ring, 0, M) > s.divergeAt || !start.every(Number.isFinite)) return finish({ kind: 'diverges', step: 0 }, 0);
  while (t < s.steps) {
    if ((t & 1023) === 1023 && isCancelled?.()) break;
    const o = at(t);
    const n = at(t + 1);
    if (t >= lyapFrom && !vDead) {
      if (t === lyapFrom) {
        for (let i = 0; i < M; i++) v[i] = rng.uniform(-1, 1);
        const nv = norm2(v);
        for (let i = 0; i < M; i++) v[i] /= nv;
      }
      tangentStep(map, ring.subarray(o, o + M), v, w, tb);
      const g = norm2(w);
      if (g > 0 && Number.isFinite(g)) {
        logSum += Math.log(g);
        logCount++;
        for (let i = 0; i < M; i++) w[i] /= g;
        [v, w] = [w, v];
      } else vDead = true;
    }
    stepInto(map, ring, o, ring, n, u);
    t++;
    const r = maxAbs(ring, n, M);
    if (!(r <= s.divergeAt)) {
      fate = { kind: 'diverges', step: t };
      break;
    }
    if (t > windowFrom) {
      if (t <= half) firstHalf = Math.max(firstHalf, r);
      else secondHalf = Math.max(secondHalf, r);
    }
    if (keep && head.length < PATH_HEAD) head.push(rowOf(t));
    pushTail(t);
    if (t >= MIN_TRANSIENT && t >= ringLen && t % CHECK_EVERY === 0) {
      const p = leastPeriod(ring, t, K, M, ringLen);
      if (p > 0) {
        const z = ring.subarray(at(t), at(t) + M);
        const idx = matchCycle(cycles, p, z);
        if (idx >= 0) fate = { kind: 'cycle', cycle: idx, order: p };
        else {
          const points: number[][] = [];
          for (let j = p - 1; j >= 0; j--) points.push(rowOf(t - j));
          fate = { kind: 'unlisted-cycle', order: p, points };
        }
        break;
      }
    }
  }
  if (!fate) {
    // Bounded so far and not periodic: a slow escape still grows over the window.
    if (t > half && secondHalf > ESCAPE_GROWTH * firstHalf && secondHalf > (10 * s.divergeAt) / DIVERGENCE_FACTOR) fate = { kind: 'diverges', step: t };
    else {
      const lyapunov = vDead ? LYAPUNOV_FLOOR : logCount > 0 ? logSum / logCount : NaN;
      fate = { kind: 'bounded', character: Number.isNaN(lyapunov) ? 'undetermined' : characterOf(lyapunov), lyapunov };
    }
  }
  return finish(fate, t);
}

/** The least p ≤ K with the last 2p states repeating with period p (to PERIOD_RTOL), or 0. */
function leastPeriod(ring: Float64Array, t: number, K: number, M: number, ringLen: number): number {
  const at = (s: number) => (s % ringLen) * M;
  const zt = at(t);
  const tol = PERIOD_RTOL * Math.max(1, maxAbs(ring, zt, M));
  for (let p = 1; p <= K; p++) {
    if (distInf(ring, zt, ring, at(t - p), M) > tol) continue;
    let ok = true;
    for (let j = 1; j < p && ok; j++) ok = distInf(ring, at(t - j), ring, at(t - j - p), M) <= tol;
    if (ok) return p;
  }
  return 0;
}
