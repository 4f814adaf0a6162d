import type { Highs, Model } from 'highs';
import { PiecewiseAffineMap } from '../model/types';
import { regionBits } from '../model/evaluate';
import { wordsPerRegion } from '../scyfi/sequence';
import { PropagatedBounds } from './bounds';

/**
 * HiGHS feasibility tolerances (primal rows and integrality). Tighter than HiGHS's defaults
 * (1e-7, 1e-6), so that a binary within tolerance of 0 lets its ReLU value stray by at most
 * 1e-9 · U; the solution is re-solved exactly anyway, the tolerance only limits how often the
 * MILP returns a point the exact solve then rejects.
 */
export const MILP_FEASIBILITY_TOL = 1e-9;

export type SolveStatus = 'feasible' | 'infeasible' | 'timeout' | 'interrupted' | 'failed';

export interface SolveOutcome {
  status: SolveStatus;
  nodes: number;
  /** For failed: the solver's model status. */
  detail?: string;
}

/** One region bit of one point: the binary column it reads, and whether the bit is 1 − column. */
interface BitColumn {
  col: number;
  invert: boolean;
}

interface Row {
  cols: number[];
  vals: number[];
  lower: number;
  upper: number;
}

/**
 * The cycle conditions of order k as a mixed-integer linear feasibility problem in one
 * persistent HiGHS model, to which no-good cuts are added as rows:
 *
 *   z_j ∈ box (j = 1..k),  u_jh = S_h z_j + s0_h,  r_jh = relu(u_jh) with binary d_jh:
 *     r ≥ u,  r ≥ 0,  r ≤ u − L_h (1 − d),  r ≤ U_h d          (L_h ≤ u ≤ U_h over the box)
 *   y_j = A z_j + B r_j + c,  z_{j+1} = clip(y_j) (z_{k+1} = z_1)
 *
 * With an output clip, clip(y) = min(max(y, lo), hi) is two more ReLUs per clipped unit:
 * w = lo + relu(y − lo) (binary p = [y ≥ lo]) and z' = w − relu(w − hi) (binary q = [w ≥ hi]).
 * A switch whose bounds have one sign has its binary fixed. The region bits of the engine are
 * d (switches), 1 − p (clipped low) and q (clipped high). Rotations are broken by z_11 ≤ z_j1.
 */
export class CycleMilp {
  readonly k: number;
  private readonly model: Model;
  private readonly highs: Highs;
  private readonly nBits: number;
  private readonly words: number;
  /** bitCols[j][b]: the column of region bit b of point j; undefined where the bit is always 0. */
  private readonly bitCols: (BitColumn | undefined)[][];
  private readonly colLower: number[] = [];
  private readonly colUpper: number[] = [];
  private readonly zCols: number[];
  /** Set when a cut left no pattern at all: the problem is infeasible without solving. */
  private exhausted = false;
  private disposed = false;

  constructor(highs: Highs, map: PiecewiseAffineMap, k: number, bounds: PropagatedBounds) {
    this.highs = highs;
    this.k = k;
    this.nBits = regionBits(map);
    this.words = wordsPerRegion(this.nBits);
    const { M, H, A, B, S, s0, c, clip } = map;
    const integer: number[] = [];
    const rows: Row[] = [];
    const addCol = (lo: number, hi: number, binary = false): number => {
      this.colLower.push(lo);
      this.colUpper.push(hi);
      const idx = this.colLower.length - 1;
      if (binary) integer.push(idx);
      return idx;
    };
    /** x = relu(e), e = Σ coef·col + e0 with L ≤ e ≤ U; returns [x, δ]. */
    const relu = (cols: number[], vals: number[], e0: number, L: number, U: number): [number, number] => {
      const fixed = L >= 0 && U > 0 ? 1 : U <= 0 ? 0 : -1;
      const d = fixed < 0 ? addCol(0, 1, true) : addCol(fixed, fixed, true);
      const x = addCol(Math.max(0, L), Math.max(0, U));
      const neg = vals.map((v) => -v);
      rows.push({ cols: [x, ...cols], vals: [1, ...neg], lower: e0, upper: Infinity }); // x ≥ e
      rows.push({ cols: [x, ...cols, d], vals: [1, ...neg, -L], lower: -Infinity, upper: e0 - L }); // x ≤ e − L (1 − δ)
      rows.push({ cols: [x, d], vals: [1, -U], lower: -Infinity, upper: 0 }); // x ≤ U δ
      return [x, d];
    };

    this.zCols = [];
    for (let j = 0; j < k; j++) for (let m = 0; m < M; m++) this.zCols.push(addCol(bounds.z.lo[m], bounds.z.hi[m]));
    const z = (j: number, m: number) => this.zCols[(j % k) * M + m];
    this.bitCols = [];
    for (let j = 0; j < k; j++) {
      const bits: (BitColumn | undefined)[] = new Array(this.nBits).fill(undefined);
      const r: number[] = [];
      for (let h = 0; h < H; h++) {
        const cols: number[] = [];
        const vals: number[] = [];
        for (let m = 0; m < M; m++) {
          const v = S[h * M + m];
          if (v !== 0) {
            cols.push(z(j, m));
            vals.push(v);
          }
        }
        const [x, d] = relu(cols, vals, s0[h], bounds.u.lo[h], bounds.u.hi[h]);
        r.push(x);
        bits[h] = { col: d, invert: false };
      }
      for (let i = 0; i < M; i++) {
        // y = A_i z_j + B_i r_j + c_i as coefficients over columns.
        const cols: number[] = [];
        const vals: number[] = [];
        for (let m = 0; m < M; m++) {
          const v = A[i * M + m];
          if (v !== 0) {
            cols.push(z(j, m));
            vals.push(v);
          }
        }
        for (let h = 0; h < H; h++) {
          const v = B[i * H + h];
          if (v !== 0) {
            cols.push(r[h]);
            vals.push(v);
          }
        }
        const next = z(j + 1, i);
        const lo = clip ? clip.lo[i] : -Infinity;
        const hi = clip ? clip.hi[i] : Infinity;
        if (!Number.isFinite(lo) && !Number.isFinite(hi)) {
          // z_{j+1,i} − y = c_i
          rows.push({ cols: [next, ...cols], vals: [1, ...vals.map((v) => -v)], lower: c[i], upper: c[i] });
          continue;
        }
        const yLo = bounds.y!.lo[i];
        const yHi = bounds.y!.hi[i];
        const y = addCol(yLo, yHi);
        rows.push({ cols: [y, ...cols], vals: [1, ...vals.map((v) => -v)], lower: c[i], upper: c[i] });
        // w = max(y, lo): as lo + a with a = relu(y − lo), or y itself.
        let wCols = [y];
        let wVals = [1];
        let w0 = 0;
        let wLo = yLo;
        let wHi = yHi;
        if (Number.isFinite(lo)) {
          const [a, p] = relu([y], [1], -lo, yLo - lo, yHi - lo);
          bits[map.H + i] = { col: p, invert: true };
          wCols = [a];
          wVals = [1];
          w0 = lo;
          wLo = Math.max(yLo, lo);
          wHi = Math.max(yHi, lo);
        }
        if (Number.isFinite(hi)) {
          const [b, q] = relu(wCols, wVals, w0 - hi, wLo - hi, wHi - hi);
          bits[map.H + M + i] = { col: q, invert: false };
          // z' = w − b
          rows.push({ cols: [next, ...wCols, b], vals: [1, ...wVals.map((v) => -v), 1], lower: w0, upper: w0 });
        } else {
          rows.push({ cols: [next, ...wCols], vals: [1, ...wVals.map((v) => -v)], lower: w0, upper: w0 });
        }
      }
      this.bitCols.push(bits);
    }

    // Symmetry: every cycle has a rotation whose first point has the smallest first coordinate,
    // so z_11 ≤ z_j1 for all j loses no cycle and spares the search the k − 1 other rotations.
    for (let j = 1; j < k; j++) rows.push({ cols: [z(0, 0), z(j, 0)], vals: [1, -1], lower: -Infinity, upper: 0 });

    this.model = highs.createModel();
    try {
      this.model.options.set({
        output_flag: false,
        primal_feasibility_tolerance: MILP_FEASIBILITY_TOL,
        mip_feasibility_tolerance: MILP_FEASIBILITY_TOL,
      });
      this.model.addVars(Float64Array.from(this.colLower), Float64Array.from(this.colUpper));
      if (integer.length > 0) {
        this.model.changeColsIntegrality(
          { kind: 'set', indices: Int32Array.from(integer) },
          new Int32Array(integer.length).fill(highs.constants.variableType.integer),
        );
      }
      this.addRows(rows);
    } catch (e) {
      this.model.dispose();
      throw e;
    }
  }

  private addRows(rows: Row[]): void {
    const starts = new Int32Array(rows.length + 1);
    let nnz = 0;
    for (let i = 0; i < rows.length; i++) {
      nnz += rows[i].cols.length;
      starts[i + 1] = nnz;
    }
    const indices = new Int32Array(nnz);
    const values = new Float64Array(nnz);
    let p = 0;
    for (let i = 0; i < rows.length; i++) {
      // A column may appear twice (z_{j+1} = z_j at k = 1): its coefficients add up.
      const merged = new Map<number, number>();
      const row = rows[i];
      for (let t = 0; t < row.cols.length; t++) merged.set(row.cols[t], (merged.get(row.cols[t]) ?? 0) + row.vals[t]);
      for (const [col, v] of merged) {
        if (v === 0) continue;
        indices[p] = col;
        values[p] = v;
        p++;
      }
      starts[i + 1] = p;
    }
    this.model.addRows({
      lower: Float64Array.from(rows, (r) => r.lower),
      upper: Float64Array.from(rows, (r) => r.upper),
      matrix: { format: 'csr', numRows: rows.length, numCols: this.colLower.length, starts, indices: indices.slice(0, p), values: values.slice(0, p) },
    });
  }

  /**
   * Cuts off one region pattern (packed as the engine packs sequences: k regions of `words`
   * words): Σ_{b: t_b = 0} x_b + Σ_{b: t_b = 1} (1 − x_b) ≥ 1 over the free binaries. A pattern
   * the model cannot take anyway (a bit with no column, a fixed binary of the other value)
   * needs no cut.
   */
  cut(seq: Int32Array): void {
    const cols: number[] = [];
    const vals: number[] = [];
    let ones = 0;
    for (let j = 0; j < this.k; j++) {
      for (let b = 0; b < this.nBits; b++) {
        const bit = (seq[j * this.words + (b >>> 5)] >>> (b & 31)) & 1;
        const bc = this.bitCols[j][b];
        if (!bc) {
          if (bit) return;
          continue;
        }
        const target = bc.invert ? 1 - bit : bit;
        if (this.colLower[bc.col] === this.colUpper[bc.col]) {
          if (this.colLower[bc.col] !== target) return;
          continue;
        }
        cols.push(bc.col);
        vals.push(target ? -1 : 1);
        if (target) ones++;
      }
    }
    if (cols.length === 0) {
      this.exhausted = true;
      return;
    }
    this.model.addRow(1 - ones, Infinity, { indices: Int32Array.from(cols), values: Float64Array.from(vals) });
  }

  /**
   * Solves to the first feasible point (the objective is 0) or a proof of infeasibility.
   * `deadline` (performance.now() milliseconds) becomes HiGHS's time limit; `isCancelled` is
   * polled from HiGHS's interrupt callbacks.
   */
  solve(deadline: number, isCancelled: () => boolean): SolveOutcome {
    if (this.exhausted) return { status: 'infeasible', nodes: 0 };
    const remaining = (deadline - performance.now()) / 1000;
    if (!(remaining > 0)) return { status: 'timeout', nodes: 0 };
    const { modelStatus, callbackType } = this.highs.constants;
    this.model.zeroAllClocks();
    this.model.options.set('time_limit', remaining);
    let cancelled = false;
    let late = false;
    const check = (event: { interrupt(): void }): undefined => {
      if (isCancelled()) cancelled = true;
      else if (performance.now() > deadline) late = true;
      else return undefined;
      event.interrupt();
      return undefined;
    };
    let status: number;
    try {
      status = this.model.run({ [callbackType.mipInterrupt]: check, [callbackType.simplexInterrupt]: check }).modelStatus;
    } catch (e) {
      // HiGHS ends with an error status on numerical trouble (e.g. bounds of 1e12): not proven.
      return { status: 'failed', nodes: 0, detail: e instanceof Error ? e.message : String(e) };
    }
    let nodes = 0;
    try {
      nodes = Number(this.model.info.get('mip_node_count'));
    } catch {
      // not a MIP run (every binary fixed): no nodes
    }
    if (!Number.isFinite(nodes) || nodes < 0) nodes = 0;
    switch (status) {
      case modelStatus.optimal:
        return { status: 'feasible', nodes };
      case modelStatus.infeasible:
      // Every column is bounded and the objective is 0, so the model cannot be unbounded.
      // falls through
      case modelStatus.unboundedOrInfeasible:
        return { status: 'infeasible', nodes };
      case modelStatus.timeLimit:
        return { status: 'timeout', nodes };
      case modelStatus.interrupted:
        return { status: cancelled ? 'interrupted' : late ? 'timeout' : 'interrupted', nodes };
      default:
        return { status: 'failed', nodes, detail: `HiGHS model status ${status}` };
    }
  }

  /** The region pattern of the last solution, packed like the engine's sequences. */
  pattern(): Int32Array {
    const x = this.model.getSolution().colValue;
    const seq = new Int32Array(this.k * this.words);
    for (let j = 0; j < this.k; j++) {
      for (let b = 0; b < this.nBits; b++) {
        const bc = this.bitCols[j][b];
        if (!bc) continue;
        const v = x[bc.col] > 0.5 ? 1 : 0;
        if ((bc.invert ? 1 - v : v) === 1) seq[j * this.words + (b >>> 5)] |= 1 << (b & 31);
      }
    }
    return seq;
  }

  /** z_1 … z_k of the last solution, k·M values. */
  points(): Float64Array {
    const x = this.model.getSolution().colValue;
    return Float64Array.from(this.zCols, (c) => x[c]);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }
}
