import { AlrnnSpec, DendPlrnnSpec, ModelSpec, PlrnnSpec, ShplrnnSpec } from '../../../src/core/model/types';
import { Prng } from '../../../src/core/scyfi';

/**
 * Seeded random models, scaled so that they tend to have several cycles: diagonal A in
 * (−0.9, 0.9) (negative entries give flips), weights of gain WEIGHT_GAIN / sqrt(fan-in),
 * biases a bit smaller than the weights so the borders pass near the origin.
 */
export const WEIGHT_GAIN = 2.5;
export const BIAS_SCALE = 0.5;

function gauss(rng: Prng): number {
  const u = Math.max(rng.nextFloat(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}
const vec = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);
const mat = (rng: Prng, r: number, c: number, fanIn: number, gain = WEIGHT_GAIN) =>
  Array.from({ length: r }, () => vec(c, () => (gain / Math.sqrt(fanIn)) * gauss(rng)));
const diag = (rng: Prng, M: number) => vec(M, () => rng.uniform(-0.9, 0.9));
const bias = (rng: Prng, n: number) => vec(n, () => BIAS_SCALE * gauss(rng));

export function randomPlrnn(rng: Prng, M: number, gain = WEIGHT_GAIN): PlrnnSpec {
  return { architecture: 'plrnn', A: diag(rng, M), W: mat(rng, M, M, M, gain), h: bias(rng, M) };
}

export function randomShplrnn(rng: Prng, M: number, H: number, clipped = false): ShplrnnSpec {
  return {
    architecture: clipped ? 'clipped-shplrnn' : 'shplrnn',
    A: diag(rng, M),
    W1: mat(rng, M, H, H),
    W2: mat(rng, H, M, M),
    h1: bias(rng, M),
    h2: bias(rng, H),
  };
}

export function randomAlrnn(rng: Prng, M: number, P: number): AlrnnSpec {
  return { architecture: 'alrnn', A: diag(rng, M), W: mat(rng, M, M, M), h: bias(rng, M), P };
}

export function randomDendPlrnn(rng: Prng, M: number, nB: number): DendPlrnnSpec {
  return {
    architecture: 'dendplrnn',
    A: diag(rng, M),
    W: mat(rng, M, M, M),
    h: bias(rng, M),
    alpha: vec(nB, () => rng.uniform(0.3, 1.5) * (rng.nextFloat() < 0.3 ? -1 : 1)),
    H: vec(M, () => vec(nB, () => gauss(rng))),
  };
}

/** Model i of an architecture for the seed-robustness check (bench/completeness.bench.ts, seedRobust.test.ts): M = 3..10 in turn. */
export const completenessGenerators: Record<string, (rng: Prng, i: number) => ModelSpec> = {
  plrnn: (rng, i) => randomPlrnn(rng, 3 + (i % 8)),
  shplrnn: (rng, i) => {
    const M = 3 + (i % 8);
    return randomShplrnn(rng, M, M + (i % 5) * 2);
  },
  'clipped-shplrnn': (rng, i) => {
    const M = 3 + (i % 8);
    return randomShplrnn(rng, M, M, true);
  },
  alrnn: (rng, i) => {
    const M = 3 + (i % 8);
    return randomAlrnn(rng, M, 1 + (i % M));
  },
  dendplrnn: (rng, i) => randomDendPlrnn(rng, 3 + (i % 8), 2),
};

/** The generator stream of an architecture's completeness models: model i is the i-th draw from it. */
export function completenessRng(arch: string): Prng {
  return new Prng(0x5eed + arch.length * 7919);
}

/** Model `index` of an architecture, as bench/completeness.bench.ts numbers them. */
export function completenessModel(arch: string, index: number): ModelSpec {
  const rng = completenessRng(arch);
  let spec = completenessGenerators[arch](rng, 0);
  for (let i = 1; i <= index; i++) spec = completenessGenerators[arch](rng, i);
  return spec;
}
