import type { PiecewiseAffineMap } from '../model/types';

/** Scratch space of tangentStep for one map. */
export interface TangentBuffers {
  /** (S v)_h where u_h > 0, else 0. */
  dsv: Float64Array;
  /** relu(u) (only with an output clip, to tell the clipped rows). */
  ru: Float64Array;
}

export function tangentBuffers(map: PiecewiseAffineMap): TangentBuffers {
  return { dsv: new Float64Array(map.H), ru: new Float64Array(map.H) };
}

/**
 * out = J(z) v: the map's Jacobian in the region of z applied to a tangent vector,
 * J = D_clip (A + B diag(d) S) with d_h = [u_h > 0], u = S z + s0, and D_clip zero on the rows
 * that the output clip holds constant at z' (their derivative is zero in the region).
 */
export function tangentStep(map: PiecewiseAffineMap, z: Float64Array, v: Float64Array, out: Float64Array, b: TangentBuffers): void {
  const { M, H, A, B, S, s0, c, clip } = map;
  const { dsv, ru } = b;
  for (let h = 0; h < H; h++) {
    let u = s0[h];
    let sv = 0;
    const r = h * M;
    for (let m = 0; m < M; m++) {
      u += S[r + m] * z[m];
      sv += S[r + m] * v[m];
    }
    dsv[h] = u > 0 ? sv : 0;
    ru[h] = u > 0 ? u : 0;
  }
  for (let i = 0; i < M; i++) {
    const r = i * M;
    const rb = i * H;
    if (clip) {
      let y = c[i];
      for (let m = 0; m < M; m++) y += A[r + m] * z[m];
      for (let h = 0; h < H; h++) y += B[rb + h] * ru[h];
      if (y < clip.lo[i] || y > clip.hi[i]) {
        out[i] = 0;
        continue;
      }
    }
    let w = 0;
    for (let m = 0; m < M; m++) w += A[r + m] * v[m];
    for (let h = 0; h < H; h++) w += B[rb + h] * dsv[h];
    out[i] = w;
  }
}

/** Euclidean norm. */
export function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
