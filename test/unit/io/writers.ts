// Small writers for tests and the bench: zip archives (stored or deflated, sizes may lie),
// torch-style pickles of a state dict and MATLAB level-5 MAT-files, so hostile and large files
// are built on the fly.
import { closeSync, openSync, writeSync } from 'node:fs';
import { deflateRawSync, deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, prev = 0): number {
  let c = ~prev >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipInput {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Lie about the uncompressed size (zip bombs). */
  declaredSize?: number;
}

function localHeader(name: Buffer, method: number, crc: number, csize: number, usize: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(method, 8);
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(csize, 18);
  h.writeUInt32LE(usize, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function centralHeader(name: Buffer, method: number, crc: number, csize: number, usize: number, offset: number): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(method, 10);
  h.writeUInt32LE(crc, 16);
  h.writeUInt32LE(csize, 20);
  h.writeUInt32LE(usize, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, name]);
}

function endRecord(count: number, dirSize: number, dirOffset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(dirSize, 12);
  e.writeUInt32LE(dirOffset, 16);
  return e;
}

export function buildZip(entries: ZipInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : Buffer.from(e.data);
    const usize = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const method = e.deflate ? 8 : 0;
    const lh = localHeader(name, method, crc, body.length, usize);
    central.push(centralHeader(name, method, crc, body.length, usize, offset));
    parts.push(lh, body);
    offset += lh.length + body.length;
  }
  const dir = Buffer.concat(central);
  return Buffer.concat([...parts, dir, ...endRecords(entries.length, dir.length, offset)]);
}

/** The end records: zip64 ones too when there are 0xffff entries or more. */
function endRecords(count: number, dirSize: number, dirOffset: number): Buffer[] {
  if (count < 0xffff) return [endRecord(count, dirSize, dirOffset)];
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(44n, 4);
  rec.writeUInt16LE(45, 12);
  rec.writeUInt16LE(45, 14);
  rec.writeBigUInt64LE(BigInt(count), 24);
  rec.writeBigUInt64LE(BigInt(count), 32);
  rec.writeBigUInt64LE(BigInt(dirSize), 40);
  rec.writeBigUInt64LE(BigInt(dirOffset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(dirOffset + dirSize), 8);
  loc.writeUInt32LE(1, 16);
  return [rec, loc, endRecord(0xffff, dirSize, dirOffset)];
}

/** Writes a stored zip to disk entry by entry; `chunks` yields each entry's data piece by piece. */
export function writeStoredZip(path: string, entries: { name: string; size: number; chunks: () => Iterable<Uint8Array> }[]): void {
  const fd = openSync(path, 'w');
  try {
    const central: Buffer[] = [];
    let offset = 0;
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8');
      let crc = 0;
      for (const c of e.chunks()) crc = crc32(c, crc);
      const lh = localHeader(name, 0, crc, e.size, e.size);
      writeSync(fd, lh);
      let written = 0;
      for (const c of e.chunks()) written += writeSync(fd, c);
      if (written !== e.size) throw new Error(`entry ${e.name}: wrote ${written} bytes, declared ${e.size}`);
      central.push(centralHeader(name, 0, crc, e.size, e.size, offset));
      offset += lh.length + e.size;
    }
    const dir = Buffer.concat(central);
    writeSync(fd, dir);
    writeSync(fd, endRecord(entries.length, dir.length, offset));
  } finally {
    closeSync(fd);
  }
}

export interface PickledTensor {
  name: string;
  storageKey: string;
  storageType: string;
  storageNumel: number;
  offset: number;
  shape: number[];
  stride: number[];
}

/** A protocol-2 pickle of an OrderedDict of tensors, as torch.save writes one. */
export function torchStateDictPickle(tensors: PickledTensor[]): Buffer {
  const out: Buffer[] = [];
  const op = (...bytes: number[]) => out.push(Buffer.from(bytes));
  const str = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const h = Buffer.alloc(5);
    h[0] = 0x58;
    h.writeUInt32LE(b.length, 1);
    out.push(h, b);
  };
  const int = (n: number) => {
    const h = Buffer.alloc(10);
    h[0] = 0x8a; // LONG1 with 8 bytes: any safe integer
    h[1] = 8;
    h.writeBigInt64LE(BigInt(n), 2);
    out.push(h);
  };
  const global = (m: string, n: string) => out.push(Buffer.from(`c${m}\n${n}\n`, 'latin1'));
  op(0x80, 2);
  global('collections', 'OrderedDict');
  op(0x29, 0x52); // () REDUCE
  op(0x28); // MARK
  for (const t of tensors) {
    str(t.name);
    global('torch._utils', '_rebuild_tensor_v2');
    op(0x28); // MARK (args)
    op(0x28);
    str('storage');
    global('torch', t.storageType);
    str(t.storageKey);
    str('cpu');
    int(t.storageNumel);
    op(0x74, 0x51); // TUPLE BINPERSID
    int(t.offset);
    op(0x28);
    t.shape.forEach(int);
    op(0x74);
    op(0x28);
    t.stride.forEach(int);
    op(0x74);
    op(0x89); // False
    global('collections', 'OrderedDict');
    op(0x29, 0x52);
    op(0x74, 0x52); // TUPLE REDUCE
  }
  op(0x75, 0x2e); // SETITEMS STOP
  return Buffer.concat(out);
}

/** A torch zip checkpoint in memory: archive/data.pkl plus the given storages. */
export function torchZip(tensors: PickledTensor[], storages: Record<string, Uint8Array>, root = 'archive'): Buffer {
  return buildZip([
    { name: `${root}/data.pkl`, data: torchStateDictPickle(tensors) },
    { name: `${root}/byteorder`, data: Buffer.from('little') },
    { name: `${root}/version`, data: Buffer.from('3\n') },
    ...Object.entries(storages).map(([k, data]) => ({ name: `${root}/data/${k}`, data })),
  ]);
}

export function float32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** MAT-file level 5 data types and array classes used by MatWriter. */
export const MI = { INT8: 1, UINT8: 2, INT16: 3, INT32: 5, UINT32: 6, DOUBLE: 9, MATRIX: 14, COMPRESSED: 15 } as const;
export const MX = { CELL: 1, STRUCT: 2, OBJECT: 3, CHAR: 4, SPARSE: 5, DOUBLE: 6 } as const;

/**
 * Writes MAT-file level 5 pieces in either byte order; every piece is plain bytes, so tests
 * can build files whose sizes, dimensions and nesting are anything they like.
 */
export class MatWriter {
  constructor(readonly big = false) {}

  u32(...values: number[]): Buffer {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => (this.big ? b.writeUInt32BE(v >>> 0, 4 * i) : b.writeUInt32LE(v >>> 0, 4 * i)));
    return b;
  }

  i32(...values: number[]): Buffer {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => (this.big ? b.writeInt32BE(v, 4 * i) : b.writeInt32LE(v, 4 * i)));
    return b;
  }

  f64(values: number[]): Buffer {
    const b = Buffer.alloc(8 * values.length);
    values.forEach((v, i) => (this.big ? b.writeDoubleBE(v, 8 * i) : b.writeDoubleLE(v, 8 * i)));
    return b;
  }

  /** A data element; `size` overrides the declared size (a lie), small ones ≤ 4 bytes use the small format. */
  el(type: number, data: Uint8Array, opts: { small?: boolean; size?: number } = {}): Buffer {
    const n = data.length;
    if ((opts.small ?? true) && n <= 4 && opts.size === undefined) return Buffer.concat([this.u32(((n << 16) | type) >>> 0), data, Buffer.alloc(4 - n)]);
    return Buffer.concat([this.u32(type, opts.size ?? n), data, Buffer.alloc((8 - (n % 8)) % 8)]);
  }

  /** An miMATRIX: array flags, dimensions, name, then `body` (the class's data elements). */
  matrix(cls: number, dims: number[], name: string, body: Uint8Array, flags = 0): Buffer {
    const content = Buffer.concat([this.el(MI.UINT32, this.u32(cls | flags, 0), { small: false }), this.el(MI.INT32, this.i32(...dims)), this.el(MI.INT8, Buffer.from(name, 'latin1')), body]);
    return Buffer.concat([this.u32(MI.MATRIX, content.length), content]);
  }

  /** A double matrix given by rows, stored column-major. */
  double(name: string, rows: number[][]): Buffer {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const colMajor: number[] = [];
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) colMajor.push(rows[i][j]);
    return this.matrix(MX.DOUBLE, [r, c], name, this.el(MI.DOUBLE, this.f64(colMajor)));
  }

  cell(name: string, dims: number[], children: Uint8Array[]): Buffer {
    return this.matrix(MX.CELL, dims, name, Buffer.concat(children));
  }

  /** A struct array; `elements` holds, per element in column-major order, one matrix per field. */
  struct(name: string, dims: number[], fields: string[], elements: Uint8Array[][]): Buffer {
    const L = 32;
    const names = Buffer.alloc(L * fields.length);
    fields.forEach((f, k) => names.write(f, k * L, 'latin1'));
    return this.matrix(MX.STRUCT, dims, name, Buffer.concat([this.el(MI.INT32, this.i32(L)), this.el(MI.INT8, names), ...elements.flat()]));
  }

  /** An miCOMPRESSED element holding `inner` deflated with zlib. */
  compressed(inner: Uint8Array): Buffer {
    const z = deflateSync(inner);
    return Buffer.concat([this.u32(MI.COMPRESSED, z.length), z]);
  }

  header(opts: { indicator?: string; version?: number; text?: string } = {}): Buffer {
    const h = Buffer.alloc(128, 0x20);
    h.write(opts.text ?? 'MATLAB 5.0 MAT-file, Platform: test, written by test/unit/io/writers.ts', 0, 'latin1');
    h.fill(0, 116, 124);
    if (this.big) h.writeUInt16BE(opts.version ?? 0x0100, 124);
    else h.writeUInt16LE(opts.version ?? 0x0100, 124);
    h.write(opts.indicator ?? (this.big ? 'MI' : 'IM'), 126, 'latin1');
    return h;
  }

  file(...elements: Uint8Array[]): Buffer {
    return Buffer.concat([this.header(), ...elements]);
  }
}

// Hostile pickles (issue 12's attack campaign), small enough to build in a test. Each is a
// protocol-2 pickle; wrap it with `buildZip([{ name: 'archive/data.pkl', data }])` for a .pt.

const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
/** BINUNICODE of `s`. */
export const pickleString = (s: string) => Buffer.concat([Buffer.from([0x58]), u32le(Buffer.byteLength(s)), Buffer.from(s, 'utf8')]);
const op = (...bytes: number[]) => Buffer.from(bytes);
const glob = (m: string, n: string) => Buffer.from(`c${m}\n${n}\n`, 'latin1');
const PROTO = op(0x80, 2);
const STOP = op(0x2e);
/** `piece` repeated `times` times, without building `times` Buffers. */
const repeat = (piece: Buffer, times: number) => Buffer.alloc(piece.length * times, piece);

/**
 * x = [0] * items; out = []; `times` times: x = list(x); out.append(x). Each 9-byte step copies
 * the whole list: memory grows by `items` slots per step.
 */
export function listAmplificationPickle(items: number, times: number): Buffer {
  return Buffer.concat([
    PROTO,
    op(0x5d, 0x71, 0, 0x28), repeat(op(0x4b, 0), items), op(0x65, 0x30), // x = [0]*items (memo 0), popped
    op(0x5d), // out
    glob('builtins', 'list'), op(0x71, 1, 0x30), // list (memo 1), popped
    repeat(op(0x68, 1, 0x68, 0, 0x85, 0x52, 0x71, 0, 0x61), times), // list(x) → memo 0, appended
    STOP,
  ]);
}

/** out = [_codecs.encode(s, 'latin1') for `times` times] with one string s of `bytes` bytes. */
export function encodeAmplificationPickle(bytes: number, times: number): Buffer {
  return Buffer.concat([
    PROTO, op(0x5d),
    glob('_codecs', 'encode'), op(0x71, 1, 0x30),
    pickleString('a'.repeat(bytes)), op(0x71, 2, 0x30),
    pickleString('latin1'), op(0x71, 3, 0x30),
    repeat(op(0x68, 1, 0x68, 2, 0x68, 3, 0x86, 0x52, 0x61), times),
    STOP,
  ]);
}

/** `entries` empty dicts, each kept only in the memo (EMPTY_DICT MEMOIZE POP). */
export function memoFloodPickle(entries: number): Buffer {
  return Buffer.concat([PROTO, repeat(op(0x7d, 0x94, 0x30), entries), op(0x4e), STOP]);
}

/** pathlib.PosixPath(s, s, …) with one string s of `bytes` bytes repeated `parts` times. */
export function pathJoinPickle(bytes: number, parts: number): Buffer {
  return Buffer.concat([
    PROTO, glob('pathlib', 'PosixPath'),
    pickleString('p'.repeat(bytes)), op(0x71, 0, 0x30),
    op(0x28), repeat(op(0x68, 0), parts), op(0x74, 0x52),
    STOP,
  ]);
}

/** A tensor for a hostile pickle: _rebuild_tensor_v2 of storage '0' (FloatStorage, 1 element), shape (1,). */
export function pickledTensor(): Buffer {
  return Buffer.concat([
    glob('torch._utils', '_rebuild_tensor_v2'),
    op(0x28, 0x28), pickleString('storage'), glob('torch', 'FloatStorage'), pickleString('0'), pickleString('cpu'), op(0x4b, 1, 0x74, 0x51),
    op(0x4b, 0), op(0x4b, 1, 0x85), op(0x4b, 1, 0x85), op(0x89), op(0x7d), op(0x74, 0x52),
  ]);
}

/** `pickle` as data.pkl of a torch zip with storage '0' of one float32. */
export const torchZipOf = (pickle: Buffer) => buildZip([{ name: 'archive/data.pkl', data: pickle }, { name: 'archive/data/0', data: Buffer.alloc(4) }]);

/** Hostile pickles that used to end in a stack trace (exit 1) instead of a one-line error. */
export const crashPickles = {
  /** _rebuild_from_type_v2(None, None, (), None). */
  rebuildFromNone: () => Buffer.concat([PROTO, glob('torch._tensor', '_rebuild_from_type_v2'), op(0x28, 0x4e, 0x4e, 0x29, 0x4e, 0x74, 0x52), STOP]),
  /** _rebuild_from_type_v2 wrapping itself `depth` times. */
  rebuildNested: (depth: number) =>
    Buffer.concat([PROTO, glob('torch._tensor', '_rebuild_from_type_v2'), op(0x71, 0), repeat(op(0x68, 0, 0x4e), depth), op(0x29), repeat(op(0x87), depth), op(0x52), STOP]),
  /** A FROZENSET of `n` Nones. */
  frozenset: (n: number) => Buffer.concat([PROTO, op(0x28), repeat(op(0x4e), n), op(0x91), STOP]),
  /** builtins.set([None] * n). */
  set: (n: number) => Buffer.concat([PROTO, glob('builtins', 'set'), op(0x5d, 0x28), repeat(op(0x4e), n), op(0x65, 0x85, 0x52), STOP]),
  /** A tensor under `depth` dicts, each keyed by one string of `keyBytes` bytes. */
  longName: (keyBytes: number, depth: number) =>
    Buffer.concat([PROTO, pickleString('k'.repeat(keyBytes)), op(0x71, 0, 0x30), repeat(op(0x7d, 0x68, 0), depth), pickledTensor(), repeat(op(0x73), depth), STOP]),
};

/** An .npy (version 1.0) of float64 `values` with `shape`; `pad` extra zero bytes of data may follow (bombs). */
export function npyBytes(shape: number[], values: number[] | Float64Array, pad = 0): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1) + '\n';
  const pre = Buffer.from([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(new Float64Array(values).buffer), Buffer.alloc(pad)]);
}

/** Bits written least significant first, as deflate packs them. */
class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  /** Writes the `len` low bits of `v`, least significant first. */
  bits(v: number, len: number): void {
    for (let i = 0; i < len; i++) {
      this.acc |= ((v >> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
  }
  /** Writes a Huffman code of `len` bits, most significant bit first. */
  code(c: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) this.bits((c >> i) & 1, 1);
  }
  get aligned(): boolean {
    return this.n === 0;
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
  take(): Buffer {
    if (this.n > 0) this.flushByte();
    const b = Buffer.from(this.bytes);
    this.bytes = [];
    return b;
  }
}

/**
 * A raw deflate stream of `prefix` followed by `zeros` zero bytes, built directly (fixed Huffman
 * codes, matches of 258 at distance 1) so that gigabytes of zeros cost a few hundred kilobytes
 * and no memory: eight matches are 13 bytes, repeated.
 */
export function deflatedZeros(prefix: Uint8Array, zeros: number): Buffer {
  const w = new BitWriter();
  w.bits(1, 1); // BFINAL
  w.bits(1, 2); // fixed Huffman
  const literal = (v: number) => (v < 144 ? w.code(0x30 + v, 8) : w.code(0x190 + v - 144, 9));
  const match258 = () => {
    w.code(0xc5, 8); // length symbol 285: 258
    w.code(0, 5); // distance 1
  };
  for (const b of prefix) literal(b);
  const parts: Buffer[] = [];
  let left = zeros;
  if (left > 0) {
    literal(0);
    left--;
    // Matches until the stream is byte aligned (13 bits each), then whole periods of 8 matches.
    while (!w.aligned && left >= 258) {
      match258();
      left -= 258;
    }
    if (w.aligned && left >= 8 * 258) {
      parts.push(w.take());
      const periods = Math.floor(left / (8 * 258));
      for (let i = 0; i < 8; i++) match258();
      parts.push(Buffer.alloc(13 * periods, w.take()));
      left -= periods * 8 * 258;
    }
    while (left >= 258) {
      match258();
      left -= 258;
    }
    while (left-- > 0) literal(0);
  }
  w.code(0, 7); // end of block
  parts.push(w.take());
  return Buffer.concat(parts);
}

/** The .npy header (version 1.0) of a uint8 vector of n elements. */
export function npyHeaderU8(n: number): Buffer {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${n},), }`;
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1) + '\n';
  return Buffer.concat([Buffer.from([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0, header.length & 0xff, header.length >> 8]), Buffer.from(header, 'latin1')]);
}

/**
 * A zip whose entries are given already deflated (`packed`, inflating to `size` bytes); entries
 * with `at` set reuse the local header and data of that earlier entry (overlapping entries).
 */
export function buildPackedZip(entries: { name: string; packed?: Buffer; size: number; at?: number }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    if (e.at !== undefined) {
      const base = entries[e.at];
      offsets.push(offsets[e.at]);
      central.push(centralHeader(name, 8, 0, base.packed!.length, e.size, offsets[e.at]));
      continue;
    }
    const lh = localHeader(name, 8, 0, e.packed!.length, e.size);
    offsets.push(offset);
    central.push(centralHeader(name, 8, 0, e.packed!.length, e.size, offset));
    parts.push(lh, e.packed!);
    offset += lh.length + e.packed!.length;
  }
  const dir = Buffer.concat(central);
  return Buffer.concat([...parts, dir, endRecord(entries.length, dir.length, offset)]);
}

/** BSON values for bsonDocument: strings, numbers (int32), Buffers (binary), arrays and objects. */
export type BsonInput = string | number | Buffer | BsonInput[] | { [k: string]: BsonInput };

/** A BSON document (plain BSON; BSON.jl's tags are ordinary keys). */
export function bsonDocument(doc: { [k: string]: BsonInput } | BsonInput[]): Buffer {
  const parts: Buffer[] = [];
  const cstr = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
  for (const [k, v] of Array.isArray(doc) ? doc.map((x, i) => [String(i), x] as const) : Object.entries(doc)) {
    if (typeof v === 'string') {
      const b = cstr(v);
      parts.push(Buffer.from([0x02]), cstr(k), u32le(b.length), b);
    } else if (typeof v === 'number') {
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      parts.push(Buffer.from([0x10]), cstr(k), b);
    } else if (Buffer.isBuffer(v)) {
      parts.push(Buffer.from([0x05]), cstr(k), u32le(v.length), Buffer.from([0]), v);
    } else {
      parts.push(Buffer.from([Array.isArray(v) ? 0x04 : 0x03]), cstr(k), bsonDocument(v));
    }
  }
  const body = Buffer.concat([...parts, Buffer.from([0])]);
  return Buffer.concat([u32le(body.length + 4), body]);
}

/** A list of `n` distinct tensors, each _rebuild_tensor_v2 of one memoised argument tuple (6 bytes per tensor). */
export function manyTensorsPickle(n: number): Buffer {
  const t = pickledTensor();
  // pickledTensor is GLOBAL, the argument tuple, REDUCE: memoise the global and the tuple.
  const globalEnd = t.indexOf(0x0a, t.indexOf(0x0a) + 1) + 1;
  const args = t.subarray(globalEnd, t.length - 1);
  return Buffer.concat([PROTO, op(0x5d), t.subarray(0, globalEnd), op(0x71, 0, 0x30), args, op(0x71, 1, 0x30), repeat(op(0x68, 0, 0x68, 1, 0x52, 0x61), n), STOP]);
}

/** A safetensors file of `n` one-float tensors named t0, t1, … (about 60 header bytes each). */
export function manySafetensors(n: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[1],"data_offsets":[${4 * i},${4 * i + 4}]}`);
  const h = Buffer.from('{' + parts.join(',') + '}');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, Buffer.alloc(4 * n)]);
}

/**
 * The hostile inputs of issue 12's attack campaign, in sizes a fuzz run can afford: each makes
 * the readers do far more work or allocate far more than its size unless a limit stops it.
 * `mutants` is how many mutants of it the fuzz run reads (fewer for the larger ones).
 */
export function hostileCorpus(): { name: string; bytes: Buffer; mutants: number }[] {
  const MiB = 1024 * 1024;
  const pt = (pickle: Buffer) => torchZipOf(pickle);
  const st = (header: string, data: Buffer) => {
    const h = Buffer.from(header);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(h.length));
    return Buffer.concat([len, h, data]);
  };
  const f32 = (a: number, b: number, shape = (b - a) / 4) => `{"dtype": "F32", "shape": [${shape}], "data_offsets": [${a}, ${b}]}`;
  const zeros = (name: string, bytes: number) => ({ name, packed: deflatedZeros(npyHeaderU8(bytes - 128), bytes - 128), size: bytes });
  const shared = zeros('m0.npy', 64 * MiB);
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const model = '{"architecture": "plrnn", "A": [0.5], "W": [[0]], "h": [0]}';
  const empty = Buffer.alloc(0);
  return [
    { name: 'list-amplification.pt', bytes: pt(listAmplificationPickle(10_000, 5_000)), mutants: 5 },
    { name: 'encode-amplification.pt', bytes: pt(encodeAmplificationPickle(64 * 1024, 5_000)), mutants: 5 },
    { name: 'memo-flood.pt', bytes: pt(memoFloodPickle(1_200_000)), mutants: 2 },
    { name: 'path-join.pt', bytes: pt(pathJoinPickle(1 << 20, 600)), mutants: 10 },
    { name: 'rebuild-none.pt', bytes: pt(crashPickles.rebuildFromNone()), mutants: 50 },
    { name: 'rebuild-nested.pt', bytes: pt(crashPickles.rebuildNested(100_000)), mutants: 10 },
    { name: 'frozenset.pt', bytes: pt(crashPickles.frozenset(1_000_000)), mutants: 5 },
    { name: 'set.pt', bytes: pt(crashPickles.set(1_000_000)), mutants: 5 },
    { name: 'long-name.pt', bytes: pt(crashPickles.longName(100_000, 60)), mutants: 10 },
    { name: 'many-tensors.pt', bytes: pt(manyTensorsPickle(100_001)), mutants: 2 },
    { name: 'overlap-bomb.npz', bytes: buildPackedZip([shared, ...Array.from({ length: 9 }, (_, i) => ({ name: `m${i + 1}.npy`, size: shared.size, at: 0 }))]), mutants: 20 },
    { name: 'lazy.npz', bytes: buildPackedZip([zeros('a.npy', 64 * MiB), zeros('b.npy', 64 * MiB), zeros('c.npy', 64 * MiB)]), mutants: 20 },
    { name: 'duplicate.npz', bytes: buildZip([{ name: 'W.npy', data: npyBytes([1], [1]) }, { name: 'W.npy', data: npyBytes([1], [2]) }]), mutants: 50 },
    { name: 'many-entries.npz', bytes: buildZip(Array.from({ length: 100_101 }, (_, i) => ({ name: `${i}.npy`, data: empty }))), mutants: 2 },
    { name: 'overlap.safetensors', bytes: st(`{"a": ${f32(0, 8)}, "b": ${f32(4, 12)}}`, Buffer.alloc(12)), mutants: 50 },
    { name: 'hole.safetensors', bytes: st(`{"a": ${f32(0, 8)}, "b": ${f32(12, 16)}}`, Buffer.alloc(16)), mutants: 50 },
    { name: 'duplicate.safetensors', bytes: st(`{"a": ${f32(0, 8)}, "a": ${f32(8, 16)}}`, Buffer.alloc(16)), mutants: 50 },
    { name: 'many.safetensors', bytes: manySafetensors(120_000), mutants: 3 },
    { name: 'escapes.safetensors', bytes: st(`{"\\u001b[2J\\r\\u0007": ${f32(0, 4)}, "\\u202e\\u009b": ${f32(4, 8)}}`, Buffer.alloc(8)), mutants: 50 },
    { name: 'constructor.bson', bytes: bsonDocument({ model: { tag: 'struct', type: { tag: 'datatype', name: ['Main', 'constructor'], params: [] }, data: [{ tag: 'array', type: { tag: 'datatype', name: ['Core', 'Float32'], params: [] }, size: [1], data: Buffer.alloc(4) }] } }), mutants: 50 },
    { name: 'deep-comment.json', bytes: Buffer.from(`// c\n{"x": ${deep}}`), mutants: 10 },
    { name: 'deep-comma.json', bytes: Buffer.from(`{"x": ${'['.repeat(100_000)}1,${']'.repeat(100_000)}}`), mutants: 10 },
    { name: 'proto-comment.json', bytes: Buffer.from(`// c\n{"__proto__": ${model}}`), mutants: 50 },
  ];
}
