import { constants, inflateRawSync } from 'node:zlib';
import { InputError } from '../errors';
import { quoteName } from '../text';
import { ByteSource, SliceSource } from './source';
import { MAX_TENSORS } from './tensor';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Most entries in an archive (the storages of MAX_TENSORS tensors and a few bookkeeping files), and largest central directory read. */
export const MAX_ENTRIES = MAX_TENSORS + 100;
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Largest deflated entry inflated into memory (storages are normally stored, not deflated). */
export const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
/** Most bytes inflated from all the entries of one archive together, each read counted. */
export const MAX_TOTAL_INFLATED_BYTES = 1024 * 1024 * 1024;
/** Reads within this many bytes of an entry's start inflate only a prefix of it (an .npy header). */
const HEAD_BYTES = 1024 * 1024 + 64;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u64(buf: Buffer, at: number, what: string, src: ByteSource): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`${src.name}: zip ${what} ${v} is absurd`);
  return Number(v);
}

/** Reads the central directory of a zip archive; entries are read later, one at a time. */
export class ZipArchive {
  readonly entries: ZipEntry[] = [];
  private readonly byName = new Map<string, ZipEntry>();
  /** Where the next entry (or the central directory) starts: an entry's data must end before it. */
  private readonly limit = new Map<ZipEntry, number>();
  /** Bytes inflated so far, against MAX_TOTAL_INFLATED_BYTES. */
  private inflated = 0;

  constructor(readonly src: ByteSource) {
    const bad = (what: string): never => {
      throw new InputError(`${src.name}: not a valid zip archive (${what})`);
    };
    const tailLen = Math.min(src.size, 22 + 65535);
    if (tailLen < 22) bad('too short for an end-of-directory record');
    const tail = src.read(src.size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tailLen) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) bad('no end-of-directory record: the file is truncated or not a zip');
    let count = tail.readUInt16LE(eocd + 10);
    let dirSize = tail.readUInt32LE(eocd + 12);
    let dirOffset = tail.readUInt32LE(eocd + 16);
    const eocdPos = src.size - tailLen + eocd;
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
      if (eocdPos < 20) bad('zip64 locator missing');
      const loc = src.read(eocdPos - 20, 20);
      if (loc.readUInt32LE(0) !== ZIP64_LOCATOR) bad('zip64 locator missing');
      const recPos = u64(loc, 8, 'zip64 record offset', src);
      const rec = src.read(recPos, 56);
      if (rec.readUInt32LE(0) !== ZIP64_EOCD) bad('zip64 end record missing');
      count = u64(rec, 32, 'entry count', src);
      dirSize = u64(rec, 40, 'directory size', src);
      dirOffset = u64(rec, 48, 'directory offset', src);
    }
    if (count > MAX_ENTRIES) throw new InputError(`${src.name}: the zip archive has ${count} entries, more than the ${MAX_ENTRIES} that are read (a checkpoint holds at most ${MAX_TENSORS} tensors)`);
    if (dirSize > MAX_DIRECTORY_BYTES) bad(`a central directory of ${dirSize} bytes`);
    if (dirOffset + dirSize > src.size) bad('the central directory lies past the end of the file (truncated?)');
    const dir = src.read(dirOffset, dirSize);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) bad(`central directory entry ${i} is damaged`);
      const flags = dir.readUInt16LE(p + 8);
      const method = dir.readUInt16LE(p + 10);
      let compressedSize = dir.readUInt32LE(p + 20);
      let size = dir.readUInt32LE(p + 24);
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      let localHeaderOffset = dir.readUInt32LE(p + 42);
      const end = p + 46 + nameLen + extraLen + commentLen;
      if (end > dir.length) bad(`central directory entry ${i} is damaged`);
      const name = dir.toString('utf8', p + 46, p + 46 + nameLen);
      // zip64 extra field: the 64-bit values appear in this order for the fields set to 0xffffffff.
      let q = p + 46 + nameLen;
      const extraEnd = q + extraLen;
      while (q + 4 <= extraEnd) {
        const id = dir.readUInt16LE(q);
        const len = dir.readUInt16LE(q + 2);
        if (q + 4 + len > extraEnd) break;
        if (id === 1) {
          let r = q + 4;
          const take = (): number => {
            if (r + 8 > q + 4 + len) bad(`zip64 field of ${quoteName(name)} is short`);
            const v = u64(dir, r, 'size', src);
            r += 8;
            return v;
          };
          if (size === 0xffffffff) size = take();
          if (compressedSize === 0xffffffff) compressedSize = take();
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
        }
        q += 4 + len;
      }
      if (flags & 1) bad(`${quoteName(name)} is encrypted`);
      const entry: ZipEntry = { name, method, compressedSize, size, localHeaderOffset };
      // Readers disagree on which of two entries of one name counts (Python's zipfile and NumPy
      // take the last, others the first), so the same file would mean two models.
      if (this.byName.has(name)) bad(`two entries are named ${quoteName(name)}`);
      this.entries.push(entry);
      this.byName.set(name, entry);
      p = end;
    }
    // Entries must not overlap: members sharing one deflate stream are the classic zip bomb
    // (each within its own cap, together unbounded). An entry is at least its local header, its
    // name and its data; what it really spans is checked when it is opened.
    const byOffset = this.entries.map((e) => ({ e, min: e.localHeaderOffset + 30 + Buffer.byteLength(e.name) + e.compressedSize }));
    byOffset.sort((a, b) => a.e.localHeaderOffset - b.e.localHeaderOffset);
    for (let i = 0; i < byOffset.length; i++) {
      const { e, min } = byOffset[i];
      const next = i + 1 < byOffset.length ? byOffset[i + 1].e : undefined;
      const limit = next ? next.localHeaderOffset : dirOffset;
      if (min > limit) {
        bad(next ? `entries ${quoteName(e.name)} and ${quoteName(next.name)} overlap (a zip bomb?)` : `entry ${quoteName(e.name)} runs into the central directory`);
      }
      this.limit.set(e, limit);
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** Offset of the entry's data, after its local header; the data must end before the next entry. */
  private dataOffset(e: ZipEntry): number {
    const h = this.src.read(e.localHeaderOffset, 30);
    if (h.readUInt32LE(0) !== LOCAL) throw new InputError(`${this.src.name}: zip entry ${quoteName(e.name)} has no local header (damaged archive)`);
    const start = e.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
    if (start + e.compressedSize > this.src.size) throw new InputError(`${this.src.name}: zip entry ${quoteName(e.name)} runs past the end of the file (truncated?)`);
    if (start + e.compressedSize > (this.limit.get(e) ?? this.src.size)) throw new InputError(`${this.src.name}: zip entry ${quoteName(e.name)} overlaps the next entry (a zip bomb?)`);
    return start;
  }

  /** Counts `bytes` about to be inflated against the archive's total. */
  chargeInflation(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > MAX_TOTAL_INFLATED_BYTES) {
      throw new InputError(`${this.src.name}: inflating its entries would take more than ${MAX_TOTAL_INFLATED_BYTES} bytes in all (a zip bomb?)`);
    }
  }

  /**
   * The entry's bytes as a source: a window onto the file when stored (nothing is read yet),
   * or, when deflated, a source that inflates only when read (declared size checked first,
   * output capped at it); reads near the start, such as an .npy header, inflate a prefix only.
   */
  open(e: ZipEntry, maxInflated = MAX_INFLATED_BYTES): ByteSource {
    const label = `${this.src.name}: zip entry ${quoteName(e.name)}`;
    const start = this.dataOffset(e);
    if (e.method === 0) {
      if (e.size !== e.compressedSize) throw new InputError(`${label} is stored but declares different sizes`);
      return new SliceSource(this.src, start, e.size);
    }
    if (e.method !== 8) throw new InputError(`${label} uses compression method ${e.method}; only stored and deflated entries are supported`);
    if (e.size > maxInflated) throw new InputError(`${label} would inflate to ${e.size} bytes, more than the ${maxInflated}-byte limit`);
    return new InflatingSource(this, e, start, label);
  }
}

/** A deflated zip entry, inflated when read. */
class InflatingSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  private whole: Buffer | undefined;
  /** The longest prefix inflated so far. */
  private head: Buffer = Buffer.alloc(0);

  constructor(
    private readonly zip: ZipArchive,
    private readonly e: ZipEntry,
    private readonly start: number,
    private readonly label: string,
  ) {
    this.name = zip.src.name;
    this.size = e.size;
  }

  read(offset: number, length: number): Buffer {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new InputError(`${this.name}: invalid offset or length (${offset}, ${length})`);
    }
    if (offset + length > this.size) throw new InputError(`${this.label} is truncated (needs bytes ${offset}–${offset + length}, has ${this.size})`);
    const end = offset + length;
    // A read that reaches the last byte inflates the whole entry, which checks its length.
    if (!this.whole && end < this.size && end <= HEAD_BYTES) {
      if (end > this.head.length) this.head = this.prefix(end);
      return this.head.subarray(offset, end);
    }
    this.whole ??= this.inflateAll();
    return this.whole.subarray(offset, end);
  }

  private inflate(packed: Buffer, maxOutputLength: number, finishFlush?: number): Buffer | 'too long' {
    try {
      return inflateRawSync(packed, { maxOutputLength: Math.max(1, maxOutputLength), ...(finishFlush === undefined ? {} : { finishFlush }) });
    } catch (err) {
      if (err instanceof RangeError) return 'too long';
      throw new InputError(`${this.label} is not valid deflate data`);
    }
  }

  private inflateAll(): Buffer {
    this.zip.chargeInflation(this.e.size);
    const out = this.inflate(this.zip.src.read(this.start, this.e.compressedSize), this.e.size);
    if (out === 'too long') throw new InputError(`${this.label} inflates to more than its declared size`);
    if (out.length !== this.e.size) throw new InputError(`${this.label} inflates to ${out.length} bytes, not the declared ${this.e.size}`);
    return out;
  }

  /**
   * At least the first n bytes (n < size), from a prefix of the compressed data: a deflate
   * stream decodes from its start, and a sync flush returns what a prefix holds. The prefix
   * grows until it holds n bytes; should it inflate to far more (a very compressible start),
   * it shrinks again.
   */
  private prefix(n: number): Buffer {
    const csize = this.e.compressedSize;
    const cap = n + 4 * 1024 * 1024;
    let lo = 0;
    let hi = Infinity;
    let p = Math.min(csize, n + 1024);
    for (let round = 0; round < 64; round++) {
      const out = this.inflate(this.zip.src.read(this.start, p), cap, constants.Z_SYNC_FLUSH);
      if (out === 'too long') {
        hi = p;
      } else {
        this.zip.chargeInflation(out.length);
        if (out.length >= n) return out;
        if (p >= csize) throw new InputError(`${this.label} inflates to ${out.length} bytes, not the declared ${this.e.size}`);
        lo = p;
      }
      p = hi === Infinity ? Math.min(csize, p * 4) : Math.floor((lo + hi) / 2);
      if (p <= lo) break;
    }
    throw new InputError(`${this.label}: the start of its data cannot be inflated`);
  }
}
