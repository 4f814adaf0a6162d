import { ArchitectureDef, CLIP_OPTION } from '../architecture';
import { MAX_DIMENSION } from '../checker';
import { dense } from '../dense';
import { PamSpec } from '../types';

export const pam: ArchitectureDef<PamSpec> = {
  id: 'pam',
  title: 'Piecewise-affine map written out',
  update: "z' = A z + B relu(S z + s0) + c",
  parameters: [
    { key: 'A', kind: 'matrix', shape: 'M×M', role: 'linear part', description: 'M×M linear part.', entry: ([i, j]) => `row ${i} column ${j}: linear effect of unit ${j} on unit ${i}` },
    { key: 'B', kind: 'matrix', shape: 'M×H', role: 'switch-to-state weights', description: 'M×H weights of the switches.', entry: ([i, j]) => `row ${i} column ${j}: effect of switch ${j} on unit ${i}` },
    { key: 'S', kind: 'matrix', shape: 'H×M', role: 'state-to-switch weights', description: 'H×M: u = S z + s0 is what each switch sees.', entry: ([i, j]) => `row ${i} column ${j}: weight of unit ${j} in switch ${i}` },
    { key: 's0', kind: 'vector', shape: 'H', role: 'switch offsets', description: 'H offsets of the switches.', entry: ([i]) => `entry ${i}: offset of switch ${i} (its threshold, negated)` },
    { key: 'c', kind: 'vector', shape: 'M', role: 'bias', description: 'M biases.', entry: ([i]) => `entry ${i}: bias of unit ${i}` },
  ],
  options: [CLIP_OPTION],
  validate(c) {
    const cv = c.vector('c', 'M biases');
    const M = cv.length;
    const s0 = c.vector('s0', 'H switch offsets');
    const H = s0.length;
    const A = c.matrix('A', 'M×M');
    c.shape('A', A, M, M, `M×M with M = ${M} from c`);
    const B = c.matrix('B', 'M×H');
    c.shape('B', B, M, H, `M×H with M = ${M} from c and H = ${H} from s0`);
    const S = c.matrix('S', 'H×M');
    c.shape('S', S, H, M, `H×M with H = ${H} from s0 and M = ${M} from c`);
    if (H > MAX_DIMENSION) c.fail(['s0'], `has ${H} switches, more than the limit of ${MAX_DIMENSION}`);
    return { architecture: 'pam', A, B, S, s0, c: cv };
  },
  reduce: (spec) => ({ M: spec.c.length, H: spec.s0.length, A: dense(spec.A), B: dense(spec.B), S: dense(spec.S), s0: Float64Array.from(spec.s0), c: Float64Array.from(spec.c) }),
  namings: [],
};
