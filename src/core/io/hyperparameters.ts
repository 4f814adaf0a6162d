// The hyperparameters a training run writes next to its checkpoints (hypers.pkl, hypers.txt,
// args.json, config.json, hparams.yaml, …): they say what the tensors alone cannot (which
// variant of a model, mean-centring, the state clip, an ALRNN's P).
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors';
import { parseJsonText } from './json';
import { BufferSource } from './source';
import { PyDict, type PyValue } from './pickle';
import { readDataPickle, type ScalarValue } from './torch';

export type HyperValue = ScalarValue;

/** Flat key → value, nested keys joined by dots; `sources` names where each value came from. */
export interface Hyperparameters {
  values: Record<string, HyperValue>;
  sources: Record<string, string>;
}

/** Hyperparameter files looked for, in this order, in the checkpoint's folder and then its parent. */
export const HYPERPARAMETER_FILES = ['hypers.pkl', 'hypers.txt', 'hypers.json', 'args.json', 'config.json', 'hparams.yaml', 'hparams.yml', 'hyperparameters.json'];
/** Larger files are not hyperparameter files. */
const MAX_BYTES = 1024 * 1024;
const MAX_KEYS = 5000;

export function emptyHyperparameters(): Hyperparameters {
  return { values: Object.create(null) as Record<string, HyperValue>, sources: Object.create(null) as Record<string, string> };
}

function put(h: Hyperparameters, key: string, v: HyperValue, source: string): void {
  if (key in h.values || Object.keys(h.values).length >= MAX_KEYS) return;
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
  h.values[key] = v;
  h.sources[key] = source;
}

/** Adds every value of `more` that `h` does not have yet (earlier sources win). */
export function mergeHyperparameters(h: Hyperparameters, values: Record<string, unknown>, source: string): void {
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > 8) return;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
      if (path) put(h, path, v, source);
      return;
    }
    if (typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v as object)) walk(x, path ? `${path}.${k}` : k, depth + 1);
  };
  walk(values, '', 0);
}

/** Adds the values of `from` that `h` does not have, keeping where each came from. */
export function addHyperparameters(h: Hyperparameters, from: Hyperparameters): void {
  for (const [k, v] of Object.entries(from.values)) put(h, k, v, from.sources[k]);
}

function fromPickle(v: PyValue): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (x: PyValue, depth: number): unknown => {
    if (x instanceof PyDict && depth < 8) {
      const o: Record<string, unknown> = {};
      for (const [k, y] of x.map) if (typeof k === 'string') o[k] = walk(y, depth + 1);
      return o;
    }
    return typeof x === 'bigint' ? Number(x) : x === null || ['number', 'string', 'boolean'].includes(typeof x) ? x : undefined;
  };
  const top = walk(v, 0);
  if (top && typeof top === 'object') Object.assign(out, top);
  return out;
}

/** "12" → 12, "None" → null, "True" → true; anything else stays text. */
function scalarText(raw: string): HyperValue {
  const t = raw.trim().replace(/^(['"])(.*)\1$/, '$2');
  if (t === 'None' || t === 'null' || t === '~') return null;
  if (t === 'True' || t === 'true') return true;
  if (t === 'False' || t === 'false') return false;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** "key value" lines (the dendPLRNN code's hypers.txt). */
function fromKeyValueLines(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][\w.-]*)\s*[ :=]\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = scalarText(m[2]);
  }
  return out;
}

/** The flat `key: value` part of a YAML file (Lightning's hparams.yaml); nested blocks become dotted keys. */
function fromSimpleYaml(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const stack: { indent: number; key: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line) || /^\s*-/.test(line)) continue;
    const m = /^(\s*)([A-Za-z_][\w.-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const key = [...stack.map((s) => s.key), m[2]].join('.');
    if (m[3] === '' || m[3].startsWith('#')) stack.push({ indent, key: m[2] });
    else out[key] = scalarText(m[3].replace(/\s+#.*$/, ''));
  }
  return out;
}

/** Reads one hyperparameter file; an InputError when it is not readable as such. */
export function parseHyperparameterFile(name: string, bytes: Uint8Array): Record<string, unknown> {
  if (/\.pkl$/i.test(name)) return fromPickle(readDataPickle(new BufferSource(name, bytes)));
  const text = Buffer.from(bytes).toString('utf8');
  if (/\.json$/i.test(name)) {
    const v = parseJsonText(text, name);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`${name}: a hyperparameter file must hold a JSON object`);
    return v as Record<string, unknown>;
  }
  if (/\.ya?ml$/i.test(name)) return fromSimpleYaml(text);
  return fromKeyValueLines(text);
}

async function readSmall(path: string): Promise<Uint8Array | undefined> {
  try {
    const st = await fs.stat(path);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    return await fs.readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * The hyperparameter files of the run a checkpoint belongs to: its folder first, then the parent
 * (DynaMix keeps config.json one level above checkpoints/); `config_<name>.json` beside
 * `<name>.safetensors` too. Unreadable files are reported in `problems`, never fatal.
 */
export async function findHyperparameters(checkpointPath: string): Promise<{ hypers: Hyperparameters; files: string[]; problems: string[] }> {
  const hypers = emptyHyperparameters();
  const files: string[] = [];
  const problems: string[] = [];
  const dir = dirname(checkpointPath);
  const stem = basename(checkpointPath).replace(/\.[^.]*$/, '');
  const candidates = [join(dir, `config_${stem}.json`), ...HYPERPARAMETER_FILES.map((f) => join(dir, f)), ...HYPERPARAMETER_FILES.map((f) => join(dirname(dir), f))];
  for (const path of candidates) {
    const bytes = await readSmall(path);
    if (!bytes) continue;
    const shown = path.startsWith(dir + '/') || dirname(path) === dir ? basename(path) : `../${basename(path)}`;
    try {
      mergeHyperparameters(hypers, parseHyperparameterFile(shown, bytes), shown);
      files.push(shown);
    } catch (e) {
      problems.push(e instanceof InputError ? e.message : `${shown}: ${String(e)}`);
    }
  }
  return { hypers, files, problems };
}
