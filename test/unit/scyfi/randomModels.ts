import { AlrnnSpec, DendPlrnnSpec, PlrnnSpec, ShplrnnSpec } from '../../../src/core/model/types';
import { Prng } from '../../../src/core/scyfi';

/** Seeded random models, scaled so that they tend to have several cycles. */

const gauss = (rng: Prng): number => {
  const u = Math.max(rng.nextFloat(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
};
const vec = (_rng: Prng, n: number, f: () => number) => Array.from({ length: n }, f);
const mat = (rng: Prng, r: number, c: number, scale: number) => Array.from({ length: r }, () => vec(rng, c, () => scale * gauss(rng)));

export function randomPlrnn(rng: Prng, M: number): PlrnnSpec {
  return {
    architecture: 'plrnn',
    A: vec(rng, M, () => rng.uniform(-0.9, 0.9)),
    W: mat(rng, M, M, 1.5 / Math.sqrt(M)),
    h: vec(rng, M, () => gauss(rng)),
  };
}

export function randomShplrnn(rng: Prng, M: number, H: number, clipped = false): ShplrnnSpec {
  return {
    architecture: clipped ? 'clipped-shplrnn' : 'shplrnn',
    A: vec(rng, M, () => rng.uniform(-0.9, 0.9)),
    W1: mat(rng, M, H, 1.5 / Math.sqrt(H)),
    W2: mat(rng, H, M, 1.5 / Math.sqrt(M)),
    h1: vec(rng, M, () => gauss(rng)),
    h2: vec(rng, H, () => gauss(rng)),
  };
}

export function randomAlrnn(rng: Prng, M: number, P: number): AlrnnSpec {
  return {
    architecture: 'alrnn',
    A: vec(rng, M, () => rng.uniform(-0.9, 0.9)),
    W: mat(rng, M, M, 1.5 / Math.sqrt(M)),
    h: vec(rng, M, () => gauss(rng)),
    P,
  };
}

export function randomDendPlrnn(rng: Prng, M: number, nB: number): DendPlrnnSpec {
  return {
    architecture: 'dendplrnn',
    A: vec(rng, M, () => rng.uniform(-0.9, 0.9)),
    W: mat(rng, M, M, 1.5 / Math.sqrt(M)),
    h: vec(rng, M, () => gauss(rng)),
    alpha: vec(rng, nB, () => rng.uniform(0.3, 1.5) * (rng.nextFloat() < 0.3 ? -1 : 1)),
    H: mat(rng, M, nB, 1),
  };
}
