import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap } from '../../../src/core/model';
import { PiecewiseAffineMap } from '../../../src/core/model/types';
import { CandidateSolver, Outcome } from '../../../src/core/scyfi/candidate';
import { drawUniform } from '../../../src/core/scyfi/regionPool';
import { Prng } from '../../../src/core/scyfi';
import { randomShplrnn } from './randomModels';

/** The regions of z, f(z), …, f^{k−1}(z), written out from the map's definition (not stepInto). */
function orbitRegions(map: PiecewiseAffineMap, z0: Float64Array, k: number, words: number): Int32Array {
  const { M, H, A, B, S, s0, c, clip } = map;
  const out = new Int32Array(k * words);
  const set = (j: number, bit: number) => (out[j * words + (bit >>> 5)] |= 1 << (bit & 31));
  let z = Array.from(z0);
  for (let j = 0; j < k; j++) {
    const u = Array.from({ length: H }, (_, h) => s0[h] + z.reduce((s, x, m) => s + S[h * M + m] * x, 0));
    u.forEach((v, h) => v > 0 && set(j, h));
    const y = Array.from({ length: M }, (_, i) => c[i] + z.reduce((s, x, m) => s + A[i * M + m] * x, 0) + u.reduce((s, v, h) => s + B[i * H + h] * Math.max(v, 0), 0));
    if (clip) {
      y.forEach((v, i) => {
        if (v < clip.lo[i]) set(j, H + i);
        else if (v > clip.hi[i]) set(j, H + M + i);
      });
    }
    z = clip ? y.map((v, i) => Math.min(Math.max(v, clip.lo[i]), clip.hi[i])) : y;
  }
  return out;
}

describe("Newton's jump (CandidateSolver.newtonStep)", () => {
  for (const clipped of [false, true]) {
    test(`gives the regions of the map's own orbit from the first virtual point${clipped ? ' (with clip bits)' : ''}`, () => {
      const rng = new Prng(11);
      const spec = { ...randomShplrnn(rng, 4, 7, clipped), ...(clipped ? { clip: 1.5 } : {}) };
      const map = buildMap(spec);
      const k = 3;
      const solver = new CandidateSolver(map, k);
      const seq = new Int32Array(k * solver.words);
      let checked = 0;
      for (let t = 0; t < 200 && checked < 20; t++) {
        drawUniform(rng, k, map.H, solver.words, seq);
        if (solver.solve(seq, k) !== Outcome.Virtual) continue;
        solver.newtonStep(k);
        const want = orbitRegions(map, solver.orbit.subarray(0, map.M), k, solver.words);
        assert.deepEqual(Array.from(solver.newton.subarray(0, k * solver.words)), Array.from(want));
        // Its first switches are those of the first virtual point, like SCYFI's jump (clip bits
        // differ: SCYFI's come from the step in the sequence's regions, Newton's from the map's).
        if (!clipped) assert.deepEqual(Array.from(solver.newton.subarray(0, solver.words)), Array.from(solver.next.subarray(0, solver.words)));
        checked++;
      }
      assert.ok(checked >= 10, `only ${checked} virtual candidates`);
    });
  }
});
