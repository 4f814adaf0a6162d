// TensorBoard event files: TFRecord framing (length, masked CRC, data, masked CRC) around
// Event protobuf messages; the scalars are Summary values (simple_value, or a one-element float
// tensor as newer writers log them). A small bounded protobuf reader of our own: only the
// fields scalars need are decoded, everything else is skipped by its wire type. Both CRCs of
// every record are checked, so a damaged file is reported, never read as other numbers.
import { InputError } from '../errors';

export interface ScalarSeries {
  tag: string;
  points: { step: number; value: number; wallTime: number }[];
}

export interface TensorBoardScalars {
  series: ScalarSeries[];
  /** Where a last record was cut short (a run still writing it): the records before it are read. */
  cutOffAt?: number;
}

const MAX_RECORDS = 5_000_000;
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), masked as TFRecord stores it. */
export function maskedCrc32c(b: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC32C_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  c = (c ^ 0xffffffff) >>> 0;
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

class Proto {
  pos: number;
  constructor(
    private readonly b: Buffer,
    start: number,
    readonly end: number,
    private readonly what: string,
  ) {
    this.pos = start;
  }
  fail(): never {
    throw new InputError(`${this.what}: a damaged TensorBoard event (protobuf)`);
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail();
      const byte = this.b[this.pos++];
      if (shift < 53) result += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return result;
      shift += 7;
    }
    this.fail();
  }
  /** Field number and wire type of the next field. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k % 8];
  }
  /** Start and end of a length-delimited field. */
  bytes(): [number, number] {
    const n = this.varint();
    if (this.pos + n > this.end) this.fail();
    const s = this.pos;
    this.pos += n;
    return [s, s + n];
  }
  double(): number {
    if (this.pos + 8 > this.end) this.fail();
    const v = this.b.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  float(): number {
    if (this.pos + 4 > this.end) this.fail();
    const v = this.b.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else this.fail();
    if (this.pos > this.end) this.fail();
  }
}

/** The one value of a scalar TensorProto (dtype float or double), or undefined. */
function tensorScalar(b: Buffer, start: number, end: number, what: string): number | undefined {
  const p = new Proto(b, start, end, what);
  let dtype = 0;
  let value: number | undefined;
  let content: [number, number] | undefined;
  while (p.pos < p.end) {
    const [f, w] = p.key();
    if (f === 1 && w === 0) dtype = p.varint();
    else if (f === 4 && w === 2) content = p.bytes();
    else if (f === 5 && w === 5) value ??= p.float();
    else if (f === 5 && w === 2) {
      const [s, e] = p.bytes();
      if (e - s >= 4) value ??= b.readFloatLE(s);
    } else if (f === 6 && w === 1) value ??= p.double();
    else if (f === 6 && w === 2) {
      const [s, e] = p.bytes();
      if (e - s >= 8) value ??= b.readDoubleLE(s);
    } else p.skip(w);
  }
  if (value === undefined && content) {
    if (dtype === 1 && content[1] - content[0] >= 4) value = b.readFloatLE(content[0]);
    else if (dtype === 2 && content[1] - content[0] >= 8) value = b.readDoubleLE(content[0]);
  }
  return value;
}

/** Every scalar of a TensorBoard event file, by tag. */
export function readTensorBoardScalars(bytes: Uint8Array, name: string): TensorBoardScalars {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byTag = new Map<string, ScalarSeries>();
  const cutOff = (at: number): TensorBoardScalars => {
    if (at === 0) throw new InputError(`${name}: not a TensorBoard event file (its first record is cut off)`);
    return { series: [...byTag.values()], cutOffAt: at };
  };
  let pos = 0;
  let records = 0;
  while (pos < b.length) {
    if (++records > MAX_RECORDS) throw new InputError(`${name}: more than ${MAX_RECORDS} TensorBoard records`);
    if (pos + 12 > b.length) return cutOff(pos);
    const len = Number(b.readBigUInt64LE(pos));
    if (maskedCrc32c(b, pos, pos + 8) !== b.readUInt32LE(pos + 8)) throw new InputError(`${name}: the TensorBoard record at byte ${pos} has a damaged length (CRC mismatch)`);
    if (len > MAX_RECORD_BYTES) throw new InputError(`${name}: the TensorBoard record at byte ${pos} declares ${len} bytes, more than the ${MAX_RECORD_BYTES}-byte limit`);
    if (pos + 12 + len + 4 > b.length) return cutOff(pos);
    const start = pos + 12;
    const end = start + len;
    if (maskedCrc32c(b, start, end) !== b.readUInt32LE(end)) throw new InputError(`${name}: the TensorBoard record at byte ${pos} is damaged (CRC mismatch)`);
    pos = end + 4;
    const ev = new Proto(b, start, end, name);
    let step = 0;
    let wallTime = 0;
    let summary: [number, number] | undefined;
    while (ev.pos < ev.end) {
      const [f, w] = ev.key();
      if (f === 1 && w === 1) wallTime = ev.double();
      else if (f === 2 && w === 0) step = ev.varint();
      else if (f === 5 && w === 2) summary = ev.bytes();
      else ev.skip(w);
    }
    if (!summary) continue;
    const sm = new Proto(b, summary[0], summary[1], name);
    while (sm.pos < sm.end) {
      const [f, w] = sm.key();
      if (f !== 1 || w !== 2) {
        sm.skip(w);
        continue;
      }
      const [vs, ve] = sm.bytes();
      const v = new Proto(b, vs, ve, name);
      let tag = '';
      let value: number | undefined;
      while (v.pos < v.end) {
        const [ff, ww] = v.key();
        if (ff === 1 && ww === 2) {
          const [s, e] = v.bytes();
          tag = b.toString('utf8', s, e);
        } else if (ff === 2 && ww === 5) value = v.float();
        else if (ff === 8 && ww === 2) {
          const [s, e] = v.bytes();
          value = tensorScalar(b, s, e, name);
        } else v.skip(ww);
      }
      if (tag === '' || value === undefined || !Number.isFinite(value)) continue;
      const series = byTag.get(tag) ?? { tag, points: [] };
      series.points.push({ step, value, wallTime });
      byTag.set(tag, series);
    }
  }
  return { series: [...byTag.values()] };
}
