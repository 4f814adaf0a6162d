// Search settings a JSON model file may carry, in an optional "scyfi" block:
// `{ "scyfi": { "maxOrder": 16 } }`. An example model says with it which orders show what it
// is for; a run's own settings (a command's arguments, the custom-settings box) still win.
import { InputError } from '../errors';
import { pathText, typeName, type JsonPath } from './checker';
import type { SearchSettings } from './types';

export type { SearchSettings };

/** The key of the block in a model file. */
export const SEARCH_KEY = 'scyfi';
/** Highest maxOrder a file may ask for (the editor setting's maximum too). */
export const MAX_SEARCH_ORDER = 200;

export const SEARCH_SETTING_KEYS = ['maxOrder', 'outerLoop', 'innerLoop', 'seed'] as const;
export type SearchSettingKey = (typeof SEARCH_SETTING_KEYS)[number];

const LIMITS: Record<SearchSettingKey, { min: number; max: number; what: string }> = {
  maxOrder: { min: 1, max: MAX_SEARCH_ORDER, what: 'the highest cycle order searched' },
  outerLoop: { min: 1, max: Number.MAX_SAFE_INTEGER, what: 'restarts without a new find before an order is given up' },
  innerLoop: { min: 1, max: Number.MAX_SAFE_INTEGER, what: 'jumps before a restart' },
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, what: 'the random seed' },
};

function fail(source: string, path: JsonPath, problem: string): never {
  throw new InputError(`${source}: ${pathText(path)} ${problem}`, path);
}

/**
 * The "scyfi" block of a parsed model file, checked: an object whose keys are search settings,
 * each a whole number in its range. Undefined when the file has no block.
 */
export function searchSettingsOf(model: Record<string, unknown>, source: string): SearchSettings | undefined {
  if (!Object.prototype.hasOwnProperty.call(model, SEARCH_KEY) || model[SEARCH_KEY] === undefined) return undefined;
  const block = model[SEARCH_KEY];
  if (typeof block !== 'object' || block === null || Array.isArray(block)) {
    fail(source, [SEARCH_KEY], `must be an object of search settings (e.g. {"maxOrder": 16}), got ${typeName(block)}`);
  }
  const out: SearchSettings = {};
  for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
    if (!(SEARCH_SETTING_KEYS as readonly string[]).includes(key)) {
      fail(source, [SEARCH_KEY, key], `is not a search setting (one of ${SEARCH_SETTING_KEYS.join(', ')})`);
    }
    const k = key as SearchSettingKey;
    const { min, max, what } = LIMITS[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      fail(source, [SEARCH_KEY, k], `must be a whole number ${range} (${what}), got ${typeof v === 'number' ? String(v) : typeName(v)}`);
    }
    out[k] = v;
  }
  return out;
}

export interface RunOptionsLike {
  maxOrder: number;
  outerLoop?: number;
  innerLoop?: number;
  seed: number;
}

/**
 * The options a run uses: `base` (from the settings), with the file's search settings on top,
 * except for the keys in `fixed` (set for this run by the user). `fromFile` lists the keys the
 * file decided.
 */
export function applySearchSettings<O extends RunOptionsLike>(base: O, file: SearchSettings | undefined, fixed: readonly string[] = []): { options: O; fromFile: SearchSettingKey[] } {
  const options = { ...base };
  const fromFile: SearchSettingKey[] = [];
  for (const k of SEARCH_SETTING_KEYS) {
    const v = file?.[k];
    if (v === undefined || fixed.includes(k)) continue;
    (options as RunOptionsLike)[k] = v;
    fromFile.push(k);
  }
  return { options, fromFile };
}
