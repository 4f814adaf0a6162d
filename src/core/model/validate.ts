import { InputError } from '../errors';
import { Checker, typeName } from './checker';
import { architectureDef, isArchitecture, parameterKeys } from './registry';
import { ARCHITECTURES, ModelSpec } from './types';

export { MAX_DIMENSION } from './checker';

/**
 * Validates a parsed model in the project's JSON format (schemas/model.schema.json).
 * Throws an InputError naming `source`, the key and the problem; keys other than the
 * architecture's own (e.g. "$schema", "name", metadata) are ignored.
 */
export function validateModelSpec(value: unknown, source: string): ModelSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${source}: a model must be a JSON object, got ${typeName(value)}`, []);
  }
  const obj = value as Record<string, unknown>;
  const c: Checker = new Checker(source, obj);
  const arch = obj.architecture;
  if (arch === undefined) c.fail(['architecture'], `is missing (one of ${ARCHITECTURES.join(', ')})`);
  if (!isArchitecture(arch)) c.fail(['architecture'], `${JSON.stringify(arch)} is not a known architecture (one of ${ARCHITECTURES.join(', ')})`);
  const keys = parameterKeys(arch);
  for (const key of keys) {
    if (!(key in obj)) c.fail([key], `is missing (a ${arch} model needs ${keys.join(', ')})`);
  }
  return architectureDef(arch).validate(c);
}
