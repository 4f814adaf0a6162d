import { InputError } from '../errors';
import { quoteName } from '../text';
import { ByteSource } from './source';

export const DTYPES = ['float64', 'float32', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'uint16', 'uint32', 'uint64', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export const ITEM_SIZE: Record<DType, number> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1,
  uint8: 1, uint16: 2, uint32: 4, uint64: 8, bool: 1,
};

/** What a viewer shows of a tensor: no data. */
export interface TensorInfo {
  name: string;
  dtype: DType;
  /** Row-major (C order) sizes; [] for a scalar. */
  shape: number[];
}

/** A tensor found in a file; its values are read only when asked for. */
export interface Tensor extends TensorInfo {
  /** The values in row-major order, converted exactly to float64 (int64 beyond 2^53 rounds). */
  read(): Float64Array;
}

/** Most elements decoded from one tensor (a 4096×4096 matrix is 16.8 M). */
export const MAX_ELEMENTS = 1 << 25;
/** Most tensors read from one file: a large language model checkpoint has a few thousand. */
export const MAX_TENSORS = 100_000;

export function tooManyTensors(src: string): InputError {
  return new InputError(`${src}: the file holds more than ${MAX_TENSORS} tensors, the most that are read (a large model has a few thousand)`);
}

/** Longest tensor name read (a name is the keys on a tensor's path, joined by dots). */
export const MAX_NAME_LENGTH = 4096;
export function tooLongName(src: string, name: string): InputError {
  return new InputError(`${src}: a tensor name of ${name.length} characters is longer than the ${MAX_NAME_LENGTH} that are read (it starts ${quoteName(name.slice(0, 40))})`);
}

/** Most dimensions of a tensor. */
export const MAX_RANK = 32;

/** Number of elements of `shape`, after checking every size; refuses absurd shapes. */
export function elementCount(shape: readonly number[], what: string): number {
  if (shape.length > MAX_RANK) throw new InputError(`${what} has ${shape.length} dimensions, more than ${MAX_RANK}`);
  let n = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw new InputError(`${what} has an invalid size ${String(s)} in its shape`);
    n *= s;
    if (n > Number.MAX_SAFE_INTEGER) throw new InputError(`${what} has an absurd shape [${shape.join(', ')}]`);
  }
  return n;
}

/** Row-major strides of a contiguous tensor, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Column-major (Fortran / Julia) strides, in elements. */
export function fortranStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = 0; i < shape.length; i++) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

function bf16ToNumber(b: number): number {
  u32[0] = b << 16;
  return f32[0];
}

type Getter = (buf: Buffer, byteOffset: number) => number;

function getter(dtype: DType, little: boolean): Getter {
  switch (dtype) {
    case 'float64': return little ? (b, o) => b.readDoubleLE(o) : (b, o) => b.readDoubleBE(o);
    case 'float32': return little ? (b, o) => b.readFloatLE(o) : (b, o) => b.readFloatBE(o);
    case 'float16': return little ? (b, o) => halfToNumber(b.readUInt16LE(o)) : (b, o) => halfToNumber(b.readUInt16BE(o));
    case 'bfloat16': return little ? (b, o) => bf16ToNumber(b.readUInt16LE(o)) : (b, o) => bf16ToNumber(b.readUInt16BE(o));
    case 'int64': return little ? (b, o) => Number(b.readBigInt64LE(o)) : (b, o) => Number(b.readBigInt64BE(o));
    case 'uint64': return little ? (b, o) => Number(b.readBigUInt64LE(o)) : (b, o) => Number(b.readBigUInt64BE(o));
    case 'int32': return little ? (b, o) => b.readInt32LE(o) : (b, o) => b.readInt32BE(o);
    case 'uint32': return little ? (b, o) => b.readUInt32LE(o) : (b, o) => b.readUInt32BE(o);
    case 'int16': return little ? (b, o) => b.readInt16LE(o) : (b, o) => b.readInt16BE(o);
    case 'uint16': return little ? (b, o) => b.readUInt16LE(o) : (b, o) => b.readUInt16BE(o);
    case 'int8': return (b, o) => b.readInt8(o);
    case 'uint8': return (b, o) => b.readUInt8(o);
    case 'bool': return (b, o) => (b.readUInt8(o) !== 0 ? 1 : 0);
  }
}

/** Where a tensor's values sit: a storage (a run of bytes) plus an offset and strides in elements. */
export interface StridedLayout {
  dtype: DType;
  shape: number[];
  strides: number[];
  /** Offset of element [0, …, 0] in the storage, in elements. */
  offset: number;
  littleEndian: boolean;
}

/**
 * Checks that every element of the layout lies inside a storage of `storageBytes` bytes.
 * Called when a tensor is found, so absurd shapes are refused before anything is allocated.
 */
export function checkLayout(layout: StridedLayout, storageBytes: number, what: string): void {
  const n = elementCount(layout.shape, what);
  if (layout.strides.length !== layout.shape.length) throw new InputError(`${what} has ${layout.strides.length} strides for ${layout.shape.length} dimensions`);
  if (n === 0) return;
  if (!Number.isSafeInteger(layout.offset) || layout.offset < 0) throw new InputError(`${what} has an invalid storage offset ${layout.offset}`);
  let last = layout.offset;
  for (let i = 0; i < layout.shape.length; i++) {
    const st = layout.strides[i];
    if (!Number.isSafeInteger(st) || st < 0) throw new InputError(`${what} has an invalid stride ${String(st)}`);
    last += (layout.shape[i] - 1) * st;
  }
  const item = ITEM_SIZE[layout.dtype];
  if (!Number.isSafeInteger(last) || (last + 1) * item > storageBytes) {
    throw new InputError(`${what} (shape [${layout.shape.join(', ')}], ${layout.dtype}) needs more data than its storage of ${storageBytes} bytes holds`);
  }
}

/** Reads a strided tensor out of `storage` into a row-major Float64Array. */
export function decodeStrided(storage: ByteSource, layout: StridedLayout, what: string): Float64Array {
  checkLayout(layout, storage.size, what);
  const n = elementCount(layout.shape, what);
  if (n > MAX_ELEMENTS) throw new InputError(`${what} has ${n} elements, more than the ${MAX_ELEMENTS} that are read from one tensor`);
  const out = new Float64Array(n);
  if (n === 0) return out;
  const item = ITEM_SIZE[layout.dtype];
  const { shape, strides } = layout;
  let last = layout.offset;
  for (let i = 0; i < shape.length; i++) last += (shape[i] - 1) * strides[i];
  // Read the span from the first to the last element once; views such as a diagonal read the
  // rows they cross, never more than the storage.
  const first = layout.offset;
  const buf = storage.read(first * item, (last - first + 1) * item);
  const get = getter(layout.dtype, layout.littleEndian);
  gatherStrided(shape, strides, 0, (pos) => get(buf, pos * item), out);
  return out;
}

/** out[k] = get(position of element k), visiting a strided array's elements in row-major order. */
export function gatherStrided(shape: readonly number[], strides: readonly number[], start: number, get: (pos: number) => number, out: Float64Array): void {
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let pos = start;
  for (let k = 0; k < out.length; k++) {
    out[k] = get(pos);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      pos += strides[d];
      if (index[d] < shape[d]) break;
      pos -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

/** A tensor whose values are read from `storage` when asked. */
export function lazyTensor(name: string, storage: () => ByteSource, layout: StridedLayout, what: string): Tensor {
  return { name, dtype: layout.dtype, shape: layout.shape, read: () => decodeStrided(storage(), layout, what) };
}
