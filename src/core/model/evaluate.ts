import { PiecewiseAffineMap } from './types';

/**
 * Bits of a region: one per switch (u_h > 0), then, with an output clip, one per unit for
 * "clipped at its lower bound" (y_i < lo_i) and one per unit for "clipped at its upper bound"
 * (y_i > hi_i). In a region the map is affine: clipped rows of z' are constant.
 */
export function regionBits(map: PiecewiseAffineMap): number {
  return map.H + (map.clip ? 2 * map.M : 0);
}

/** Bit index of unit i's lower (side 0) or upper (side 1) clip. */
export function clipBit(map: PiecewiseAffineMap, i: number, side: 0 | 1): number {
  return map.H + side * map.M + i;
}

/**
 * One step of the map into out (no allocation beyond the caller's buffers). When `bits` is
 * given, the region of z is written there too (`words` 32-bit words from `bo`).
 */
export function stepInto(
  map: PiecewiseAffineMap,
  z: Float64Array,
  zo: number,
  out: Float64Array,
  oo: number,
  uBuf: Float64Array,
  bits?: Int32Array,
  bo = 0,
  words = 0,
): void {
  const { M, H, A, B, S, s0, c, clip } = map;
  if (bits) for (let w = 0; w < words; w++) bits[bo + w] = 0;
  for (let h = 0; h < H; h++) {
    let v = s0[h];
    const r = h * M;
    for (let m = 0; m < M; m++) v += S[r + m] * z[zo + m];
    if (v > 0 && bits) bits[bo + (h >>> 5)] |= 1 << (h & 31);
    uBuf[h] = v > 0 ? v : 0;
  }
  for (let i = 0; i < M; i++) {
    let v = c[i];
    const r = i * M;
    for (let m = 0; m < M; m++) v += A[r + m] * z[zo + m];
    const rb = i * H;
    for (let h = 0; h < H; h++) v += B[rb + h] * uBuf[h];
    if (clip) {
      const side = v < clip.lo[i] ? 0 : v > clip.hi[i] ? 1 : -1;
      if (side >= 0) {
        if (bits) {
          const b = H + side * M + i;
          bits[bo + (b >>> 5)] |= 1 << (b & 31);
        }
        v = side === 0 ? clip.lo[i] : clip.hi[i];
      }
    }
    out[oo + i] = v;
  }
}

/** One step of the map, z' = clip(A z + B relu(S z + s0) + c), into a new array. */
export function step(map: PiecewiseAffineMap, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(map.M);
  stepInto(map, Float64Array.from(z), 0, out, 0, new Float64Array(map.H));
  return out;
}
