import { ArchitectureDef, biasH, CLIP_OPTION, diagonalA, entries } from '../architecture';
import { diagonal, zeros } from '../dense';
import { AlrnnSpec } from '../types';

export const alrnn: ArchitectureDef<AlrnnSpec> = {
  id: 'alrnn',
  title: 'Almost-linear RNN',
  update: "z' = A z + W [z_1..z_{M−P}; relu(z_{M−P+1..M})] + h",
  parameters: [
    diagonalA,
    { key: 'W', kind: 'matrix', shape: 'M×M', role: 'recurrent weights (the last P units act through a ReLU)', description: 'M×M connection weights.', entry: entries.recurrent },
    biasH,
    {
      key: 'P',
      kind: 'count',
      shape: 'scalar',
      role: 'number of switching units (the last P pass through a ReLU)',
      description: 'Number of switching units: the last P of the M units pass through a ReLU.',
      entry: () => 'scalar',
    },
  ],
  options: [CLIP_OPTION],
  validate(c) {
    const { A, W, h } = c.diagonalPlrnn();
    const M = A.length;
    const P = c.number(c.obj.P, ['P']);
    if (!Number.isInteger(P) || P < 0 || P > M) c.fail(['P'], `must be a whole number of switching units from 0 to M = ${M}, got ${P}`);
    return { architecture: 'alrnn', A, W, h, P };
  },
  reduce(spec) {
    // The first M−P units enter W linearly, so their columns of W join the linear part.
    const M = spec.A.length;
    const P = spec.P;
    const L = M - P;
    const A = diagonal(spec.A);
    const B = zeros(M, P);
    const S = zeros(P, M);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < L; j++) A[i * M + j] += spec.W[i][j];
      for (let j = 0; j < P; j++) B[i * P + j] = spec.W[i][L + j];
    }
    for (let j = 0; j < P; j++) S[j * M + L + j] = 1;
    return { M, H: P, A, B, S, s0: zeros(P, 1), c: Float64Array.from(spec.h) };
  },
  namings: [],
  sameTensorsAs: 'plrnn',
};
