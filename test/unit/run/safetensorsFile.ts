// Checkpoints written by the tests and benches themselves, for runs of any length.

/** A safetensors file of float64 tensors (8-byte header length, JSON header, data). */
export function safetensors(tensors: Record<string, number[] | number[][]>): Buffer {
  const header: Record<string, unknown> = {};
  const blobs: Buffer[] = [];
  let off = 0;
  for (const [name, v] of Object.entries(tensors)) {
    const flat = (v as (number | number[])[]).flat();
    const shape = Array.isArray(v[0]) ? [v.length, (v[0] as number[]).length] : [v.length];
    const b = Buffer.from(Float64Array.from(flat).buffer);
    header[name] = { dtype: 'F64', shape, data_offsets: [off, off + b.length] };
    blobs.push(b);
    off += b.length;
  }
  const h = Buffer.from(JSON.stringify(header).padEnd(Math.ceil(JSON.stringify(header).length / 8) * 8));
  const n = Buffer.alloc(8);
  n.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([n, h, ...blobs]);
}
