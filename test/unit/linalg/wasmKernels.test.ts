import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { KernelArena, wasmKernelsAvailable } from '../../../src/core/linalg/kernels';
import { combineRows, rowDots } from '../../../src/core/linalg/dots';
import { Prng } from '../../../src/core/scyfi/prng';

const ROOT = join(__dirname, '..', '..', '..');

/** Bitwise equality, −0 and +0 told apart, NaN equal to NaN. */
const bitwise = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

function arenas(M: number, H: number, order: number) {
  const spec = {
    prefix: ['f64', order * M * M],
    J: ['f64', M * M],
    diag: ['f64', M],
    B: ['f64', M * H],
    active: ['i32', order * H],
    sel: ['i32', H],
    piv: ['i32', M],
  } as const;
  return [new KernelArena(spec, true), new KernelArena(spec, false)] as const;
}

/** The same random contents in both arenas: entries in [−2, 2], a share of exact zeros and of −0. */
function fill(rng: Prng, a: Float64Array, b: Float64Array, zeros = 0.1) {
  for (let i = 0; i < a.length; i++) {
    const r = rng.nextFloat();
    a[i] = b[i] = r < zeros ? 0 : r < zeros * 1.5 ? -0 : rng.uniform(-2, 2);
  }
}

// The engine's results are reproducible to the bit (pinned in many tests, and the same whatever
// the runtime) only if the WebAssembly kernels compute exactly what the plain loops do.
describe('WebAssembly SIMD kernels (src/core/linalg/kernels.ts)', () => {
  test('run on this runtime (Node 20 has WebAssembly SIMD): else the search falls back to the plain loops', () => {
    assert.ok(wasmKernelsAvailable());
    assert.ok(new KernelArena({ x: ['f64', 1] }).wasm);
  });

  test('stepSelected is bitwise the plain loop for M = 1..9, 16, 33, 64 and every parity of active switches', () => {
    const rng = new Prng(11);
    for (const M of [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33, 64]) {
      for (const H of [M, 2 * M + 1]) {
        const [w, js] = arenas(M, H, 3);
        fill(rng, w.buffers.prefix, js.buffers.prefix);
        fill(rng, w.buffers.diag, js.buffers.diag);
        fill(rng, w.buffers.B, js.buffers.B);
        for (let h = 0; h < H; h++) w.buffers.sel[h] = js.buffers.sel[h] = rng.nextInt(M);
        for (const nActive of [0, 1, Math.min(2, H), Math.floor(H / 2), H]) {
          const ao = H; // the second position's list
          for (let t = 0; t < nActive; t++) w.buffers.active[ao + t] = js.buffers.active[ao + t] = t;
          w.stepSelected(w.buffers.prefix, 2 * M * M, w.buffers.prefix, M * M, M, H, w.buffers.diag, w.buffers.B, w.buffers.active, ao, nActive, w.buffers.sel);
          js.stepSelected(js.buffers.prefix, 2 * M * M, js.buffers.prefix, M * M, M, H, js.buffers.diag, js.buffers.B, js.buffers.active, ao, nActive, js.buffers.sel);
          assert.ok(bitwise(w.buffers.prefix, js.buffers.prefix), `M = ${M}, H = ${H}, ${nActive} active`);
        }
      }
    }
  });

  test('multiplyRows is bitwise the plain loop, zero entries of J skipped (so 0 · ∞ never enters a sum)', () => {
    const rng = new Prng(12);
    for (const M of [1, 2, 3, 5, 8, 17, 64]) {
      const [w, js] = arenas(M, 1, 2);
      fill(rng, w.buffers.prefix, js.buffers.prefix);
      fill(rng, w.buffers.J, js.buffers.J, 0.3);
      w.buffers.prefix[0] = js.buffers.prefix[0] = Infinity;
      for (let i = 0; i < M; i++) w.buffers.J[i * M] = js.buffers.J[i * M] = 0; // J's column 0 is zero: P row 0 enters no row
      w.multiplyRows(w.buffers.prefix, M * M, w.buffers.J, w.buffers.prefix, 0, M);
      js.multiplyRows(js.buffers.prefix, M * M, js.buffers.J, js.buffers.prefix, 0, M);
      assert.ok(bitwise(w.buffers.prefix, js.buffers.prefix), `M = ${M}`);
      if (M > 1) assert.ok(w.buffers.prefix.subarray(M * M).every(Number.isFinite), `M = ${M}: the ∞ of P row 0 stays out`);
    }
  });

  test('luFactor is bitwise lu.ts, pivots included, and refuses the same singular, tiny-pivot and NaN systems', () => {
    const rng = new Prng(13);
    for (const M of [1, 2, 3, 4, 7, 16, 31, 64]) {
      for (const kind of ['random', 'singular', 'nan', 'zeros'] as const) {
        const [w, js] = arenas(M, 1, 1);
        const a = w.buffers.J;
        const b = js.buffers.J;
        fill(rng, a, b, kind === 'zeros' ? 0.5 : 0.05);
        if (kind === 'singular' && M > 1) for (let m = 0; m < M; m++) a[M + m] = b[M + m] = 2 * a[m];
        if (kind === 'nan') a[M * M - 1] = b[M * M - 1] = NaN;
        const okW = w.luFactor(a, M, w.buffers.piv, 1e-12);
        const okJ = js.luFactor(b, M, js.buffers.piv, 1e-12);
        assert.equal(okW, okJ, `M = ${M}, ${kind}`);
        if (kind === 'singular' && M > 1) assert.equal(okW, false, `M = ${M}: a repeated row is singular`);
        if (kind === 'nan') assert.equal(okW, false, `M = ${M}: NaN is refused`);
        if (okW) {
          assert.ok(bitwise(a, b), `M = ${M}, ${kind}: factors`);
          assert.ok(bitwise(w.buffers.piv, js.buffers.piv), `M = ${M}, ${kind}: pivots`);
        }
      }
    }
  });

  // The sums over the switches of a general map: both kernels must also be bitwise the dots.ts
  // loops the search used before them (rowDots, combineRows), which the plain fallbacks replace.
  function switchArenas(M: number, H: number) {
    const spec = {
      ST: ['f64', (M + 1) * H],
      Sc: ['f64', H * (M + 1)],
      B: ['f64', M * H],
      Bt: ['f64', H * M],
      init: ['f64', M * (M + 1)],
      out: ['f64', M * (M + 1)],
      u: ['f64', H],
      z: ['f64', M],
      idx: ['i32', H],
    } as const;
    return [new KernelArena(spec, true), new KernelArena(spec, false)] as const;
  }

  function fillSwitches(rng: Prng, w: ReturnType<typeof switchArenas>[0], js: ReturnType<typeof switchArenas>[1], M: number, H: number) {
    for (const name of ['ST', 'B', 'init', 'u', 'z'] as const) fill(rng, w.buffers[name], js.buffers[name], 0.2);
    for (const a of [w, js]) {
      const { ST, Sc, B, Bt } = a.buffers;
      for (let h = 0; h < H; h++) {
        for (let m = 0; m <= M; m++) Sc[h * (M + 1) + m] = ST[m * H + h];
        for (let i = 0; i < M; i++) Bt[h * M + i] = B[i * H + h];
      }
    }
  }

  test('affineRows is bitwise combineRows for every H parity and M = 1..15', () => {
    const rng = new Prng(14);
    for (const M of [1, 2, 3, 4, 5, 7, 8, 10, 15]) {
      for (const H of [1, 2, 7, 64, 201]) {
        const [w, js] = switchArenas(M, H);
        fillSwitches(rng, w, js, M, H);
        w.affineRows(w.buffers.u, 0, w.buffers.ST, H, M, w.buffers.z, 0);
        js.affineRows(js.buffers.u, 0, js.buffers.ST, H, M, js.buffers.z, 0);
        const before = new Float64Array(H);
        combineRows(before, 0, js.buffers.ST, M * H, js.buffers.ST, H, M, js.buffers.z, 0);
        assert.ok(bitwise(w.buffers.u, js.buffers.u), `M = ${M}, H = ${H}`);
        assert.ok(bitwise(js.buffers.u, before), `M = ${M}, H = ${H}: plain against combineRows`);
      }
    }
  });

  test('gatherAdd and formRegion are bitwise the rowDots loops they replace, zero entries of B skipped in formRegion', () => {
    const rng = new Prng(15);
    for (const M of [1, 2, 3, 4, 5, 7, 8, 10, 15]) {
      for (const H of [1, 3, 64, 201]) {
        const [w, js] = switchArenas(M, H);
        fillSwitches(rng, w, js, M, H);
        for (const count of [0, 1, Math.floor(H / 2), H]) {
          let n = 0;
          for (let h = 0; h < H && n < count; h++) if (count === H || rng.nextFloat() < 0.6) w.buffers.idx[n] = js.buffers.idx[n++] = h;
          const zBefore = js.buffers.z.slice();
          rowDots(js.buffers.B, H, M, js.buffers.u, 0, js.buffers.idx, 0, n, zBefore, 0, false);
          w.gatherAdd(w.buffers.z, 0, w.buffers.u, 0, w.buffers.Bt, M, w.buffers.idx, 0, n);
          js.gatherAdd(js.buffers.z, 0, js.buffers.u, 0, js.buffers.Bt, M, js.buffers.idx, 0, n);
          assert.ok(bitwise(w.buffers.z, js.buffers.z), `gatherAdd M = ${M}, H = ${H}, ${n} switches`);
          assert.ok(bitwise(js.buffers.z, zBefore), `gatherAdd M = ${M}, H = ${H}: plain against rowDots`);

          w.formRegion(w.buffers.out, w.buffers.init, w.buffers.Bt, w.buffers.Sc, M, w.buffers.idx, 0, n);
          js.formRegion(js.buffers.out, js.buffers.init, js.buffers.Bt, js.buffers.Sc, M, js.buffers.idx, 0, n);
          assert.ok(bitwise(w.buffers.out, js.buffers.out), `formRegion M = ${M}, H = ${H}, ${n} switches`);
          const row = new Float64Array(M + 1);
          for (let i = 0; i < M; i++) {
            row.set(js.buffers.init.subarray(i * (M + 1), (i + 1) * (M + 1)));
            rowDots(js.buffers.ST, H, M + 1, js.buffers.B, i * H, js.buffers.idx, 0, n, row, 0, true);
            assert.ok(bitwise(js.buffers.out.subarray(i * (M + 1), (i + 1) * (M + 1)), row), `formRegion M = ${M}, H = ${H}, row ${i}: plain against rowDots`);
          }
        }
      }
    }
  });

  test('positiveBits and rectify are bitwise the plain loops: NaN, −0, ±∞ and tiny values, every length mod 32', () => {
    const rng = new Prng(16);
    const special = [NaN, -0, 0, Infinity, -Infinity, 5e-324, -5e-324, 1e308];
    for (const n of [0, 1, 2, 3, 31, 32, 33, 63, 64, 65, 70, 500]) {
      const words = Math.ceil(n / 32) + 1;
      const spec = { bits: ['i32', words + 2], u: ['f64', n + 3] } as const;
      const [w, js] = [new KernelArena(spec, true), new KernelArena(spec, false)];
      for (let trial = 0; trial < 4; trial++) {
        for (let h = 0; h < n + 3; h++) {
          const r = rng.nextFloat();
          w.buffers.u[h] = js.buffers.u[h] = r < 0.2 ? special[rng.nextInt(special.length)] : rng.uniform(-1, 1);
        }
        w.buffers.bits.fill(-1);
        js.buffers.bits.fill(-1);
        const expected = Array.from({ length: Math.ceil(n / 32) }, (_, wd) => {
          let x = 0;
          for (let b = 0; b < 32 && wd * 32 + b < n; b++) if (js.buffers.u[1 + wd * 32 + b] > 0) x |= 1 << b;
          return x;
        });
        w.positiveBits(w.buffers.bits, 1, w.buffers.u, 1, n);
        js.positiveBits(js.buffers.bits, 1, js.buffers.u, 1, n);
        assert.deepEqual(Array.from(w.buffers.bits), Array.from(js.buffers.bits), `positiveBits n = ${n}`);
        assert.deepEqual(Array.from(js.buffers.bits.subarray(1, 1 + expected.length)), expected, `positiveBits n = ${n}: the bits of u > 0`);
        assert.equal(js.buffers.bits[0], -1, 'the words before oo are left alone');
        assert.equal(js.buffers.bits[1 + expected.length], -1, 'the words after the last are left alone');
        const plain = Array.from(js.buffers.u, (v, h) => (h >= 1 && h <= n ? (v > 0 ? v : 0) : v));
        w.rectify(w.buffers.u, 1, n);
        js.rectify(js.buffers.u, 1, n);
        assert.ok(bitwise(w.buffers.u, js.buffers.u), `rectify n = ${n}`);
        assert.ok(bitwise(js.buffers.u, plain), `rectify n = ${n}: u > 0 ? u : 0, the values outside [uo, uo + n) kept`);
      }
    }
  });

  test('listActive lists the set bits below H in ascending order, bit 31 and partial last words included', () => {
    const rng = new Prng(17);
    for (const H of [1, 5, 31, 32, 33, 64, 70, 500]) {
      const words = Math.ceil(H / 32) + 1;
      const spec = { out: ['i32', H + 2], bits: ['i32', words + 1] } as const;
      const [w, js] = [new KernelArena(spec, true), new KernelArena(spec, false)];
      for (const density of [0, 0.1, 0.5, 1]) {
        for (let i = 0; i < words + 1; i++) {
          let x = 0;
          for (let b = 0; b < 32; b++) if (rng.nextFloat() < density) x |= 1 << b;
          w.buffers.bits[i] = js.buffers.bits[i] = x;
        }
        const expected: number[] = [];
        for (let h = 0; h < H; h++) if ((js.buffers.bits[1 + (h >>> 5)] >>> (h & 31)) & 1) expected.push(h);
        const nw = w.listActive(w.buffers.out, 2, w.buffers.bits, 1, H);
        const nj = js.listActive(js.buffers.out, 2, js.buffers.bits, 1, H);
        assert.equal(nw, expected.length, `H = ${H}, density ${density}`);
        assert.equal(nj, expected.length, `H = ${H}, density ${density} (plain)`);
        assert.deepEqual(Array.from(w.buffers.out.subarray(2, 2 + nw)), expected);
        assert.deepEqual(Array.from(js.buffers.out.subarray(2, 2 + nj)), expected);
      }
    }
  });

  test('refuse arrays outside their arena instead of reading other memory', () => {
    const [w] = arenas(2, 2, 1);
    assert.throws(() => w.luFactor(new Float64Array(4), 2, w.buffers.piv, 0), /outside the arena/);
  });

  test('kernelsWasm.ts is kernels.wat assembled (node scripts/make-kernels.mjs)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-kernels.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
