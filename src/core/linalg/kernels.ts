import { luFactor } from './lu';
import { combineRows } from './dots';
import { KERNELS_WASM_BASE64 } from './kernelsWasm';

/**
 * The cycle search's kernels (one step of a k-step product, J · P, LU factorisation; the sums
 * over the switches of a general map: u = S z + s0, B u over a region's switches, [J_d | b_d];
 * the region bits and ReLU of u and the list of a region's active switches), in WebAssembly SIMD
 * where the runtime has it and in plain loops otherwise. Both compute the same operations on
 * each element in the same order, so their results are bitwise the same
 * (test/unit/linalg/wasmKernels.test.ts); the WebAssembly ones take a tenth to a third of the
 * time (bench/RESULTS.md). The buffers the kernels work on are views into one arena,
 * the WebAssembly memory when there is one.
 */

export type BufferSpec = Record<string, readonly ['f64' | 'i32', number]>;
export type Buffers<T extends BufferSpec> = { [K in keyof T]: T[K][0] extends 'f64' ? Float64Array : Int32Array };

interface WasmExports {
  memory: WebAssembly.Memory;
  stepSelected(out: number, P: number, M: number, H: number, diag: number, B: number, active: number, nActive: number, sel: number): void;
  multiplyRows(out: number, J: number, P: number, M: number): void;
  luFactor(a: number, n: number, piv: number, minPivot: number): number;
  affineRows(out: number, ST: number, H: number, M: number, z: number): void;
  gatherAdd(out: number, x: number, Bt: number, M: number, idx: number, count: number): void;
  formRegion(out: number, init: number, Bt: number, Sc: number, M: number, active: number, nActive: number): void;
  positiveBits(out: number, u: number, n: number): void;
  rectify(u: number, n: number): void;
  listActive(out: number, bits: number, H: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels, or null when this runtime cannot run them (no WebAssembly SIMD). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (ch) => ch.charCodeAt(0));
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

function outside(): never {
  throw new Error('KernelArena: an array outside the arena was given to a kernel');
}

/** True when the WebAssembly kernels can run here. */
export function wasmKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

const ALIGN = 16;
const PAGE = 65536;

/**
 * Buffers for the kernels and the kernels that work on them. Every array given to a kernel must
 * be one of `buffers` (or a view into one); offsets are in elements, as in the plain loops.
 */
export class KernelArena<T extends BufferSpec> {
  readonly buffers: Buffers<T>;
  /** Whether the kernels run in WebAssembly (false: the plain loops). */
  readonly wasm: boolean;
  private readonly exports: WasmExports | null;
  private readonly memory: ArrayBuffer;

  constructor(spec: T, useWasm: boolean = wasmKernelsAvailable()) {
    const module = useWasm ? kernelModule() : null;
    if (useWasm && !module) throw new Error('WebAssembly SIMD kernels are not available on this runtime');
    let bytes = 0;
    const offsets: Record<string, number> = {};
    for (const [name, [, n]] of Object.entries(spec)) {
      offsets[name] = bytes;
      bytes += Math.ceil((n * 8) / ALIGN) * ALIGN;
    }
    let buffer: ArrayBuffer;
    if (module) {
      this.exports = new WebAssembly.Instance(module).exports as unknown as WasmExports;
      const memory = this.exports.memory;
      const needed = Math.ceil(Math.max(bytes, 1) / PAGE) - memory.buffer.byteLength / PAGE;
      if (needed > 0) memory.grow(needed);
      buffer = memory.buffer;
    } else {
      this.exports = null;
      buffer = new ArrayBuffer(bytes);
    }
    const views: Record<string, Float64Array | Int32Array> = {};
    for (const [name, [type, n]] of Object.entries(spec)) {
      views[name] = type === 'f64' ? new Float64Array(buffer, offsets[name], n) : new Int32Array(buffer, offsets[name], n);
    }
    this.buffers = views as Buffers<T>;
    this.memory = buffer;
    this.wasm = module !== null;
  }

  /**
   * The byte address of a[offset] for a kernel, after checking that a lies in the kernels'
   * memory (else they would read other data). One per element type, so each stays monomorphic.
   */
  private f64(a: Float64Array, offset = 0): number {
    if (a.buffer !== this.memory) outside();
    return a.byteOffset + offset * 8;
  }

  private i32(a: Int32Array, offset = 0): number {
    if (a.buffer !== this.memory) outside();
    return a.byteOffset + offset * 4;
  }

  /**
   * out rows (from o) = diag(a) P + Σ_{t<nActive} B[:, h_t] P[sel[h_t], :] for the M×M matrix P
   * (from p), h_t = active[ao + t]; B is M×H. The terms are added two at a time, in order:
   * out = a·P, then out += (b1·P1 + b2·P2) per pair, then out += b·P for an odd last one.
   */
  stepSelected(out: Float64Array, o: number, P: Float64Array, p: number, M: number, H: number, diag: Float64Array, B: Float64Array, active: Int32Array, ao: number, nActive: number, sel: Int32Array): void {
    const x = this.exports;
    if (x) {
      x.stepSelected(this.f64(out, o), this.f64(P, p), M, H, this.f64(diag), this.f64(B), this.i32(active, ao), nActive, this.i32(sel));
      return;
    }
    for (let i = 0; i < M; i++) {
      const ai = diag[i];
      const ro = o + i * M;
      const rp = p + i * M;
      for (let m = 0; m < M; m++) out[ro + m] = ai * P[rp + m];
      const bRow = i * H;
      let t = 0;
      for (; t + 1 < nActive; t += 2) {
        const h1 = active[ao + t];
        const h2 = active[ao + t + 1];
        const b1 = B[bRow + h1];
        const b2 = B[bRow + h2];
        const rs1 = p + sel[h1] * M;
        const rs2 = p + sel[h2] * M;
        for (let m = 0; m < M; m++) out[ro + m] += b1 * P[rs1 + m] + b2 * P[rs2 + m];
      }
      if (t < nActive) {
        const h = active[ao + t];
        const b = B[bRow + h];
        const rs = p + sel[h] * M;
        for (let m = 0; m < M; m++) out[ro + m] += b * P[rs + m];
      }
    }
  }

  /** out (from o) = J · P (from p), M×M: each row starts at 0 and gains J[i,l] · P row l, l ascending, zero entries of J skipped. */
  multiplyRows(out: Float64Array, o: number, J: Float64Array, P: Float64Array, p: number, M: number): void {
    const x = this.exports;
    if (x) {
      x.multiplyRows(this.f64(out, o), this.f64(J), this.f64(P, p), M);
      return;
    }
    for (let i = 0; i < M; i++) {
      const ri = i * M;
      const ro = o + ri;
      for (let m = 0; m < M; m++) out[ro + m] = 0;
      for (let l = 0; l < M; l++) {
        const jil = J[ri + l];
        if (jil === 0) continue;
        const rp = p + l * M;
        for (let m = 0; m < M; m++) out[ro + m] += jil * P[rp + m];
      }
    }
  }

  /** luFactor of lu.ts on the n×n matrix a. */
  luFactor(a: Float64Array, n: number, piv: Int32Array, minPivot: number): boolean {
    const x = this.exports;
    return x ? x.luFactor(this.f64(a), n, this.i32(piv), minPivot) === 1 : luFactor(a, n, piv, minPivot);
  }

  /**
   * out[oo + h] = ST[M·H + h] + Σ_{m<M} ST[m·H + h] · z[zo + m], m ascending, for h < H: ST is
   * (M+1)×H, S transposed with s0 as its last row (combineRows of dots.ts).
   */
  affineRows(out: Float64Array, oo: number, ST: Float64Array, H: number, M: number, z: Float64Array, zo: number): void {
    const x = this.exports;
    if (x) x.affineRows(this.f64(out, oo), this.f64(ST), H, M, this.f64(z, zo));
    else combineRows(out, oo, ST, M * H, ST, H, M, z, zo);
  }

  /** out[oo + r] += x[xo + h_t] · Bt[h_t·M + r] for r < M, t ascending, h_t = idx[io + t]: Bt is H×M, B transposed. */
  gatherAdd(out: Float64Array, oo: number, x: Float64Array, xo: number, Bt: Float64Array, M: number, idx: Int32Array, io: number, count: number): void {
    const w = this.exports;
    if (w) {
      w.gatherAdd(this.f64(out, oo), this.f64(x, xo), this.f64(Bt), M, this.i32(idx, io), count);
      return;
    }
    for (let t = 0; t < count; t++) {
      const h = idx[io + t];
      const xh = x[xo + h];
      const r0 = h * M;
      for (let r = 0; r < M; r++) out[oo + r] += xh * Bt[r0 + r];
    }
  }

  /**
   * The M×(M+1) matrix out = init + Σ_{t<nActive} B[:, h_t] Sc[h_t, :], h_t = active[ao + t],
   * each element adding its terms in t order and skipping those with B[i, h_t] = 0. Bt is H×M
   * (B transposed); Sc is H×(M+1), row h = [S row h, s0[h]], so out = [J_d | b_d] for
   * init = [A | c] and d the active switches.
   */
  formRegion(out: Float64Array, init: Float64Array, Bt: Float64Array, Sc: Float64Array, M: number, active: Int32Array, ao: number, nActive: number): void {
    const x = this.exports;
    if (x) {
      x.formRegion(this.f64(out), this.f64(init), this.f64(Bt), this.f64(Sc), M, this.i32(active, ao), nActive);
      return;
    }
    const cols = M + 1;
    for (let m = 0; m < M * cols; m++) out[m] = init[m];
    for (let t = 0; t < nActive; t++) {
      const h = active[ao + t];
      const so = h * cols;
      for (let i = 0; i < M; i++) {
        const b = Bt[h * M + i];
        if (b === 0) continue;
        const ro = i * cols;
        for (let m = 0; m < cols; m++) out[ro + m] += b * Sc[so + m];
      }
    }
  }

  /**
   * The region bits of n switch values: out[oo + w] (w < ⌈n/32⌉) gets bit b set when
   * u[uo + 32w + b] > 0 (NaN is not), the bits past n clear.
   */
  positiveBits(out: Int32Array, oo: number, u: Float64Array, uo: number, n: number): void {
    const x = this.exports;
    if (x) {
      x.positiveBits(this.i32(out, oo), this.f64(u, uo), n);
      return;
    }
    for (let w = 0, h0 = 0; h0 < n; w++, h0 += 32) {
      let bits = 0;
      const lim = Math.min(32, n - h0);
      for (let b = 0; b < lim; b++) bits |= (u[uo + h0 + b] > 0 ? 1 : 0) << b;
      out[oo + w] = bits;
    }
  }

  /** u[uo + h] = u > 0 ? u : 0 for h < n (NaN and −0 become +0). */
  rectify(u: Float64Array, uo: number, n: number): void {
    const x = this.exports;
    if (x) {
      x.rectify(this.f64(u, uo), n);
      return;
    }
    for (let h = 0; h < n; h++) {
      const v = u[uo + h];
      u[uo + h] = v > 0 ? v : 0;
    }
  }

  /**
   * Lists into out (from oo) the switches h < H set in the region at bits[bo..], ascending, and
   * returns how many: one step per set bit, with no branch per switch that the bits decide.
   */
  listActive(out: Int32Array, oo: number, bits: Int32Array, bo: number, H: number): number {
    const x = this.exports;
    if (x) return x.listActive(this.i32(out, oo), this.i32(bits, bo), H);
    let n = 0;
    for (let w = 0, h0 = 0; h0 < H; w++, h0 += 32) {
      let v = bits[bo + w];
      if (H - h0 < 32) v &= (1 << (H - h0)) - 1;
      while (v !== 0) {
        const low = v & -v;
        out[oo + n++] = h0 + 31 - Math.clz32(low);
        v ^= low;
      }
    }
    return n;
  }
}
