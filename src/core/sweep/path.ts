// A path of models m(t), t in [0, 1]: one parameter entry moved from a to b, or the straight
// line between two whole models of the same shape (consecutive checkpoints of a training run).
import { InputError } from '../errors';
import { buildMap } from '../model/reduce';
import { defOf } from '../model/registry';
import { formatParamRef, getEntry, withEntry, type ParamRef } from '../model/paramRef';
import { ModelSpec, PiecewiseAffineMap } from '../model/types';
import { validateModelSpec } from '../model/validate';

export type ModelPath =
  | { kind: 'entry'; spec: ModelSpec; ref: ParamRef; from: number; to: number }
  | { kind: 'line'; from: ModelSpec; to: ModelSpec; fromName?: string; toName?: string }
  | PolylinePath;

/**
 * The straight lines through a sequence of models (a training run's checkpoints): model i sits
 * at t = ts[i] (increasing, from 0 to 1) and stands for `values[i]` (its epoch or step).
 */
export interface PolylinePath {
  kind: 'polyline';
  specs: ModelSpec[];
  ts: number[];
  values: number[];
  names: string[];
  /** What values are: "epoch" or "step". */
  unit: string;
}

/**
 * The path through models at increasing `values` (epochs); consecutive models must have one
 * architecture, shapes and options (a one-line InputError names the first that does not).
 */
export function polylinePath(specs: ModelSpec[], values: number[], names: string[], unit = 'epoch'): PolylinePath {
  if (specs.length < 2) throw new InputError(`a run needs at least two models, got ${specs.length}`);
  for (let i = 1; i < specs.length; i++) {
    if (!(values[i] > values[i - 1])) throw new InputError(`${names[i]}: its ${unit} ${values[i]} does not come after ${values[i - 1]} of ${names[i - 1]}`);
    linePath(specs[i - 1], specs[i], names[i - 1], names[i]);
  }
  const span = values[values.length - 1] - values[0];
  const ts = values.map((v, i) => (i === values.length - 1 ? 1 : (v - values[0]) / span));
  return { kind: 'polyline', specs, ts, values, names, unit };
}

/** The segment of a polyline that holds t: i with ts[i] ≤ t ≤ ts[i+1], and where in it. */
function segment(p: PolylinePath, t: number): { i: number; s: number } {
  let lo = 0;
  let hi = p.ts.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p.ts[mid] <= t) lo = mid;
    else hi = mid;
  }
  const s = (t - p.ts[lo]) / (p.ts[lo + 1] - p.ts[lo]);
  return { i: lo, s: Math.min(1, Math.max(0, s)) };
}

/** An entry path; a one-line InputError when the entry does not exist or the range is not finite. */
export function entryPath(spec: ModelSpec, ref: ParamRef, from: number, to: number): ModelPath {
  getEntry(spec, ref);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new InputError(`the range of ${formatParamRef(ref)} must be two finite numbers, got ${from} and ${to}`);
  if (from === to) throw new InputError(`the range of ${formatParamRef(ref)} is empty: from and to are both ${from}`);
  return { kind: 'entry', spec, ref, from, to };
}

function sameShape(a: unknown, b: unknown, key: string, names: [string, string]): void {
  const shape = (v: unknown) => (Array.isArray(v) ? (Array.isArray(v[0]) ? `${v.length}×${(v[0] as unknown[]).length}` : `${v.length}`) : typeof v);
  if (shape(a) !== shape(b)) throw new InputError(`${names[1]}: ${key} is ${shape(b)} but ${shape(a)} in ${names[0]}: the line between two models needs models of the same shape`);
}

/** The line between two models; they must have the same architecture, shapes and options. */
export function linePath(from: ModelSpec, to: ModelSpec, fromName = 'the first model', toName = 'the second model'): ModelPath {
  if (from.architecture !== to.architecture) {
    throw new InputError(`${toName} is a ${to.architecture} model and ${fromName} a ${from.architecture} model: the line between two models needs one architecture`);
  }
  const def = defOf(from);
  const a = from as unknown as Record<string, unknown>;
  const b = to as unknown as Record<string, unknown>;
  for (const p of def.parameters) {
    if (p.kind === 'count') {
      if (a[p.key] !== b[p.key]) throw new InputError(`${toName}: ${p.key} is ${String(b[p.key])} but ${String(a[p.key])} in ${fromName}: it cannot be interpolated`);
    } else sameShape(a[p.key], b[p.key], p.key, [fromName, toName]);
  }
  for (const o of def.options) {
    if (JSON.stringify(a[o.key]) !== JSON.stringify(b[o.key])) {
      throw new InputError(`${toName}: ${o.key} is ${JSON.stringify(b[o.key])} but ${JSON.stringify(a[o.key])} in ${fromName}: the two models must have the same options`);
    }
  }
  return { kind: 'line', from, to, fromName, toName };
}

function lerp(a: unknown, b: unknown, t: number): unknown {
  if (typeof a === 'number' && typeof b === 'number') return t === 1 ? b : a + t * (b - a);
  if (Array.isArray(a) && Array.isArray(b)) return a.map((x, i) => lerp(x, b[i], t));
  return a;
}

/** The parameter value at t: the entry's value, or t itself on a line between models. */
export function valueAt(path: ModelPath, t: number): number {
  if (path.kind === 'line') return t;
  if (path.kind === 'polyline') {
    const { i, s } = segment(path, t);
    return s === 1 ? path.values[i + 1] : path.values[i] + s * (path.values[i + 1] - path.values[i]);
  }
  return t === 1 ? path.to : path.from + t * (path.to - path.from);
}

/** t for a parameter value (inverse of valueAt). */
export function tOf(path: ModelPath, value: number): number {
  if (path.kind === 'polyline') {
    const v = path.values;
    let i = 0;
    while (i < v.length - 2 && v[i + 1] < value) i++;
    return path.ts[i] + ((value - v[i]) / (v[i + 1] - v[i])) * (path.ts[i + 1] - path.ts[i]);
  }
  return path.kind === 'line' ? value : (value - path.from) / (path.to - path.from);
}

function between(from: ModelSpec, to: ModelSpec, t: number): ModelSpec {
  if (t === 0) return from;
  if (t === 1) return to;
  const out: Record<string, unknown> = { ...from };
  const b = to as unknown as Record<string, unknown>;
  for (const p of defOf(from).parameters) if (p.kind !== 'count') out[p.key] = lerp((from as unknown as Record<string, unknown>)[p.key], b[p.key], t);
  return out as unknown as ModelSpec;
}

export function specAt(path: ModelPath, t: number): ModelSpec {
  if (path.kind === 'entry') return withEntry(path.spec, path.ref, valueAt(path, t));
  if (path.kind === 'polyline') {
    const { i, s } = segment(path, t);
    return between(path.specs[i], path.specs[i + 1], s);
  }
  return between(path.from, path.to, t);
}

export function mapAt(path: ModelPath, t: number): PiecewiseAffineMap {
  return buildMap(specAt(path, t));
}

/** The first model of the path, validated (so a path never starts from a broken model). */
export function checkPath(path: ModelPath): void {
  validateModelSpec(specAt(path, 0), 'the model at the start of the path');
  validateModelSpec(specAt(path, 1), 'the model at the end of the path');
}

/** "W[0][0] from 1.3 to −6.2", "the line from a.pt to b.pt". */
export function describePath(path: ModelPath): string {
  if (path.kind === 'polyline') return `${path.specs.length} models from ${path.unit} ${path.values[0]} to ${path.values[path.values.length - 1]}`;
  return path.kind === 'entry'
    ? `${formatParamRef(path.ref)} from ${path.from} to ${path.to}`
    : `the line from ${path.fromName ?? 'the first model'} (t = 0) to ${path.toName ?? 'the second model'} (t = 1)`;
}

/** n values of t from 0 to 1, both included (n ≥ 2). */
export function stepTs(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : i / (n - 1)));
}

/** Where a path's n steps are: evenly spaced, or a polyline's own models. */
export function pathStepTs(path: ModelPath, n: number): number[] {
  if (path.kind === 'polyline') {
    if (n !== path.ts.length) throw new InputError(`a run of ${path.ts.length} models is searched at ${path.ts.length} steps, not ${n}`);
    return path.ts;
  }
  return stepTs(n);
}
