import { PiecewiseAffineMap } from './types';

/** One step of the map into out (no allocation beyond the caller's buffers). */
export function stepInto(map: PiecewiseAffineMap, z: Float64Array, zo: number, out: Float64Array, oo: number, uBuf: Float64Array): void {
  const { M, H, A, B, S, s0, c } = map;
  for (let h = 0; h < H; h++) {
    let v = s0[h];
    const r = h * M;
    for (let m = 0; m < M; m++) v += S[r + m] * z[zo + m];
    uBuf[h] = v > 0 ? v : 0;
  }
  for (let i = 0; i < M; i++) {
    let v = c[i];
    const r = i * M;
    for (let m = 0; m < M; m++) v += A[r + m] * z[zo + m];
    const rb = i * H;
    for (let h = 0; h < H; h++) v += B[rb + h] * uBuf[h];
    out[oo + i] = v;
  }
}

/** One step of the map, z' = A z + B relu(S z + s0) + c, into a new array. */
export function step(map: PiecewiseAffineMap, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(map.M);
  stepInto(map, Float64Array.from(z), 0, out, 0, new Float64Array(map.H));
  return out;
}
