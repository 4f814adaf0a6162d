import { ArchitectureDef, biasH, CLIP_OPTION, diagonalA, entries, MEAN_CENTERING_OPTION } from '../architecture';
import { MAX_DIMENSION } from '../checker';
import { centring, diagonal, putBlock, zeros } from '../dense';
import { DendPlrnnSpec } from '../types';

export const dendplrnn: ArchitectureDef<DendPlrnnSpec> = {
  id: 'dendplrnn',
  title: 'Dendritic PLRNN with B basis functions',
  update: "z' = A z + W Σ_b alpha_b relu(z − H[:, b]) + h (basis \"clipped\": alpha_b [relu(z − H[:, b]) − relu(z)])",
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
  options: [
    CLIP_OPTION,
    MEAN_CENTERING_OPTION,
    {
      key: 'basis',
      kind: 'enum',
      values: ['plain', 'clipped'],
      role: 'basis expansion',
      description: '"plain": Σ_b alpha_b relu(z − θ_b); "clipped": Σ_b alpha_b [relu(z − θ_b) − relu(z)] (the dendPLRNN code\'s clipped-PLRNN).',
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
    // W Σ_b α_b relu(n − θ_b), n = z or z − mean(z): one block of M switches per basis b; the
    // clipped basis adds one block for − (Σ_b α_b) relu(n).
    const M = spec.A.length;
    const nB = spec.alpha.length;
    const clipped = spec.basis === 'clipped';
    const blocks = nB + (clipped ? 1 : 0);
    const H = M * blocks;
    const B = zeros(M, H);
    const S = zeros(H, M);
    const s0 = zeros(H, 1);
    const n = spec.meanCentering ? centring(M) : undefined;
    for (let b = 0; b < blocks; b++) {
      const weight = b < nB ? spec.alpha[b] : -spec.alpha.reduce((x, y) => x + y, 0);
      putBlock(B, H, spec.W, 0, b * M, weight);
      for (let i = 0; i < M; i++) {
        const row = (b * M + i) * M;
        if (n) S.set(n.subarray(i * M, (i + 1) * M), row);
        else S[row + i] = 1;
        if (b < nB) s0[b * M + i] = -spec.H[i][b];
      }
    }
    return { M, H, A: diagonal(spec.A), B, S, s0, c: Float64Array.from(spec.h) };
  },
  namings: [
    { id: 'dendPLRNN (PyTorch: AW, h, alphas, thetas)', roles: { AW: ['AW'], h: ['h'], alpha: ['alphas'], H: ['thetas'] }, codeBase: 'dendplrnn-code' },
    { id: 'dendPLRNN (A, W, h, alpha, H)', roles: { A: ['A'], W: ['W'], h: ['h'], alpha: ['alpha', 'alphas', 'α'], H: ['H', 'thetas', 'θ'] } },
  ],
};
