import { InputError } from '../errors';
import { Architecture } from '../model/types';
import { JULIA_FIELDS } from './bson';
import { H5Object, H5Record, H5Ref, H5Type, H5Value, Hdf5File, datasetTensor, datasetValues } from './hdf5';
import { Tensor, elementCount, fortranStrides, gatherStrided } from './tensor';
import type { ScalarValue } from './torch';

/*
 * JLD2 files (Julia): HDF5 with a 512-byte text header. Julia arrays of numbers are datasets
 * whose HDF5 dims are Julia's size reversed, holding the column-major Julia memory. Julia
 * structs, tuples and named tuples are committed compound datatypes in /_types, each with a
 * `julia_type` attribute (name, parameters); fields that are arrays (or not isbits) hold object
 * references to unnamed datasets. Types whose instances hold no data are 1-byte opaque types
 * with `empty = 1`. Type parameters are references to committed types or to datasets holding
 * values (integers, tuples, symbols, ranges, named tuples): a ComponentArray's names and slices
 * exist only there, in its Axis type parameter.
 */

/** A Julia type as JLD2 stores it: a name and its parameters (types or values). */
export interface JType {
  kind: 'type';
  name: string;
  params: JParam[];
}
/** A value used as a type parameter (an Int, a tuple, a range, a named tuple…). */
interface JVal {
  kind: 'value';
  type: JType | undefined;
  value: H5Value;
}
type JParam = JType | JVal;

const MAX_DEPTH = 64;
/** Most named parts of one ComponentArray. */
const MAX_PARTS = 100_000;

/** The last part of a Julia type name: "Main.PLRNNs.PLRNN" → "PLRNN". */
function lastName(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1];
}

/** A Julia type as text, for messages (cut at about 400 characters). */
export function formatJType(p: JParam | undefined, depth = 0, budget = { left: 400 }): string {
  if (!p) return '?';
  if (depth > 12 || (budget.left -= 8) < 0) return '…';
  if (p.kind === 'type') return p.params.length ? `${p.name}{${p.params.map((x) => formatJType(x, depth + 1, budget)).join(',')}}` : p.name;
  const v = p.value;
  const show = (x: H5Value): string =>
    x instanceof H5Record ? `(${[...x.fields.values()].map(show).join(',')})` : Array.isArray(x) ? `[${x.map(show).join(',')}]` : typeof x === 'string' ? `:${x}` : x instanceof H5Ref ? '@' : Buffer.isBuffer(x) ? `${p.type ? formatJType(p.type, depth + 1, budget) : '?'}()` : String(x);
  return show(v);
}

class Jld2Reader {
  private readonly types = new Map<number, JType>();
  private readonly params = new Map<number, JParam>();
  private readonly pending = new Set<number>();
  readonly tensors: Tensor[] = [];
  readonly metadata: Record<string, ScalarValue> = Object.create(null) as Record<string, ScalarValue>;
  architecture: Architecture | undefined;
  private readonly visited = new Set<number>();

  constructor(readonly file: Hdf5File) {}

  fail(what: string): never {
    return this.file.fail(what);
  }

  /** The Julia type of the committed datatype at `address` (its julia_type attribute). */
  committedJType(address: number, depth = 0): JType | undefined {
    const known = this.types.get(address);
    if (known) return known;
    if (depth > MAX_DEPTH) this.fail(`Julia type parameters nested deeper than ${MAX_DEPTH}`);
    if (this.pending.has(address)) this.fail(`the Julia type at ${address} refers to itself`);
    const obj = this.file.object(address);
    const attr = obj.attributes.find((a) => a.name === 'julia_type');
    if (!attr) return undefined;
    this.pending.add(address);
    try {
      const [v] = this.file.attributeValue(attr);
      const t = this.dataTypeValue(v, depth);
      if (!t) this.fail(`the julia_type of the datatype at ${address} is not a (name, parameters) record`);
      this.types.set(address, t);
      return t;
    } finally {
      this.pending.delete(address);
    }
  }

  /** A Core.DataType value {name, parameters} as a type. */
  private dataTypeValue(v: H5Value, depth: number): JType | undefined {
    if (!(v instanceof H5Record)) return undefined;
    const name = v.fields.get('name');
    const params = v.fields.get('parameters');
    if (typeof name !== 'string' || !Array.isArray(params)) return undefined;
    if (params.length > 4096) this.fail(`the Julia type ${name} has ${params.length} parameters`);
    return {
      kind: 'type',
      name,
      params: params.map((r) => (r instanceof H5Ref && r.address !== undefined ? this.param(r.address, depth + 1) : { kind: 'value', type: undefined, value: null })),
    };
  }

  /** A type parameter: a committed type, or a dataset holding a value (possibly a DataType). */
  private param(address: number, depth: number): JParam {
    const known = this.params.get(address);
    if (known) return known;
    if (depth > MAX_DEPTH) this.fail(`Julia type parameters nested deeper than ${MAX_DEPTH}`);
    const obj = this.file.object(address);
    if (obj.kind === 'datatype') return this.committedJType(address, depth) ?? { kind: 'type', name: '?', params: [] };
    if (this.pending.has(address)) this.fail(`Julia type parameters at ${address} refer to themselves`);
    this.pending.add(address);
    try {
      let out: JParam;
      if (obj.kind === 'dataset' && obj.type) {
        const type = this.typeOf(obj.type, depth);
        const values = datasetValues(this.file, obj, `the type parameter at ${address}`);
        const v = obj.space?.dims === undefined ? Buffer.alloc(0) : values.length === 1 && obj.space.dims.length === 0 ? values[0] : values;
        if (type?.name === 'Core.DataType') out = this.dataTypeValue(v, depth) ?? { kind: 'value', type, value: v };
        else out = { kind: 'value', type, value: v };
      } else {
        this.fail(`a Julia type parameter at ${address} is neither a type nor a value`);
      }
      this.params.set(address, out);
      return out;
    } finally {
      this.pending.delete(address);
    }
  }

  /** The Julia type an HDF5 type stands for: its julia_type when committed, else the plain number type. */
  typeOf(t: H5Type, depth = 0): JType | undefined {
    if (t.committed !== undefined) return this.committedJType(t.committed, depth + 1);
    const plain = (name: string): JType => ({ kind: 'type', name, params: [] });
    if (t.class === 'float') return plain(`Core.Float${t.size * 8}`);
    if (t.class === 'int') return plain(`Core.${t.signed ? 'Int' : 'UInt'}${t.size * 8}`);
    if (t.class === 'vlen' && t.string) return plain('Core.String');
    if (t.class === 'enum' || (t.class === 'bitfield' && t.size === 1)) return plain('Core.Bool');
    return undefined;
  }

  /** Julia type of each member of a committed compound (field_types / legacy field_datatypes). */
  private memberTypes(t: H5Type): Map<string, JType> {
    const out = new Map<string, JType>();
    if (t.class !== 'compound' || t.committed === undefined) return out;
    const obj = this.file.object(t.committed);
    const attr = (n: string) => obj.attributes.find((a) => a.name === n);
    const names = attr('field_names');
    const types = attr('field_types') ?? attr('field_datatypes');
    if (!types) return out;
    const refs = this.file.attributeValue(types);
    const nameList = names ? this.file.attributeValue(names).map(String) : t.members.map((m) => m.name);
    nameList.forEach((n, i) => {
      const r = refs[i];
      if (r instanceof H5Ref && r.address !== undefined) {
        const p = this.param(r.address, 1);
        if (p.kind === 'type') out.set(n, p);
      }
    });
    return out;
  }

  // ------------------------------------------------------------------ walking the data

  walkRoot(): void {
    const root = this.file.object(this.file.rootAddress);
    if (root.linksProblem && (root.links ?? []).length === 0) this.fail(`the root group: ${root.linksProblem}`);
    for (const [name, address] of root.links ?? []) {
      if (name === '_types') continue;
      this.walkObject(address, name, 0);
    }
  }

  private walkObject(address: number, path: string, depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`'${path.slice(0, 60)}': nested deeper than ${MAX_DEPTH}`);
    if (this.visited.has(address)) return; // a shared or self-referring object is listed once
    this.visited.add(address);
    const obj = this.file.object(address);
    if (obj.kind === 'group') {
      if (obj.linksProblem && (obj.links ?? []).length === 0) this.fail(`the group '${path}': ${obj.linksProblem}`);
      for (const [name, child] of obj.links ?? []) this.walkObject(child, `${path}.${name}`, depth + 1);
      return;
    }
    if (obj.kind !== 'dataset' || !obj.type) return;
    this.walkDataset(obj, path, depth);
  }

  private walkDataset(obj: H5Object, path: string, depth: number): void {
    const t = obj.type!;
    const dims = obj.space?.dims;
    if (dims === undefined) return; // an empty type's instance (nothing, an empty tuple …)
    const isArray = dims.length > 0 || obj.attributes.some((a) => a.name === 'dimensions');
    if (isArray) {
      const tensor = datasetTensor(this.file, obj, path, true);
      if (tensor) {
        // Zero-dimensional arrays are stored with a `dimensions` attribute.
        this.tensors.push(tensor);
        return;
      }
      if (t.class === 'reference') {
        // An array of references (Vector{Matrix{Float32}}, …): each element by its 1-based linear index.
        const values = datasetValues(this.file, obj, `'${path}'`);
        values.forEach((v, i) => {
          if (v instanceof H5Ref && v.address !== undefined) this.walkObject(v.address, `${path}.${i + 1}`, depth + 1);
        });
      }
      return;
    }
    // A scalar: a number, a string, a struct, a tuple, a named tuple …
    const [v] = datasetValues(this.file, obj, `'${path}'`);
    this.walkValue(v, t, this.typeOf(t), path, depth);
  }

  private walkValue(v: H5Value, t: H5Type, jt: JType | undefined, path: string, depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`'${path.slice(0, 60)}': nested deeper than ${MAX_DEPTH}`);
    if (typeof v === 'number' || typeof v === 'string') {
      this.metadata[path] = t.class === 'enum' || (t.class === 'bitfield' && t.size === 1) ? v !== 0 : v;
      return;
    }
    if (v instanceof H5Ref) {
      if (v.address !== undefined) this.walkObject(v.address, path, depth + 1);
      return;
    }
    if (!(v instanceof H5Record) || t.class !== 'compound') return;
    if (jt && lastName(jt.name) === 'ComponentArray') {
      this.componentArray(v, jt, path);
      return;
    }
    const known = jt ? JULIA_FIELDS[lastName(jt.name)] : undefined;
    if (known && !this.architecture) this.architecture = known.architecture;
    const memberTypes = this.memberTypes(t);
    for (const m of t.members) {
      const x = v.fields.get(m.name);
      if (x === undefined) continue;
      this.walkValue(x, m.type, memberTypes.get(m.name) ?? this.typeOf(m.type), `${path}.${m.name}`, depth + 1);
    }
  }

  // ------------------------------------------------------------------ ComponentArrays

  /**
   * A ComponentArray{T,1,Vector{T},Tuple{Axis{idxmap}}}: one flat vector (`data`, a reference)
   * whose parts are named only by the Axis type parameter. Each part becomes a tensor over
   * its slice of the data: ViewAxis(r, ShapedAxis(shape)) is reshaped column-major,
   * ViewAxis(r, Axis(…)) nests, a plain Int index is a scalar.
   */
  private componentArray(v: H5Record, jt: JType, path: string): void {
    const unsupported = (what: string): never => this.fail(`'${path}' is a ComponentArray whose ${what} is not understood (${formatJType(jt).slice(0, 300)})`);
    const data = v.fields.get('data');
    if (!(data instanceof H5Ref) || data.address === undefined) return unsupported('data');
    const obj = this.file.object(data.address);
    const flat = obj.kind === 'dataset' ? datasetTensor(this.file, obj, `${path}.data`, true) : undefined;
    if (!flat || flat.shape.length !== 1) return unsupported('data (not a vector of numbers)');
    const axes = jt.params[3];
    if (!axes || axes.kind !== 'type' || !/(^|\.)Tuple$/.test(axes.name) || axes.params.length !== 1) return unsupported('axes (only one-dimensional ComponentVectors are read)');
    const axis = axes.params[0];
    if (axis.kind !== 'type' || lastName(axis.name) !== 'Axis' || axis.params.length !== 1 || axis.params[0].kind !== 'value') return unsupported('Axis');
    const parts: { name: string; start: number; shape: number[] }[] = [];
    this.axisParts(axis.params[0], 0, path, parts, unsupported, 0);
    const n = flat.shape[0];
    // The flat data is the Julia memory: each part is a column-major slice of it.
    let cache: Float64Array | undefined;
    const whole = () => (cache ??= flat.read());
    for (const p of parts) {
      const count = elementCount(p.shape, `${this.file.src.name}: '${p.name}'`);
      if (p.start < 0 || p.start + count > n) this.fail(`'${p.name}': its ComponentArray slice ${p.start + 1}:${p.start + count} lies outside the ${n} elements of the data`);
      const shape = p.shape;
      this.tensors.push({ name: p.name, dtype: flat.dtype, shape, read: () => columnMajorSlice(whole(), p.start, shape) });
    }
  }

  /** The parts of an Axis's named tuple value, offsets relative to `base` (0-based). */
  private axisParts(nt: JParam, base: number, path: string, out: { name: string; start: number; shape: number[] }[], unsupported: (w: string) => never, depth: number): void {
    if (depth > MAX_DEPTH) unsupported('axes (nested too deeply)');
    if (nt.kind !== 'value' || !nt.type || lastName(nt.type.name) !== 'NamedTuple' || nt.type.params.length !== 2) return unsupported('index map (not a named tuple)');
    const names = this.symbols(nt.type.params[0]);
    const types = this.tupleTypes(nt.type.params[1]);
    if (!names || !types || names.length !== types.length) return unsupported('index map names');
    const record = nt.value instanceof H5Record ? nt.value : undefined;
    names.forEach((name, i) => {
      if (out.length >= MAX_PARTS) this.fail(`'${path}': a ComponentArray of more than ${MAX_PARTS} named parts`);
      const t = types[i];
      const full = `${path}.${name}`;
      if (t.kind === 'type' && /^Core\.Int(64|32)$/.test(t.name)) {
        const idx = record?.fields.get(name);
        if (typeof idx !== 'number') return unsupported(`index of '${name}'`);
        out.push({ name: full, start: base + idx - 1, shape: [] });
        return;
      }
      if (t.kind !== 'type' || lastName(t.name) !== 'ViewAxis' || t.params.length !== 3) return unsupported(`axis of '${name}' (${formatJType(t).slice(0, 100)})`);
      const range = this.range(t.params[0]);
      if (!range) return unsupported(`index range of '${name}'`);
      const [first, last] = range;
      const len = last - first + 1;
      const ax = t.params[2];
      const axName = ax.kind === 'type' ? lastName(ax.name) : '';
      if (axName === 'ShapedAxis' || axName === 'Shaped1DAxis') {
        const shape = ax.kind === 'type' ? this.ints(ax.params[0]) : undefined;
        if (!shape || shape.reduce((a, b) => a * b, 1) !== len) return unsupported(`shape of '${name}'`);
        out.push({ name: full, start: base + first - 1, shape });
      } else if (axName === 'Axis' && ax.kind === 'type' && ax.params.length === 1) {
        this.axisParts(ax.params[0], base + first - 1, full, out, unsupported, depth + 1);
      } else if (axName === 'NullAxis' || axName === 'FlatAxis') {
        if (typeof range[2] === 'number') out.push({ name: full, start: base + first - 1, shape: [] });
        else out.push({ name: full, start: base + first - 1, shape: [len] });
      } else {
        return unsupported(`axis of '${name}' (${axName || 'a value'})`);
      }
    });
  }

  private symbols(p: JParam): string[] | undefined {
    if (p.kind !== 'value') return undefined;
    const v = p.value;
    const list = v instanceof H5Record ? [...v.fields.values()] : Array.isArray(v) ? v : undefined;
    return list && list.every((x) => typeof x === 'string') ? (list as string[]) : undefined;
  }

  /** Tuple{A,B,C} or NTuple{N,T} as the list of its element types. */
  private tupleTypes(p: JParam): JParam[] | undefined {
    if (p.kind !== 'type') return undefined;
    const n = lastName(p.name);
    if (n === 'Tuple') return p.params;
    if (n === 'NTuple' && p.params.length === 2 && p.params[0].kind === 'value' && typeof p.params[0].value === 'number') {
      const k = p.params[0].value;
      if (!Number.isInteger(k) || k < 0 || k > 65536) return undefined;
      return new Array<JParam>(k).fill(p.params[1]);
    }
    return undefined;
  }

  /** 1:20 (UnitRange) or 5 (an Int index) as [first, last] (1-based, inclusive), with a third element for an Int. */
  private range(p: JParam): [number, number] | [number, number, number] | undefined {
    if (p.kind !== 'value') return undefined;
    const v = p.value;
    if (typeof v === 'number') return [v, v, v];
    if (v instanceof H5Record) {
      const a = v.fields.get('start');
      const b = v.fields.get('stop');
      if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a) && Number.isSafeInteger(b) && b >= a - 1) return [a, b];
    }
    return undefined;
  }

  private ints(p: JParam | undefined): number[] | undefined {
    if (!p || p.kind !== 'value') return undefined;
    const v = p.value;
    const list = v instanceof H5Record ? [...v.fields.values()] : Array.isArray(v) ? v : typeof v === 'number' ? [v] : undefined;
    return list && list.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) ? (list as number[]) : undefined;
  }
}

/** The row-major values of a column-major array of `shape` that starts at `start` of `data`. */
function columnMajorSlice(data: Float64Array, start: number, shape: number[]): Float64Array {
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  gatherStrided(shape, fortranStrides(shape), start, (pos) => data[pos], out);
  return out;
}

export interface Jld2File {
  tensors: Tensor[];
  architecture?: Architecture;
  metadata: Record<string, ScalarValue>;
}

/** Reads the tensors (and scalars) of a JLD2 file. */
export function readJld2(file: Hdf5File): Jld2File {
  const r = new Jld2Reader(file);
  try {
    r.walkRoot();
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`${file.src.name}: the JLD2 structure is too deep or too large to read (${e.message})`);
    throw e;
  }
  return { tensors: r.tensors, architecture: r.architecture, metadata: r.metadata };
}

/** For debugging and messages: the Julia type of each top-level dataset. */
export function jld2TopTypes(file: Hdf5File): Record<string, string> {
  const r = new Jld2Reader(file);
  const out: Record<string, string> = {};
  const root = file.object(file.rootAddress);
  for (const [name, address] of root.links ?? []) {
    const obj = file.object(address);
    if (obj.kind === 'dataset' && obj.type) out[name] = formatJType(r.typeOf(obj.type));
  }
  return out;
}
