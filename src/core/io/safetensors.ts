import { InputError } from '../errors';
import { quoteName } from '../text';
import { ByteSource, SliceSource } from './source';
import { DType, StridedLayout, Tensor, checkLayout, contiguousStrides, decodeStrided, elementCount, ITEM_SIZE, MAX_NAME_LENGTH, MAX_RANK, MAX_TENSORS, tooLongName, tooManyTensors } from './tensor';

const DTYPES = new Map<string, DType>([
  ['F64', 'float64'], ['F32', 'float32'], ['F16', 'float16'], ['BF16', 'bfloat16'], ['I64', 'int64'], ['I32', 'int32'], ['I16', 'int16'], ['I8', 'int8'],
  ['U64', 'uint64'], ['U32', 'uint32'], ['U16', 'uint16'], ['U8', 'uint8'], ['BOOL', 'bool'],
]);

export const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;

/** The header length of a safetensors file, or undefined when the bytes do not look like one. */
export function safetensorsHeaderLength(head: Buffer, size: number): number | undefined {
  if (head.length < 9) return undefined;
  const n = head.readBigUInt64LE(0);
  if (n < 2n || n > BigInt(size - 8) || head[8] !== 0x7b) return undefined;
  return Number(n);
}

/** A member of a JSON object: its key and where its value's bytes lie. */
interface Member {
  key: string;
  start: number;
  end: number;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The members of the JSON object in buf[from, to), without parsing their values: the header is
 * split into tensors, and only the fields a tensor needs are parsed. Duplicate keys are refused
 * (JSON.parse would keep the last silently; the format forbids them). Iterative: nesting costs
 * no stack. `fail` names the problem.
 */
function objectMembers(buf: Buffer, from: number, to: number, fail: (what: string) => never, max = Infinity, tooMany?: () => never): Member[] {
  let i = from;
  const ws = () => {
    while (i < to && isSpace(buf[i])) i++;
  };
  const string = (): number => {
    // buf[i] is a quote: the index just after the closing quote.
    for (let j = i + 1; j < to; j++) {
      if (buf[j] === 0x5c) j++;
      else if (buf[j] === 0x22) return j + 1;
    }
    return fail('a string is not closed');
  };
  const value = (): void => {
    const stack: number[] = [];
    do {
      ws();
      if (i >= to) fail('it ends inside a value');
      const c = buf[i];
      if (c === 0x22) i = string();
      else if (c === 0x7b || c === 0x5b) {
        stack.push(c === 0x7b ? 0x7d : 0x5d);
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (stack.pop() !== c) fail('its brackets do not match');
        i++;
      } else if (c === 0x2c || c === 0x3a) {
        if (stack.length === 0) fail('a value is missing');
        i++;
      } else {
        const start = i;
        while (i < to && !isSpace(buf[i]) && buf[i] !== 0x2c && buf[i] !== 0x7d && buf[i] !== 0x5d && buf[i] !== 0x3a) i++;
        if (i === start) fail(`it has an unexpected character at byte ${i}`);
      }
    } while (stack.length > 0);
  };
  const members: Member[] = [];
  const seen = new Set<string>();
  ws();
  if (buf[i] !== 0x7b) fail('it is not a JSON object');
  i++;
  ws();
  if (buf[i] === 0x7d) {
    i++;
  } else {
    for (;;) {
      ws();
      if (buf[i] !== 0x22) fail('a key is not a string');
      const k0 = i;
      i = string();
      let key: string;
      try {
        key = JSON.parse(buf.toString('utf8', k0, i)) as string;
      } catch {
        return fail('a key is not a valid JSON string');
      }
      if (seen.has(key)) fail(`the key ${quoteName(key)} appears twice`);
      // Counted as they are found: a header listing millions stops here, not after parsing.
      if (members.length >= max) tooMany!();
      seen.add(key);
      ws();
      if (buf[i] !== 0x3a) fail('a key is not followed by a colon');
      i++;
      ws();
      const start = i;
      value();
      members.push({ key, start, end: i });
      ws();
      if (buf[i] === 0x2c) {
        i++;
        continue;
      }
      if (buf[i] === 0x7d) {
        i++;
        break;
      }
      fail('members are not separated by commas');
    }
  }
  ws();
  if (i !== to) fail('something follows the JSON object');
  return members;
}

/** safetensors: an 8-byte little-endian header length, a JSON header, then the raw data. */
export function readSafetensors(src: ByteSource): { tensors: Tensor[]; metadata: Record<string, string> } {
  const n = safetensorsHeaderLength(src.read(0, Math.min(9, src.size)), src.size);
  if (n === undefined) throw new InputError(`${src.name}: not a safetensors file (bad header length)`);
  if (n > MAX_SAFETENSORS_HEADER) throw new InputError(`${src.name}: a safetensors header of ${n} bytes is larger than the ${MAX_SAFETENSORS_HEADER}-byte limit`);
  const head = src.read(8, n);
  const headerFail = (what: string): never => {
    throw new InputError(`${src.name}: the safetensors header is not valid JSON (${what})`);
  };
  const tooMany = (): never => {
    throw tooManyTensors(src.name);
  };
  // One more than MAX_TENSORS for __metadata__.
  const members = objectMembers(head, 0, head.length, headerFail, MAX_TENSORS + 1, tooMany);
  if (members.filter((m) => m.key !== '__metadata__').length > MAX_TENSORS) tooMany();
  const data = new SliceSource(src, 8 + n, src.size - 8 - n);
  const out: Tensor[] = [];
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const ranges: { name: string; start: number; end: number }[] = [];
  for (const { key: name, start, end } of members) {
    if (name.length > MAX_NAME_LENGTH) throw tooLongName(src.name, name);
    const label = `${src.name}: tensor ${quoteName(name)}`;
    const fields = new Map<string, unknown>();
    const memberFail = (what: string): never => {
      throw new InputError(name === '__metadata__' ? `${src.name}: the safetensors __metadata__ is not valid (${what})` : `${label} has no valid description (${what})`);
    };
    if (head[start] !== 0x7b) memberFail('not a JSON object');
    for (const f of objectMembers(head, start, end, memberFail)) {
      if (name === '__metadata__') {
        // A string-to-string map: the epoch, the architecture, a trainer's settings.
        if (head[f.start] !== 0x22) memberFail(`the value of ${JSON.stringify(f.key)} is not a string`);
        if (f.end - f.start <= 4096 && f.key.length <= 256 && !['__proto__', 'constructor', 'prototype'].includes(f.key)) {
          try {
            metadata[f.key] = JSON.parse(head.toString('utf8', f.start, f.end)) as string;
          } catch {
            memberFail(`the value of ${JSON.stringify(f.key)} is not a valid string`);
          }
        }
        continue;
      }
      if (f.key === 'shape' && f.end - f.start > 64 * (MAX_RANK + 1)) throw new InputError(`${label} has more than ${MAX_RANK} dimensions`);
      try {
        fields.set(f.key, JSON.parse(head.toString('utf8', f.start, f.end)));
      } catch {
        memberFail(`its ${f.key} is not valid JSON`);
      }
    }
    if (name === '__metadata__') continue;
    const dtypeName = fields.get('dtype');
    const dtype = typeof dtypeName === 'string' ? DTYPES.get(dtypeName) : undefined;
    if (!dtype) throw new InputError(`${label} has an unsupported dtype ${JSON.stringify(dtypeName ?? null)}`);
    const shape = fields.get('shape');
    if (!Array.isArray(shape) || shape.some((s) => typeof s !== 'number')) throw new InputError(`${label} has an invalid shape`);
    const offs = fields.get('data_offsets');
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[1] < offs[0] || offs[1] > data.size) {
      throw new InputError(`${label} has data offsets outside the file`);
    }
    const [o0, o1] = offs as number[];
    const count = elementCount(shape as number[], label);
    if (count * ITEM_SIZE[dtype] !== o1 - o0) throw new InputError(`${label}: shape [${shape.join(', ')}] of ${dtype} does not match its ${o1 - o0} bytes`);
    const layout: StridedLayout = { dtype, shape: shape as number[], strides: contiguousStrides(shape as number[]), offset: 0, littleEndian: true };
    const bytes = new SliceSource(data, o0, o1 - o0);
    checkLayout(layout, bytes.size, label);
    ranges.push({ name, start: o0, end: o1 });
    out.push({ name, dtype, shape: layout.shape, read: () => decodeStrided(bytes, layout, label) });
  }
  // The format's own rule: the tensors tile the data exactly, without overlaps or holes.
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  let pos = 0;
  let previous: (typeof ranges)[number] | undefined;
  for (const r of ranges) {
    if (r.start < pos) {
      throw new InputError(`${src.name}: tensors ${quoteName(previous!.name)} and ${quoteName(r.name)} overlap (data_offsets [${previous!.start}, ${previous!.end}] and [${r.start}, ${r.end}]); the safetensors format forbids it`);
    }
    if (r.start > pos) throw new InputError(`${src.name}: bytes ${pos}–${r.start} of the data belong to no tensor (a hole); the safetensors format forbids it`);
    pos = r.end;
    if (r.end > r.start || !previous) previous = r;
  }
  if (pos !== data.size) throw new InputError(`${src.name}: bytes ${pos}–${data.size} of the data belong to no tensor; the safetensors format forbids it`);
  return { tensors: out, metadata };
}
