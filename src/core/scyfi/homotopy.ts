import { PiecewiseAffineMap } from '../model/types';

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
  /** The cell: bit h of point j at j·H + h (1: u_jh > 0). */
  private readonly cell: Uint8Array;
  /** F_j = A + B D_j S at j·M², e_j = c + B D_j s0 at j·M. */
  private readonly F: Float64Array;
  private readonly e: Float64Array;
  private readonly g: Float64Array;
  /** The line of the current cell: z_j(s) = a_j + s·b_j. */
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly P: Float64Array;
  private readonly tmp: Float64Array;
  private readonly lu: Float64Array;
  private readonly piv: Int32Array;

  constructor(map: PiecewiseAffineMap, maxOrder: number, words: number) {
    const { M, H } = map;
    this.map = map;
    this.K = maxOrder;
    this.words = words;
    this.cell = new Uint8Array(maxOrder * H);
    this.F = new Float64Array(maxOrder * M * M);
    this.e = new Float64Array(maxOrder * M);
    this.g = new Float64Array(maxOrder * M);
    this.a = new Float64Array(maxOrder * M);
    this.b = new Float64Array(maxOrder * M);
    this.P = new Float64Array(M * M);
    this.tmp = new Float64Array(M * M);
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
  follow(k: number, x: Float64Array, g: Float64Array, dir: 1 | -1, maxSteps: number, onZero: (seq: Int32Array) => void): number {
    const { map, cell } = this;
    const { M, H, S, s0 } = map;
    if (k > this.K) throw new Error(`CycleHomotopy was made for orders up to ${this.K}, not ${k}`);
    this.g.set(g.subarray(0, k * M));
    for (let j = 0; j < k; j++) {
      for (let h = 0; h < H; h++) cell[j * H + h] = this.switchValue(x, j, h) > 0 ? 1 : 0;
      this.affine(j);
    }
    // The start is at s = 0; the first line's travel goes away from it, whichever way dir says.
    let s = 0;
    let last = -1;
    for (let step = 0; step < maxSteps; step++) {
      if (!this.line(k)) return step;
      if (last >= 0) {
        // Into the new cell: travel so that the crossed switch moves to its new side.
        const j = Math.floor(last / H);
        const h = last - j * H;
        let beta = 0;
        for (let m = 0; m < M; m++) beta += S[h * M + m] * this.b[j * M + m];
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
          let alpha = s0[h];
          let beta = 0;
          for (let m = 0; m < M; m++) {
            alpha += S[h * M + m] * this.a[j * M + m];
            beta += S[h * M + m] * this.b[j * M + m];
          }
          const du = beta * dir;
          if (cell[idx] ? du >= 0 : du <= 0) continue;
          const t = -(alpha + beta * s) / du;
          if (t >= 0 && t < best) {
            best = t;
            which = idx;
          }
        }
      }
      if (s * dir < 0 && Math.abs(s) <= best) onZero(this.pack(k));
      if (which < 0) return step;
      s += dir * best;
      cell[which] ^= 1;
      this.affine(Math.floor(which / H));
      last = which;
    }
    return maxSteps;
  }

  private switchValue(x: Float64Array, j: number, h: number): number {
    const { M, S, s0 } = this.map;
    let u = s0[h];
    for (let m = 0; m < M; m++) u += S[h * M + m] * x[j * M + m];
    return u;
  }

  /** F_j and e_j of point j's region. */
  private affine(j: number): void {
    const { M, H, A, B, S, s0, c } = this.map;
    const F = this.F;
    const o = j * M * M;
    F.set(A, o);
    this.e.set(c, j * M);
    for (let h = 0; h < H; h++) {
      if (!this.cell[j * H + h]) continue;
      for (let i = 0; i < M; i++) {
        const bih = B[i * H + h];
        if (bih === 0) continue;
        this.e[j * M + i] += bih * s0[h];
        for (let m = 0; m < M; m++) F[o + i * M + m] += bih * S[h * M + m];
      }
    }
  }

  /**
   * The current cell's line: z_{j+1} = F_j z_j + e_j − s g_j around the cycle. With the products
   * P_j = F_{j−1} ⋯ F_1 and offsets o_j, z_1 solves (I − P_{k+1}) z_1 = o_{k+1}; false when that
   * matrix is singular (the curve ends).
   */
  private line(k: number): boolean {
    const { M } = this.map;
    const { P, tmp, a, b, F, e, g } = this;
    P.fill(0);
    for (let i = 0; i < M; i++) P[i * M + i] = 1;
    // a_j, b_j hold the offsets o_j first (o_1 = 0), then the points.
    a.fill(0, 0, M);
    b.fill(0, 0, M);
    for (let j = 0; j < k; j++) {
      const o = j * M * M;
      const next = ((j + 1) % k) * M;
      const ao = new Float64Array(M);
      const bo = new Float64Array(M);
      for (let i = 0; i < M; i++) {
        let sa = e[j * M + i];
        let sb = -g[j * M + i];
        for (let m = 0; m < M; m++) {
          sa += F[o + i * M + m] * a[j * M + m];
          sb += F[o + i * M + m] * b[j * M + m];
        }
        ao[i] = sa;
        bo[i] = sb;
      }
      // P ← F_j P
      for (let i = 0; i < M; i++) {
        for (let m = 0; m < M; m++) {
          let v = 0;
          for (let r = 0; r < M; r++) v += F[o + i * M + r] * P[r * M + m];
          tmp[i * M + m] = v;
        }
      }
      P.set(tmp);
      if (j + 1 < k) {
        a.set(ao, next);
        b.set(bo, next);
      } else {
        // z_1 = (I − P)^{-1} o_{k+1}
        if (!this.factor()) return false;
        this.back(ao);
        this.back(bo);
        a.set(ao, 0);
        b.set(bo, 0);
      }
    }
    // z_{j+1} = F_j z_j + e_j − s g_j, both parts.
    for (let j = 0; j + 1 < k; j++) {
      const o = j * M * M;
      for (let i = 0; i < M; i++) {
        let sa = e[j * M + i];
        let sb = -g[j * M + i];
        for (let m = 0; m < M; m++) {
          sa += F[o + i * M + m] * a[j * M + m];
          sb += F[o + i * M + m] * b[j * M + m];
        }
        a[(j + 1) * M + i] = sa;
        b[(j + 1) * M + i] = sb;
      }
    }
    return true;
  }

  /** LU of I − P with partial pivoting into lu/piv; false when a pivot vanishes. */
  private factor(): boolean {
    const { M } = this.map;
    const { lu, piv, P } = this;
    for (let i = 0; i < M * M; i++) lu[i] = -P[i];
    for (let i = 0; i < M; i++) lu[i * M + i] += 1;
    let scale = 0;
    for (let i = 0; i < M * M; i++) scale = Math.max(scale, Math.abs(lu[i]));
    for (let c = 0; c < M; c++) {
      let p = c;
      let best = Math.abs(lu[c * M + c]);
      for (let r = c + 1; r < M; r++) {
        const v = Math.abs(lu[r * M + c]);
        if (v > best) {
          best = v;
          p = r;
        }
      }
      if (!(best > SINGULAR_RTOL * scale)) return false;
      piv[c] = p;
      if (p !== c) {
        for (let m = 0; m < M; m++) {
          const t = lu[c * M + m];
          lu[c * M + m] = lu[p * M + m];
          lu[p * M + m] = t;
        }
      }
      const d = lu[c * M + c];
      for (let r = c + 1; r < M; r++) {
        const f = (lu[r * M + c] /= d);
        if (f === 0) continue;
        for (let m = c + 1; m < M; m++) lu[r * M + m] -= f * lu[c * M + m];
      }
    }
    return true;
  }

  private back(v: Float64Array): void {
    const { M } = this.map;
    const { lu, piv } = this;
    // factor() swapped whole rows (multipliers included): the swaps first, then L, then U.
    for (let c = 0; c < M; c++) {
      const p = piv[c];
      if (p === c) continue;
      const t = v[c];
      v[c] = v[p];
      v[p] = t;
    }
    for (let c = 0; c < M; c++) for (let r = c + 1; r < M; r++) v[r] -= lu[r * M + c] * v[c];
    for (let r = M - 1; r >= 0; r--) {
      let x = v[r];
      for (let m = r + 1; m < M; m++) x -= lu[r * M + m] * v[m];
      v[r] = x / lu[r * M + r];
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
