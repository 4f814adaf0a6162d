import { ArchitectureDef, biasH, entries } from '../architecture';
import { dense, diagonal, identity, zeros } from '../dense';
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
    return { M, H: M, A, B: dense(spec.W), S: identity(M), s0: zeros(M, 1), c: Float64Array.from(spec.h) };
  },
  namings: [
    // dendPLRNN code base: one matrix with A on its diagonal and W off it.
    { id: 'PLRNN (PyTorch: AW, h)', roles: { AW: ['AW'], h: ['h'] } },
    { id: 'reg-PLRNN (A.weight, W.weight, W.bias)', roles: { A: ['A.weight', 'A'], Wreg: ['W.weight'], h: ['W.bias'] } },
    { id: 'PLRNN (A, W, h)', roles: { A: ['A'], W: ['W'], h: ['h'] } },
  ],
};
