import { InputError } from '../errors';
import { quoteName } from '../text';
import { own } from './own';
import { ByteSource, SliceSource } from './source';
import { DType, MAX_NAME_LENGTH, StridedLayout, Tensor, checkLayout, contiguousStrides, decodeStrided, fortranStrides, tooLongName } from './tensor';
import { ZipArchive } from './zip';

const KINDS: Record<string, DType> = {
  f8: 'float64', f4: 'float32', f2: 'float16', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8',
  u8: 'uint64', u4: 'uint32', u2: 'uint16', u1: 'uint8', b1: 'bool',
};

type Literal = string | boolean | number | null | Literal[] | { [k: string]: Literal };

/** Parses the Python dict literal of an .npy header (strings, booleans, ints, tuples). */
function parseHeader(text: string, src: string): Record<string, Literal> {
  let i = 0;
  const fail = (): never => {
    throw new InputError(`${src}: the .npy header is not a valid dictionary literal`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (depth: number): Literal => {
    if (depth > 4) fail();
    ws();
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) fail();
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (ch === '(' || ch === '[') {
      const close = ch === '(' ? ')' : ']';
      i++;
      const items: Literal[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          return items;
        }
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail();
      }
    }
    if (ch === '{') {
      i++;
      const obj: Record<string, Literal> = {};
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return obj;
        }
        const k = value(depth + 1);
        if (typeof k !== 'string') fail();
        ws();
        if (text[i++] !== ':') fail();
        obj[k as string] = value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail();
      }
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) fail();
    i += m![0].length;
    if (m![0] === 'True') return true;
    if (m![0] === 'False') return false;
    if (m![0] === 'None') return null;
    return Number(m![0].replace('L', ''));
  };
  const v = value(0);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail();
  return v as Record<string, Literal>;
}

/** Reads one .npy array; `name` is the tensor's name (the npz member or the file's base name). */
export function readNpy(src: ByteSource, name: string): Tensor {
  const label = src.name === name ? src.name : `${src.name}: ${quoteName(name)}`;
  const head = src.read(0, Math.min(src.size, 12));
  if (head.length < 10 || head.toString('latin1', 0, 6) !== '\x93NUMPY') throw new InputError(`${label}: not an .npy array (no \\x93NUMPY magic)`);
  const major = head[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = head.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (head.length < 12) throw new InputError(`${label}: the .npy header is truncated`);
    headerLen = head.readUInt32LE(8);
    start = 12;
  } else {
    throw new InputError(`${label}: .npy format version ${major} is not supported`);
  }
  if (headerLen > 1024 * 1024) throw new InputError(`${label}: the .npy header of ${headerLen} bytes is absurd`);
  const header = parseHeader(src.read(start, headerLen).toString(major === 3 ? 'utf8' : 'latin1'), label);
  const descr = header.descr;
  if (typeof descr !== 'string') throw new InputError(`${label}: the .npy dtype ${JSON.stringify(descr)} is not supported (structured arrays are not)`);
  const m = /^([<>|=]?)([fiub?])(\d*)$/.exec(descr);
  const kind = m ? (m[2] === '?' ? 'b1' : m[2] + m[3]) : '';
  const dtype = own(KINDS, kind);
  if (!m || !dtype) throw new InputError(`${label}: the .npy dtype ${quoteName(descr)} is not supported`);
  const shapeLit = header.shape;
  if (!Array.isArray(shapeLit) || shapeLit.some((s) => typeof s !== 'number')) throw new InputError(`${label}: the .npy shape is invalid`);
  const shape = shapeLit as number[];
  const fortran = header.fortran_order === true;
  const layout: StridedLayout = {
    dtype,
    shape,
    strides: fortran ? fortranStrides(shape) : contiguousStrides(shape),
    offset: 0,
    littleEndian: m[1] !== '>',
  };
  const dataStart = start + headerLen;
  const data = new SliceSource(src, dataStart, src.size - dataStart);
  checkLayout(layout, data.size, label);
  return { name, dtype, shape, read: () => decodeStrided(data, layout, label) };
}

/**
 * .npz: a zip of .npy members, stored or deflated. Listing reads each member's header only (a
 * deflated member inflates just its start); values are inflated when read, each time afresh, so
 * nothing inflated stays in memory after the read.
 */
export function readNpz(zip: ZipArchive): Tensor[] {
  return zip.entries
    .filter((e) => !e.name.endsWith('/'))
    .map((e) => {
      if (!e.name.endsWith('.npy')) throw new InputError(`${zip.src.name}: member ${quoteName(e.name)} of the .npz archive is not an .npy array`);
      const name = e.name.slice(0, -4);
      if (name.length > MAX_NAME_LENGTH) throw tooLongName(zip.src.name, name);
      const { dtype, shape } = readNpy(zip.open(e), name);
      return { name, dtype, shape, read: () => readNpy(zip.open(e), name).read() };
    });
}
