/**
 * Reference search for the cross-check: tries EVERY region sequence of length k (2^(H·k) of
 * them), solves the fixed-point equation of its k-step affine map, keeps the self-consistent
 * solutions of least period k, and drops duplicates. Deliberately written apart from the SCYFI
 * engine: plain nested arrays, its own elimination, its own tolerances.
 */
import { PiecewiseAffineMap } from '../../../src/core/model/types';

export interface RefCycle {
  order: number;
  points: number[][];
}

type Mat = number[][];

const SINGULAR_RTOL = 1e-11;
const SIDE_RTOL = 1e-9;
const SAME_RTOL = 1e-7;

function matOf(flat: Float64Array, rows: number, cols: number): Mat {
  return Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)));
}

function mul(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, l) => s + x * b[l][j], 0)));
}

function mulVec(a: Mat, v: number[]): number[] {
  return a.map((row) => row.reduce((s, x, l) => s + x * v[l], 0));
}

/** Gaussian elimination with partial pivoting; null when a pivot is negligible. */
function solve(a: Mat, b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  const scale = Math.max(...a.map((row) => row.reduce((s, x) => s + Math.abs(x), 0)), 1e-300);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[p][col])) p = r;
    if (!(Math.abs(m[p][col]) > SINGULAR_RTOL * scale)) return null;
    [m[p], m[col]] = [m[col], m[p]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** The affine piece of region d: J = A + B diag(d) S, b = B (d ⊙ s0) + c. */
function piece(A: Mat, B: Mat, S: Mat, s0: number[], c: number[], d: boolean[]): { J: Mat; b: number[] } {
  const J = A.map((row, i) => row.map((x, j) => x + d.reduce((s, on, h) => (on ? s + B[i][h] * S[h][j] : s), 0)));
  const b = c.map((ci, i) => ci + d.reduce((s, on, h) => (on ? s + B[i][h] * s0[h] : s), 0));
  return { J, b };
}

/** Clip state of each unit in a region: 0 not clipped, 1 at its lower bound, 2 at its upper bound. */
type ClipState = number[];

/** The same piece after an output clip: clipped rows of z' are their bound. */
function clipped(p: { J: Mat; b: number[] }, state: ClipState, lo: number[], hi: number[]): { J: Mat; b: number[] } {
  return {
    J: p.J.map((row, i) => (state[i] === 0 ? row : row.map(() => 0))),
    b: p.b.map((x, i) => (state[i] === 0 ? x : state[i] === 1 ? lo[i] : hi[i])),
  };
}

const dist = (p: number[], q: number[]) => Math.max(...p.map((x, i) => Math.abs(x - q[i])));
const size = (pts: number[][]) => Math.max(1e-12, ...pts.flat().map(Math.abs));

/** Same cycle up to phase. */
export function sameCycle(a: number[][], b: number[][]): boolean {
  if (a.length !== b.length) return false;
  const tol = SAME_RTOL * Math.max(size(a), size(b));
  const k = a.length;
  for (let r = 0; r < k; r++) if (a.every((p, j) => dist(p, b[(j + r) % k]) <= tol)) return true;
  return false;
}

/** Every cycle of order exactly k (with an output clip too: every combination of switch and clip states). */
export function exhaustiveCycles(map: PiecewiseAffineMap, k: number): RefCycle[] {
  const { M, H } = map;
  const A = matOf(map.A, M, M);
  const B = matOf(map.B, M, H);
  const S = matOf(map.S, H, M);
  const s0 = Array.from(map.s0);
  const c = Array.from(map.c);
  const lo = map.clip ? Array.from(map.clip.lo) : [];
  const hi = map.clip ? Array.from(map.clip.hi) : [];
  const clipStates = map.clip ? 3 ** M : 1;
  interface Piece {
    J: Mat;
    b: number[];
    d: boolean[];
    state: ClipState;
  }
  const pieces: Piece[] = [];
  for (let code = 0; code < 2 ** H; code++) {
    const d = Array.from({ length: H }, (_, h) => ((code >> h) & 1) === 1);
    const base = piece(A, B, S, s0, c, d);
    for (let cc = 0; cc < clipStates; cc++) {
      const state = Array.from({ length: map.clip ? M : 0 }, (_, i) => Math.floor(cc / 3 ** i) % 3);
      pieces.push({ ...(map.clip ? clipped(base, state, lo, hi) : base), d, state });
    }
  }
  const P = pieces.length;
  const found: RefCycle[] = [];
  const total = P ** k;
  for (let code = 0; code < total; code++) {
    const regions = Array.from({ length: k }, (_, j) => Math.floor(code / P ** j) % P);
    let F: Mat = A.map((_, i) => A.map((__, j) => (i === j ? 1 : 0)));
    let g = new Array<number>(M).fill(0);
    for (const r of regions) {
      const { J, b } = pieces[r];
      F = mul(J, F);
      g = mulVec(J, g).map((x, i) => x + b[i]);
    }
    const z1 = solve(F.map((row, i) => row.map((x, j) => (i === j ? 1 : 0) - x)), g);
    if (z1 === null) continue;
    const pts: number[][] = [z1];
    for (let j = 0; j < k - 1; j++) {
      const { J, b } = pieces[regions[j]];
      pts.push(mulVec(J, pts[j]).map((x, i) => x + b[i]));
    }
    const zmax = size(pts);
    const consistent = pts.every((z, j) => {
      const { d, state } = pieces[regions[j]];
      const us = S.map((row) => row.reduce((s, x, m) => s + x * z[m], 0));
      const switchesOk = S.every((row, h) => {
        const u = us[h] + s0[h];
        const tol = SIDE_RTOL * (Math.abs(s0[h]) + row.reduce((s, x) => s + Math.abs(x), 0) * zmax);
        return d[h] ? u >= -tol : u <= tol;
      });
      if (!switchesOk || !map.clip) return switchesOk;
      // y = A z + B relu(u) + c before the clip decides each unit's clip state.
      const r = us.map((x, h) => Math.max(0, x + s0[h]));
      return state.every((st, i) => {
        const y = A[i].reduce((s, x, m) => s + x * z[m], c[i]) + B[i].reduce((s, x, h) => s + x * r[h], 0);
        const tol = SIDE_RTOL * Math.max(1, Math.abs(y), zmax);
        if (st === 1) return y <= lo[i] + tol;
        if (st === 2) return y >= hi[i] - tol;
        return y >= lo[i] - tol && y <= hi[i] + tol;
      });
    });
    if (!consistent) continue;
    if (pts.slice(1).some((p) => dist(p, z1) <= SAME_RTOL * zmax)) continue; // smaller least period
    if (found.some((f) => sameCycle(f.points, pts))) continue;
    found.push({ order: k, points: pts });
  }
  return found;
}
