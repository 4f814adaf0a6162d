// One region sequence followed along a path of models: inside a fixed sequence a cycle is an
// exact rational function of t, z_1(t) = (I − F(t))⁻¹ g(t), so a branch is evaluated where it
// is needed instead of being matched by distance between steps.
import { determinant } from '../linalg/lu';
import { PiecewiseAffineMap } from '../model/types';
import { CandidateSolver } from '../scyfi/candidate';
import { CONSISTENCY_RTOL } from '../scyfi/candidate';
import { solveSequence, type SequenceSolution } from '../scyfi/solveSequence';
import { classify, type Stability } from '../scyfi/stability';
import { mapAt, type ModelPath } from './path';

/** The switch (or clip bound) of one point that is closest to its border. */
export interface Margin {
  /** Distance from the border on the side the sequence says, relative to the switch's scale (< 0: wrong side). */
  value: number;
  /** Which point (0-based, in the order of the sequence). */
  point: number;
  /** Which bit of that point's region: a switch h < H, or a clip bit (see regionBits). */
  bit: number;
}

export interface ProbeResult {
  t: number;
  solution: SequenceSolution;
  /** Consistent and verified on the map: the cycle exists at t. */
  exists: boolean;
  margin?: Margin;
  map: PiecewiseAffineMap;
}

function maxAbs(points: number[][]): number {
  let m = 0;
  for (const p of points) for (const x of p) m = Math.max(m, Math.abs(x));
  return m;
}

/** The smallest margin over every switch and clip bound of every point. */
export function smallestMargin(map: PiecewiseAffineMap, regions: readonly string[], sol: SequenceSolution): Margin | undefined {
  return smallestMarginAll(map, regions, sol);
}

/** Every margin (to `visit`), and the smallest. */
function smallestMarginAll(map: PiecewiseAffineMap, regions: readonly string[], sol: SequenceSolution, visit?: (m: Margin) => void): Margin | undefined {
  if (sol.status === 'singular') return undefined;
  const { M, H, S, s0, clip, A, B, c } = map;
  const zmax = maxAbs(sol.points);
  let best: Margin | undefined;
  const consider = (value: number, point: number, bit: number) => {
    visit?.({ value, point, bit });
    if (!best || value < best.value) best = { value, point, bit };
  };
  regions.forEach((text, j) => {
    const u = sol.switches[j];
    for (let h = 0; h < H; h++) {
      let scale = Math.abs(s0[h]);
      for (let m = 0; m < M; m++) scale += Math.abs(S[h * M + m]) * zmax;
      const on = text[h] === '1';
      consider(((on ? 1 : -1) * u[h]) / Math.max(scale, 1e-300), j, h);
    }
    if (!clip || !sol.preClip) return;
    const y = sol.preClip[j];
    for (let i = 0; i < M; i++) {
      let scale = Math.abs(c[i]);
      for (let m = 0; m < M; m++) scale += Math.abs(A[i * M + m]) * zmax;
      for (let h = 0; h < H; h++) scale += Math.abs(B[i * H + h]) * Math.max(0, u[h]);
      const state = text[H + 1 + i];
      const lo = clip.lo[i];
      const hi = clip.hi[i];
      const s = (bound: number) => Math.max(scale, Math.abs(bound) === Infinity ? 0 : Math.abs(bound), 1e-300);
      if (state === '-') consider((lo - y[i]) / s(lo), j, H + i);
      else if (state === '+') consider((y[i] - hi) / s(hi), j, H + M + i);
      else {
        if (lo > -Infinity) consider((y[i] - lo) / s(lo), j, H + i);
        if (hi < Infinity) consider((hi - y[i]) / s(hi), j, H + M + i);
      }
    }
  });
  return best;
}

/** The signed margin of one switch or clip bound of one point (as smallestMargin measures it). */
export function marginOf(map: PiecewiseAffineMap, regions: readonly string[], sol: SequenceSolution, point: number, bit: number): number | undefined {
  if (sol.status === 'singular') return undefined;
  let found: number | undefined;
  smallestMarginAll(map, regions, sol, (m) => {
    if (m.point === point && m.bit === bit && (found === undefined || m.value < found)) found = m.value;
  });
  return found;
}

/** A region sequence evaluated at any t of a path (one solver's buffers reused). */
export class Probe {
  private solver?: CandidateSolver;

  constructor(
    readonly path: ModelPath,
    readonly regions: readonly string[],
  ) {}

  at(t: number): ProbeResult {
    const map = mapAt(this.path, t);
    if (!this.solver || this.solver.M !== map.M) this.solver = new CandidateSolver(map, this.regions.length);
    const solution = solveSequence(map, this.regions, this.solver);
    return { t, solution, exists: solution.status === 'consistent' && solution.verified, margin: smallestMargin(map, this.regions, solution), map };
  }
}

/** det(I − F) and det(I + F): their zeros are eigenvalues +1 (transcritical) and −1 (flip). */
export function unitDeterminants(F: Float64Array, M: number): { minus: number; plus: number } {
  const a = new Float64Array(M * M);
  const b = new Float64Array(M * M);
  for (let i = 0; i < M * M; i++) {
    a[i] = -F[i];
    b[i] = F[i];
  }
  for (let i = 0; i < M; i++) {
    a[i * M + i] += 1;
    b[i * M + i] += 1;
  }
  return { minus: determinant(a, M), plus: determinant(b, M) };
}

/** The largest modulus of a complex pair of eigenvalues, or undefined when all are real. */
export function complexRadius(stability: Pick<Stability, 'eigenvalues'>): number | undefined {
  let r: number | undefined;
  for (const [re, im] of stability.eigenvalues) {
    if (Math.abs(im) <= 1e-12 * Math.max(Math.hypot(re, im), 1e-300)) continue;
    const m = Math.hypot(re, im);
    if (r === undefined || m > r) r = m;
  }
  return r;
}

export function stabilityOf(F: Float64Array, M: number): Stability {
  return classify(F, M);
}

export { CONSISTENCY_RTOL };
