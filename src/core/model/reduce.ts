import { defOf } from './registry';
import { ModelSpec, PiecewiseAffineMap } from './types';

/**
 * Reduces a validated model to the piecewise-affine form of science.md §1:
 * u = S z + s0, d = [u > 0], z' = A z + B (d ⊙ u) + c.
 */
export function buildMap(spec: ModelSpec): PiecewiseAffineMap {
  return defOf(spec).reduce(spec);
}
