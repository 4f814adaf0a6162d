import { PiecewiseAffineMap } from '../model/types';
import { regionBits, StepSums, stepInto } from '../model/evaluate';
import { luSolve, normInf } from '../linalg/lu';
import { KernelArena } from '../linalg/kernels';
import { wordsPerRegion } from './sequence';

/**
 * A system I − F whose LU pivot falls below this fraction of ‖I − F‖∞ is treated as singular:
 * its cycle is not isolated (or not trustworthy), so the candidate is skipped.
 */
export const MIN_PIVOT_RTOL = 1e-12;

/**
 * Self-consistency tolerance: u_i may lie on the "wrong" side of its border by this fraction of
 * the scale of u_i (|s0_i| + Σ_j |S_ij| · max|z|), so points on a border (u_i = 0, computed as a
 * tiny ±) are accepted from the regions on both sides.
 */
export const CONSISTENCY_RTOL = 1e-9;

export const enum Outcome {
  /** I − F singular or badly conditioned: no candidate. */
  Singular = 0,
  /** The candidate orbit lies in the regions it was solved for. */
  Consistent = 1,
  /** A virtual cycle: `next` holds the regions its points actually lie in. */
  Virtual = 2,
}

/**
 * Solves z_1 = F z_1 + g for one region sequence and checks the orbit's self-consistency.
 * Every buffer is allocated once; prefix products of the previous sequence are reused when the
 * new sequence starts with the same regions (as it often does after a jump to a virtual cycle).
 */
export class CandidateSolver {
  readonly M: number;
  readonly H: number;
  /** Bits of one region: H switches, plus 2M clip bits when the map clips its output. */
  readonly bits: number;
  readonly words: number;
  /** Highest order the buffers hold. */
  readonly maxOrder: number;
  /** Solves done (each a factorisation attempt). */
  solves = 0;
  /** Region steps composed into k-step products (k per solve without prefix reuse). */
  steps = 0;

  /** Orbit of the last candidate: z_j at (j−1)·M, j = 1..k, and z_{k+1} at k·M. */
  readonly orbit: Float64Array;
  /** u_j = S z_j + s0 at (j−1)·H. */
  readonly u: Float64Array;
  /** With an output clip: y_j = A z_j + B (u_j)₊ + c before clipping, at (j−1)·M. */
  readonly y: Float64Array;
  /** Regions the last candidate's points lie in (strict u > 0), packed like the input. */
  readonly next: Int32Array;
  /** Regions of the map's own orbit from the last candidate's first point (newtonStep). */
  readonly newton: Int32Array;

  private map: PiecewiseAffineMap;
  /** The k-step products, the LU and the sums over the switches run in WebAssembly on buffers of this arena. */
  private readonly kernels: KernelArena<ReturnType<typeof kernelBuffers>>;
  /** When every switch reads one coordinate (u_h = z[sel[h]] + s0[h]): plrnn, alrnn, dendplrnn. */
  private sel: Int32Array | null;
  private diagA: Float64Array | null;
  /** The map's B, in the arena for the kernels. */
  private readonly B: Float64Array;
  private readonly rowAbsS: Float64Array;
  /** S transposed, with s0 as a last row ((M+1)×H): u = S z + s0 runs along contiguous rows (affineRows). */
  private readonly STs0: Float64Array;
  /** u = S z + s0 and B (u)₊ on the kernels, for Newton's steps. */
  private readonly stepSums: StepSums;
  /** How many switches the last Newton step's rectify found on (listed in the arena's stepActive), or −1: not listed. */
  private stepActive = -1;
  /** Scale of y_i for the clip tolerance: |c_i| + Σ_h |B_ih||s0_h| and Σ_m |A_im| + Σ_h |B_ih| rowAbsS_h (times max|z|). */
  private readonly yOffsetScale: Float64Array;
  private readonly yGainScale: Float64Array;
  /** prefix[(j−1)·M²..] = J_j ⋯ J_1, g[(j−1)·M..] its offset, for j = 1..K. */
  private readonly prefix: Float64Array;
  private readonly gpre: Float64Array;
  private readonly prevSeq: Int32Array;
  private validPrefix = 0;
  private readonly J: Float64Array;
  private readonly bvec: Float64Array;
  private readonly lu: Float64Array;
  private readonly piv: Int32Array;
  /** The active switches (u > 0) of the region at position j of the last sequence, at j·H, in ascending order; nActive[j] of them. */
  private readonly active: Int32Array;
  private readonly nActive: Int32Array;
  private readonly zA: Float64Array;
  private readonly zB: Float64Array;
  private readonly uStep: Float64Array;

  constructor(map: PiecewiseAffineMap, maxOrder: number) {
    const { M, H } = map;
    this.map = map;
    this.M = M;
    this.H = H;
    this.maxOrder = maxOrder;
    this.bits = regionBits(map);
    this.words = wordsPerRegion(this.bits);
    this.kernels = new KernelArena(kernelBuffers(M, H, maxOrder, this.words));
    const buf = this.kernels.buffers;
    this.sel = null;
    this.diagA = null;
    this.B = buf.B;
    this.rowAbsS = new Float64Array(H);
    this.STs0 = buf.STs0;
    this.stepSums = {
      switches: (uBuf, z, zo) => this.kernels.affineRows(uBuf, 0, buf.STs0, H, M, z, zo),
      rectify: (uBuf, bits, bo) => {
        if (bits) {
          this.kernels.positiveBits(bits, bo, uBuf, 0, H);
          this.stepActive = this.kernels.listActive(buf.stepActive, 0, bits, bo, H);
        } else this.stepActive = -1;
        this.kernels.rectify(uBuf, 0, H);
      },
      // Over the switches rectify found on (the others add B[i,h] · 0 = ±0, which can change only the sign of a zero sum).
      addB: (out, oo, uBuf) =>
        this.stepActive < 0 ? this.kernels.gatherAdd(out, oo, uBuf, 0, buf.Bt, M, buf.all, 0, H) : this.kernels.gatherAdd(out, oo, uBuf, 0, buf.Bt, M, buf.stepActive, 0, this.stepActive),
    };
    for (let h = 0; h < H; h++) buf.all[h] = h;
    this.yOffsetScale = new Float64Array(M);
    this.yGainScale = new Float64Array(M);
    this.prefix = buf.prefix;
    this.gpre = new Float64Array(maxOrder * M);
    this.prevSeq = buf.prevSeq;
    this.orbit = buf.orbit;
    this.u = buf.u;
    this.y = new Float64Array(map.clip ? maxOrder * M : 0);
    this.next = buf.next;
    this.newton = buf.newton;
    this.zA = buf.zA;
    this.zB = buf.zB;
    this.uStep = buf.uStep;
    this.J = buf.J;
    this.bvec = new Float64Array(M);
    this.lu = buf.lu;
    this.piv = buf.piv;
    this.active = buf.active;
    this.nActive = new Int32Array(maxOrder);
    this.retarget(map);
  }

  /** Solves for another map of the same dimensions from now on (the buffers are kept). */
  retarget(map: PiecewiseAffineMap): void {
    const { M, H } = map;
    if (M !== this.M || H !== this.H || regionBits(map) !== this.bits) throw new Error('retarget: the map has other dimensions');
    this.map = map;
    const buf = this.kernels.buffers;
    const sel = selectionOf(map);
    const diagA = diagonalOf(map.A, M);
    this.sel = sel && buf.sel;
    this.diagA = diagA && buf.diag;
    if (sel) buf.sel.set(sel);
    if (diagA) buf.diag.set(diagA);
    buf.B.set(map.B);
    this.validPrefix = 0;
    for (let h = 0; h < H; h++) {
      let s = 0;
      for (let m = 0; m < M; m++) {
        s += Math.abs(map.S[h * M + m]);
        this.STs0[m * H + h] = map.S[h * M + m];
      }
      this.STs0[M * H + h] = map.s0[h];
      for (let m = 0; m < M; m++) buf.Sc[h * (M + 1) + m] = map.S[h * M + m];
      buf.Sc[h * (M + 1) + M] = map.s0[h];
      for (let i = 0; i < M; i++) buf.Bt[h * M + i] = map.B[i * H + h];
      this.rowAbsS[h] = s;
    }
    for (let i = 0; i < M; i++) {
      for (let m = 0; m < M; m++) buf.Ac[i * (M + 1) + m] = map.A[i * M + m];
      buf.Ac[i * (M + 1) + M] = map.c[i];
      let off = Math.abs(map.c[i]);
      let gain = 0;
      for (let m = 0; m < M; m++) gain += Math.abs(map.A[i * M + m]);
      for (let h = 0; h < H; h++) {
        const b = Math.abs(map.B[i * H + h]);
        off += b * Math.abs(map.s0[h]);
        gain += b * this.rowAbsS[h];
      }
      this.yOffsetScale[i] = off;
      this.yGainScale[i] = gain;
    }
  }

  /** The k-step Jacobian J_k ⋯ J_1 of the last solved sequence (valid until the next solve). */
  product(k: number): Float64Array {
    const MM = this.M * this.M;
    return this.prefix.subarray((k - 1) * MM, k * MM);
  }

  /** Forgets the cached prefix products (e.g. when the order changes). */
  reset(): void {
    this.validPrefix = 0;
  }

  solve(seq: Int32Array, k: number): Outcome {
    const { M, words } = this;
    const MM = M * M;
    this.solves++;

    // Reuse the products of the longest common prefix with the previous sequence.
    let start = 0;
    const limit = Math.min(this.validPrefix, k);
    outer: while (start < limit) {
      const base = start * words;
      for (let w = 0; w < words; w++) if (seq[base + w] !== this.prevSeq[base + w]) break outer;
      start++;
    }
    this.steps += k - start;
    // Composed from prevSeq, which lies in the kernels' arena.
    const regions = this.prevSeq;
    for (let j = start; j < k; j++) {
      for (let w = 0; w < words; w++) regions[j * words + w] = seq[j * words + w];
      this.compose(regions, j);
    }
    this.validPrefix = k;

    // (I − F) z_1 = g
    const F = this.prefix;
    const off = (k - 1) * MM;
    const lu = this.lu;
    for (let i = 0; i < MM; i++) lu[i] = -F[off + i];
    for (let i = 0; i < M; i++) lu[i * M + i] += 1;
    const norm = normInf(lu, M);
    if (!this.kernels.luFactor(lu, M, this.piv, MIN_PIVOT_RTOL * norm)) return Outcome.Singular;
    luSolve(lu, M, this.piv, this.gpre.subarray((k - 1) * M, k * M), this.orbit);

    return this.checkOrbit(seq, k);
  }

  /**
   * After a virtual outcome: the regions of z_1, f(z_1), …, f^{k−1}(z_1) under the map itself,
   * into `newton`. Jumping there is Newton's method on f^k(z) = z (for a piecewise affine map,
   * one Newton step from z solves the affine piece of z's own orbit), which converges to a cycle
   * whatever its stability; the jump to `next` (the regions of each virtual point) is SCYFI's.
   * The two rules have different basins: cycles rare under one are often common under the other.
   */
  newtonStep(k: number): void {
    const { M, words, map, zB, uStep, newton } = this;
    let z = this.zA;
    let zn = zB;
    z.set(this.orbit.subarray(0, M));
    for (let j = 0; j < k; j++) {
      stepInto(map, z, 0, zn, 0, uStep, newton, j * words, words, this.stepSums);
      [z, zn] = [zn, z];
    }
  }

  /** prefix_{j+1} = J_{d_j} prefix_j (prefix_0 = I), and likewise the offset. */
  private compose(seq: Int32Array, j: number): void {
    this.composeAffine(seq, j);
    const clip = this.map.clip;
    if (!clip) return;
    // A unit clipped in region d_j has z'_i = its bound whatever z: a zero row and a constant offset.
    const { M, H, words } = this;
    const base = j * words;
    for (let i = 0; i < M; i++) {
      const lo = H + i;
      const hi = H + M + i;
      const atLo = (seq[base + (lo >>> 5)] >>> (lo & 31)) & 1;
      const atHi = (seq[base + (hi >>> 5)] >>> (hi & 31)) & 1;
      if (!atLo && !atHi) continue;
      const ro = j * M * M + i * M;
      for (let m = 0; m < M; m++) this.prefix[ro + m] = 0;
      this.gpre[j * M + i] = atLo ? clip.lo[i] : clip.hi[i];
    }
  }

  private composeAffine(seq: Int32Array, j: number): void {
    const { M, H, words, map, sel, diagA, active } = this;
    const MM = M * M;
    const { B, c, s0 } = map;
    const ao = j * H;
    const nActive = this.kernels.listActive(active, ao, seq, j * words, H);
    this.nActive[j] = nActive;

    const out = this.prefix;
    const o = j * MM;
    const g = this.gpre;
    const go = j * M;
    const p = (j - 1) * MM;
    const gp = (j - 1) * M;

    if (sel !== null && diagA !== null) {
      // J_d P = diag(a) P + Σ_{h∈d} B[:,h] P[sel h, :], without forming J_d.
      if (j === 0) {
        for (let i = 0; i < M; i++) {
          const ro = o + i * M;
          let gi = c[i];
          for (let m = 0; m < M; m++) out[ro + m] = 0;
          out[ro + i] = diagA[i];
          const bRow = i * H;
          for (let t = 0; t < nActive; t++) {
            const h = active[ao + t];
            const bih = B[bRow + h];
            gi += bih * s0[h];
            out[ro + sel[h]] += bih;
          }
          g[go + i] = gi;
        }
        return;
      }
      this.kernels.stepSelected(out, o, out, p, M, H, diagA, this.B, active, ao, nActive, sel);
      // The offset, its terms paired as the kernel pairs them.
      for (let i = 0; i < M; i++) {
        const bRow = i * H;
        let gi = c[i];
        gi += diagA[i] * g[gp + i];
        let t = 0;
        for (; t + 1 < nActive; t += 2) {
          const h1 = active[ao + t];
          const h2 = active[ao + t + 1];
          gi += B[bRow + h1] * (s0[h1] + g[gp + sel[h1]]) + B[bRow + h2] * (s0[h2] + g[gp + sel[h2]]);
        }
        if (t < nActive) {
          const h = active[ao + t];
          gi += B[bRow + h] * (s0[h] + g[gp + sel[h]]);
        }
        g[go + i] = gi;
      }
      return;
    }

    // General: [J_d | b_d] = [A | c] + Σ_{h∈d} B[:,h] [S[h,:] | s0[h]] in one kernel (terms with
    // B = 0 skipped), then copied out of its M×(M+1) layout.
    const J = j === 0 ? out.subarray(o, o + MM) : this.J;
    const b = j === 0 ? g.subarray(go, go + M) : this.bvec;
    const buf = this.kernels.buffers;
    const Jc = buf.Jc;
    this.kernels.formRegion(Jc, buf.Ac, buf.Bt, buf.Sc, M, active, ao, nActive);
    for (let i = 0; i < M; i++) {
      const ri = i * M;
      const rc = ri + i;
      for (let m = 0; m < M; m++) J[ri + m] = Jc[rc + m];
      b[i] = Jc[rc + M];
    }
    if (j === 0) return;
    this.kernels.multiplyRows(out, o, J, out, p, M);
    for (let i = 0; i < M; i++) {
      const ri = i * M;
      let gi = b[i];
      for (let l = 0; l < M; l++) {
        const jil = J[ri + l];
        if (jil !== 0) gi += jil * g[gp + l];
      }
      g[go + i] = gi;
    }
  }

  /**
   * Runs the candidate orbit through the affine pieces of its regions, records u_j and the
   * regions the points actually lie in, and decides self-consistency with CONSISTENCY_RTOL.
   */
  private checkOrbit(seq: Int32Array, k: number): Outcome {
    const { M, H, words, map, sel, diagA, orbit, u, y, next, rowAbsS, active } = this;
    const wordsH = Math.ceil(H / 32);
    const { A, s0, c, clip } = map;
    let zmax = 0;
    for (let j = 0; j < k; j++) {
      const zo = j * M;
      const uo = j * H;
      const base = j * words;
      for (let m = 0; m < M; m++) {
        const a = Math.abs(orbit[zo + m]);
        if (a > zmax) zmax = a;
      }
      // u = s0 + S z, then the regions the points lie in, two switches per compare.
      if (sel !== null) for (let h = 0; h < H; h++) u[uo + h] = s0[h] + orbit[zo + sel[h]];
      else this.kernels.affineRows(u, uo, this.STs0, H, M, orbit, zo);
      this.kernels.positiveBits(next, base, u, uo, H);
      for (let w = wordsH; w < words; w++) next[base + w] = 0;
      // z_{j+1} = A z_j + B (d_j ⊙ u_j) + c, with the regions of the sequence (their active
      // switches were listed when the sequence's products were composed).
      const ao = j * H;
      const nActive = this.nActive[j];
      const zn = zo + M;
      for (let i = 0; i < M; i++) {
        let v = c[i];
        if (diagA !== null) v += diagA[i] * orbit[zo + i];
        else {
          const ri = i * M;
          for (let m = 0; m < M; m++) v += A[ri + m] * orbit[zo + m];
        }
        orbit[zn + i] = v;
      }
      this.kernels.gatherAdd(orbit, zn, u, uo, this.kernels.buffers.Bt, M, active, ao, nActive);
      for (let i = 0; i < M; i++) {
        let v = orbit[zn + i];
        if (clip) {
          y[j * M + i] = v;
          const lo = H + i;
          const hi = H + M + i;
          if (v < clip.lo[i]) next[base + (lo >>> 5)] |= 1 << (lo & 31);
          else if (v > clip.hi[i]) next[base + (hi >>> 5)] |= 1 << (hi & 31);
          if ((seq[base + (lo >>> 5)] >>> (lo & 31)) & 1) v = clip.lo[i];
          else if ((seq[base + (hi >>> 5)] >>> (hi & 31)) & 1) v = clip.hi[i];
        }
        orbit[zn + i] = v;
      }
    }
    let consistent = true;
    for (let j = 0; j < k && consistent; j++) {
      const base = j * words;
      for (let w = 0; w < words; w++) {
        if (seq[base + w] === next[base + w]) continue;
        // Disagreeing bits are acceptable only within the tolerance of their border.
        const diff = seq[base + w] ^ next[base + w];
        for (let bit = 0; bit < 32; bit++) {
          if (!((diff >>> bit) & 1)) continue;
          const h = w * 32 + bit;
          if (h >= H && clip) {
            // A clip bit: y_i must lie within the tolerance of the bound it disagrees about.
            const i = (h - H) % M;
            const bound = h - H < M ? clip.lo[i] : clip.hi[i];
            const yi = y[j * M + i];
            const scale = Math.max(this.yOffsetScale[i] + this.yGainScale[i] * zmax, Math.abs(bound));
            if (Math.abs(yi - bound) > CONSISTENCY_RTOL * scale) {
              consistent = false;
              break;
            }
            continue;
          }
          const scale = Math.abs(s0[h]) + rowAbsS[h] * zmax;
          if (Math.abs(u[j * H + h]) > CONSISTENCY_RTOL * scale) {
            consistent = false;
            break;
          }
        }
        if (!consistent) break;
      }
    }
    return consistent ? Outcome.Consistent : Outcome.Virtual;
  }
}

/** The buffers of a CandidateSolver that the kernels work on. */
function kernelBuffers(M: number, H: number, maxOrder: number, words: number) {
  return {
    /** CandidateSolver.next, .newton and the last sequence solved. */
    next: ['i32', maxOrder * words],
    prevSeq: ['i32', maxOrder * words],
    newton: ['i32', maxOrder * words],
    prefix: ['f64', maxOrder * M * M],
    lu: ['f64', M * M],
    J: ['f64', M * M],
    B: ['f64', M * H],
    diag: ['f64', M],
    piv: ['i32', M],
    sel: ['i32', H],
    active: ['i32', maxOrder * H],
    /** S transposed with s0 as a last row ((M+1)×H); [S | s0] (H×(M+1)); B transposed (H×M). */
    STs0: ['f64', (M + 1) * H],
    Sc: ['f64', H * (M + 1)],
    Bt: ['f64', H * M],
    /** [A | c] and [J_d | b_d], M×(M+1). */
    Ac: ['f64', M * (M + 1)],
    Jc: ['f64', M * (M + 1)],
    orbit: ['f64', (maxOrder + 1) * M],
    u: ['f64', maxOrder * H],
    uStep: ['f64', H],
    zA: ['f64', M],
    zB: ['f64', M],
    /** 0, 1, …, H − 1: every switch; the switches on in a Newton step. */
    all: ['i32', H],
    stepActive: ['i32', H],
  } as const;
}

/** For each switch h, the one coordinate it reads when S's row h is a unit vector; else null. */
function selectionOf(map: PiecewiseAffineMap): Int32Array | null {
  const { M, H, S } = map;
  const sel = new Int32Array(H);
  for (let h = 0; h < H; h++) {
    let found = -1;
    for (let m = 0; m < M; m++) {
      const v = S[h * M + m];
      if (v === 0) continue;
      if (v !== 1 || found >= 0) return null;
      found = m;
    }
    if (found < 0) return null;
    sel[h] = found;
  }
  return sel;
}

function diagonalOf(A: Float64Array, M: number): Float64Array | null {
  const d = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    for (let m = 0; m < M; m++) if (m !== i && A[i * M + m] !== 0) return null;
    d[i] = A[i * M + i];
  }
  return d;
}
