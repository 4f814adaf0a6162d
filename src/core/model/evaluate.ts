import { PiecewiseAffineMap } from './types';
import { rowDots } from '../linalg/dots';

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
 * The sums over the switches of one step, when a caller has faster kernels for them. Each must
 * add its terms in the order of stepInto's own loops (m ascending; h ascending), so that the
 * result is bitwise the same with or without them. addB may leave out the switches with
 * uBuf[h] = 0: their terms are ±0, which can change only the sign of a zero sum, never a region bit.
 */
export interface StepSums {
  /** uBuf[h] = s0[h] + Σ_m S[h,m] z[zo + m]. */
  switches(uBuf: Float64Array, z: Float64Array, zo: number): void;
  /**
   * When bits is given, the words of the H switches from bo: bit h set where uBuf[h] > 0 (the
   * bits past H clear); then uBuf[h] = uBuf[h] > 0 ? uBuf[h] : 0.
   */
  rectify(uBuf: Float64Array, bits: Int32Array | undefined, bo: number): void;
  /** out[oo + i] += Σ_h B[i,h] uBuf[h]. */
  addB(out: Float64Array, oo: number, uBuf: Float64Array): void;
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
  sums?: StepSums,
): void {
  const { M, H, A, B, S, s0, c, clip } = map;
  if (bits) for (let w = 0; w < words; w++) bits[bo + w] = 0;
  if (sums) sums.switches(uBuf, z, zo);
  else {
    for (let h = 0; h < H; h++) {
      let v = s0[h];
      const r = h * M;
      for (let m = 0; m < M; m++) v += S[r + m] * z[zo + m];
      uBuf[h] = v;
    }
  }
  if (sums) sums.rectify(uBuf, bits, bo);
  else {
    for (let h = 0; h < H; h++) {
      const v = uBuf[h];
      if (v > 0 && bits) bits[bo + (h >>> 5)] |= 1 << (h & 31);
      uBuf[h] = v > 0 ? v : 0;
    }
  }
  // z' = A z + c, then + B (u)₊ four rows at a time, then the clip.
  for (let i = 0; i < M; i++) {
    let v = c[i];
    const r = i * M;
    for (let m = 0; m < M; m++) v += A[r + m] * z[zo + m];
    out[oo + i] = v;
  }
  if (sums) sums.addB(out, oo, uBuf);
  else rowDots(B, H, M, uBuf, 0, null, 0, H, out, oo, false);
  for (let i = 0; clip && i < M; i++) {
    const v = out[oo + i];
    const side = v < clip.lo[i] ? 0 : v > clip.hi[i] ? 1 : -1;
    if (side < 0) continue;
    if (bits) {
      const b = H + side * M + i;
      bits[bo + (b >>> 5)] |= 1 << (b & 31);
    }
    out[oo + i] = side === 0 ? clip.lo[i] : clip.hi[i];
  }
}

/** One step of the map, z' = clip(A z + B relu(S z + s0) + c), into a new array. */
export function step(map: PiecewiseAffineMap, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(map.M);
  stepInto(map, Float64Array.from(z), 0, out, 0, new Float64Array(map.H));
  return out;
}
