import { InputError } from '../errors';
import { Checker, typeName } from './checker';
import { searchSettingsOf } from './search';
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
  const def = architectureDef(arch);
  const spec = def.validate(c) as ModelSpec & Record<string, unknown>;
  for (const o of def.options) {
    if (!c.has(o.key)) continue;
    const v = obj[o.key];
    switch (o.kind) {
      case 'boolean':
        if (typeof v !== 'boolean') c.fail([o.key], `must be true or false (${o.role}), got ${typeName(v)}`);
        break;
      case 'positive':
        if (c.number(v, [o.key]) <= 0) c.fail([o.key], `must be a positive number (${o.role}), got ${v as number}`);
        break;
      case 'fraction': {
        const x = c.number(v, [o.key]);
        if (x < 0 || x >= 1) c.fail([o.key], `must be a number in [0, 1) (${o.role}), got ${x}`);
        break;
      }
      case 'enum':
        if (typeof v !== 'string' || !o.values!.includes(v)) c.fail([o.key], `must be one of ${o.values!.map((x) => JSON.stringify(x)).join(', ')} (${o.role}), got ${JSON.stringify(v)}`);
        break;
    }
    spec[o.key] = v;
  }
  // Checked here too, so that the editor's diagnostics mark a bad block while typing.
  searchSettingsOf(obj, source);
  return spec;
}
