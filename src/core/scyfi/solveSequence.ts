import { InputError } from '../errors';
import { PiecewiseAffineMap } from '../model/types';
import { normInf } from '../linalg/lu';
import { CandidateSolver, Outcome } from './candidate';
import { layoutOf, packSequence, unpackSequence } from './sequence';
import { verifyOrbit } from './verify';

/** The candidate cycle of one region sequence, for following a branch across models. */
export interface SequenceSolution {
  /** singular: I − F not invertible; virtual: the points lie elsewhere; consistent: a cycle. */
  status: 'singular' | 'consistent' | 'virtual';
  /** z_1 … z_k in the order of the sequence (empty when singular). */
  points: number[][];
  /** F = J_k ⋯ J_1, row-major M×M (empty when singular). */
  jacobian: Float64Array;
  /** u_j = S z_j + s0 for each point. */
  switches: number[][];
  /** With an output clip: y_j = A z_j + B (u_j)₊ + c before the clip. */
  preClip?: number[][];
  /** The regions the points actually lie in (strict u > 0). */
  regions: string[];
  /** Consistent and confirmed on the map itself with least period k. */
  verified: boolean;
}

/**
 * Solves z_1 = F z_1 + g for one region sequence (texts as Cycle.regions has them). Cheap: one
 * k-step product and one LU solve. Pass a solver (made for a map of the same dimensions and at
 * least this order) to reuse its buffers across many calls.
 */
export function solveSequence(map: PiecewiseAffineMap, regions: readonly string[], solver?: CandidateSolver): SequenceSolution {
  const k = regions.length;
  const layout = layoutOf(map);
  const seq = packSequence(regions, layout);
  if (!seq || k === 0) throw new InputError(`a region sequence does not fit the model (${regions.join(' ')})`);
  const s = solver && solver.maxOrder >= k ? solver : new CandidateSolver(map, k);
  s.retarget(map);
  const outcome = s.solve(seq, k);
  const { M, H } = map;
  if (outcome === Outcome.Singular) return { status: 'singular', points: [], jacobian: new Float64Array(0), switches: [], regions: [], verified: false };
  const rows = (buf: Float64Array, n: number) => Array.from({ length: k }, (_, j) => Array.from(buf.subarray(j * n, (j + 1) * n)));
  const consistent = outcome === Outcome.Consistent;
  return {
    status: consistent ? 'consistent' : 'virtual',
    points: rows(s.orbit, M),
    jacobian: Float64Array.from(s.product(k)),
    switches: rows(s.u, H),
    preClip: map.clip ? rows(s.y, M) : undefined,
    regions: unpackSequence(s.next, k, layout),
    verified: consistent && verifyOrbit(map, s.orbit, k, (j) => normInf(s.product(j + 1), M)),
  };
}
