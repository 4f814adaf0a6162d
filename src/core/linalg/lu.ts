/**
 * Dense LU factorisation with partial pivoting on row-major n×n Float64Arrays, in place and
 * without allocation (the caller owns every buffer): the hot path of the cycle search.
 */

/** Infinity norm (largest absolute row sum) of the row-major n×n matrix a. */
export function normInf(a: Float64Array, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += Math.abs(a[row + j]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * Factors a = P L U in place (L unit lower, U upper, both stored in a; piv[i] is the original row
 * now in row i). Returns false, leaving a garbage, when some pivot is at most
 * `minPivot` in absolute value: the system is then treated as singular or too badly
 * conditioned to trust.
 */
export function luFactor(a: Float64Array, n: number, piv: Int32Array, minPivot: number): boolean {
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let col = 0; col < n; col++) {
    let p = col;
    let best = Math.abs(a[col * n + col]);
    for (let r = col + 1; r < n; r++) {
      const v = Math.abs(a[r * n + col]);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (!(best > minPivot)) return false; // also catches NaN
    if (p !== col) {
      const rp = p * n;
      const rc = col * n;
      for (let j = 0; j < n; j++) {
        const t = a[rp + j];
        a[rp + j] = a[rc + j];
        a[rc + j] = t;
      }
      const t = piv[p];
      piv[p] = piv[col];
      piv[col] = t;
    }
    const rc = col * n;
    const inv = 1 / a[rc + col];
    for (let r = col + 1; r < n; r++) {
      const rr = r * n;
      const f = a[rr + col] * inv;
      if (f === 0) continue;
      a[rr + col] = f;
      for (let j = col + 1; j < n; j++) a[rr + j] -= f * a[rc + j];
    }
  }
  return true;
}

/** Solves (P L U) x = b with a factored by luFactor; b is read, x written (they may not alias). */
export function luSolve(lu: Float64Array, n: number, piv: Int32Array, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[piv[i]];
    const row = i * n;
    for (let j = 0; j < i; j++) s -= lu[row + j] * x[j];
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    const row = i * n;
    for (let j = i + 1; j < n; j++) s -= lu[row + j] * x[j];
    x[i] = s / lu[row + i];
  }
}

/** The determinant of the row-major n×n matrix a (a is not changed). */
export function determinant(a: Float64Array, n: number): number {
  const m = Float64Array.from(a.subarray(0, n * n));
  let det = 1;
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[p * n + col])) p = r;
    const pivot = m[p * n + col];
    if (pivot === 0) return 0;
    if (p !== col) {
      for (let j = 0; j < n; j++) {
        const t = m[p * n + j];
        m[p * n + j] = m[col * n + j];
        m[col * n + j] = t;
      }
      det = -det;
    }
    det *= pivot;
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col] / pivot;
      if (f === 0) continue;
      for (let j = col + 1; j < n; j++) m[r * n + j] -= f * m[col * n + j];
    }
  }
  return det;
}
