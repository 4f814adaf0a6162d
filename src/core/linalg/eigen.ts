import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * Eigenvalues of a real, generally non-symmetric row-major n×n matrix as [re, im] pairs,
 * sorted by decreasing modulus (ties: larger real part, then larger imaginary part first).
 */
export function eigenvalues(a: Float64Array, n: number): [number, number][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(a.subarray(i * n, (i + 1) * n)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: false });
  const re = evd.realEigenvalues;
  const im = evd.imaginaryEigenvalues;
  const out: [number, number][] = re.map((r, i) => [r, im[i]]);
  out.sort((p, q) => Math.hypot(q[0], q[1]) - Math.hypot(p[0], p[1]) || q[0] - p[0] || q[1] - p[1]);
  return out;
}
