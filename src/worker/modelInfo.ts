import type { ModelSpec, PiecewiseAffineMap } from '../core/model/types';
import { defOf } from '../core/model/registry';
import type { ModelInfo, ParamInfo } from '../shared/shapes';

/** Parameters with more entries than this are shown by name and shape only. */
const MAX_SHOWN_ENTRIES = 1024;

function shapeOf(v: unknown): number[] {
  if (typeof v === 'number') return [];
  if (Array.isArray(v) && Array.isArray(v[0])) return [v.length, (v[0] as unknown[]).length];
  if (Array.isArray(v)) return [v.length];
  return [];
}

/** What the panel needs to know about a model: dimensions and each parameter. */
export function modelInfo(spec: ModelSpec, map: PiecewiseAffineMap, format: string, notes: readonly string[] = []): ModelInfo {
  const record = spec as unknown as Record<string, unknown>;
  const options = defOf(spec)
    .options.filter((o) => record[o.key] !== undefined)
    .map((o) => ({ key: o.key, value: JSON.stringify(record[o.key]), role: o.role }));
  const parameters: ParamInfo[] = defOf(spec)
    .parameters.filter((p) => record[p.key] !== undefined)
    .map((p) => {
      const value = record[p.key];
      const shape = shapeOf(value);
      const entries = shape.reduce((a, b) => a * b, 1);
      return { name: p.key, shape, role: p.role, values: entries <= MAX_SHOWN_ENTRIES ? (value as ParamInfo['values']) : undefined };
    });
  return {
    architecture: spec.architecture,
    M: map.M,
    H: map.H,
    format,
    parameters,
    ...(options.length ? { options } : {}),
    ...(notes.length ? { notes: [...notes] } : {}),
  };
}
