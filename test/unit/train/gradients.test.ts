import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelFromSpec, step } from '../../../src/core/model';
import { Prng } from '../../../src/core/scyfi/prng';
import { Forcing, initialParameters, Layout, layoutOf, lossAndGradient, NetworkShape, Observation, TrainArchitecture } from '../../../src/core/train';
import { gaussian, pseudoInverse, type Batch } from '../../../src/core/train/network';

/**
 * Central differences of fourth order, (−L(θ+2h) + 8 L(θ+h) − 8 L(θ−h) + L(θ−2h)) / 12h, with
 * h = H on float64: the two-point difference's O(h²) error reaches 5e-7 at h = 1e-5 where B⁺
 * is strongly curved, smaller steps lose digits to rounding and larger ones cross ReLU kinks.
 * The largest error allowed, relative to the component's own size (or to 1e-3 of the largest
 * component, for components near zero): RELATIVE_TOLERANCE. The worst case here is about 7e-8.
 */
const H = 1e-5;
const RELATIVE_TOLERANCE = 1e-6;

const FORCINGS: Forcing[] = [{ kind: 'none' }, { kind: 'sparse', tau: 3 }, { kind: 'gtf', alpha: 0.3 }];

function randomCase(shape: NetworkShape, seed: number, T = 7, count = 3): { layout: Layout; theta: Float64Array; batch: Batch } {
  const rng = new Prng(seed);
  const layout = layoutOf(shape);
  const theta = initialParameters(layout, rng);
  // Away from the initialisation (h1 = h2 = 0 puts every hidden border through the origin).
  for (let k = 0; k < theta.length; k++) if (layout.trainable[k]) theta[k] += 0.3 * gaussian(rng);
  const x = Float64Array.from({ length: count * (T + 1) * shape.N }, () => gaussian(rng));
  return { layout, theta, batch: { x, count, T, N: shape.N } };
}

/** The largest relative error of the hand-derived gradient against central differences, over every trained entry. */
function gradientError(layout: Layout, theta: Float64Array, batch: Batch, forcing: Forcing): { error: number; largest: number; checked: number } {
  const grad = new Float64Array(layout.size);
  lossAndGradient(layout, theta, batch, forcing, grad);
  const largest = grad.reduce((a, g) => Math.max(a, Math.abs(g)), 0);
  let error = 0;
  let checked = 0;
  for (let k = 0; k < layout.size; k++) {
    if (!layout.trainable[k]) {
      assert.equal(grad[k], 0, `entry ${k} is not trained, so its gradient is 0`);
      continue;
    }
    const t0 = theta[k];
    const at = (d: number) => {
      theta[k] = t0 + d;
      return lossAndGradient(layout, theta, batch, forcing);
    };
    const fd = (-at(2 * H) + 8 * at(H) - 8 * at(-H) + at(-2 * H)) / (12 * H);
    theta[k] = t0;
    error = Math.max(error, Math.abs(fd - grad[k]) / Math.max(Math.abs(grad[k]), 1e-3 * largest));
    checked++;
  }
  return { error, largest, checked };
}

describe('train: gradients against central finite differences', () => {
  const cases: [TrainArchitecture, Observation, number, number][] = [
    ['plrnn', 'identity', 4, 2],
    ['plrnn', 'linear', 4, 2],
    ['plrnn', 'linear', 2, 3],
    ['plrnn', 'linear', 3, 3],
    ['shplrnn', 'identity', 4, 2],
    ['shplrnn', 'linear', 4, 2],
    ['shplrnn', 'linear', 2, 3],
  ];
  let seed = 1;
  for (const [architecture, observation, M, N] of cases) {
    for (const forcing of FORCINGS) {
      const label = forcing.kind === 'none' ? 'no forcing' : forcing.kind === 'sparse' ? `sparse τ = ${forcing.tau}` : `GTF α = ${forcing.alpha}`;
      const s = seed++;
      it(`${architecture}, ${observation} observation (M = ${M}, N = ${N}), ${label}: relative error ≤ ${RELATIVE_TOLERANCE}`, () => {
        const { layout, theta, batch } = randomCase({ architecture, M, H: 5, N, observation }, s);
        const { error, largest, checked } = gradientError(layout, theta, batch, forcing);
        assert.ok(largest > 1e-3, `a gradient worth checking (largest component ${largest})`);
        assert.equal(checked, layout.size - (architecture === 'plrnn' ? M : 0));
        assert.ok(error <= RELATIVE_TOLERANCE, `largest relative error ${error.toExponential(2)}`);
      });
    }
  }
});

/** The JSON model of a parameter vector (for the project's own step function). */
function specOf(layout: Layout, theta: Float64Array): Record<string, unknown> {
  const spec: Record<string, unknown> = { architecture: layout.shape.architecture };
  for (const s of layout.slots) {
    if (s.name === 'B') continue;
    const d = Array.from(theta.subarray(s.offset, s.offset + s.rows * s.cols));
    spec[s.name] = s.vector ? d : Array.from({ length: s.rows }, (_, i) => d.slice(i * s.cols, (i + 1) * s.cols));
  }
  return spec;
}

describe('train: the forward pass is the project’s map, with the forcing as documented', () => {
  for (const architecture of ['plrnn', 'shplrnn'] as const) {
    it(`${architecture}: without forcing, the loss is that of iterating the project's own step from z0 = [x0; 0]`, () => {
      const M = 3;
      const N = 2;
      const { layout, theta, batch } = randomCase({ architecture, M, H: 4, N, observation: 'identity' }, 11, 9, 2);
      const map = modelFromSpec(specOf(layout, theta), 'trained').map;
      let sq = 0;
      for (let q = 0; q < batch.count; q++) {
        const x = (t: number, j: number) => batch.x[(q * (batch.T + 1) + t) * N + j];
        let z: ArrayLike<number> = [x(0, 0), x(0, 1), 0];
        for (let t = 1; t <= batch.T; t++) {
          z = step(map, z);
          for (let j = 0; j < N; j++) sq += (z[j] - x(t, j)) ** 2;
        }
      }
      const expected = sq / (batch.count * batch.T * N);
      const got = lossAndGradient(layout, theta, batch, { kind: 'none' });
      assert.ok(Math.abs(got - expected) <= 1e-12 * expected, `${got} vs ${expected}`);
    });
  }

  it('sparse forcing with τ ≥ T is no forcing; every forcing changes the loss', () => {
    const { layout, theta, batch } = randomCase({ architecture: 'plrnn', M: 3, H: 3, N: 2, observation: 'identity' }, 5, 8);
    const none = lossAndGradient(layout, theta, batch, { kind: 'none' });
    assert.equal(lossAndGradient(layout, theta, batch, { kind: 'sparse', tau: 8 }), none);
    assert.notEqual(lossAndGradient(layout, theta, batch, { kind: 'sparse', tau: 4 }), none);
    assert.notEqual(lossAndGradient(layout, theta, batch, { kind: 'gtf', alpha: 0.2 }), none);
  });

  it('GTF with α = 1 is sparse forcing with τ = 1 (one-step-ahead prediction from the data)', () => {
    for (const observation of ['identity', 'linear'] as const) {
      const { layout, theta, batch } = randomCase({ architecture: 'shplrnn', M: 3, H: 4, N: 2, observation }, 8);
      const g1 = new Float64Array(layout.size);
      const g2 = new Float64Array(layout.size);
      const a = lossAndGradient(layout, theta, batch, { kind: 'gtf', alpha: 1 }, g1);
      const b = lossAndGradient(layout, theta, batch, { kind: 'sparse', tau: 1 }, g2);
      assert.ok(Math.abs(a - b) <= 1e-15 * a);
      for (let k = 0; k < layout.size; k++) assert.ok(Math.abs(g1[k] - g2[k]) <= 1e-12 * (1 + Math.abs(g1[k])));
    }
  });

  it('identity observation, τ = 1: each prediction starts from the data on the observed units', () => {
    // plrnn M = N = 1: z' = a z + h (W has only its diagonal, which is 0), so x̂_{t+1} = a x_t + h.
    const layout = layoutOf({ architecture: 'plrnn', M: 1, H: 1, N: 1, observation: 'identity' });
    const theta = Float64Array.from([0.5, 0, 0.25]);
    const x = Float64Array.from([1, 2, -1, 4]);
    const loss = lossAndGradient(layout, theta, { x, count: 1, T: 3, N: 1 }, { kind: 'sparse', tau: 1 });
    const e = [0.5 * 1 + 0.25 - 2, 0.5 * 2 + 0.25 + 1, 0.5 * -1 + 0.25 - 4];
    assert.equal(loss, (e[0] ** 2 + e[1] ** 2 + e[2] ** 2) / 3);
  });

  it('the pseudo-inverse: B B⁺ B = B for wide, tall and square B', () => {
    const rng = new Prng(4);
    for (const [N, M] of [[2, 4], [4, 2], [3, 3]]) {
      const B = Float64Array.from({ length: N * M }, () => gaussian(rng));
      const P = pseudoInverse(B, N, M);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < M; j++) {
          let v = 0;
          for (let k = 0; k < M; k++) for (let l = 0; l < N; l++) v += B[i * M + k] * P[k * N + l] * B[l * M + j];
          assert.ok(Math.abs(v - B[i * M + j]) < 1e-12);
        }
      }
    }
    assert.throws(() => pseudoInverse(Float64Array.from([1, 2, 2, 4]), 2, 2), /lost rank/);
  });
});
