import { Matrix, ModelSpec, PiecewiseAffineMap, Vector } from './types';

/** A dense row-major rows×cols matrix of zeros. */
function zeros(rows: number, cols: number): Float64Array {
  return new Float64Array(rows * cols);
}

function diagonal(d: Vector): Float64Array {
  const n = d.length;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out[i * n + i] = d[i];
  return out;
}

function dense(m: Matrix): Float64Array {
  const cols = m[0].length;
  const out = zeros(m.length, cols);
  m.forEach((row, i) => out.set(row, i * cols));
  return out;
}

/** Copies the block `src` (r×c) into `dst` (with `dstCols` columns) at (row0, col0), times `scale`. */
function putBlock(dst: Float64Array, dstCols: number, src: Matrix, row0: number, col0: number, scale = 1): void {
  src.forEach((row, i) => row.forEach((x, j) => (dst[(row0 + i) * dstCols + col0 + j] = scale * x)));
}

/**
 * Reduces a validated model to the piecewise-affine form of science.md §1:
 * u = S z + s0, d = [u > 0], z' = A z + B (d ⊙ u) + c.
 */
export function buildMap(spec: ModelSpec): PiecewiseAffineMap {
  switch (spec.architecture) {
    case 'plrnn': {
      const M = spec.h.length;
      const A = Array.isArray(spec.A[0]) ? dense(spec.A as Matrix) : diagonal(spec.A as Vector);
      return { M, H: M, A, B: dense(spec.W), S: diagonal(new Array<number>(M).fill(1)), s0: zeros(M, 1), c: Float64Array.from(spec.h) };
    }
    case 'shplrnn':
      return {
        M: spec.A.length,
        H: spec.h2.length,
        A: diagonal(spec.A),
        B: dense(spec.W1),
        S: dense(spec.W2),
        s0: Float64Array.from(spec.h2),
        c: Float64Array.from(spec.h1),
      };
    case 'clipped-shplrnn': {
      // relu(W2 z + h2) − relu(W2 z): 2H switches, the second H with weights −W1 and no offset.
      const M = spec.A.length;
      const H = spec.h2.length;
      const B = zeros(M, 2 * H);
      putBlock(B, 2 * H, spec.W1, 0, 0);
      putBlock(B, 2 * H, spec.W1, 0, H, -1);
      const S = zeros(2 * H, M);
      putBlock(S, M, spec.W2, 0, 0);
      putBlock(S, M, spec.W2, H, 0);
      const s0 = zeros(2 * H, 1);
      s0.set(spec.h2);
      return { M, H: 2 * H, A: diagonal(spec.A), B, S, s0, c: Float64Array.from(spec.h1) };
    }
    case 'alrnn': {
      // The first M−P units enter W linearly, so their columns of W join the linear part.
      const M = spec.A.length;
      const P = spec.P;
      const L = M - P;
      const A = diagonal(spec.A);
      const B = zeros(M, P);
      const S = zeros(P, M);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < L; j++) A[i * M + j] += spec.W[i][j];
        for (let j = 0; j < P; j++) B[i * P + j] = spec.W[i][L + j];
      }
      for (let j = 0; j < P; j++) S[j * M + L + j] = 1;
      return { M, H: P, A, B, S, s0: zeros(P, 1), c: Float64Array.from(spec.h) };
    }
    case 'dendplrnn': {
      // W Σ_b α_b relu(z − θ_b): one block of M switches per basis b.
      const M = spec.A.length;
      const nB = spec.alpha.length;
      const H = M * nB;
      const B = zeros(M, H);
      const S = zeros(H, M);
      const s0 = zeros(H, 1);
      for (let b = 0; b < nB; b++) {
        putBlock(B, H, spec.W, 0, b * M, spec.alpha[b]);
        for (let i = 0; i < M; i++) {
          S[(b * M + i) * M + i] = 1;
          s0[b * M + i] = -spec.H[i][b];
        }
      }
      return { M, H, A: diagonal(spec.A), B, S, s0, c: Float64Array.from(spec.h) };
    }
  }
}
