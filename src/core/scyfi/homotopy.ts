import { PiecewiseAffineMap } from '../model/types';
import { luFactor, luSolve } from '../linalg/lu';

/**
 * Continuation along the residual curve of the k-cycle conditions, cell by cell (the piecewise-
 * linear homotopy of Katzenelson's method for PL equations).
 *
 * For k points x = (z_1, …, z_k) let G_j(x) = f(z_j) − z_{j+1} (z_{k+1} = z_1); the k-cycles are
 * the zeros of G. For a direction g, the points with G(x) = s·g for some real s form curves. In a
 * cell (one region per point) G is affine, so the curve is a straight line x(s) = a + s·b there;
 * it leaves the cell where a switch u_jh = S_h z_j + s0_h changes sign, and goes on in the cell
 * across that one border. Every crossing of s = 0 is a zero of G: a cycle, whose region sequence
 * is the cell's. Started at a known cycle (s = 0) with a random g, the curve runs from one cycle
 * to the next; it reaches isolated saddle cycles that restarts of SCYFI's jumps almost never end
 * at (bench/RESULTS.md, "Seed robustness, sixth pass").
 *
 * Maps with an output clip are not followed (their clipped rows would need borders of y too).
 */
export class CycleHomotopy {
  private readonly map: PiecewiseAffineMap;
  private readonly K: number;
  private readonly words: number;
  /** The nonzeros of each row of S: columns sCol[sStart[h]..sStart[h+1]), values sVal. */
  private readonly sStart: Int32Array;
  private readonly sCol: Int32Array;
  private readonly sVal: Float64Array;
  /** The cell: bit h of point j at j·H + h (1: u_jh > 0). */
  private readonly cell: Uint8Array;
  /** F_j = A + B D_j S at j·M², e_j = c + B D_j s0 at j·M. */
  private readonly F: Float64Array;
  private readonly e: Float64Array;
  private readonly g: Float64Array;
  /** P_j = F_{j−1} ⋯ F_0 at j·M² (P_0 = I), j = 0..k. */
  private readonly P: Float64Array;
  /** The line of the current cell: z_j(s) = a_j + s·b_j. */
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  /** Scratch vectors of length M. */
  private readonly v: Float64Array;
  private readonly w: Float64Array;
  private readonly ta: Float64Array;
  private readonly tb: Float64Array;
  private readonly lu: Float64Array;
  private readonly piv: Int32Array;

  constructor(map: PiecewiseAffineMap, maxOrder: number, words: number) {
    const { M, H, S } = map;
    this.map = map;
    this.K = maxOrder;
    this.words = words;
    this.sStart = new Int32Array(H + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let h = 0; h < H; h++) {
      for (let m = 0; m < M; m++) {
        if (S[h * M + m] === 0) continue;
        cols.push(m);
        vals.push(S[h * M + m]);
      }
      this.sStart[h + 1] = cols.length;
    }
    this.sCol = Int32Array.from(cols);
    this.sVal = Float64Array.from(vals);
    this.cell = new Uint8Array(maxOrder * H);
    this.F = new Float64Array(maxOrder * M * M);
    this.e = new Float64Array(maxOrder * M);
    this.g = new Float64Array(maxOrder * M);
    this.P = new Float64Array((maxOrder + 1) * M * M);
    this.a = new Float64Array(maxOrder * M);
    this.b = new Float64Array(maxOrder * M);
    this.v = new Float64Array(M);
    this.w = new Float64Array(M);
    this.ta = new Float64Array(M);
    this.tb = new Float64Array(M);
    this.lu = new Float64Array(M * M);
    this.piv = new Int32Array(M);
  }

  /** False for maps this class does not follow (an output clip). */
  static supports(map: PiecewiseAffineMap): boolean {
    return map.clip === undefined;
  }

  /**
   * Follows the curve through the k points `x` (k·M values, a cycle: G(x) = 0) along G = s·g,
   * starting towards s·dir > 0, for at most `maxSteps` border crossings. Calls `onZero` with the
   * packed region sequence (k regions of `words` words, bit h = [u_h > 0]) of each further
   * crossing of s = 0. Returns the crossings made.
   */
  follow(k: number, x: Float64Array, g: Float64Array, dir: 1 | -1, maxSteps: number, onZero: (seq: Int32Array, step: number) => void): number {
    const { map, cell, a, b } = this;
    const { M, H, s0 } = map;
    if (k > this.K) throw new Error(`CycleHomotopy was made for orders up to ${this.K}, not ${k}`);
    this.g.set(g.subarray(0, k * M));
    for (let j = 0; j < k; j++) {
      for (let h = 0; h < H; h++) cell[j * H + h] = this.rowDot(h, x, j * M) + s0[h] > 0 ? 1 : 0;
      this.affine(j);
    }
    this.products(k);
    // The start is at s = 0; the first line's travel goes away from it, whichever way dir says.
    let s = 0;
    let last = -1;
    for (let step = 0; step < maxSteps; step++) {
      if (!this.line(k)) return step;
      if (last >= 0) {
        // Into the new cell: travel so that the crossed switch moves to its new side.
        const j = Math.floor(last / H);
        const beta = this.rowDot(last - j * H, b, j * M);
        if (beta === 0) return step;
        dir = ((cell[last] ? 1 : -1) * Math.sign(beta)) as 1 | -1;
      }
      // The nearest border ahead: u = α + β s with the switch's side about to be left.
      let best = Infinity;
      let which = -1;
      for (let j = 0; j < k; j++) {
        for (let h = 0; h < H; h++) {
          const idx = j * H + h;
          if (idx === last) continue;
          const du = this.rowDot(h, b, j * M) * dir;
          if (cell[idx] ? du >= 0 : du <= 0) continue;
          const t = -(this.rowDot(h, a, j * M) + s0[h] + (du * dir) * s) / du;
          if (t >= 0 && t < best) {
            best = t;
            which = idx;
          }
        }
      }
      if (s * dir < 0 && Math.abs(s) <= best) onZero(this.pack(k), step);
      if (which < 0) return step;
      s += dir * best;
      cell[which] ^= 1;
      this.flip(k, which);
      last = which;
    }
    return maxSteps;
  }

  /** S_h · x[o..o+M). */
  private rowDot(h: number, x: Float64Array, o: number): number {
    let u = 0;
    for (let p = this.sStart[h]; p < this.sStart[h + 1]; p++) u += this.sVal[p] * x[o + this.sCol[p]];
    return u;
  }

  /** F_j and e_j of point j's region. */
  private affine(j: number): void {
    const { M, H, A, c } = this.map;
    this.F.set(A, j * M * M);
    this.e.set(c, j * M);
    for (let h = 0; h < H; h++) if (this.cell[j * H + h]) this.addSwitch(j, h, 1);
  }

  /** F_j += σ B_h S_h, e_j += σ B_h s0_h. */
  private addSwitch(j: number, h: number, sigma: number): void {
    const { M, H, B, s0 } = this.map;
    const o = j * M * M;
    for (let i = 0; i < M; i++) {
      const bih = sigma * B[i * H + h];
      if (bih === 0) continue;
      this.e[j * M + i] += bih * s0[h];
      for (let p = this.sStart[h]; p < this.sStart[h + 1]; p++) this.F[o + i * M + this.sCol[p]] += bih * this.sVal[p];
    }
  }

  /** P_0 = I, P_{j+1} = F_j P_j. */
  private products(k: number): void {
    const { M } = this.map;
    const { P, F } = this;
    const MM = M * M;
    P.fill(0, 0, MM);
    for (let i = 0; i < M; i++) P[i * M + i] = 1;
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < M; i++) {
        for (let m = 0; m < M; m++) {
          let v = 0;
          for (let r = 0; r < M; r++) v += F[j * MM + i * M + r] * P[j * MM + r * M + m];
          P[(j + 1) * MM + i * M + m] = v;
        }
      }
    }
  }

  /**
   * Switch `idx` (point j, switch h) has just flipped: F_j changes by ±B_h S_h, a rank-one
   * change, so every later product changes by a rank-one term too:
   * P_{i+1} += σ v_i w (i ≥ j), with w = S_h P_j and v_j = B_h, v_{i+1} = F_{i+1} v_i.
   */
  private flip(k: number, idx: number): void {
    const { M, H, B } = this.map;
    const { P, F, v, w } = this;
    const MM = M * M;
    const j = Math.floor(idx / H);
    const h = idx - j * H;
    const sigma = this.cell[idx] ? 1 : -1;
    this.addSwitch(j, h, sigma);
    for (let m = 0; m < M; m++) {
      let x = 0;
      for (let p = this.sStart[h]; p < this.sStart[h + 1]; p++) x += this.sVal[p] * P[j * MM + this.sCol[p] * M + m];
      w[m] = sigma * x;
    }
    for (let i = 0; i < M; i++) v[i] = B[i * H + h];
    for (let t = j; t < k; t++) {
      const o = (t + 1) * MM;
      for (let i = 0; i < M; i++) {
        const vi = v[i];
        if (vi !== 0) for (let m = 0; m < M; m++) P[o + i * M + m] += vi * w[m];
      }
      if (t + 1 < k) {
        // v ← F_{t+1} v
        const next = this.ta;
        for (let i = 0; i < M; i++) {
          let x = 0;
          for (let r = 0; r < M; r++) x += F[(t + 1) * MM + i * M + r] * v[r];
          next[i] = x;
        }
        v.set(next);
      }
    }
  }

  /**
   * The current cell's line: z_{j+1} = F_j z_j + e_j − s g_j around the cycle. With the offsets
   * o_1 = 0, o_{j+1} = F_j o_j + (e_j or −g_j), z_1 solves (I − P_k) z_1 = o_{k+1}; false when
   * that matrix is singular (the curve ends).
   */
  private line(k: number): boolean {
    const { M } = this.map;
    const { a, b, v: oa, w: ob, ta, tb, lu, piv } = this;
    const MM = M * M;
    oa.fill(0);
    ob.fill(0);
    for (let j = 0; j < k; j++) {
      this.advance(j, oa, 0, ob, 0, ta, 0, tb, 0);
      oa.set(ta);
      ob.set(tb);
    }
    // I − P_k
    const P = this.P;
    let scale = 0;
    for (let t = 0; t < MM; t++) {
      lu[t] = (t % (M + 1) === 0 ? 1 : 0) - P[k * MM + t];
      scale = Math.max(scale, Math.abs(lu[t]));
    }
    if (!luFactor(lu, M, piv, SINGULAR_RTOL * scale)) return false;
    luSolve(lu, M, piv, oa, ta);
    luSolve(lu, M, piv, ob, tb);
    a.set(ta, 0);
    b.set(tb, 0);
    for (let j = 0; j + 1 < k; j++) this.advance(j, a, j * M, b, j * M, a, (j + 1) * M, b, (j + 1) * M);
    return true;
  }

  /** One step of both parts of the line: out_a = F_j in_a + e_j and out_b = F_j in_b − g_j. */
  private advance(j: number, ia: Float64Array, iao: number, ib: Float64Array, ibo: number, oa: Float64Array, oao: number, ob: Float64Array, obo: number): void {
    const { M } = this.map;
    const { F, e, g } = this;
    const o = j * M * M;
    for (let i = 0; i < M; i++) {
      let sa = e[j * M + i];
      let sb = -g[j * M + i];
      for (let m = 0; m < M; m++) {
        const f = F[o + i * M + m];
        sa += f * ia[iao + m];
        sb += f * ib[ibo + m];
      }
      oa[oao + i] = sa;
      ob[obo + i] = sb;
    }
  }

  private pack(k: number): Int32Array {
    const { H } = this.map;
    const seq = new Int32Array(k * this.words);
    for (let j = 0; j < k; j++) for (let h = 0; h < H; h++) if (this.cell[j * H + h]) seq[j * this.words + (h >>> 5)] |= 1 << (h & 31);
    return seq;
  }
}

/** A pivot below this fraction of I − P's largest entry ends the curve (the cell's cycle is not isolated). */
export const SINGULAR_RTOL = 1e-12;

/** n standard normal values into out (Box–Muller on the generator's uniforms). */
export function randomDirection(rng: { nextFloat(): number }, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const u = Math.max(rng.nextFloat(), 1e-300);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
  }
}
