import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMap, ModelSpec, step, validateModelSpec } from '../../../src/core/model';

// The architectures' own update rules, written from their definitions (science.md §1),
// independent of the piecewise-affine reduction under test.
const relu = (x: number) => Math.max(0, x);
const matVec = (m: number[][], v: number[]) => m.map((row) => row.reduce((s, x, j) => s + x * v[j], 0));
const add = (...vs: number[][]) => vs[0].map((_, i) => vs.reduce((s, v) => s + v[i], 0));
const diagTimes = (a: number[], z: number[]) => a.map((x, i) => x * z[i]);

const centred = (z: number[]) => z.map((x) => x - z.reduce((a, b) => a + b, 0) / z.length);
const clipTo = (z: number[], r: number | undefined) => (r === undefined ? z : z.map((x) => Math.min(r, Math.max(-r, x))));

function direct(spec: ModelSpec, z: number[]): number[] {
  return clipTo(unclipped(spec, z), spec.clip);
}

function unclipped(spec: ModelSpec, z: number[]): number[] {
  switch (spec.architecture) {
    case 'plrnn': {
      const Az = Array.isArray(spec.A[0]) ? matVec(spec.A as number[][], z) : diagTimes(spec.A as number[], z);
      const n = spec.meanCentering ? centred(z) : z;
      const leak = spec.leak ?? 0;
      const phi = (x: number) => (x > 0 ? x : leak * x);
      return add(Az, matVec(spec.W, n.map(phi)), spec.h);
    }
    case 'shplrnn':
      return add(diagTimes(spec.A, z), matVec(spec.W1, add(matVec(spec.W2, z), spec.h2).map(relu)), spec.h1);
    case 'clipped-shplrnn': {
      const pre = matVec(spec.W2, z);
      const clipped = pre.map((p, i) => relu(p + spec.h2[i]) - relu(p));
      return add(diagTimes(spec.A, z), matVec(spec.W1, clipped), spec.h1);
    }
    case 'alrnn': {
      const L = z.length - spec.P;
      const phi = z.map((x, i) => (i < L ? x : relu(x)));
      return add(diagTimes(spec.A, z), matVec(spec.W, phi), spec.h);
    }
    case 'dendplrnn': {
      const n = spec.meanCentering ? centred(z) : z;
      const basis = n.map((x, i) => spec.alpha.reduce((s, a, b) => s + a * (relu(x - spec.H[i][b]) - (spec.basis === 'clipped' ? relu(x) : 0)), 0));
      return add(diagTimes(spec.A, z), matVec(spec.W, basis), spec.h);
    }
    case 'pam':
      return add(matVec(spec.A, z), matVec(spec.B, add(matVec(spec.S, z), spec.s0).map(relu)), spec.c);
  }
}

/** Small seeded generator for test data (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function randomSpecs(r: () => number): ModelSpec[] {
  const vec = (n: number) => Array.from({ length: n }, r);
  const mat = (n: number, m: number) => Array.from({ length: n }, () => vec(m));
  const M = 3;
  return [
    { architecture: 'plrnn', A: vec(M), W: mat(M, M), h: vec(M) },
    { architecture: 'plrnn', A: mat(M, M), W: mat(M, M), h: vec(M) },
    { architecture: 'shplrnn', A: vec(M), W1: mat(M, 5), W2: mat(5, M), h1: vec(M), h2: vec(5) },
    { architecture: 'clipped-shplrnn', A: vec(M), W1: mat(M, 4), W2: mat(4, M), h1: vec(M), h2: vec(4) },
    { architecture: 'alrnn', A: vec(4), W: mat(4, 4), h: vec(4), P: 2 },
    { architecture: 'alrnn', A: vec(4), W: mat(4, 4), h: vec(4), P: 0 },
    { architecture: 'alrnn', A: vec(4), W: mat(4, 4), h: vec(4), P: 4 },
    { architecture: 'dendplrnn', A: vec(M), W: mat(M, M), h: vec(M), alpha: vec(3), H: mat(M, 3) },
    // The variants of the training code bases (docs/checkpoints.md).
    { architecture: 'plrnn', A: vec(M), W: mat(M, M), h: vec(M), meanCentering: true, clip: 1.5 },
    { architecture: 'plrnn', A: vec(M), W: mat(M, M), h: vec(M), leak: 0.18, clip: 2 },
    { architecture: 'plrnn', A: mat(M, M), W: mat(M, M), h: vec(M), leak: 0.3, meanCentering: true },
    { architecture: 'dendplrnn', A: vec(M), W: mat(M, M), h: vec(M), alpha: vec(3), H: mat(M, 3), meanCentering: true, clip: 1 },
    { architecture: 'dendplrnn', A: vec(M), W: mat(M, M), h: vec(M), alpha: vec(2), H: mat(M, 2), basis: 'clipped' },
    { architecture: 'dendplrnn', A: vec(4), W: mat(4, 4), h: vec(4), alpha: vec(3), H: mat(4, 3), basis: 'clipped', meanCentering: true },
    { architecture: 'shplrnn', A: vec(M), W1: mat(M, 5), W2: mat(5, M), h1: vec(M), h2: vec(5), clip: 0.7 },
    { architecture: 'pam', A: mat(M, M), B: mat(M, 4), S: mat(4, M), s0: vec(4), c: vec(M) },
    { architecture: 'pam', A: mat(2, 2), B: mat(2, 6), S: mat(6, 2), s0: vec(6), c: vec(2), clip: 0.5 },
  ];
}

describe('buildMap', () => {
  test('reproduces every architecture\'s own update rule', () => {
    const r = rng(7);
    for (let trial = 0; trial < 25; trial++) {
      for (const spec of randomSpecs(r)) {
        validateModelSpec(spec, 'random');
        const map = buildMap(spec);
        for (let p = 0; p < 20; p++) {
          const z = Array.from({ length: map.M }, () => 6 * r());
          const got = step(map, z);
          const want = direct(spec, z);
          want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= 1e-12 * (1 + Math.abs(w)), `${spec.architecture}: ${got[i]} vs ${w}`));
        }
      }
    }
  });

  test('switch counts per architecture', () => {
    const r = rng(1);
    const H = randomSpecs(r).map((s) => buildMap(s).H);
    assert.deepEqual(H, [3, 3, 5, 8, 2, 0, 4, 9, 3, 3, 3, 9, 9, 16, 5, 4, 6]);
  });
});
