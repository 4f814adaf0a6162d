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
  return Buffer.concat([...parts, dir, endRecord(entries.length, dir.length, offset)]);
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
