import { defOf } from './registry';
import { ModelSpec, PiecewiseAffineMap } from './types';

/**
 * Reduces a validated model to the piecewise-affine form of science.md §1:
 * u = S z + s0, d = [u > 0], z' = clip(A z + B (d ⊙ u) + c) with the clip only when the spec has one.
 */
export function buildMap(spec: ModelSpec): PiecewiseAffineMap {
  const map = defOf(spec).reduce(spec);
  if (spec.clip === undefined) return map;
  const r = spec.clip;
  return { ...map, clip: { lo: new Float64Array(map.M).fill(-r), hi: new Float64Array(map.M).fill(r) } };
}
