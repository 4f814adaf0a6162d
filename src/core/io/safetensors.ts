import { InputError } from '../errors';
import { ByteSource, SliceSource } from './source';
import { DType, StridedLayout, Tensor, checkLayout, contiguousStrides, decodeStrided, elementCount, ITEM_SIZE } from './tensor';

const DTYPES: Record<string, DType> = {
  F64: 'float64', F32: 'float32', F16: 'float16', BF16: 'bfloat16', I64: 'int64', I32: 'int32', I16: 'int16', I8: 'int8',
  U64: 'uint64', U32: 'uint32', U16: 'uint16', U8: 'uint8', BOOL: 'bool',
};

export const MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024;

/** The header length of a safetensors file, or undefined when the bytes do not look like one. */
export function safetensorsHeaderLength(head: Buffer, size: number): number | undefined {
  if (head.length < 9) return undefined;
  const n = head.readBigUInt64LE(0);
  if (n < 2n || n > BigInt(size - 8) || head[8] !== 0x7b) return undefined;
  return Number(n);
}

/** safetensors: an 8-byte little-endian header length, a JSON header, then the raw data. */
export function readSafetensors(src: ByteSource): Tensor[] {
  const n = safetensorsHeaderLength(src.read(0, Math.min(9, src.size)), src.size);
  if (n === undefined) throw new InputError(`${src.name}: not a safetensors file (bad header length)`);
  if (n > MAX_SAFETENSORS_HEADER) throw new InputError(`${src.name}: a safetensors header of ${n} bytes is larger than the ${MAX_SAFETENSORS_HEADER}-byte limit`);
  let header: unknown;
  try {
    header = JSON.parse(src.read(8, n).toString('utf8'));
  } catch {
    throw new InputError(`${src.name}: the safetensors header is not valid JSON`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new InputError(`${src.name}: the safetensors header is not a JSON object`);
  const data = new SliceSource(src, 8 + n, src.size - 8 - n);
  const out: Tensor[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const label = `${src.name}: tensor '${name}'`;
    const i = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof i !== 'object' || i === null) throw new InputError(`${label} has no description`);
    const dtype = typeof i.dtype === 'string' ? DTYPES[i.dtype] : undefined;
    if (!dtype) throw new InputError(`${label} has an unsupported dtype ${JSON.stringify(i.dtype)}`);
    if (!Array.isArray(i.shape) || i.shape.some((s) => typeof s !== 'number')) throw new InputError(`${label} has an invalid shape`);
    const shape = i.shape as number[];
    const offs = i.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[1] < offs[0] || offs[1] > data.size) {
      throw new InputError(`${label} has data offsets outside the file`);
    }
    const count = elementCount(shape, label);
    if (count * ITEM_SIZE[dtype] !== offs[1] - offs[0]) throw new InputError(`${label}: shape [${shape.join(', ')}] of ${dtype} does not match its ${offs[1] - offs[0]} bytes`);
    const layout: StridedLayout = { dtype, shape, strides: contiguousStrides(shape), offset: 0, littleEndian: true };
    const bytes = new SliceSource(data, offs[0], offs[1] - offs[0]);
    checkLayout(layout, bytes.size, label);
    out.push({ name, dtype, shape, read: () => decodeStrided(bytes, layout, label) });
  }
  return out;
}
