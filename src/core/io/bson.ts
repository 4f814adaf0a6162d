import { InputError } from '../errors';
import { quoteName } from '../text';
import { own } from './own';
import { Architecture } from '../model/types';
import { ByteSource, SliceSource } from './source';
import { DType, ITEM_SIZE, MAX_NAME_LENGTH, MAX_TENSORS, StridedLayout, Tensor, checkLayout, decodeStrided, elementCount, fortranStrides, tooLongName, tooManyTensors } from './tensor';

/*
 * Julia BSON files as BSON.jl writes them. Plain BSON documents carry BSON.jl's tagged
 * documents: {tag: "array", type, size, data} (column-major bytes), {tag: "struct", type, data}
 * (fields by position; the field names are not in the file), {tag: "backref", ref} (1-based into
 * the root's `_backrefs`), plus tuple, symbol, datatype and ref tags that hold no tensors.
 */

class BDoc {
  readonly map = new Map<string, BVal>();
}
class BBinary {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {}
}
type BVal = null | boolean | number | bigint | string | BBinary | BDoc | BVal[];

const MAX_DEPTH = 100;

/** Parses the BSON document structure; binary data stays in the file until a tensor is read. */
function parseDocument(src: ByteSource): BDoc {
  const fail = (what: string): never => {
    throw new InputError(`${src.name}: not a valid BSON file (${what})`);
  };
  let pos = 0;
  let window: Buffer = Buffer.alloc(0);
  let winStart = 0;
  const bytes = (n: number): Buffer => {
    if (pos + n > src.size) fail('truncated');
    if (pos < winStart || pos + n > winStart + window.length) {
      window = src.read(pos, Math.min(src.size - pos, Math.max(n, 1 << 16)));
      winStart = pos;
    }
    const o = pos - winStart;
    pos += n;
    return window.subarray(o, o + n);
  };
  const cstring = (): string => {
    const parts: Buffer[] = [];
    for (let total = 0; ; ) {
      if (pos >= src.size) fail('truncated key');
      if (pos < winStart || pos >= winStart + window.length) {
        window = src.read(pos, Math.min(src.size - pos, 1 << 16));
        winStart = pos;
      }
      const o = pos - winStart;
      const z = window.indexOf(0, o);
      const end = z < 0 ? window.length : z;
      parts.push(window.subarray(o, end));
      total += end - o;
      pos += end - o;
      if (total > 65536) fail('a key longer than 64 KiB');
      if (z >= 0) {
        pos++;
        return Buffer.concat(parts).toString('utf8');
      }
    }
  };
  const doc = (depth: number, asArray: boolean): BDoc | BVal[] => {
    if (depth > MAX_DEPTH) fail(`documents nested deeper than ${MAX_DEPTH}`);
    const start = pos;
    const len = bytes(4).readInt32LE(0);
    if (len < 5 || start + len > src.size) fail('a document length runs past the end of the file');
    const end = start + len;
    const out = asArray ? ([] as BVal[]) : new BDoc();
    for (;;) {
      const type = bytes(1)[0];
      if (type === 0) break;
      const key = cstring();
      let v: BVal;
      switch (type) {
        case 0x01: v = bytes(8).readDoubleLE(0); break;
        case 0x02: {
          const n = bytes(4).readInt32LE(0);
          if (n < 1 || pos + n > end) fail('a string runs past its document');
          v = bytes(n).toString('utf8', 0, n - 1);
          break;
        }
        case 0x03: v = doc(depth + 1, false); break;
        case 0x04: v = doc(depth + 1, true); break;
        case 0x05: {
          const n = bytes(4).readInt32LE(0);
          bytes(1);
          if (n < 0 || pos + n > end) fail('binary data runs past its document');
          v = new BBinary(pos, n);
          pos += n;
          break;
        }
        case 0x08: v = bytes(1)[0] !== 0; break;
        case 0x0a: v = null; break;
        case 0x10: v = bytes(4).readInt32LE(0); break;
        case 0x12: {
          const b = bytes(8).readBigInt64LE(0);
          v = b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
          break;
        }
        case 0x09: case 0x11: v = Number(bytes(8).readBigInt64LE(0)); break;
        default: fail(`unsupported element type 0x${type.toString(16)}`);
      }
      if (Array.isArray(out)) out.push(v!);
      else out.map.set(key, v!);
      if (pos > end) fail('an element runs past its document');
    }
    if (pos !== end) fail('a document length does not match its content');
    return out;
  };
  const root = doc(0, false);
  return root as BDoc;
}

const JULIA_TYPES: Record<string, DType> = {
  Float64: 'float64', Float32: 'float32', Float16: 'float16', Int64: 'int64', Int32: 'int32', Int16: 'int16', Int8: 'int8',
  UInt64: 'uint64', UInt32: 'uint32', UInt16: 'uint16', UInt8: 'uint8', Bool: 'bool',
};

/** Field names of the Julia PLRNN code's structs (BSON stores fields only by position). */
export const JULIA_FIELDS: Record<string, { fields: string[]; architecture: Architecture }> = {
  PLRNN: { fields: ['A', 'W', 'h', 'C'], architecture: 'plrnn' },
  shallowPLRNN: { fields: ['A', 'W₁', 'W₂', 'h₁', 'h₂', 'C'], architecture: 'shplrnn' },
  clippedShallowPLRNN: { fields: ['A', 'W₁', 'W₂', 'h₁', 'h₂', 'C'], architecture: 'clipped-shplrnn' },
  dendPLRNN: { fields: ['A', 'W', 'h', 'α', 'H', 'C'], architecture: 'dendplrnn' },
};

function tag(v: BVal): string | undefined {
  return v instanceof BDoc && typeof v.map.get('tag') === 'string' ? (v.map.get('tag') as string) : undefined;
}

/** The last part of a datatype's name: ["Main", "PLRNNs", "PLRNN"] → "PLRNN". */
function typeName(t: BVal): string | undefined {
  if (!(t instanceof BDoc) || tag(t) !== 'datatype') return undefined;
  const name = t.map.get('name');
  return Array.isArray(name) && typeof name[name.length - 1] === 'string' ? (name[name.length - 1] as string) : undefined;
}

export interface BsonFile {
  tensors: Tensor[];
  /** The architecture named by the struct type holding the parameters, if a known one. */
  architecture?: Architecture;
}

export function readBson(src: ByteSource): BsonFile {
  const root = parseDocument(src);
  const backrefs = root.map.get('_backrefs');
  const deref = (v: BVal, hops = 0): BVal => {
    if (tag(v) !== 'backref') return v;
    const i = (v as BDoc).map.get('ref');
    if (!Array.isArray(backrefs) || typeof i !== 'number' || i < 1 || i > backrefs.length) {
      throw new InputError(`${src.name}: a BSON back-reference points nowhere`);
    }
    if (hops > 64) throw new InputError(`${src.name}: BSON back-references form a loop`);
    return deref(backrefs[i - 1], hops + 1);
  };
  const tensors: Tensor[] = [];
  let architecture: Architecture | undefined;
  const seen = new Set<object>();
  const walk = (raw: BVal, path: string, depth: number): void => {
    const v = deref(raw);
    if (v === null || typeof v !== 'object' || v instanceof BBinary || seen.has(v) || depth > MAX_DEPTH) return;
    seen.add(v);
    const join = (k: string) => (path === '' ? k : `${path}.${k}`);
    const t = tag(v);
    if (t === 'array') {
      const d = v as BDoc;
      const elType = typeName(deref(d.map.get('type') ?? null));
      const size = d.map.get('size');
      const data = d.map.get('data');
      if (Array.isArray(data)) return data.forEach((x, i) => walk(x, join(String(i + 1)), depth + 1));
      const dtype = elType ? own(JULIA_TYPES, elType) : undefined;
      if (!dtype || !(data instanceof BBinary) || !Array.isArray(size) || size.some((s) => typeof s !== 'number')) return;
      const shape = size as number[];
      if (path.length > MAX_NAME_LENGTH) throw tooLongName(src.name, path);
      const what = `${src.name}: array ${quoteName(path)}`;
      if (elementCount(shape, what) * ITEM_SIZE[dtype] !== data.length) {
        throw new InputError(`${what} has ${data.length} bytes of data for size (${shape.join(', ')}) of ${elType}`);
      }
      const layout: StridedLayout = { dtype, shape, strides: fortranStrides(shape), offset: 0, littleEndian: true };
      const bytes = new SliceSource(src, data.offset, data.length);
      checkLayout(layout, data.length, what);
      if (tensors.push({ name: path, dtype, shape, read: () => decodeStrided(bytes, layout, what) }) > MAX_TENSORS) throw tooManyTensors(src.name);
    } else if (t === 'struct') {
      const d = v as BDoc;
      const name = typeName(deref(d.map.get('type') ?? null));
      const known = name ? own(JULIA_FIELDS, name) : undefined;
      if (known && !architecture) architecture = known.architecture;
      const fields = d.map.get('data');
      if (Array.isArray(fields)) fields.forEach((x, i) => walk(x, join(known?.fields[i] ?? String(i + 1)), depth + 1));
    } else if (t === 'tuple') {
      const data = (v as BDoc).map.get('data');
      if (Array.isArray(data)) data.forEach((x, i) => walk(x, join(String(i + 1)), depth + 1));
    } else if (t === undefined && v instanceof BDoc) {
      for (const [k, x] of v.map) if (!(depth === 0 && k === '_backrefs')) walk(x, join(k), depth + 1);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, join(String(i + 1)), depth + 1));
    }
  };
  walk(root, '', 0);
  return { tensors, architecture };
}
