// The two leading principal components of a set of points, by power iteration with deflation
// on the covariance matrix (small M; no library needed).

export interface Projection {
  mean: number[];
  /** Unit vectors; fewer than 2 when the points span less. */
  axes: number[][];
  /** Share of the variance each axis explains. */
  explained: number[];
}

function matVec(C: number[][], v: number[]): number[] {
  return C.map((row) => row.reduce((s, c, j) => s + c * v[j], 0));
}

function norm(v: number[]): number {
  return Math.hypot(...v);
}

export function pca(points: number[][], components = 2): Projection {
  const M = points[0]?.length ?? 0;
  const n = points.length;
  const mean = Array.from({ length: M }, (_, j) => points.reduce((s, p) => s + p[j], 0) / Math.max(n, 1));
  const C = Array.from({ length: M }, () => new Array<number>(M).fill(0));
  for (const p of points) {
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) C[i][j] += ((p[i] - mean[i]) * (p[j] - mean[j])) / Math.max(n - 1, 1);
  }
  const total = C.reduce((s, row, i) => s + row[i], 0);
  const axes: number[][] = [];
  const explained: number[] = [];
  for (let k = 0; k < Math.min(components, M); k++) {
    // A start vector not orthogonal to the leading eigenvector in practice.
    let v = Array.from({ length: M }, (_, i) => 1 + i * 0.37);
    let lambda = 0;
    for (let it = 0; it < 500; it++) {
      const w = matVec(C, v);
      const len = norm(w);
      if (len < 1e-300) break;
      const next = w.map((x) => x / len);
      const diff = norm(next.map((x, i) => x - v[i]));
      v = next;
      lambda = len;
      if (diff < 1e-12) break;
    }
    if (total <= 0 || lambda / total < 1e-12) break;
    axes.push(v);
    explained.push(lambda / total);
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) C[i][j] -= lambda * v[i] * v[j];
  }
  return { mean, axes, explained };
}

export function project(p: number[], proj: Projection): [number, number] {
  const c = p.map((x, i) => x - proj.mean[i]);
  const dot = (a: number[] | undefined) => (a ? a.reduce((s, x, i) => s + x * c[i], 0) : 0);
  return [dot(proj.axes[0]), dot(proj.axes[1])];
}
