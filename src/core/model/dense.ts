// Small builders of dense row-major matrices for the reductions of the architectures.
import { Matrix, Vector } from './types';

/** A dense row-major rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number): Float64Array {
  return new Float64Array(rows * cols);
}

export function diagonal(d: Vector): Float64Array {
  const n = d.length;
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) out[i * n + i] = d[i];
  return out;
}

export function identity(n: number): Float64Array {
  return diagonal(new Array<number>(n).fill(1));
}

export function dense(m: Matrix): Float64Array {
  const cols = m[0].length;
  const out = zeros(m.length, cols);
  m.forEach((row, i) => out.set(row, i * cols));
  return out;
}

/** Copies the block `src` (r×c) into `dst` (with `dstCols` columns) at (row0, col0), times `scale`. */
export function putBlock(dst: Float64Array, dstCols: number, src: Matrix, row0: number, col0: number, scale = 1): void {
  src.forEach((row, i) => row.forEach((x, j) => (dst[(row0 + i) * dstCols + col0 + j] = scale * x)));
}

/** S_c = I − (1/M) 1 1ᵀ: z ↦ z − mean(z). */
export function centring(M: number): Float64Array {
  const out = new Float64Array(M * M).fill(-1 / M);
  for (let i = 0; i < M; i++) out[i * M + i] += 1;
  return out;
}

/** C = A·B for row-major A (n×m) and B (m×p). */
export function matMul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < m; l++) {
      const x = a[i * m + l];
      if (x === 0) continue;
      for (let j = 0; j < p; j++) out[i * p + j] += x * b[l * p + j];
    }
  }
  return out;
}
