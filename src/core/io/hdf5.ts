import { inflateSync } from 'node:zlib';
import { InputError } from '../errors';
import { BufferSource, ByteSource, SliceSource } from './source';
import { DType, ITEM_SIZE, MAX_ELEMENTS, MAX_RANK, StridedLayout, Tensor, checkLayout, contiguousStrides, decodeStrided, elementCount, fortranStrides } from './tensor';

/*
 * A small, bounded reader for the part of HDF5 that JLD2 and MATLAB v7.3 files use:
 * superblocks v0–v3 (found at 0, 512, 1024, …), object headers v1 and v2 with continuation
 * blocks, groups as link messages (compact storage) or symbol tables (B-tree v1 + local heap),
 * compact, contiguous and chunked layouts (B-tree v1 index, or the single-chunk index JLD2
 * writes) with the deflate, shuffle and fletcher32 filters, the datatypes fixed-point, float,
 * string, bitfield, opaque, compound, reference, enum, variable-length and array, committed
 * (shared) datatypes, attributes and the global heap.
 *
 * Nothing in a file is trusted: every size is checked before anything is allocated, every
 * structure that points elsewhere is followed at most once (loops end), and the numbers of
 * objects, messages, B-tree nodes, chunks, bytes read and the depth of nested types are capped.
 * Every problem is one InputError naming the file.
 */

/** Most object headers parsed in one file. */
export const MAX_OBJECTS = 100_000;
/** Most bytes of metadata (headers, heaps, B-trees, attribute values) read from one file. */
export const MAX_METADATA_BYTES = 256 * 1024 * 1024;
/** Most continuation blocks of one object header, and most messages in one. */
const MAX_CONTINUATIONS = 1024;
const MAX_MESSAGES = 65_536;
/** Most nesting of datatypes (compound in array in vlen …). */
const MAX_TYPE_DEPTH = 32;
/** Most B-tree nodes visited for one group or dataset, and most chunks of one dataset. */
const MAX_BTREE_NODES = 100_000;
const MAX_CHUNKS = 1_000_000;
/** Largest global heap collection read. */
const MAX_HEAP_COLLECTION = 64 * 1024 * 1024;
/** Most links of one group. */
export const MAX_LINKS = 100_000;
/** Most elements decoded as values (attributes, compound records, references) from one dataset, and from one file. */
export const MAX_VALUE_ELEMENTS = 1 << 20;
export const MAX_FILE_VALUES = 1 << 23;
/** Most bytes of one dataset's data, and of one dataset decoded as values. */
const MAX_DATA_BYTES = 1024 * 1024 * 1024;
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

const UNDEF = -1;

export type H5Type =
  | { class: 'int'; size: number; signed: boolean; little: boolean; committed?: number }
  | { class: 'float'; size: number; little: boolean; committed?: number }
  | { class: 'string'; size: number; utf8: boolean; committed?: number }
  | { class: 'bitfield'; size: number; little: boolean; committed?: number }
  | { class: 'opaque'; size: number; tag: string; committed?: number }
  | { class: 'compound'; size: number; members: { name: string; offset: number; type: H5Type }[]; committed?: number }
  | { class: 'reference'; size: number; region: boolean; committed?: number }
  | { class: 'enum'; size: number; base: H5Type; names: string[]; values: number[]; committed?: number }
  | { class: 'vlen'; size: number; string: boolean; utf8: boolean; base: H5Type; committed?: number }
  | { class: 'array'; size: number; dims: number[]; base: H5Type; committed?: number }
  | { class: 'time'; size: number; committed?: number };

/** A decoded value: numbers, strings, references (absolute file addresses), records, lists. */
export type H5Value = number | bigint | string | null | H5Ref | H5Record | H5Value[] | Buffer;
export class H5Ref {
  /** Absolute file offset of the object header referred to; undefined for a null reference. */
  constructor(readonly address: number | undefined) {}
}
export class H5Record {
  constructor(readonly fields: Map<string, H5Value>) {}
}

export interface Dataspace {
  /** undefined: a null dataspace (no data at all); [] a scalar. HDF5 order (slowest first). */
  dims: number[] | undefined;
}

export type Layout =
  | { kind: 'compact'; data: Buffer }
  | { kind: 'contiguous'; address: number; size: number }
  | { kind: 'chunked-btree'; address: number; chunk: number[] }
  | { kind: 'chunked-single'; address: number; chunk: number[]; filteredSize?: number; filterMask: number };

interface Filter {
  id: number;
  optional: boolean;
  values: number[];
}

export interface Attribute {
  name: string;
  type: H5Type;
  space: Dataspace;
  data: Buffer;
}

interface Message {
  type: number;
  flags: number;
  data: Buffer;
}

/** One object: a group, a dataset or a committed datatype. */
export interface H5Object {
  address: number;
  kind: 'group' | 'dataset' | 'datatype';
  attributes: Attribute[];
  /** Datasets. */
  space?: Dataspace;
  type?: H5Type;
  layout?: Layout;
  filters?: Filter[];
  /** Groups: [name, object address] in the file's order. */
  links?: [string, number][];
  /** Why the links of a group could not be listed (dense storage). */
  linksProblem?: string;
  /** Why some attributes could not be read (dense storage). */
  attributesProblem?: string;
}

class Cursor {
  pos: number;
  constructor(
    readonly buf: Buffer,
    private readonly fail: (what: string) => never,
    private readonly file: Hdf5File,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail('a structure runs past its end');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  /** An unsigned integer of `n` bytes; all-ones reads as UNDEF; too large for a number fails. */
  uint(n: number, what: string): number {
    this.need(n);
    let v = 0;
    let ones = true;
    for (let i = n - 1; i >= 0; i--) {
      const b = this.buf[this.pos + i];
      if (b !== 0xff) ones = false;
      v = v * 256 + b;
    }
    this.pos += n;
    if (ones) return UNDEF;
    if (!Number.isSafeInteger(v)) this.fail(`${what} ${v} is too large`);
    return v;
  }
  /** An address relative to the base, as an absolute file offset (UNDEF stays UNDEF). */
  addr(): number {
    const a = this.uint(this.file.offsetSize, 'an address');
    return a === UNDEF ? UNDEF : this.file.base + a;
  }
  len(what = 'a length'): number {
    const v = this.uint(this.file.lengthSize, what);
    if (v === UNDEF) this.fail(`${what} is undefined`);
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
  cstring(max: number): string {
    const z = this.buf.indexOf(0, this.pos);
    if (z < 0 || z >= this.end || z - this.pos > max) this.fail('a name is not terminated');
    const s = this.buf.toString('utf8', this.pos, z);
    this.pos = z + 1;
    return s;
  }
  align8(from: number): void {
    const r = (this.pos - from) % 8;
    if (r) this.skip(8 - r);
  }
}

const SIGNATURE = Buffer.from('\x89HDF\r\n\x1a\n', 'latin1');

/** Where the HDF5 superblock of a file is: 0, 512, 1024, 2048, …; undefined if none. */
export function findSuperblock(src: ByteSource): number | undefined {
  for (let at = 0; at + 8 <= src.size; at = at === 0 ? 512 : at * 2) {
    if (src.read(at, 8).equals(SIGNATURE)) return at;
  }
  return undefined;
}

export class Hdf5File {
  readonly superblock: number;
  base = 0;
  offsetSize = 8;
  lengthSize = 8;
  readonly rootAddress: number;
  private bytesRead = 0;
  private valuesLeft = MAX_FILE_VALUES;
  private objectCount = 0;
  private readonly objects = new Map<number, H5Object>();
  private readonly heaps = new Map<number, Map<number, Buffer>>();
  private readonly committed = new Map<number, H5Type>();
  private readonly resolving = new Set<number>();

  constructor(readonly src: ByteSource) {
    const at = findSuperblock(src);
    if (at === undefined) this.fail('no HDF5 superblock found (at 0, 512, 1024, …)');
    this.superblock = at;
    const head = this.read(at, Math.min(src.size - at, 256), 'the superblock');
    const c = new Cursor(head, (w) => this.fail(`the superblock is invalid (${w})`), this, 8);
    const version = c.u8();
    let root: number;
    if (version === 0 || version === 1) {
      c.skip(4); // free-space, root group symbol table, reserved, shared header versions
      this.offsetSize = c.u8();
      this.lengthSize = c.u8();
      this.checkSizes();
      c.skip(1 + 2 + 2 + 4 + (version === 1 ? 4 : 0));
      const base = c.uint(this.offsetSize, 'the base address');
      // As libhdf5 does: addresses are relative to where the superblock actually is.
      this.base = at;
      void base;
      c.addr(); // free space info
      c.addr(); // end of file
      c.addr(); // driver info
      c.addr(); // root: link name offset
      root = c.addr();
    } else if (version === 2 || version === 3) {
      this.offsetSize = c.u8();
      this.lengthSize = c.u8();
      this.checkSizes();
      c.skip(1);
      c.uint(this.offsetSize, 'the base address');
      this.base = at;
      c.addr(); // superblock extension
      c.addr(); // end of file
      root = c.addr();
    } else {
      this.fail(`superblock version ${version} is not supported`);
    }
    if (root === UNDEF) this.fail('the root group has no address');
    this.rootAddress = root;
  }

  fail(what: string): never {
    throw new InputError(`${this.src.name}: ${what}`);
  }

  private checkSizes(): void {
    if (![2, 4, 8].includes(this.offsetSize) || ![2, 4, 8].includes(this.lengthSize)) {
      this.fail(`unsupported sizes of offsets (${this.offsetSize}) and lengths (${this.lengthSize})`);
    }
  }

  /** A bounded read of file bytes, counted against the metadata budget. */
  read(offset: number, length: number, what: string): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0 || offset + length > this.src.size) {
      this.fail(`${what} (${length} bytes at ${offset}) lies outside the file of ${this.src.size} bytes`);
    }
    this.bytesRead += length;
    if (this.bytesRead > MAX_METADATA_BYTES) this.fail(`more than ${MAX_METADATA_BYTES} bytes of HDF5 metadata; the file is too complex`);
    return this.src.read(offset, length);
  }

  /** Reads `length` bytes at `offset`, or as many as the file has (for headers of unknown size). */
  private readUpTo(offset: number, length: number, what: string): Buffer {
    if (offset < 0 || offset >= this.src.size) this.fail(`${what} at ${offset} lies outside the file of ${this.src.size} bytes`);
    return this.read(offset, Math.min(length, this.src.size - offset), what);
  }

  // ---------------------------------------------------------------- object headers

  /** The object whose header is at `address` (absolute), parsed once. */
  object(address: number): H5Object {
    const known = this.objects.get(address);
    if (known) return known;
    if (++this.objectCount > MAX_OBJECTS) this.fail(`more than ${MAX_OBJECTS} objects`);
    const messages = this.messages(address);
    const obj = this.interpret(address, messages);
    this.objects.set(address, obj);
    return obj;
  }

  private messages(address: number): Message[] {
    const where = `the object header at ${address}`;
    const out: Message[] = [];
    const blocks: { start: number; length: number }[] = [];
    const seen = new Set<number>();
    const first = this.readUpTo(address, 16, where);
    let v2 = false;
    let trackOrder = false;
    if (first.length >= 4 && first.toString('latin1', 0, 4) === 'OHDR') {
      v2 = true;
      const head = this.readUpTo(address, 4 + 2 + 16 + 4 + 8, where);
      const c = new Cursor(head, (w) => this.fail(`${where} is invalid (${w})`), this, 4);
      const version = c.u8();
      if (version !== 2) this.fail(`${where} has version ${version}`);
      const flags = c.u8();
      trackOrder = (flags & 0x04) !== 0;
      if (flags & 0x20) c.skip(16);
      if (flags & 0x10) c.skip(4);
      const sizeBytes = 1 << (flags & 3);
      const size = c.uint(sizeBytes, 'a header size');
      blocks.push({ start: address + c.pos, length: size });
    } else {
      const c = new Cursor(first, (w) => this.fail(`${where} is invalid or truncated (${w})`), this);
      const version = c.u8();
      if (version !== 1) this.fail(`${where} is not an object header (version ${version})`);
      c.skip(1);
      c.u16(); // number of messages
      c.u32(); // reference count
      const size = c.u32();
      blocks.push({ start: address + 16, length: size });
    }
    for (let b = 0; b < blocks.length; b++) {
      if (b > MAX_CONTINUATIONS) this.fail(`${where} has more than ${MAX_CONTINUATIONS} continuation blocks`);
      const start = blocks[b].start;
      let length = blocks[b].length;
      if (seen.has(start)) this.fail(`${where}: continuation blocks form a loop`);
      seen.add(start);
      const buf = this.read(start, length, where);
      let pos = 0;
      if (v2 && b > 0) {
        if (buf.length < 8 || buf.toString('latin1', 0, 4) !== 'OCHK') this.fail(`${where}: a continuation block has no OCHK signature`);
        pos = 4;
        length -= 4; // checksum (chunk 0's size leaves its checksum out)
      }
      const hdr = v2 ? 4 + (trackOrder ? 2 : 0) : 8;
      while (pos + hdr <= length) {
        let type: number, size: number, flags: number;
        if (v2) {
          type = buf[pos];
          size = buf.readUInt16LE(pos + 1);
          flags = buf[pos + 3];
        } else {
          type = buf.readUInt16LE(pos);
          size = buf.readUInt16LE(pos + 2);
          flags = buf[pos + 4];
        }
        pos += hdr;
        if (pos + size > length) this.fail(`${where}: a message of ${size} bytes runs past its block`);
        const data = buf.subarray(pos, pos + size);
        pos += size;
        if (type === 0x10) {
          const c = new Cursor(data, (w) => this.fail(`${where}: bad continuation message (${w})`), this);
          const at = c.addr();
          const n = c.len();
          if (at === UNDEF) this.fail(`${where}: a continuation block has no address`);
          blocks.push({ start: at, length: n });
        } else if (type !== 0) {
          out.push({ type, flags, data });
          if (out.length > MAX_MESSAGES) this.fail(`${where} has more than ${MAX_MESSAGES} messages`);
        }
      }
    }
    return out;
  }

  private interpret(address: number, messages: Message[]): H5Object {
    const where = `the object at ${address}`;
    const obj: H5Object = { address, kind: 'group', attributes: [] };
    let hasData = false;
    let isGroup = false;
    let linkInfo: Message | undefined;
    const links: [string, number][] = [];
    for (const m of messages) {
      const fail = (w: string): never => this.fail(`${where}: ${messageName(m.type)} message is invalid (${w})`);
      switch (m.type) {
        case 0x01:
          obj.space = this.dataspace(new Cursor(m.data, fail, this));
          hasData = true;
          break;
        case 0x03:
          obj.type = m.flags & 0x02 ? this.sharedType(new Cursor(m.data, fail, this)) : this.datatype(new Cursor(m.data, fail, this), 0);
          break;
        case 0x08:
          obj.layout = this.layout(new Cursor(m.data, fail, this));
          break;
        case 0x0b:
          obj.filters = this.filters(new Cursor(m.data, fail, this));
          break;
        case 0x0c:
          if (m.flags & 0x02) fail('a shared attribute');
          obj.attributes.push(this.attribute(new Cursor(m.data, fail, this)));
          break;
        case 0x11: {
          isGroup = true;
          const c = new Cursor(m.data, fail, this);
          const btree = c.addr();
          const heap = c.addr();
          links.push(...this.symbolTable(btree, heap));
          break;
        }
        case 0x06: {
          isGroup = true;
          const l = this.link(new Cursor(m.data, fail, this));
          if (l) links.push(l);
          if (links.length > MAX_LINKS) this.fail(`${where} has more than ${MAX_LINKS} links`);
          break;
        }
        case 0x02:
          isGroup = true;
          linkInfo = m;
          break;
        case 0x15: {
          // Attribute info: dense attribute storage in a fractal heap is not read.
          const c = new Cursor(m.data, fail, this);
          c.u8();
          const flags = c.u8();
          if (flags & 1) c.skip(2);
          const heap = c.addr();
          if (heap !== UNDEF) obj.attributesProblem = 'its attributes are stored densely (in a fractal heap), which is not read';
          break;
        }
        default:
          break;
      }
    }
    if (linkInfo) {
      const c = new Cursor(linkInfo.data, (w) => this.fail(`${where}: link info message is invalid (${w})`), this);
      c.u8();
      const flags = c.u8();
      if (flags & 1) c.skip(8);
      const heap = c.addr();
      if (heap !== UNDEF) obj.linksProblem = 'its links are stored densely (in a fractal heap), which is not read';
    }
    if (hasData && obj.type) obj.kind = 'dataset';
    else if (obj.type && !isGroup) obj.kind = 'datatype';
    else obj.kind = 'group';
    if (obj.kind === 'group') obj.links = links;
    return obj;
  }

  // ---------------------------------------------------------------- messages

  private dataspace(c: Cursor): Dataspace {
    const version = c.u8();
    const rank = c.u8();
    const flags = c.u8();
    let type = rank === 0 ? 0 : 1;
    if (version === 1) c.skip(5);
    else if (version === 2) type = c.u8();
    else this.fail(`dataspace version ${version} is not supported`);
    if (rank > MAX_RANK) this.fail(`a dataspace has ${rank} dimensions, more than ${MAX_RANK}`);
    const dims: number[] = [];
    for (let i = 0; i < rank; i++) dims.push(c.len('a dimension'));
    if (type === 2) return { dims: undefined };
    if (type === 0) return { dims: [] };
    void flags;
    return { dims };
  }

  private sharedType(c: Cursor): H5Type {
    const version = c.u8();
    const type = c.u8();
    if (version === 1) c.skip(6);
    else if (version === 3 && type === 1) this.fail('a datatype shared through the shared-message heap is not supported');
    else if (version !== 2 && version !== 3) this.fail(`shared message version ${version} is not supported`);
    const at = c.addr();
    return this.committedType(at);
  }

  /** The datatype of the committed-datatype object at `address`. */
  committedType(address: number): H5Type {
    const known = this.committed.get(address);
    if (known) return known;
    if (this.resolving.has(address)) this.fail(`committed datatypes at ${address} refer to themselves`);
    if (this.resolving.size > MAX_TYPE_DEPTH) this.fail(`committed datatypes nested deeper than ${MAX_TYPE_DEPTH}`);
    this.resolving.add(address);
    try {
      // Only the datatype message: the object's attributes may use this very type (JLD2's
      // Core.DataType describes itself).
      const m = this.messages(address).find((x) => x.type === 0x03);
      if (!m) this.fail(`a shared datatype points to ${address}, which is not a datatype`);
      const fail = (w: string): never => this.fail(`the committed datatype at ${address} is invalid (${w})`);
      const own = m.flags & 0x02 ? this.sharedType(new Cursor(m.data, fail, this)) : this.datatype(new Cursor(m.data, fail, this), 0);
      const t = { ...own, committed: address } as H5Type;
      this.committed.set(address, t);
      return t;
    } finally {
      this.resolving.delete(address);
    }
  }

  datatype(c: Cursor, depth: number): H5Type {
    if (depth > MAX_TYPE_DEPTH) this.fail(`datatypes nested deeper than ${MAX_TYPE_DEPTH}`);
    const cv = c.u8();
    const cls = cv & 0x0f;
    const version = cv >> 4;
    const b0 = c.u8();
    const b1 = c.u8();
    c.u8();
    const size = c.u32();
    if (size > MAX_VALUE_BYTES) this.fail(`a datatype of ${size} bytes`);
    switch (cls) {
      case 0: {
        c.skip(4);
        if (![1, 2, 4, 8].includes(size)) return { class: 'opaque', size, tag: `integer of ${size} bytes` };
        return { class: 'int', size, signed: (b0 & 0x08) !== 0, little: (b0 & 0x01) === 0 };
      }
      case 1: {
        const bitOffset = c.u16();
        const precision = c.u16();
        const expLoc = c.u8();
        const expSize = c.u8();
        const manLoc = c.u8();
        const manSize = c.u8();
        const bias = c.u32();
        const ieee =
          bitOffset === 0 &&
          ((size === 8 && precision === 64 && expLoc === 52 && expSize === 11 && manLoc === 0 && manSize === 52 && bias === 1023) ||
            (size === 4 && precision === 32 && expLoc === 23 && expSize === 8 && manLoc === 0 && manSize === 23 && bias === 127) ||
            (size === 2 && precision === 16 && expLoc === 10 && expSize === 5 && manLoc === 0 && manSize === 10 && bias === 15));
        if (!ieee || (b0 & 0x40) !== 0) return { class: 'opaque', size, tag: `non-IEEE float of ${size} bytes` };
        return { class: 'float', size, little: (b0 & 0x01) === 0 };
      }
      case 2:
        c.skip(4);
        return { class: 'time', size };
      case 3:
        return { class: 'string', size, utf8: (b0 >> 4) === 1 };
      case 4:
        c.skip(4);
        return { class: 'bitfield', size, little: (b0 & 0x01) === 0 };
      case 5: {
        const tagLen = b0;
        const tag = c.bytes(tagLen).toString('latin1').replace(/\0+$/, '');
        return { class: 'opaque', size, tag };
      }
      case 6: {
        const n = b0 | (b1 << 8);
        const members: { name: string; offset: number; type: H5Type }[] = [];
        for (let i = 0; i < n; i++) {
          const start = c.pos;
          const name = c.cstring(65536);
          let offset: number;
          if (version < 3) {
            c.align8(start);
            offset = c.u32();
            if (version === 1) {
              const rank = c.u8();
              c.skip(3 + 4 + 4 + 16);
              if (rank !== 0) this.fail('compound members with version-1 array dimensions are not supported');
            }
          } else {
            const w = size < 256 ? 1 : size < 65536 ? 2 : size < 1 << 24 ? 3 : 4;
            offset = c.uint(w, 'a member offset');
          }
          const type = this.datatype(c, depth + 1);
          if (offset + type.size > size) this.fail(`compound member '${name}' lies outside its ${size}-byte record`);
          members.push({ name, offset, type });
        }
        return { class: 'compound', size, members };
      }
      case 7:
        return { class: 'reference', size, region: (b0 & 0x0f) !== 0 };
      case 8: {
        const n = b0 | (b1 << 8);
        const base = this.datatype(c, depth + 1);
        const names: string[] = [];
        for (let i = 0; i < n; i++) {
          const start = c.pos;
          names.push(c.cstring(65536));
          if (version < 3) c.align8(start);
        }
        const values: number[] = [];
        for (let i = 0; i < n; i++) values.push(decodeInteger(c.bytes(base.size), base));
        return { class: 'enum', size, base, names, values };
      }
      case 9: {
        const isString = (b0 & 0x0f) === 1;
        const base = this.datatype(c, depth + 1);
        return { class: 'vlen', size, string: isString, utf8: (b1 & 0x0f) === 1, base };
      }
      case 10: {
        const rank = c.u8();
        if (version < 3) c.skip(3);
        if (rank > MAX_RANK) this.fail(`an array datatype of ${rank} dimensions`);
        const dims: number[] = [];
        for (let i = 0; i < rank; i++) dims.push(c.u32());
        if (version < 3) c.skip(4 * rank);
        const base = this.datatype(c, depth + 1);
        return { class: 'array', size, dims, base };
      }
      default:
        this.fail(`datatype class ${cls} is not supported`);
    }
  }

  private layout(c: Cursor): Layout {
    const version = c.u8();
    if (version === 1 || version === 2) {
      const rank = c.u8();
      const cls = c.u8();
      c.skip(5);
      const address = cls === 0 ? UNDEF : c.addr();
      const dims: number[] = [];
      for (let i = 0; i < rank; i++) dims.push(c.u32());
      if (cls === 0) {
        const n = c.u32();
        return { kind: 'compact', data: c.bytes(n) };
      }
      if (cls === 1) return { kind: 'contiguous', address, size: dims.reduce((a, b) => a * b, 1) };
      if (cls === 2) return { kind: 'chunked-btree', address, chunk: dims };
      this.fail(`layout class ${cls}`);
    }
    if (version !== 3 && version !== 4) this.fail(`data layout version ${version} is not supported`);
    const cls = c.u8();
    if (cls === 0) {
      const n = c.u16();
      return { kind: 'compact', data: c.bytes(n) };
    }
    if (cls === 1) {
      const address = c.addr();
      return { kind: 'contiguous', address, size: c.len('a data size') };
    }
    if (cls === 2 && version === 3) {
      const rank = c.u8();
      const address = c.addr();
      const chunk: number[] = [];
      for (let i = 0; i < rank; i++) chunk.push(c.u32());
      return { kind: 'chunked-btree', address, chunk };
    }
    if (cls === 2) {
      const flags = c.u8();
      const rank = c.u8();
      const w = c.u8();
      if (w < 1 || w > 8) this.fail(`a chunk dimension of ${w} bytes`);
      const chunk: number[] = [];
      for (let i = 0; i < rank; i++) chunk.push(c.uint(w, 'a chunk dimension'));
      const index = c.u8();
      if (index !== 1) {
        const names: Record<number, string> = { 2: 'implicit', 3: 'fixed array', 4: 'extensible array', 5: 'version-2 B-tree' };
        this.fail(`chunked data with a ${names[index] ?? `type-${index}`} chunk index is not supported (only the single-chunk index JLD2 writes, and version-1 B-trees)`);
      }
      let filteredSize: number | undefined;
      let filterMask = 0;
      if (flags & 0x02) {
        filteredSize = c.len('a filtered chunk size');
        filterMask = c.u32();
      }
      const address = c.addr();
      return { kind: 'chunked-single', address, chunk, filteredSize, filterMask };
    }
    if (cls === 3) this.fail('virtual datasets are not supported');
    this.fail(`layout class ${cls}`);
  }

  private filters(c: Cursor): Filter[] {
    const version = c.u8();
    const n = c.u8();
    if (version === 1) c.skip(6);
    else if (version !== 2) this.fail(`filter pipeline version ${version}`);
    const out: Filter[] = [];
    for (let i = 0; i < n; i++) {
      const id = c.u16();
      const nameLen = version === 1 || id >= 256 ? c.u16() : 0;
      const flags = c.u16();
      const nvalues = c.u16();
      if (nameLen) c.skip(nameLen);
      const values: number[] = [];
      for (let k = 0; k < nvalues; k++) values.push(c.u32());
      if (version === 1 && nvalues % 2 === 1) c.skip(4);
      out.push({ id, optional: (flags & 1) !== 0, values });
    }
    return out;
  }

  private attribute(c: Cursor): Attribute {
    const version = c.u8();
    const flags = c.u8();
    const nameSize = c.u16();
    const typeSize = c.u16();
    const spaceSize = c.u16();
    if (version === 3) c.u8();
    else if (version !== 1 && version !== 2) this.fail(`attribute message version ${version}`);
    const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
    const nameBuf = c.bytes(pad(nameSize));
    const name = nameBuf.toString('utf8', 0, Math.max(0, nameSize - 1)).replace(/\0.*$/, '');
    const typeStart = c.pos;
    const tc = new Cursor(c.buf, (w) => this.fail(`attribute '${name}': invalid datatype (${w})`), this, typeStart, Math.min(c.end, typeStart + typeSize));
    const type = flags & 1 ? this.sharedType(tc) : this.datatype(tc, 0);
    c.skip(pad(typeSize));
    if (flags & 2) this.fail(`attribute '${name}' has a shared dataspace, which is not supported`);
    const sc = new Cursor(c.buf, (w) => this.fail(`attribute '${name}': invalid dataspace (${w})`), this, c.pos, Math.min(c.end, c.pos + spaceSize));
    const space = this.dataspace(sc);
    c.skip(pad(spaceSize));
    const n = space.dims ? elementCount(space.dims, `${this.src.name}: attribute '${name}'`) : 0;
    const bytes = n * type.size;
    if (!Number.isSafeInteger(bytes) || c.pos + bytes > c.end) this.fail(`attribute '${name}' needs ${bytes} bytes of data, its message holds ${c.end - c.pos}`);
    return { name, type, space, data: c.bytes(bytes) };
  }

  private link(c: Cursor): [string, number] | undefined {
    const version = c.u8();
    if (version !== 1) this.fail(`link message version ${version}`);
    const flags = c.u8();
    const type = flags & 0x08 ? c.u8() : 0;
    if (flags & 0x04) c.skip(8);
    if (flags & 0x10) c.u8();
    const lenSize = 1 << (flags & 3);
    const n = c.uint(lenSize, 'a link name length');
    if (n > 65536) this.fail(`a link name of ${n} bytes`);
    const name = c.bytes(n).toString('utf8');
    if (type !== 0) return undefined; // soft and external links are not followed
    return [name, c.addr()];
  }

  private symbolTable(btree: number, heap: number): [string, number][] {
    const names = this.localHeap(heap);
    const out: [string, number][] = [];
    const seen = new Set<number>();
    const visit = (node: number, depth: number): void => {
      if (depth > 64) this.fail('a group B-tree is deeper than 64 levels');
      if (seen.has(node)) this.fail('the nodes of a group B-tree form a loop');
      seen.add(node);
      if (seen.size > MAX_BTREE_NODES) this.fail(`a group B-tree has more than ${MAX_BTREE_NODES} nodes`);
      const where = `the group B-tree node at ${node}`;
      const headLen = 8 + 2 * this.offsetSize;
      const head = this.read(node, headLen, where);
      if (head.toString('latin1', 0, 4) !== 'TREE') this.fail(`${where} has no TREE signature`);
      if (head[4] !== 0) this.fail(`${where} is not a group node`);
      const level = head[5];
      const entries = head.readUInt16LE(6);
      const body = this.read(node + headLen, (entries + 1) * this.lengthSize + entries * this.offsetSize, where);
      const c = new Cursor(body, (w) => this.fail(`${where} is invalid (${w})`), this);
      c.uint(this.lengthSize, 'a key');
      for (let i = 0; i < entries; i++) {
        const child = c.addr();
        c.uint(this.lengthSize, 'a key');
        if (level > 0) visit(child, depth + 1);
        else this.symbolNode(child, names, out);
      }
    };
    if (btree !== UNDEF) visit(btree, 0);
    return out;
  }

  private symbolNode(address: number, names: Buffer, out: [string, number][]): void {
    const where = `the symbol table node at ${address}`;
    const head = this.read(address, 8, where);
    if (head.toString('latin1', 0, 4) !== 'SNOD') this.fail(`${where} has no SNOD signature`);
    const n = head.readUInt16LE(6);
    const entrySize = 2 * this.offsetSize + 4 + 4 + 16;
    const body = this.read(address + 8, n * entrySize, where);
    const c = new Cursor(body, (w) => this.fail(`${where} is invalid (${w})`), this);
    for (let i = 0; i < n; i++) {
      const nameOffset = c.uint(this.offsetSize, 'a name offset');
      const obj = c.addr();
      c.skip(24);
      if (nameOffset < 0 || nameOffset >= names.length) this.fail(`${where}: a name lies outside the local heap`);
      const z = names.indexOf(0, nameOffset);
      out.push([names.toString('utf8', nameOffset, z < 0 ? names.length : z), obj]);
      if (out.length > MAX_LINKS) this.fail(`a group has more than ${MAX_LINKS} links`);
    }
  }

  private localHeap(address: number): Buffer {
    const where = `the local heap at ${address}`;
    const head = this.read(address, 8 + 2 * this.lengthSize + this.offsetSize, where);
    if (head.toString('latin1', 0, 4) !== 'HEAP') this.fail(`${where} has no HEAP signature`);
    const c = new Cursor(head, (w) => this.fail(`${where} is invalid (${w})`), this, 8);
    const size = c.len('a heap size');
    c.uint(this.lengthSize, 'a free list offset');
    const data = c.addr();
    if (size > 64 * 1024 * 1024) this.fail(`${where} is ${size} bytes`);
    return this.read(data, size, where);
  }

  // ---------------------------------------------------------------- global heap

  private heapObject(collection: number, index: number): Buffer {
    let objs = this.heaps.get(collection);
    if (!objs) {
      const where = `the global heap collection at ${collection}`;
      const head = this.read(collection, 8 + this.lengthSize, where);
      if (head.toString('latin1', 0, 4) !== 'GCOL') this.fail(`${where} has no GCOL signature`);
      const size = new Cursor(head, (w) => this.fail(`${where} is invalid (${w})`), this, 8).len('a collection size');
      if (size > MAX_HEAP_COLLECTION || size < 8 + this.lengthSize) this.fail(`${where} declares ${size} bytes`);
      const buf = this.read(collection, Math.min(size, this.src.size - collection), where);
      objs = new Map();
      let pos = 8 + this.lengthSize;
      while (pos + 8 + this.lengthSize <= buf.length) {
        const idx = buf.readUInt16LE(pos);
        if (idx === 0) break; // free space
        const c = new Cursor(buf, (w) => this.fail(`${where} is invalid (${w})`), this, pos + 8);
        const n = c.len('an object size');
        if (c.pos + n > buf.length) this.fail(`${where}: object ${idx} runs past the collection`);
        objs.set(idx, buf.subarray(c.pos, c.pos + n));
        pos = c.pos + Math.ceil(n / 8) * 8;
      }
      this.heaps.set(collection, objs);
    }
    const o = objs.get(index);
    if (!o) this.fail(`global heap object ${index} of the collection at ${collection} does not exist`);
    return o;
  }

  // ---------------------------------------------------------------- values

  /**
   * Decodes `count` elements of `type` from `buf` (vlen data from the global heap, references
   * as absolute addresses). `budget` counts decoded elements across nested values.
   */
  decode(buf: Buffer, type: H5Type, count: number): H5Value[] {
    if (count * type.size > buf.length) this.fail(`${count} values of ${type.size} bytes need more than the ${buf.length} bytes stored`);
    const out: H5Value[] = [];
    const budget = { left: MAX_VALUE_ELEMENTS };
    for (let i = 0; i < count; i++) out.push(this.decodeOne(buf, i * type.size, type, budget, 0));
    return out;
  }

  private decodeOne(buf: Buffer, at: number, t: H5Type, budget: { left: number }, depth: number): H5Value {
    if (--budget.left < 0) this.fail(`more than ${MAX_VALUE_ELEMENTS} values in one attribute or dataset`);
    if (--this.valuesLeft < 0) this.fail(`more than ${MAX_FILE_VALUES} values in attributes and records; the file is too complex`);
    if (depth > MAX_TYPE_DEPTH) this.fail('values nested too deeply');
    switch (t.class) {
      case 'int':
      case 'bitfield':
        return decodeInteger(buf.subarray(at, at + t.size), t);
      case 'enum':
        return decodeInteger(buf.subarray(at, at + t.size), t.base);
      case 'float':
        return t.size === 8 ? (t.little ? buf.readDoubleLE(at) : buf.readDoubleBE(at)) : t.size === 4 ? (t.little ? buf.readFloatLE(at) : buf.readFloatBE(at)) : NaN;
      case 'string': {
        const s = buf.subarray(at, at + t.size);
        const z = s.indexOf(0);
        return s.toString(t.utf8 ? 'utf8' : 'latin1', 0, z < 0 ? s.length : z).replace(/ +$/, '');
      }
      case 'reference': {
        if (t.region) return null;
        const c = new Cursor(buf, (w) => this.fail(`an invalid reference (${w})`), this, at, at + t.size);
        const a = c.uint(this.offsetSize, 'a reference');
        return new H5Ref(a === 0 || a === UNDEF ? undefined : this.base + a);
      }
      case 'compound': {
        const fields = new Map<string, H5Value>();
        for (const m of t.members) fields.set(m.name, this.decodeOne(buf, at + m.offset, m.type, budget, depth + 1));
        return new H5Record(fields);
      }
      case 'array': {
        const n = t.dims.reduce((a, b) => a * b, 1);
        if (n * t.base.size > t.size) this.fail('an array datatype larger than its size');
        const out: H5Value[] = [];
        for (let i = 0; i < n; i++) out.push(this.decodeOne(buf, at + i * t.base.size, t.base, budget, depth + 1));
        return out;
      }
      case 'vlen': {
        const c = new Cursor(buf, (w) => this.fail(`an invalid variable-length value (${w})`), this, at, at + t.size);
        const n = c.u32();
        const coll = c.addr();
        const index = c.u32();
        if (n === 0 || coll === UNDEF) return t.string ? '' : [];
        const data = this.heapObject(coll, index);
        if (t.string) return data.toString(t.utf8 ? 'utf8' : 'latin1', 0, Math.min(n, data.length)).replace(/\0+$/, '');
        if (n * t.base.size > data.length) this.fail(`a variable-length sequence of ${n} elements is longer than its heap object`);
        const out: H5Value[] = [];
        for (let i = 0; i < n; i++) out.push(this.decodeOne(data, i * t.base.size, t.base, budget, depth + 1));
        return out;
      }
      case 'opaque':
      case 'time':
        return buf.subarray(at, at + t.size);
    }
  }

  attributeValue(a: Attribute): H5Value[] {
    const n = a.space.dims ? elementCount(a.space.dims, `${this.src.name}: attribute '${a.name}'`) : 0;
    return this.decode(a.data, a.type, n);
  }

  // ---------------------------------------------------------------- data

  /** The bytes of a dataset's data (HDF5 order), as a source; undefined for a null dataspace or no data written. */
  dataSource(obj: H5Object, what: string): ByteSource | undefined {
    const dims = obj.space?.dims;
    const type = obj.type;
    if (!dims || !type || !obj.layout) return undefined;
    const n = elementCount(dims, what);
    const bytes = n * type.size;
    if (!Number.isSafeInteger(bytes) || bytes > MAX_DATA_BYTES) this.fail(`${what} holds ${bytes} bytes, more than the ${MAX_DATA_BYTES}-byte limit`);
    const layout = obj.layout;
    const filters = obj.filters ?? [];
    if (layout.kind === 'compact') {
      if (layout.data.length < bytes) this.fail(`${what} needs ${bytes} bytes, its compact storage holds ${layout.data.length}`);
      return new BufferSource(this.src.name, layout.data.subarray(0, bytes));
    }
    if (layout.kind === 'contiguous') {
      if (layout.address === UNDEF) return n === 0 ? new BufferSource(this.src.name, Buffer.alloc(0)) : undefined;
      if (filters.length) this.fail(`${what}: filters on contiguous data`);
      if (layout.size < bytes) this.fail(`${what} needs ${bytes} bytes, its storage holds ${layout.size}`);
      if (layout.address + bytes > this.src.size) this.fail(`the file is truncated (${what} needs bytes ${layout.address}–${layout.address + bytes}, has ${this.src.size})`);
      return new SliceSource(this.src, layout.address, bytes);
    }
    // Chunked: assembled when the values are asked for (bounded by MAX_ELEMENTS).
    const rank = dims.length;
    const chunk = layout.chunk.slice(0, rank);
    if (layout.chunk.length !== rank + 1 || chunk.some((d) => d < 1)) this.fail(`${what}: chunk dimensions [${layout.chunk.join(', ')}] do not fit its ${rank} dimensions`);
    if (n > MAX_ELEMENTS) this.fail(`${what} has ${n} elements, more than the ${MAX_ELEMENTS} that are read from one tensor`);
    for (const f of filters) {
      if (![1, 2, 3].includes(f.id)) this.fail(`${what} uses HDF5 filter ${f.id}${FILTER_NAMES[f.id] ? ` (${FILTER_NAMES[f.id]})` : ''}, which is not supported (deflate, shuffle and fletcher32 are)`);
    }
    const assembled = (): Buffer => this.assemble(obj, dims, chunk, type.size, bytes, filters, what);
    let cache: Buffer | undefined;
    return {
      name: this.src.name,
      size: bytes,
      read: (offset: number, length: number) => {
        cache ??= assembled();
        if (offset < 0 || length < 0 || offset + length > cache.length) this.fail(`${what}: read outside its data`);
        return cache.subarray(offset, offset + length);
      },
    };
  }

  private assemble(obj: H5Object, dims: number[], chunk: number[], item: number, bytes: number, filters: Filter[], what: string): Buffer {
    const out = Buffer.alloc(bytes);
    const chunkElems = chunk.reduce((a, b) => a * b, 1);
    const chunkBytes = chunkElems * item;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes > MAX_ELEMENTS * 8) this.fail(`${what}: a chunk of ${chunkBytes} bytes is too large`);
    const layout = obj.layout!;
    const put = (raw: Buffer, mask: number, offsets: number[]): void => {
      const data = this.unfilter(raw, mask, filters, chunkBytes, item, what);
      if (data.length < chunkBytes) this.fail(`${what}: a chunk holds ${data.length} bytes, not ${chunkBytes}`);
      copyChunk(out, data, dims, chunk, offsets, item);
    };
    if (layout.kind === 'chunked-single') {
      const size = layout.filteredSize ?? chunkBytes;
      put(this.read(layout.address, size, `${what}: its chunk`), layout.filterMask, dims.map(() => 0));
      return out;
    }
    if (layout.kind !== 'chunked-btree' || layout.address === UNDEF) return out;
    const rank = dims.length;
    const seen = new Set<number>();
    let chunks = 0;
    // No more chunks than the data has room for: repeated entries cannot multiply the work.
    const room = dims.reduce((a, d, i) => a * Math.ceil(d / chunk[i]), 1);
    const visit = (node: number, depth: number): void => {
      if (depth > 64) this.fail(`${what}: its chunk B-tree is deeper than 64 levels`);
      if (seen.has(node)) this.fail(`${what}: its chunk B-tree nodes form a loop`);
      seen.add(node);
      if (seen.size > MAX_BTREE_NODES) this.fail(`${what}: its chunk B-tree has more than ${MAX_BTREE_NODES} nodes`);
      const where = `${what}: the chunk B-tree node at ${node}`;
      const headLen = 8 + 2 * this.offsetSize;
      const head = this.read(node, headLen, where);
      if (head.toString('latin1', 0, 4) !== 'TREE') this.fail(`${where} has no TREE signature`);
      if (head[4] !== 1) this.fail(`${where} is not a chunk node`);
      const level = head[5];
      const entries = head.readUInt16LE(6);
      const keySize = 8 + 8 * (rank + 1);
      const body = this.read(node + headLen, (entries + 1) * keySize + entries * this.offsetSize, where);
      const c = new Cursor(body, (w) => this.fail(`${where} is invalid (${w})`), this);
      for (let i = 0; i < entries; i++) {
        const size = c.u32();
        const mask = c.u32();
        const offsets: number[] = [];
        for (let d = 0; d <= rank; d++) offsets.push(c.uint(8, 'a chunk offset'));
        const child = c.addr();
        if (level > 0) visit(child, depth + 1);
        else {
          if (++chunks > Math.min(MAX_CHUNKS, room)) this.fail(`${what} lists more chunks than its ${room}`);
          if (offsets.slice(0, rank).some((o, d) => o % chunk[d] !== 0 || o >= Math.max(dims[d], 1))) this.fail(`${where}: a chunk offset lies outside the data`);
          put(this.read(child, size, `${what}: a chunk`), mask, offsets.slice(0, rank));
        }
      }
    };
    visit(layout.address, 0);
    return out;
  }

  private unfilter(raw: Buffer, mask: number, filters: Filter[], chunkBytes: number, item: number, what: string): Buffer {
    let data = raw;
    for (let i = filters.length - 1; i >= 0; i--) {
      if (mask & (1 << i)) continue;
      const f = filters[i];
      if (f.id === 1) {
        try {
          data = inflateSync(data, { maxOutputLength: Math.max(chunkBytes, 1) });
        } catch (e) {
          this.fail(`${what}: a chunk does not inflate (${(e as Error).message.split('\n')[0]})`);
        }
      } else if (f.id === 2) {
        const size = f.values[0] ?? item;
        if (size > 1 && data.length % size === 0) {
          const n = data.length / size;
          const out = Buffer.alloc(data.length);
          for (let b = 0; b < size; b++) for (let k = 0; k < n; k++) out[k * size + b] = data[b * n + k];
          data = out;
        }
      } else if (f.id === 3) {
        if (data.length < 4) this.fail(`${what}: a chunk is too short for its fletcher32 checksum`);
        data = data.subarray(0, data.length - 4);
      }
    }
    return data;
  }
}

const FILTER_NAMES: Record<number, string> = { 4: 'szip', 5: 'nbit', 6: 'scaleoffset', 307: 'bzip2', 32000: 'lzf', 32001: 'blosc', 32004: 'lz4', 32008: 'bitshuffle', 32015: 'zstd' };

function messageName(type: number): string {
  const names: Record<number, string> = { 1: 'a dataspace', 3: 'a datatype', 6: 'a link', 2: 'a link info', 8: 'a data layout', 11: 'a filter pipeline', 12: 'an attribute', 17: 'a symbol table', 21: 'an attribute info' };
  return names[type] ?? `a type-${type}`;
}

function decodeInteger(b: Buffer, t: H5Type): number {
  if (t.class !== 'int' && t.class !== 'bitfield') return NaN;
  const signed = t.class === 'int' && t.signed;
  switch (t.size) {
    case 1: return signed ? b.readInt8(0) : b.readUInt8(0);
    case 2: return signed ? (t.little ? b.readInt16LE(0) : b.readInt16BE(0)) : t.little ? b.readUInt16LE(0) : b.readUInt16BE(0);
    case 4: return signed ? (t.little ? b.readInt32LE(0) : b.readInt32BE(0)) : t.little ? b.readUInt32LE(0) : b.readUInt32BE(0);
    case 8: return Number(signed ? (t.little ? b.readBigInt64LE(0) : b.readBigInt64BE(0)) : t.little ? b.readBigUInt64LE(0) : b.readBigUInt64BE(0));
    default: return NaN;
  }
}

/** Copies one chunk (row-major over `chunk`) into its place in `out` (row-major over `dims`), clipping at the edges. */
function copyChunk(out: Buffer, data: Buffer, dims: number[], chunk: number[], offsets: number[], item: number): void {
  const rank = dims.length;
  if (rank === 0) {
    data.copy(out, 0, 0, item);
    return;
  }
  const outStrides = contiguousStrides(dims);
  const inStrides = contiguousStrides(chunk);
  const extent = chunk.map((c, d) => Math.min(c, dims[d] - offsets[d]));
  if (extent.some((e) => e <= 0)) return;
  const rowBytes = extent[rank - 1] * item;
  const index = new Array<number>(rank - 1).fill(0);
  for (;;) {
    let o = offsets[rank - 1];
    let i = 0;
    for (let d = 0; d < rank - 1; d++) {
      o += (offsets[d] + index[d]) * outStrides[d];
      i += index[d] * inStrides[d];
    }
    data.copy(out, o * item, i * item, i * item + rowBytes);
    let d = rank - 2;
    for (; d >= 0; d--) {
      if (++index[d] < extent[d]) break;
      index[d] = 0;
    }
    if (d < 0) break;
  }
}

/** The tensor dtype of an HDF5 numeric type, if it is one. */
export function tensorDType(t: H5Type): DType | undefined {
  if (t.class === 'float') return t.size === 8 ? 'float64' : t.size === 4 ? 'float32' : t.size === 2 ? 'float16' : undefined;
  if (t.class === 'bitfield' && t.size === 1) return 'bool'; // Julia's Bool in JLD2
  if (t.class === 'int' || t.class === 'bitfield') {
    const signed = t.class === 'int' && t.signed;
    return ({ 1: signed ? 'int8' : 'uint8', 2: signed ? 'int16' : 'uint16', 4: signed ? 'int32' : 'uint32', 8: signed ? 'int64' : 'uint64' } as Record<number, DType>)[t.size];
  }
  if (t.class === 'enum') {
    // Booleans (h5py's and JLD2's enum FALSE/TRUE over an 8-bit integer).
    if (t.base.class === 'int' && t.base.size === 1 && t.names.length === 2 && t.names.map((n) => n.toUpperCase()).sort().join() === 'FALSE,TRUE') return 'bool';
    return tensorDType(t.base);
  }
  return undefined;
}

function littleEndian(t: H5Type): boolean {
  if (t.class === 'enum') return littleEndian(t.base);
  return t.class === 'int' || t.class === 'float' || t.class === 'bitfield' ? t.little : true;
}

/**
 * A tensor over a numeric dataset. `juliaOrder`: the HDF5 dims are Julia's (or MATLAB's) size
 * reversed and the data is column-major under that size, so the tensor gets the size as its
 * shape and reads the values as Julia/MATLAB show them; otherwise HDF5's own row-major shape.
 */
export function datasetTensor(file: Hdf5File, obj: H5Object, name: string, juliaOrder: boolean): Tensor | undefined {
  const dtype = obj.type ? tensorDType(obj.type) : undefined;
  const dims = obj.space?.dims;
  if (!dtype || !dims) return undefined;
  const what = `${file.src.name}: dataset '${name}'`;
  const shape = juliaOrder ? [...dims].reverse() : dims;
  const n = elementCount(shape, what);
  const layout: StridedLayout = { dtype, shape, strides: juliaOrder ? fortranStrides(shape) : contiguousStrides(shape), offset: 0, littleEndian: littleEndian(obj.type!) };
  const data = file.dataSource(obj, what);
  if (!data) {
    if (n === 0) return { name, dtype, shape, read: () => new Float64Array(0) };
    return undefined;
  }
  checkLayout(layout, data.size, what);
  return { name, dtype, shape, read: () => decodeStrided(data, layout, what) };
}

/** The bytes of a dataset's elements, for decoding as values (bounded). */
export function datasetValues(file: Hdf5File, obj: H5Object, what: string): H5Value[] {
  const dims = obj.space?.dims;
  if (!dims || !obj.type) return [];
  const n = elementCount(dims, what);
  if (n > MAX_VALUE_ELEMENTS || n * obj.type.size > MAX_VALUE_BYTES) file.fail(`${what} has ${n} elements of ${obj.type.size} bytes, more than are decoded as values`);
  const data = file.dataSource(obj, what);
  if (!data) return [];
  return file.decode(data.read(0, data.size), obj.type, n);
}

export const ITEM = ITEM_SIZE;

/** A plain HDF5 file: every numeric dataset, named by its path with dots, in HDF5's row-major order. */
export function readPlainHdf5(file: Hdf5File): Tensor[] {
  const tensors: Tensor[] = [];
  const seen = new Set<number>();
  const walk = (address: number, path: string, depth: number): void => {
    if (depth > 64) file.fail(`groups nested deeper than 64`);
    if (seen.has(address)) return;
    seen.add(address);
    const obj = file.object(address);
    if (obj.kind === 'group') {
      if (obj.linksProblem && obj.links?.length === 0) file.fail(`the group '${path || '/'}': ${obj.linksProblem}`);
      for (const [name, child] of obj.links ?? []) walk(child, path ? `${path}.${name}` : name, depth + 1);
    } else if (obj.kind === 'dataset') {
      const t = datasetTensor(file, obj, path, false);
      if (t) tensors.push(t);
    }
  };
  walk(file.rootAddress, '', 0);
  return tensors;
}
