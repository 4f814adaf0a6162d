import { buildMap } from './reduce';
import { Model, ModelSpec } from './types';
import { searchSettingsOf } from './search';
import { validateModelSpec } from './validate';

export * from './types';
export { buildMap } from './reduce';
export { validateModelSpec, MAX_DIMENSION } from './validate';
export { step, stepInto } from './evaluate';
export { architectureDef, defOf, describeParam, isArchitecture, parameterDef, parameterKeys, TENSOR_NAMINGS, tensorFamily } from './registry';
export type { ArchitectureDef, ParameterDef, TensorNaming, TensorRole } from './architecture';
export { applySearchSettings, MAX_SEARCH_ORDER, SEARCH_KEY, SEARCH_SETTING_KEYS, searchSettingsOf, type SearchSettingKey, type SearchSettings } from './search';
export { formatParamRef, getEntry, isParamRefText, listEntries, parseParamRef, withEntry, type ParamRef } from './paramRef';

/** Validates a parsed JSON model and reduces it to its map. */
export function modelFromSpec(value: unknown, source: string): Model {
  const spec: ModelSpec = validateModelSpec(value, source);
  const search = searchSettingsOf(value as Record<string, unknown>, source);
  return search ? { spec, map: buildMap(spec), search } : { spec, map: buildMap(spec) };
}
