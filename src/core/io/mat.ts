import { constants as zlibConstants, inflateSync } from 'node:zlib';
import { InputError } from '../errors';
import { BufferSource, ByteSource, SliceSource } from './source';
import { DType, ITEM_SIZE, MAX_ELEMENTS, MAX_RANK, StridedLayout, Tensor, checkLayout, decodeStrided, elementCount, fortranStrides } from './tensor';

/*
 * MATLAB MAT-files, level 5 (what save writes with -v6 and -v7, and scipy.io.savemat): a
 * 128-byte header (text, subsystem offset, version 0x0100, endian indicator 'IM' or 'MI') and
 * then one tagged data element per variable, an miMATRIX or an miCOMPRESSED (a zlib stream
 * holding one miMATRIX). An miMATRIX holds array flags (class, logical, complex), dimensions,
 * a name and the data of its class: numeric data in column-major order (possibly stored in a
 * smaller type than its class), characters, struct fields (one miMATRIX per field per element),
 * cells (one miMATRIX per cell) or the three parts of a sparse matrix. Tags whose size fits in
 * 4 bytes may use the small format (size and type in one word, data in the tag's second word).
 *
 * Names follow MATLAB syntax: `W`, `net.W`, `s(2).W` (struct arrays, 1-based linear index),
 * `c{3}`, `c{3}.W`. Arrays keep MATLAB's dimensions (an M×1 vector is [M, 1], a scalar [1, 1])
 * and read as the values seen in MATLAB: x(i, j) is element [i-1, j-1] of the row-major tensor.
 */

/** A scalar or a string found in the file, for metadata such as an ALRNN's P or a model name. */
export type MatValue = number | string;

export interface MatFile {
  /** Every numeric, logical and sparse array (scalars included, as 1×1), in file order. */
  tensors: Tensor[];
  /**
   * Real numeric and logical 1×1 arrays as numbers, and char arrays as strings (an m×n char
   * array is its m rows joined by "\n"), by the same MATLAB-style names as the tensors.
   */
  values: Map<string, MatValue>;
  /**
   * Arrays that are in the file but not read, with the reason: complex arrays (a model
   * parameter is real; results such as eigenvalues often are complex), function handles and
   * string objects (their contents are in the subsystem data). The rest of the file reads.
   */
  skipped: SkippedArray[];
}

export interface SkippedArray {
  /** MATLAB-style name, as a tensor would have. */
  name: string;
  /** Why, in words that complete "'name' is not read: …". */
  why: string;
}

export interface MatLimits {
  /** Deepest nesting of structs and cells. */
  maxDepth: number;
  /** Most fields of one struct. */
  maxFields: number;
  /** Most arrays in one file: variables, struct fields and cells at any depth. */
  maxArrays: number;
  /** Most bytes inflated from all the miCOMPRESSED elements of one file together. */
  inflateBudget: number;
  /** Longest char array put into `values`; longer ones are not read. */
  maxStringChars: number;
}

export const MAT_LIMITS: Readonly<MatLimits> = {
  maxDepth: 64,
  maxFields: 65_536,
  maxArrays: 200_000,
  inflateBudget: 512 * 1024 * 1024,
  maxStringChars: 65_536,
};

/** Longest variable or field name (MATLAB's own limit is 63 characters). */
const MAX_NAME_BYTES = 256;
/** Compressed bytes inflated first to learn the size an miCOMPRESSED element declares. */
const PEEK_BYTES = 1024;
/** Inflated bytes tolerated after the element a compressed stream declares (padding). */
const INFLATE_SLACK = 4096;

const MI_INT8 = 1, MI_UINT8 = 2, MI_INT32 = 5, MI_UINT32 = 6, MI_MATRIX = 14, MI_COMPRESSED = 15;
const MI_UINT16 = 4, MI_UTF8 = 16, MI_UTF16 = 17, MI_UTF32 = 18;

/** Storage types of numeric data. */
const MI_NUMERIC: Record<number, DType> = {
  1: 'int8', 2: 'uint8', 3: 'int16', 4: 'uint16', 5: 'int32', 6: 'uint32', 7: 'float32', 9: 'float64', 12: 'int64', 13: 'uint64',
};

const MX_CELL = 1, MX_STRUCT = 2, MX_OBJECT = 3, MX_CHAR = 4, MX_SPARSE = 5, MX_FUNCTION = 16, MX_OPAQUE = 17;
/** Array classes of numeric arrays. */
const MX_NUMERIC: Record<number, DType> = {
  6: 'float64', 7: 'float32', 8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
};
/** Opaque (classdef) values that hold no parameters: skipped rather than refused. */
const SKIPPED_OPAQUE = new Set(['string', 'function_handle']);

interface Element {
  type: number;
  /** Offset of the data. */
  start: number;
  size: number;
  /** Offset of the next element (after the padding). */
  end: number;
}

/** Small reads (tags, names) through one cached window, so a file is not read tag by tag. */
class WindowSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;
  constructor(private readonly base: ByteSource) {
    this.name = base.name;
    this.size = base.size;
  }
  read(offset: number, length: number): Buffer {
    if (offset >= this.at && offset + length <= this.at + this.buf.length) return this.buf.subarray(offset - this.at, offset - this.at + length);
    if (length > 4096 || offset + length > this.size) return this.base.read(offset, length);
    this.buf = this.base.read(offset, Math.min(this.size - offset, 1 << 16));
    this.at = offset;
    return this.buf.subarray(0, length);
  }
}

/**
 * The inflated bytes of a compressed variable: the first bytes (inflated to learn the array's
 * name, class and dimensions) at once, the rest inflated on the first read past them.
 */
class InflatingSource implements ByteSource {
  private out: Buffer | undefined;
  constructor(
    readonly name: string,
    private readonly head: Buffer,
    /** The size the stream declares; what it really holds is known once inflated. */
    readonly size: number,
    private readonly inflate: () => Buffer,
    private readonly label: string,
  ) {}
  read(offset: number, length: number): Buffer {
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    this.out ??= this.inflate();
    if (offset + length > this.out.length) {
      throw new InputError(`${this.name}: ${this.label}: its compressed data ends after ${this.out.length} of the ${this.size} bytes it declares (truncated?)`);
    }
    return this.out.subarray(offset, offset + length);
  }
}

/** What a MATLAB user sees of a name: no control characters (messages stay one line). */
function clean(s: string): string {
  let out = '';
  for (const ch of s) out += ch < ' ' || ch === '\x7f' ? '?' : ch;
  return out;
}

/** The error for a v7.3 MAT-file (an HDF5 file): the HDF5 reader's business. */
export function mat73Error(file: string): InputError {
  return new InputError(
    `${file}: a MATLAB v7.3 MAT-file is an HDF5 file, which the HDF5 reader reads, and this build has none; save it in MATLAB with save(file, ..., '-v7') to read it as a level-5 MAT-file`,
  );
}

class MatReader {
  readonly tensors: Tensor[] = [];
  readonly values = new Map<string, MatValue>();
  readonly skipped: SkippedArray[] = [];
  private arrays = 0;
  private inflated = 0;
  private readonly file: ByteSource;

  constructor(
    private readonly src: ByteSource,
    private readonly le: boolean,
    private readonly limits: MatLimits,
  ) {
    this.file = new WindowSource(src);
  }

  private fail(message: string): never {
    throw new InputError(`${this.src.name}: ${message}`);
  }

  private u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private i32(b: Buffer, at: number): number {
    return this.le ? b.readInt32LE(at) : b.readInt32BE(at);
  }

  /** The tag at `pos`, checked against `limit` (the end of its container). */
  private tag(s: ByteSource, pos: number, limit: number, label: string, container: string, pad: boolean): Element {
    if (pos + 8 > limit) this.fail(`${label}: a data element tag runs past the end of ${container}`);
    const t = s.read(pos, 8);
    const w0 = this.u32(t, 0);
    if (w0 >>> 16 !== 0) {
      const size = w0 >>> 16;
      if (size > 4) this.fail(`${label}: a small data element declares ${size} bytes (at most 4 fit in its tag)`);
      return { type: w0 & 0xffff, start: pos + 4, size, end: pos + 8 };
    }
    const size = this.u32(t, 4);
    const start = pos + 8;
    if (size > limit - start) this.fail(`${label}: a data element of ${size} bytes runs past the end of ${container}`);
    const padded = pad ? size + ((8 - (size % 8)) % 8) : size;
    return { type: w0, start, size, end: Math.min(limit, start + padded) };
  }

  /** A name or class name: bytes up to the first NUL. */
  private name(s: ByteSource, e: Element, label: string, what: string): string {
    if (e.type !== MI_INT8 && e.type !== MI_UINT8 && e.type !== MI_UTF8) this.fail(`${label}: its ${what} is a data element of type ${e.type}, not text`);
    if (e.size > MAX_NAME_BYTES) this.fail(`${label}: a ${what} of ${e.size} bytes (MATLAB names have at most 63 characters)`);
    const b = s.read(e.start, e.size);
    const z = b.indexOf(0);
    return clean(b.toString('utf8', 0, z < 0 ? b.length : z));
  }

  /** The name of the variable whose miMATRIX data starts at `start`, if it can be read. */
  private peekName(s: ByteSource, start: number, limit: number): string | undefined {
    try {
      const flags = this.tag(s, start, limit, '', '', true);
      let pos = flags.end;
      if ((this.u32(s.read(flags.start, 4), 0) & 0xff) !== MX_OPAQUE) pos = this.tag(s, pos, limit, '', '', true).end;
      const n = this.name(s, this.tag(s, pos, limit, '', '', true), '', '');
      return n === '' ? undefined : n;
    } catch {
      return undefined;
    }
  }

  read(): MatFile {
    const { file } = this;
    let pos = 128;
    for (let index = 1; pos < file.size; index++) {
      const left = file.size - pos;
      if (left < 8) this.fail(`${left} stray bytes at the end of the file (truncated?)`);
      const head = file.read(pos, 8);
      const w0 = this.u32(head, 0);
      const declared = w0 >>> 16 === 0 ? this.u32(head, 4) : 0;
      let label = `variable ${index}`;
      if (declared > left - 8) {
        const name = w0 === MI_MATRIX ? this.peekName(file, pos + 8, file.size) : w0 === MI_COMPRESSED ? this.peekCompressedName(pos + 8, left - 8) : undefined;
        if (name !== undefined) label = `variable '${name}'`;
      }
      const e = this.tag(file, pos, file.size, label, 'the file (truncated?)', false);
      if (e.type === MI_COMPRESSED) this.compressed(e, index);
      else if (e.type === MI_MATRIX) this.matrix(file, e, undefined, index, 0);
      else this.fail(`${label}: a data element of type ${e.type} where a variable (miMATRIX or miCOMPRESSED) was expected`);
      pos = e.end;
    }
    return { tensors: this.tensors, values: this.values, skipped: this.skipped };
  }

  private peekInflate(packed: Buffer, label: string): Buffer {
    try {
      return inflateSync(packed.subarray(0, PEEK_BYTES), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      this.fail(`${label}: its compressed data is not valid zlib data`);
    }
  }

  private peekCompressedName(start: number, available: number): string | undefined {
    try {
      const head = inflateSync(this.src.read(start, Math.min(available, PEEK_BYTES)), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      return head.length >= 8 ? this.peekName(new BufferSource(this.src.name, head), 8, head.length) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * An miCOMPRESSED variable. The size it declares is read from the first bytes of its zlib
   * stream and counted against the file's budget; the stream is inflated whole (stopping just
   * past that size) when the array needs more than those first bytes: a struct or cell at once,
   * a numeric array only when its values are read, so large arrays that no one reads are never
   * inflated.
   */
  private compressed(e: Element, index: number): void {
    let label = `variable ${index}`;
    const packed = this.src.read(e.start, e.size);
    const head = this.peekInflate(packed, label);
    const budget = this.limits.inflateBudget;
    const left = budget - this.inflated;
    const complete = packed.length <= PEEK_BYTES;
    if (head.length < 8) {
      if (complete) this.fail(`${label}: its compressed data is too short to hold an array`);
      // A stream that says nothing in its first bytes: inflate it within what is left.
      const out = this.inflateAll(packed, left, left, label);
      this.inflated += out.length;
      const mem = new BufferSource(this.src.name, out);
      this.matrix(mem, this.tag(mem, 0, out.length, label, 'its compressed data (truncated?)', false), undefined, index, 0);
      return;
    }
    const name = this.peekName(new BufferSource(this.src.name, head), 8, head.length);
    if (name !== undefined) label = `variable '${name}'`;
    const w0 = this.u32(head, 0);
    const type = w0 >>> 16 === 0 ? w0 : w0 & 0xffff;
    if (type !== MI_MATRIX) this.fail(`${label}: its compressed data holds a data element of type ${type}, not an array`);
    const total = w0 >>> 16 === 0 ? 8 + this.u32(head, 4) : 8;
    if (total > left) {
      this.fail(`${label}: its compressed data declares ${total} bytes, more than the ${left} bytes left of the ${budget}-byte limit for inflating one file`);
    }
    if (head.length > total + INFLATE_SLACK) this.fail(`${label}: its compressed data inflates to more than the size it declares`);
    this.inflated += total;
    const mem = complete
      ? new BufferSource(this.src.name, head)
      : new InflatingSource(this.src.name, head, total, () => this.inflateAll(packed, total + INFLATE_SLACK, left, label), label);
    const inner = this.tag(mem, 0, mem.size, label, 'its compressed data (truncated?)', false);
    this.matrix(mem, inner, undefined, index, 0);
  }

  /** Inflates a whole zlib stream, refusing more than `max` bytes. */
  private inflateAll(packed: Buffer, max: number, left: number, label: string): Buffer {
    try {
      return inflateSync(packed, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, max) });
    } catch (err) {
      if (err instanceof RangeError) {
        this.fail(max < left ? `${label}: its compressed data inflates to more than the size it declares` : `${label}: its compressed data inflates to more than the ${left} bytes left of the ${this.limits.inflateBudget}-byte limit for inflating one file`);
      }
      this.fail(`${label}: its compressed data is not valid zlib data`);
    }
  }

  /**
   * Parses the miMATRIX element `el` of `s`. `nested` is its MATLAB name and variable when it is
   * a struct field or a cell; a variable's name is read from the element.
   */
  private matrix(s: ByteSource, el: Element, nested: { path: string; top: string } | undefined, index: number, depth: number): void {
    const shown = (p: string) => (p.length > 200 ? `…${p.slice(-200)}` : p);
    let label = nested ? `variable '${nested.top}', ${shown(nested.path)}` : `variable ${index}`;
    if (++this.arrays > this.limits.maxArrays) this.fail(`${label}: more than ${this.limits.maxArrays} arrays (variables, struct fields and cells) in one file`);
    if (depth > this.limits.maxDepth) this.fail(`${label}: structs and cells nested deeper than ${this.limits.maxDepth}`);
    if (el.size === 0) {
      // An empty array ([], 0×0 double) written as an empty element: MATLAB does so for empty
      // struct fields and cells. A variable cannot be one (it would have no name).
      if (nested) this.tensors.push({ name: nested.path, dtype: 'float64', shape: [0, 0], read: () => new Float64Array(0) });
      return;
    }
    if (!nested) {
      // Problems before the name (flags, dimensions) still name the variable when they can.
      const name = this.peekName(s, el.start, el.start + el.size);
      if (name !== undefined) label = `variable '${name}'`;
    }
    const limit = el.start + el.size;
    let pos = el.start;
    const next = (): Element => {
      const e = this.tag(s, pos, limit, label, 'its array', true);
      pos = e.end;
      return e;
    };
    const flagsEl = next();
    if ((flagsEl.type !== MI_UINT32 && flagsEl.type !== MI_INT32) || flagsEl.size !== 8) this.fail(`${label}: its array flags are not two 32-bit words`);
    const flags = this.u32(s.read(flagsEl.start, 4), 0);
    const cls = flags & 0xff;
    const complex = (flags & 0x800) !== 0;
    const logical = (flags & 0x200) !== 0;

    // Names: a variable is named by its element (an empty name is the subsystem's data).
    let path = nested?.path ?? '';
    let top = nested?.top ?? '';
    const named = (name: string): boolean => {
      if (nested) return true;
      if (name === '') return false;
      path = top = name;
      label = `variable '${name}'`;
      return true;
    };

    if (cls === MX_OPAQUE) {
      // Opaque (classdef) values have no dimensions: name, type system, class name, metadata.
      if (!named(this.name(s, next(), label, 'name'))) return;
      this.name(s, next(), label, 'type system name');
      const className = this.name(s, next(), label, 'class name');
      if (SKIPPED_OPAQUE.has(className)) {
        this.skipped.push({ name: path, why: `a MATLAB ${className} object, whose contents are kept in the file's subsystem data` });
        return;
      }
      this.fail(`${label} is a MATLAB ${className} object (its contents are kept in the file's subsystem), which is not read; save its properties as a struct (s = struct(obj)) or as plain arrays`);
    }
    if (cls !== MX_CELL && cls !== MX_STRUCT && cls !== MX_OBJECT && cls !== MX_CHAR && cls !== MX_SPARSE && cls !== MX_FUNCTION && !MX_NUMERIC[cls]) {
      this.fail(`${label}: unknown array class ${cls}`);
    }
    const dimsEl = next();
    if (dimsEl.type !== MI_INT32 && dimsEl.type !== MI_UINT32) this.fail(`${label}: its dimensions are a data element of type ${dimsEl.type}, not int32`);
    if (dimsEl.size % 4 !== 0) this.fail(`${label}: its dimensions take ${dimsEl.size} bytes, not a whole number of int32`);
    const rank = dimsEl.size / 4;
    if (rank === 0) this.fail(`${label}: it has no dimensions`);
    if (rank > MAX_RANK) this.fail(`${label}: it has ${rank} dimensions, more than ${MAX_RANK}`);
    const db = s.read(dimsEl.start, dimsEl.size);
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) {
      const d = this.i32(db, 4 * i);
      if (d < 0) this.fail(`${label}: it has an invalid size ${d} in its dimensions`);
      dims.push(d);
    }
    if (!named(this.name(s, next(), label, 'name'))) return;
    const what = `${this.src.name}: ${label}`;
    const numel = elementCount(dims, what);
    const sizeText = dims.join('×');

    if (cls === MX_FUNCTION) {
      this.skipped.push({ name: path, why: 'a function handle' });
      return;
    }
    if (cls === MX_OBJECT) {
      const className = this.name(s, next(), label, 'class name');
      this.fail(`${label} is a MATLAB object of class '${className}', which is not read; save its properties as a struct (s = struct(obj)) or as plain arrays`);
    }
    if (cls === MX_CHAR) {
      if (pos >= limit) {
        this.values.set(path, '');
        return;
      }
      const d = next();
      if (numel > this.limits.maxStringChars || d.size > 4 * this.limits.maxStringChars) return;
      this.values.set(path, this.chars(s.read(d.start, d.size), d.type, dims, numel, label));
      return;
    }
    if (cls === MX_CELL || cls === MX_STRUCT) {
      let fields: string[] = [];
      if (cls === MX_STRUCT) {
        const lenEl = next();
        if (lenEl.type !== MI_INT32 || lenEl.size !== 4) this.fail(`${label}: its field name length is not one int32`);
        const L = this.i32(s.read(lenEl.start, 4), 0);
        const namesEl = next();
        if (namesEl.type !== MI_INT8 && namesEl.type !== MI_UINT8) this.fail(`${label}: its field names are a data element of type ${namesEl.type}, not text`);
        if (L <= 0 ? namesEl.size !== 0 : namesEl.size % L !== 0) this.fail(`${label}: its field names take ${namesEl.size} bytes, not a whole number of ${L}-byte names`);
        const count = L > 0 ? namesEl.size / L : 0;
        if (count > this.limits.maxFields) this.fail(`${label}: a struct of ${count} fields, more than ${this.limits.maxFields}`);
        if (L > MAX_NAME_BYTES && count > 0) this.fail(`${label}: field names of ${L} bytes (MATLAB names have at most 63 characters)`);
        const nb = s.read(namesEl.start, namesEl.size);
        fields = [];
        const seen = new Map<string, number>();
        for (let k = 0; k < count; k++) {
          const z = nb.indexOf(0, k * L);
          const f = clean(nb.toString('utf8', k * L, z < 0 || z > (k + 1) * L ? (k + 1) * L : z));
          // MATLAB cannot make two fields of one name, other writers can: the repeats are
          // named as scipy.io.loadmat names them (_1_f, _2_f, …), so every tensor has its own name.
          const n = seen.get(f) ?? 0;
          seen.set(f, n + 1);
          fields.push(n === 0 ? f : `_${n}_${f}`);
        }
      }
      const perElement = cls === MX_CELL ? 1 : fields.length;
      const children = numel * perElement;
      if (children > this.limits.maxArrays - this.arrays) {
        this.fail(`${label}: ${cls === MX_CELL ? `a cell array of ${sizeText}` : `a ${sizeText} struct array of ${fields.length} fields`} holds more than the ${this.limits.maxArrays} arrays read from one file`);
      }
      if (children * 8 > limit - pos) this.fail(`${label}: ${children} ${cls === MX_CELL ? 'cells' : 'fields'} do not fit in its ${el.size} bytes`);
      for (let i = 0; i < numel && perElement > 0; i++) {
        for (let k = 0; k < perElement; k++) {
          const child = cls === MX_CELL ? `${path}{${i + 1}}` : numel === 1 ? `${path}.${fields[k]}` : `${path}(${i + 1}).${fields[k]}`;
          const e = next();
          if (e.type !== MI_MATRIX) this.fail(`variable '${top}', ${shown(child)}: a data element of type ${e.type} where an array was expected`);
          this.matrix(s, e, { path: child, top }, index, depth + 1);
        }
      }
      return;
    }
    if (complex) {
      // Skipped rather than refused: a file of a model and its (complex) eigenvalues still reads.
      this.skipped.push({ name: path, why: 'it is complex, and only real arrays are read (save real(x) and imag(x) as two arrays)' });
      return;
    }
    if (cls === MX_SPARSE) {
      this.sparse(s, next, dims, logical, path, label, what, () => pos >= limit);
      return;
    }
    const dtype: DType = logical ? 'bool' : MX_NUMERIC[cls];
    if (pos >= limit && numel === 0) {
      this.tensors.push({ name: path, dtype, shape: dims, read: () => new Float64Array(0) });
      return;
    }
    const re = next();
    const stored = MI_NUMERIC[re.type];
    if (!stored) this.fail(`${label}: its data is a data element of type ${re.type}, not numbers`);
    if (re.size !== numel * ITEM_SIZE[stored]) this.fail(`${label}: ${re.size} bytes of ${stored} data for a ${sizeText} array (${numel} elements)`);
    const layout: StridedLayout = { dtype: stored, shape: dims, strides: fortranStrides(dims), offset: 0, littleEndian: this.le };
    const data = new SliceSource(s, re.start, re.size);
    checkLayout(layout, re.size, what);
    // MATLAB keeps the class: a single stored wider is rounded to single, a logical is 0 or 1.
    const round = dtype === 'float32' && ITEM_SIZE[stored] >= 4 && stored !== 'float32';
    const read = (): Float64Array => {
      const v = decodeStrided(data, layout, what);
      if (round) for (let i = 0; i < v.length; i++) v[i] = Math.fround(v[i]);
      if (logical) for (let i = 0; i < v.length; i++) v[i] = v[i] !== 0 ? 1 : 0;
      return v;
    };
    this.tensors.push({ name: path, dtype, shape: dims, read });
    if (numel === 1) this.values.set(path, read()[0]);
  }

  /** A sparse matrix (ir, jc, pr in compressed-column form), read as a dense tensor. */
  private sparse(s: ByteSource, next: () => Element, dims: number[], logical: boolean, path: string, label: string, what: string, atEnd: () => boolean): void {
    if (dims.length !== 2) this.fail(`${label}: a sparse array with ${dims.length} dimensions`);
    const [M, N] = dims;
    const part = (name: string, integer: boolean, bytes = false) => {
      if (atEnd()) this.fail(`${label}: its sparse ${name} part is missing`);
      const e = next();
      let dtype = MI_NUMERIC[e.type];
      if (!dtype || (integer && /^float/.test(dtype))) this.fail(`${label}: its sparse ${name} part is a data element of type ${e.type}`);
      // MATLAB writes the values of a logical sparse matrix as one byte each, typed miDOUBLE.
      if (bytes && e.size % ITEM_SIZE[dtype] !== 0) dtype = 'uint8';
      if (e.size % ITEM_SIZE[dtype] !== 0) this.fail(`${label}: its sparse ${name} part of ${e.size} bytes is not a whole number of ${dtype}`);
      const n = e.size / ITEM_SIZE[dtype];
      const layout = (d: DType): StridedLayout => ({ dtype: d, shape: [e.size / ITEM_SIZE[d]], strides: [1], offset: 0, littleEndian: this.le });
      const src = new SliceSource(s, e.start, e.size);
      return { n, size: e.size, read: (as: DType = dtype) => decodeStrided(src, layout(as), what) };
    };
    const ir = part('row index', true);
    const jc = part('column start', true);
    const pr = part('value', false, logical);
    if (jc.n !== N + 1) this.fail(`${label}: ${jc.n} column starts for a sparse matrix of ${N} columns`);
    const read = (): Float64Array => {
      const n = elementCount(dims, what);
      if (n > MAX_ELEMENTS) throw new InputError(`${what} has ${n} elements, more than the ${MAX_ELEMENTS} that are read from one tensor`);
      const rows = ir.read();
      const cols = jc.read();
      const nnz = cols[N];
      // Logical values as bytes under a wider type (see part): read them as bytes.
      const vals = logical && pr.n < nnz && pr.size >= nnz ? pr.read('uint8') : pr.read();
      const out = new Float64Array(n);
      if (cols[0] !== 0 || nnz > rows.length || nnz > vals.length) throw new InputError(`${what}: its sparse column starts do not match its ${rows.length} row indices`);
      // Non-decreasing from 0 to nnz: every column's entries lie inside the row indices.
      for (let j = 0; j < N; j++) if (cols[j + 1] < cols[j]) throw new InputError(`${what}: its sparse column starts decrease`);
      for (let j = 0; j < N; j++) {
        for (let k = cols[j]; k < cols[j + 1]; k++) {
          const i = rows[k];
          if (!(i >= 0 && i < M)) throw new InputError(`${what}: a sparse row index ${i} outside its ${M} rows`);
          out[i * N + j] = logical ? (vals[k] !== 0 ? 1 : 0) : vals[k];
        }
      }
      return out;
    };
    this.tensors.push({ name: path, dtype: logical ? 'bool' : 'float64', shape: dims, read });
  }

  /** A char array as text: its rows (column-major in the file) joined by newlines. */
  private chars(b: Buffer, type: number, dims: number[], numel: number, label: string): string {
    let units: string[];
    if (type === MI_UTF8) units = Array.from(b.toString('utf8'));
    else if (type === MI_UINT16 || type === MI_UTF16) {
      const n = b.length >> 1;
      units = new Array<string>(n);
      for (let i = 0; i < n; i++) units[i] = String.fromCharCode(this.le ? b.readUInt16LE(2 * i) : b.readUInt16BE(2 * i));
    } else if (type === MI_UTF32) {
      const n = b.length >> 2;
      units = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const c = this.u32(b, 4 * i);
        units[i] = c <= 0x10ffff ? String.fromCodePoint(c) : '\ufffd';
      }
    } else if (type === MI_INT8 || type === MI_UINT8) units = Array.from(b.toString('latin1'));
    else this.fail(`${label}: its characters are a data element of type ${type}`);
    // A count that does not match the dimensions (multi-byte UTF-8, say) is taken as one row.
    if (numel === 0) return '';
    if (units.length !== numel || dims[0] <= 1) return units.join('');
    const rows = dims[0];
    const cols = numel / rows;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      let line = '';
      for (let c = 0; c < cols; c++) line += units[r + rows * c];
      lines.push(line);
    }
    return lines.join('\n');
  }
}

/** Reads a level-5 MAT-file: its arrays as tensors, its scalars and strings as values. */
export function readMat(src: ByteSource, limits: Partial<MatLimits> = {}): MatFile {
  if (src.size < 128) throw new InputError(`${src.name}: too short for a MAT-file header (${src.size} bytes, a header has 128)`);
  const h = src.read(0, 128);
  const indicator = h.toString('latin1', 126, 128);
  if (indicator !== 'IM' && indicator !== 'MI') {
    throw new InputError(`${src.name}: not a valid MAT-file: the endian indicator is ${JSON.stringify(indicator)}, not "IM" or "MI"`);
  }
  const le = indicator === 'IM';
  const version = le ? h.readUInt16LE(124) : h.readUInt16BE(124);
  if (version === 0x0200) throw mat73Error(src.name);
  if (version !== 0x0100) throw new InputError(`${src.name}: MAT-file version 0x${version.toString(16).padStart(4, '0')} is not supported (level-5 files have 0x0100)`);
  return new MatReader(src, le, { ...MAT_LIMITS, ...limits }).read();
}
