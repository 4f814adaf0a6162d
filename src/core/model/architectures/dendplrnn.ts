import { ArchitectureDef, biasH, diagonalA, entries } from '../architecture';
import { MAX_DIMENSION } from '../checker';
import { diagonal, putBlock, zeros } from '../dense';
import { DendPlrnnSpec } from '../types';

export const dendplrnn: ArchitectureDef<DendPlrnnSpec> = {
  id: 'dendplrnn',
  title: 'Dendritic PLRNN with B basis functions',
  update: "z' = A z + W Σ_b alpha_b relu(z − H[:, b]) + h",
  parameters: [
    diagonalA,
    { key: 'W', kind: 'matrix', shape: 'M×M', role: 'recurrent weights', description: 'M×M connection weights.', entry: entries.recurrent },
    biasH,
    { key: 'alpha', kind: 'vector', shape: 'B', role: 'dendritic basis weights', description: 'B basis weights.', entry: ([b]) => `entry ${b}: weight of basis ${b}` },
    {
      key: 'H',
      kind: 'matrix',
      shape: 'M×B',
      role: 'dendritic thresholds',
      description: 'M×B thresholds; column b is θ_b.',
      entry: ([i, b]) => `row ${i} column ${b}: threshold of unit ${i} in basis ${b}`,
    },
  ],
  validate(c) {
    const { A, W, h } = c.diagonalPlrnn();
    const M = A.length;
    const alpha = c.vector('alpha', 'B basis weights');
    const Hm = c.matrix('H', 'M×B thresholds');
    c.shape('H', Hm, M, alpha.length, `M×B with M = ${M} from A and B = ${alpha.length} from alpha`);
    if (M * alpha.length > MAX_DIMENSION) c.fail(['alpha'], `gives M·B = ${M * alpha.length} switches, more than the limit of ${MAX_DIMENSION}`);
    return { architecture: 'dendplrnn', A, W, h, alpha, H: Hm };
  },
  reduce(spec) {
    // W Σ_b α_b relu(z − θ_b): one block of M switches per basis b.
    const M = spec.A.length;
    const nB = spec.alpha.length;
    const H = M * nB;
    const B = zeros(M, H);
    const S = zeros(H, M);
    const s0 = zeros(H, 1);
    for (let b = 0; b < nB; b++) {
      putBlock(B, H, spec.W, 0, b * M, spec.alpha[b]);
      for (let i = 0; i < M; i++) {
        S[(b * M + i) * M + i] = 1;
        s0[b * M + i] = -spec.H[i][b];
      }
    }
    return { M, H, A: diagonal(spec.A), B, S, s0, c: Float64Array.from(spec.h) };
  },
  namings: [
    { id: 'dendPLRNN (PyTorch: AW, h, alphas, thetas)', roles: { AW: ['AW'], h: ['h'], alpha: ['alphas'], H: ['thetas'] } },
    { id: 'dendPLRNN (A, W, h, alpha, H)', roles: { A: ['A'], W: ['W'], h: ['h'], alpha: ['alpha', 'alphas', 'α'], H: ['H', 'thetas', 'θ'] } },
  ],
};
