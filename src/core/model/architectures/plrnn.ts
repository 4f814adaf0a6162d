import { ArchitectureDef, biasH, CLIP_OPTION, entries, MEAN_CENTERING_OPTION } from '../architecture';
import { centring, dense, diagonal, identity, matMul, zeros } from '../dense';
import { Matrix, PlrnnSpec, Vector } from '../types';

export const plrnn: ArchitectureDef<PlrnnSpec> = {
  id: 'plrnn',
  title: 'Piecewise-linear RNN',
  update: "z' = A z + W relu(z) + h",
  parameters: [
    {
      key: 'A',
      kind: 'vectorOrMatrix',
      shape: 'M or M×M',
      role: 'auto-regression weights (diagonal or M×M)',
      description: 'Diagonal (M) or full M×M matrix of linear auto-regression weights.',
      entry: (ix) => (ix.length === 1 ? `entry ${ix[0]}: self-coupling of unit ${ix[0]}` : `row ${ix[0]} column ${ix[1]}: linear effect of unit ${ix[1]} on unit ${ix[0]}`),
    },
    { key: 'W', kind: 'matrix', shape: 'M×M', role: 'recurrent weights', description: 'M×M connection weights (applied to relu(z)).', entry: entries.recurrent },
    biasH,
  ],
  options: [
    CLIP_OPTION,
    MEAN_CENTERING_OPTION,
    {
      key: 'leak',
      kind: 'fraction',
      role: 'LeakyReLU slope',
      description: 'LeakyReLU slope ℓ in [0, 1): φ(u) = ℓ u + (1 − ℓ) relu(u) replaces relu (the variational dendPLRNN code uses 0.18).',
    },
  ],
  validate(c) {
    const h = c.vector('h', 'M biases');
    const M = h.length;
    const rawA = c.obj.A;
    const A = Array.isArray(rawA) && Array.isArray(rawA[0]) ? c.matrix('A', 'M×M') : c.vector('A', 'the M diagonal entries');
    if (Array.isArray(A[0])) c.shape('A', A as Matrix, M, M, `M×M with M = ${M} from h`);
    else c.length('A', A as Vector, M, `the diagonal, M = ${M} from h`);
    const W = c.matrix('W', 'M×M');
    c.shape('W', W, M, M, `M×M with M = ${M} from h`);
    return { architecture: 'plrnn', A, W, h };
  },
  reduce(spec) {
    const M = spec.h.length;
    const A = Array.isArray(spec.A[0]) ? dense(spec.A as Matrix) : diagonal(spec.A as Vector);
    const S = spec.meanCentering ? centring(M) : identity(M);
    const W = dense(spec.W);
    const leak = spec.leak ?? 0;
    if (leak === 0) return { M, H: M, A, B: W, S, s0: zeros(M, 1), c: Float64Array.from(spec.h) };
    // φ(u) = ℓ u + (1 − ℓ) relu(u): the linear part joins A, the rest is a ReLU with weights (1 − ℓ) W.
    const WS = matMul(W, S, M, M, M);
    for (let i = 0; i < M * M; i++) A[i] += leak * WS[i];
    return { M, H: M, A, B: W.map((x) => (1 - leak) * x), S, s0: zeros(M, 1), c: Float64Array.from(spec.h) };
  },
  namings: [
    // dendPLRNN code base: one matrix with A on its diagonal and W off it.
    { id: 'PLRNN (PyTorch: AW, h)', roles: { AW: ['AW'], h: ['h'] }, codeBase: 'dendplrnn-code' },
    { id: 'reg-PLRNN (A.weight, W.weight, W.bias)', roles: { A: ['A.weight', 'A'], Wreg: ['W.weight'], h: ['W.bias'] } },
    { id: 'PLRNN (A, W, h)', roles: { A: ['A'], W: ['W'], h: ['h'] }, codeBase: 'plain-plrnn' },
  ],
};
