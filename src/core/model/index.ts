import { buildMap } from './reduce';
import { Model, ModelSpec } from './types';
import { validateModelSpec } from './validate';

export * from './types';
export { buildMap } from './reduce';
export { validateModelSpec, MAX_DIMENSION } from './validate';
export { step, stepInto } from './evaluate';
export { architectureDef, defOf, describeParam, isArchitecture, parameterDef, parameterKeys, TENSOR_NAMINGS, tensorFamily } from './registry';
export type { ArchitectureDef, ParameterDef, TensorNaming, TensorRole } from './architecture';
export { formatParamRef, getEntry, isParamRefText, listEntries, parseParamRef, withEntry, type ParamRef } from './paramRef';

/** Validates a parsed JSON model and reduces it to its map. */
export function modelFromSpec(value: unknown, source: string): Model {
  const spec: ModelSpec = validateModelSpec(value, source);
  return { spec, map: buildMap(spec) };
}
