// Parameter references such as "W[1][0]", "h2[3]", "alpha[1]" or a whole "W": parsed and
// printed here only, with reading and writing of the entry they name in a model spec.
import { InputError } from '../errors';
import { parameterDef } from './registry';
import { ModelSpec } from './types';

export interface ParamRef {
  /** Key in the JSON model format. */
  readonly name: string;
  /** [] for a whole parameter, [i] for a vector entry, [i, j] for a matrix entry. */
  readonly index: readonly number[];
}

const REF = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d{1,9}\]){0,2})$/;

/** { name: 'W', index: [1, 0] } for "W[1][0]"; undefined when the text is not a reference. */
export function parseParamRef(text: string): ParamRef | undefined {
  const m = REF.exec(text.trim());
  if (!m) return undefined;
  const index = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  return { name: m[1], index };
}

/** "W[1][0]" for { name: 'W', index: [1, 0] }. */
export function formatParamRef(ref: ParamRef): string {
  return ref.name + ref.index.map((i) => `[${i}]`).join('');
}

export function isParamRefText(text: string): boolean {
  return REF.test(text);
}

function shapeText(v: unknown): string {
  if (typeof v === 'number') return 'a scalar';
  if (Array.isArray(v) && Array.isArray(v[0])) return `${v.length}×${(v[0] as unknown[]).length}`;
  if (Array.isArray(v)) return `of length ${v.length}`;
  return 'not an array';
}

/**
 * Checks that `ref` names one real-valued entry of `spec` (a number one can sweep) and returns
 * where it sits; a one-line InputError naming the reference otherwise.
 */
function locate(spec: ModelSpec, ref: ParamRef): { container: number[]; at: number } {
  const text = formatParamRef(ref);
  const record = spec as unknown as Record<string, unknown>;
  const def = parameterDef(spec.architecture, ref.name);
  if (!def || !(ref.name in record)) {
    throw new InputError(`${text}: a ${spec.architecture} model has no parameter ${ref.name}`);
  }
  if (def.kind === 'count') throw new InputError(`${text}: ${ref.name} is a whole number (${def.role}), not a real-valued parameter`);
  const v = record[ref.name];
  const isMatrix = Array.isArray(v) && Array.isArray((v as unknown[])[0]);
  const need = isMatrix ? 2 : 1;
  if (ref.index.length !== need) {
    throw new InputError(`${text}: ${ref.name} is ${isMatrix ? 'a matrix' : 'a vector'} (${shapeText(v)}): name one entry as ${ref.name}${isMatrix ? '[i][j]' : '[i]'}`);
  }
  if (isMatrix) {
    const m = v as number[][];
    const [i, j] = ref.index;
    if (i >= m.length || j >= m[0].length) throw new InputError(`${text} is not an entry of ${ref.name}, which is ${shapeText(v)}`);
    return { container: m[i], at: j };
  }
  const vec = v as number[];
  if (ref.index[0] >= vec.length) throw new InputError(`${text} is not an entry of ${ref.name}, which is ${shapeText(v)}`);
  return { container: vec, at: ref.index[0] };
}

/** The value of one entry; throws a one-line InputError when `ref` is not an entry of `spec`. */
export function getEntry(spec: ModelSpec, ref: ParamRef): number {
  const { container, at } = locate(spec, ref);
  return container[at];
}

/** A copy of `spec` with one entry changed (the original is not touched). */
export function withEntry(spec: ModelSpec, ref: ParamRef, value: number): ModelSpec {
  const copy = structuredClone(spec);
  const { container, at } = locate(copy, ref);
  container[at] = value;
  return copy;
}

/** Every real-valued entry of a spec, in key order then row-major, with its value. */
export function listEntries(spec: ModelSpec): { ref: ParamRef; value: number }[] {
  const out: { ref: ParamRef; value: number }[] = [];
  const record = spec as unknown as Record<string, unknown>;
  for (const [name, v] of Object.entries(record)) {
    const def = parameterDef(spec.architecture, name);
    if (!def || def.kind === 'count' || !Array.isArray(v)) continue;
    if (Array.isArray(v[0])) (v as number[][]).forEach((row, i) => row.forEach((x, j) => out.push({ ref: { name, index: [i, j] }, value: x })));
    else (v as number[]).forEach((x, i) => out.push({ ref: { name, index: [i] }, value: x }));
  }
  return out;
}
