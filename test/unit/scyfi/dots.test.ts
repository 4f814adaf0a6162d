import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { combineRows, rowDots } from '../../../src/core/linalg/dots';
import { StepSums, stepInto } from '../../../src/core/model/evaluate';
import { KernelArena, wasmKernelsAvailable } from '../../../src/core/linalg/kernels';
import { buildMap } from '../../../src/core/model';
import { Prng } from '../../../src/core/scyfi/prng';
import { randomShplrnn } from './randomModels';

const random = (rng: Prng, n: number, zeros = 0) => Float64Array.from({ length: n }, () => (rng.nextFloat() < zeros ? 0 : rng.uniform(-2, 2)));
/** Bitwise equality, −0 and +0 told apart. */
const bitwise = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

// The engine's results are reproducible to the bit only if these sums add their terms exactly
// as the plain loops do: the blocked kernels must be bitwise the same, not merely close.
describe('blocked sums (src/core/linalg/dots.ts)', () => {
  test('combineRows equals u_h = init_h + Σ_m rows[m][h]·z_m summed over m in order, for M = 0..9', () => {
    const rng = new Prng(3);
    for (let M = 0; M <= 9; M++) {
      for (const H of [1, 7, 33]) {
        const rows = random(rng, M * H);
        const init = random(rng, H + 2);
        const z = random(rng, M + 1);
        const plain = new Float64Array(H);
        for (let h = 0; h < H; h++) {
          let v = init[2 + h];
          for (let m = 0; m < M; m++) v += rows[m * H + h] * z[1 + m];
          plain[h] = v;
        }
        const out = new Float64Array(H + 3);
        combineRows(out, 3, init, 2, rows, H, M, z, 1);
        assert.ok(bitwise(out.subarray(3), plain), `M = ${M}, H = ${H}`);
      }
    }
  });

  test('rowDots equals the plain sums, dense and over an index list, with and without the skip of zero terms', () => {
    const rng = new Prng(4);
    for (let n = 1; n <= 9; n++) {
      const H = 40;
      const rows = random(rng, n * H);
      const x = random(rng, H + 5, 0.3);
      const idx = Int32Array.from({ length: H }, (_, h) => h).filter(() => rng.nextFloat() < 0.6);
      for (const [list, count] of [[null, H], [idx, idx.length]] as const) {
        for (const skipZero of [false, true]) {
          const start = random(rng, n + 1);
          const plain = start.slice(1);
          for (let r = 0; r < n; r++) {
            for (let t = 0; t < count; t++) {
              const h = list === null ? t : list[t];
              if (skipZero && x[5 + h] === 0) continue;
              plain[r] += x[5 + h] * rows[r * H + h];
            }
          }
          const out = start.slice();
          rowDots(rows, H, n, x, 5, list, 0, count, out, 1, skipZero);
          assert.ok(bitwise(out.subarray(1), plain), `n = ${n}, ${list ? 'index list' : 'dense'}, skipZero ${skipZero}`);
        }
      }
    }
  });

  test('stepInto gives the same bits with and without the kernels for its sums (WebAssembly and plain), clipped or not', () => {
    const rng = new Prng(5);
    for (const clipped of [false, true]) {
      const map = buildMap(randomShplrnn(rng, 3, 70, clipped));
      const { M, H, S, B, s0 } = map;
      for (const wasm of wasmKernelsAvailable() ? [true, false] : [false]) {
        const words = Math.ceil((H + 2 * M) / 32);
        const arena = new KernelArena({ ST: ['f64', (M + 1) * H], Bt: ['f64', H * M], all: ['i32', H], u: ['f64', H], z: ['f64', M], out: ['f64', M], bb: ['i32', words] }, wasm);
        const { ST, Bt, all, u, z, out, bb } = arena.buffers;
        for (let h = 0; h < H; h++) {
          for (let m = 0; m < M; m++) ST[m * H + h] = S[h * M + m];
          ST[M * H + h] = s0[h];
          for (let i = 0; i < M; i++) Bt[h * M + i] = B[i * H + h];
          all[h] = h;
        }
        const sums: StepSums = {
          switches: (uBuf, zz, zo) => arena.affineRows(uBuf, 0, ST, H, M, zz, zo),
          rectify: (uBuf, bits, bo) => {
            if (bits) arena.positiveBits(bits, bo, uBuf, 0, H);
            arena.rectify(uBuf, 0, H);
          },
          addB: (o, oo, uBuf) => arena.gatherAdd(o, oo, uBuf, 0, Bt, M, all, 0, H),
        };
        for (let trial = 0; trial < 20; trial++) {
          z.set(random(rng, M));
          const a = new Float64Array(M);
          const ba = new Int32Array(words);
          stepInto(map, z, 0, a, 0, new Float64Array(H), ba, 0, words);
          stepInto(map, z, 0, out, 0, u, bb, 0, words, sums);
          assert.ok(bitwise(a, out));
          assert.deepEqual(Array.from(ba), Array.from(bb));
        }
      }
    }
  });
});
