import { PiecewiseAffineMap } from './types';

/** One step of the map, z' = A z + B relu(S z + s0) + c, straight from the definition. */
export function step(map: PiecewiseAffineMap, z: ArrayLike<number>): Float64Array {
  const { M, H, A, B, S, s0, c } = map;
  const r = new Float64Array(H);
  for (let i = 0; i < H; i++) {
    let u = s0[i];
    for (let j = 0; j < M; j++) u += S[i * M + j] * z[j];
    r[i] = u > 0 ? u : 0;
  }
  const out = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    let v = c[i];
    for (let j = 0; j < M; j++) v += A[i * M + j] * z[j];
    for (let j = 0; j < H; j++) v += B[i * H + j] * r[j];
    out[i] = v;
  }
  return out;
}

/** The region of z: one '0'/'1' per switch, '1' where u_i = (S z + s0)_i > 0. */
export function regionOf(map: PiecewiseAffineMap, z: ArrayLike<number>): string {
  const { M, H, S, s0 } = map;
  let bits = '';
  for (let i = 0; i < H; i++) {
    let u = s0[i];
    for (let j = 0; j < M; j++) u += S[i * M + j] * z[j];
    bits += u > 0 ? '1' : '0';
  }
  return bits;
}
