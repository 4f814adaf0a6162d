import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { luFactor, luSolve } from '../../../src/core/linalg/lu';
import { eigenvalues } from '../../../src/core/linalg/eigen';
import { classify } from '../../../src/core/scyfi/stability';
import { SequenceSet } from '../../../src/core/scyfi/sequence';
import { Prng } from '../../../src/core/scyfi/prng';

const m = (rows: number[][]) => Float64Array.from(rows.flat());

/** A 2×2 rotation-scaling block r·[[cos, −sin], [sin, cos]]: eigenvalues r·e^{±iθ}. */
const focus = (r: number, th: number) => m([[r * Math.cos(th), -r * Math.sin(th)], [r * Math.sin(th), r * Math.cos(th)]]);

describe('stability classification', () => {
  const cases: [string, Float64Array, string, boolean][] = [
    ['diag(0.5, 0.2)', m([[0.5, 0], [0, 0.2]]), 'stable node', true],
    ['diag(−0.5, 0.2)', m([[-0.5, 0], [0, 0.2]]), 'stable node (flip)', true],
    ['0.9·rotation', focus(0.9, 0.7), 'stable focus', true],
    ['diag(2, 0.5)', m([[2, 0], [0, 0.5]]), 'saddle', false],
    ['diag(−2, 0.5)', m([[-2, 0], [0, 0.5]]), 'saddle (flip)', false],
    ['diag(2, 3)', m([[2, 0], [0, 3]]), 'unstable node', false],
    ['diag(−2, 1.5)', m([[-2, 0], [0, 1.5]]), 'unstable node (flip)', false],
    ['1.5·rotation', focus(1.5, 0.7), 'unstable focus', false],
    ['diag(1, 0.5)', m([[1, 0], [0, 0.5]]), 'non-hyperbolic', false],
    ['diag(−1, 0.5)', m([[-1, 0], [0, 0.5]]), 'non-hyperbolic', false],
  ];
  for (const [name, F, want, stable] of cases) {
    test(`${name}: ${want}`, () => {
      const s = classify(F, 2);
      assert.equal(s.classification, want);
      assert.equal(s.stable, stable);
    });
  }

  test('eigenvalues of a non-symmetric matrix, sorted by modulus', () => {
    // companion matrix of (λ − 3)(λ² + 1) = λ³ − 3λ² + λ − 3
    const e = eigenvalues(m([[3, -1, 3], [1, 0, 0], [0, 1, 0]]), 3);
    assert.ok(Math.abs(e[0][0] - 3) < 1e-12 && Math.abs(e[0][1]) < 1e-12);
    for (const [re, im] of e.slice(1)) {
      assert.ok(Math.abs(re) < 1e-12);
      assert.ok(Math.abs(Math.abs(im) - 1) < 1e-12);
    }
  });
});

describe('linear algebra kernels', () => {
  test('LU with partial pivoting solves a random system', () => {
    const rng = new Prng(3);
    const n = 7;
    const a = Float64Array.from({ length: n * n }, () => rng.uniform(-1, 1));
    const x = Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
    const lu = Float64Array.from(a);
    const piv = new Int32Array(n);
    assert.ok(luFactor(lu, n, piv, 1e-12));
    const y = new Float64Array(n);
    luSolve(lu, n, piv, b, y);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i] - x[i]) < 1e-12);
  });

  test('LU refuses a singular matrix', () => {
    const lu = m([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
    assert.equal(luFactor(lu, 3, new Int32Array(3), 1e-12 * 12), false);
  });
});

describe('sequence set', () => {
  test('a sequence and its rotations are one entry; others are new', () => {
    const set = new SequenceSet(3, 1);
    assert.equal(set.add(Int32Array.from([1, 2, 3])), true);
    assert.equal(set.add(Int32Array.from([2, 3, 1])), false);
    assert.equal(set.add(Int32Array.from([3, 1, 2])), false);
    assert.equal(set.add(Int32Array.from([3, 2, 1])), true);
    assert.equal(set.size, 2);
  });

  test('survives growth', () => {
    const set = new SequenceSet(2, 2);
    let added = 0;
    for (let i = 0; i < 5000; i++) if (set.add(Int32Array.from([i, -i, i * 7, 1]))) added++;
    assert.equal(added, 5000);
    for (let i = 0; i < 5000; i += 97) assert.equal(set.add(Int32Array.from([i * 7, 1, i, -i])), false);
  });
});
