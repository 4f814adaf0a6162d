import { PiecewiseAffineMap } from '../model/types';
import { stepInto } from '../model/evaluate';
import { Prng } from './prng';
import { SequenceSet } from './sequence';

/**
 * Region patterns that simulated trajectories of the map actually visit. When H > M most of the
 * 2^H patterns are empty, so initial region sequences drawn from here (k consecutive patterns of
 * one trajectory, or visited patterns at random) are far more useful than uniform bits.
 */
export class RegionPool {
  /** Each trajectory's patterns, `words` per time step. */
  private readonly trajectories: Int32Array[] = [];
  /** Distinct visited patterns, `words` each. */
  private readonly distinct: Int32Array;
  readonly distinctCount: number;

  /** `isCancelled` is asked between trajectories: simulating a large model takes a while. */
  constructor(map: PiecewiseAffineMap, rng: Prng, words: number, maxOrder: number, isCancelled?: () => boolean) {
    const { M, H, s0, c } = map;
    let sigma = 1;
    for (let i = 0; i < M; i++) sigma = Math.max(sigma, Math.abs(c[i]));
    for (let h = 0; h < H; h++) sigma = Math.max(sigma, Math.abs(s0[h]));
    const nTraj = Math.min(24 + 2 * H, 200);
    const steps = 48 + 4 * maxOrder;
    const limit = 1e8 * sigma;
    const seen = new SequenceSet(1, words);
    const distinct: number[] = [];
    let z = new Float64Array(M);
    let zn = new Float64Array(M);
    const r = new Float64Array(H);
    for (let t = 0; t < nTraj; t++) {
      if (t > 0 && isCancelled?.()) break;
      const radius = (t % 3 === 0 ? 1 : t % 3 === 1 ? 4 : 16) * sigma;
      for (let i = 0; i < M; i++) z[i] = rng.uniform(-radius, radius);
      const pats = new Int32Array(steps * words);
      let len = 0;
      for (let s = 0; s < steps; s++) {
        const o = s * words;
        stepInto(map, z, 0, zn, 0, r, pats, o, words);
        len++;
        const one = pats.subarray(o, o + words);
        if (seen.add(one)) for (let w = 0; w < words; w++) distinct.push(one[w]);
        let big = false;
        for (let i = 0; i < M; i++) if (!(Math.abs(zn[i]) < limit)) big = true;
        [z, zn] = [zn, z];
        if (big) break;
      }
      this.trajectories.push(pats.subarray(0, len * words));
    }
    this.distinct = Int32Array.from(distinct);
    this.distinctCount = distinct.length / words;
  }

  /** k consecutive patterns of a random trajectory (wrapping round if it is short). */
  drawTrajectory(rng: Prng, k: number, words: number, out: Int32Array): void {
    const pats = this.trajectories[rng.nextInt(this.trajectories.length)];
    const len = pats.length / words;
    const start = rng.nextInt(len);
    for (let j = 0; j < k; j++) {
      const src = ((start + j) % len) * words;
      for (let w = 0; w < words; w++) out[j * words + w] = pats[src + w];
    }
  }

  /** k visited patterns drawn independently. */
  drawDistinct(rng: Prng, k: number, words: number, out: Int32Array): void {
    for (let j = 0; j < k; j++) {
      const src = rng.nextInt(this.distinctCount) * words;
      for (let w = 0; w < words; w++) out[j * words + w] = this.distinct[src + w];
    }
  }
}

/** k patterns of independent fair bits for the H switches (clip bits, after them, stay 0: unclipped). */
export function drawUniform(rng: Prng, k: number, H: number, words: number, out: Int32Array): void {
  for (let j = 0; j < k; j++) {
    for (let w = 0; w < words; w++) {
      const bits = Math.max(0, Math.min(32, H - w * 32));
      const x = rng.nextUint32();
      out[j * words + w] = bits === 32 ? x | 0 : bits === 0 ? 0 : x & ((1 << bits) - 1);
    }
  }
}
