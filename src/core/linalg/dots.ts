// Sums of the search's inner loops, written so that each sum adds its terms in exactly the order
// of the plain loop (results bitwise the same) while several sums share one pass, in local
// variables: V8 keeps those in registers, where a sum into an array element is a store and a
// load per term. About twice as fast for the shPLRNN shapes (M small, H large).

/**
 * out[oo + h] = init[io + h] + rows[h]·z[zo] + rows[H + h]·z[zo + 1] + … (m ascending) for
 * h < H: `rows` is M×H (S transposed), up to four of its rows per pass over h.
 */
export function combineRows(out: Float64Array, oo: number, init: Float64Array, io: number, rows: Float64Array, H: number, M: number, z: Float64Array, zo: number): void {
  if (M === 0) for (let h = 0; h < H; h++) out[oo + h] = init[io + h];
  for (let m = 0; m < M; m += 4) {
    const src = m === 0 ? init : out;
    const so = m === 0 ? io : oo;
    const r0 = m * H;
    const z0 = z[zo + m];
    const n = Math.min(4, M - m);
    if (n === 4) {
      const z1 = z[zo + m + 1];
      const z2 = z[zo + m + 2];
      const z3 = z[zo + m + 3];
      for (let h = 0; h < H; h++) out[oo + h] = src[so + h] + rows[r0 + h] * z0 + rows[r0 + H + h] * z1 + rows[r0 + 2 * H + h] * z2 + rows[r0 + 3 * H + h] * z3;
    } else if (n === 3) {
      const z1 = z[zo + m + 1];
      const z2 = z[zo + m + 2];
      for (let h = 0; h < H; h++) out[oo + h] = src[so + h] + rows[r0 + h] * z0 + rows[r0 + H + h] * z1 + rows[r0 + 2 * H + h] * z2;
    } else if (n === 2) {
      const z1 = z[zo + m + 1];
      for (let h = 0; h < H; h++) out[oo + h] = src[so + h] + rows[r0 + h] * z0 + rows[r0 + H + h] * z1;
    } else for (let h = 0; h < H; h++) out[oo + h] = src[so + h] + rows[r0 + h] * z0;
  }
}

/**
 * out[oo + r] += Σ_t x[xo + h_t] · rows[r·H + h_t] for r < n, over h_t = idx[io + t] for
 * t < count, or h_t = t when idx is null; with skipZero the terms whose x is 0 are left out.
 * Four sums per pass over t, then the rest one at a time.
 */
export function rowDots(rows: Float64Array, H: number, n: number, x: Float64Array, xo: number, idx: Int32Array | null, io: number, count: number, out: Float64Array, oo: number, skipZero: boolean): void {
  let r = 0;
  for (; r + 3 < n; r += 4) {
    const r0 = r * H;
    const r1 = r0 + H;
    const r2 = r1 + H;
    const r3 = r2 + H;
    let v0 = out[oo + r];
    let v1 = out[oo + r + 1];
    let v2 = out[oo + r + 2];
    let v3 = out[oo + r + 3];
    for (let t = 0; t < count; t++) {
      const h = idx === null ? t : idx[io + t];
      const xh = x[xo + h];
      if (skipZero && xh === 0) continue;
      v0 += xh * rows[r0 + h];
      v1 += xh * rows[r1 + h];
      v2 += xh * rows[r2 + h];
      v3 += xh * rows[r3 + h];
    }
    out[oo + r] = v0;
    out[oo + r + 1] = v1;
    out[oo + r + 2] = v2;
    out[oo + r + 3] = v3;
  }
  for (; r < n; r++) {
    const r0 = r * H;
    let v = out[oo + r];
    for (let t = 0; t < count; t++) {
      const h = idx === null ? t : idx[io + t];
      const xh = x[xo + h];
      if (skipZero && xh === 0) continue;
      v += xh * rows[r0 + h];
    }
    out[oo + r] = v;
  }
}
