import { ArchitectureDef, biasH, CLIP_OPTION, diagonalA } from '../architecture';
import { Checker } from '../checker';
import { dense, diagonal, putBlock, zeros } from '../dense';
import { ShplrnnSpec } from '../types';

const parameters: ArchitectureDef['parameters'] = [
  diagonalA,
  {
    key: 'W1',
    kind: 'matrix',
    shape: 'M×H',
    role: 'hidden-to-state weights',
    description: 'M×H output weights.',
    entry: ([i, j]) => `row ${i} column ${j}: effect of hidden unit ${j} on unit ${i}`,
  },
  {
    key: 'W2',
    kind: 'matrix',
    shape: 'H×M',
    role: 'state-to-hidden weights',
    description: 'H×M input weights of the hidden layer.',
    entry: ([i, j]) => `row ${i} column ${j}: effect of unit ${j} on hidden unit ${i}`,
  },
  { ...biasH, key: 'h1' },
  { key: 'h2', kind: 'vector', shape: 'H', role: 'hidden biases', description: 'H hidden-layer biases.', entry: ([i]) => `entry ${i}: bias of hidden unit ${i} (its ReLU threshold)` },
];

function validate(c: Checker, architecture: ShplrnnSpec['architecture']): ShplrnnSpec {
  const A = c.vector('A', 'the M diagonal entries');
  const M = A.length;
  const h2 = c.vector('h2', 'H hidden biases');
  const H = h2.length;
  const W1 = c.matrix('W1', 'M×H');
  const W2 = c.matrix('W2', 'H×M');
  const swapped = W1.length === H && W1[0].length === M && W2.length === M && W2[0].length === H && M !== H;
  if (swapped) {
    c.fail(['W1'], `is ${H}×${M} and W2 is ${M}×${H}: they look swapped (W1 must be M×H = ${M}×${H}, W2 must be H×M = ${H}×${M})`);
  }
  c.shape('W1', W1, M, H, `M×H with M = ${M} from A and H = ${H} from h2`);
  c.shape('W2', W2, H, M, `H×M with H = ${H} from h2 and M = ${M} from A`);
  const h1 = c.vector('h1', 'M biases');
  c.length('h1', h1, M, `M = ${M} from A`);
  return { architecture, A, W1, W2, h1, h2 };
}

const namings = [
  {
    id: 'shPLRNN (A, W1, W2, h1, h2)',
    roles: { A: ['A'], W1: ['W1', 'W₁'], W2: ['W2', 'W₂'], h1: ['h1', 'h₁'], h2: ['h2', 'h₂'] },
    codeBase: 'shallow-plrnn' as const,
  },
];

export const shplrnn: ArchitectureDef<ShplrnnSpec> = {
  id: 'shplrnn',
  title: 'Shallow PLRNN with H hidden units',
  update: "z' = A z + W1 relu(W2 z + h2) + h1",
  parameters,
  options: [CLIP_OPTION],
  validate: (c) => validate(c, 'shplrnn'),
  reduce: (spec) => ({
    M: spec.A.length,
    H: spec.h2.length,
    A: diagonal(spec.A),
    B: dense(spec.W1),
    S: dense(spec.W2),
    s0: Float64Array.from(spec.h2),
    c: Float64Array.from(spec.h1),
  }),
  namings,
};

export const clippedShplrnn: ArchitectureDef<ShplrnnSpec> = {
  id: 'clipped-shplrnn',
  title: 'Clipped shallow PLRNN with H hidden units',
  update: "z' = A z + W1 [relu(W2 z + h2) − relu(W2 z)] + h1",
  parameters,
  options: [CLIP_OPTION],
  validate: (c) => validate(c, 'clipped-shplrnn'),
  reduce(spec) {
    // relu(W2 z + h2) − relu(W2 z): 2H switches, the second H with weights −W1 and no offset.
    const M = spec.A.length;
    const H = spec.h2.length;
    const B = zeros(M, 2 * H);
    putBlock(B, 2 * H, spec.W1, 0, 0);
    putBlock(B, 2 * H, spec.W1, 0, H, -1);
    const S = zeros(2 * H, M);
    putBlock(S, M, spec.W2, 0, 0);
    putBlock(S, M, spec.W2, H, 0);
    const s0 = zeros(2 * H, 1);
    s0.set(spec.h2);
    return { M, H: 2 * H, A: diagonal(spec.A), B, S, s0, c: Float64Array.from(spec.h1) };
  },
  namings: [],
  sameTensorsAs: 'shplrnn',
};
