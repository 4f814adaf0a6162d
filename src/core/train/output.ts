// What a training run writes into its folder: model_<epoch>.safetensors checkpoints (the JSON
// model format's keys as tensor names, float64, the settings in __metadata__), loss.csv and
// train.json. Every file is written under a temporary name and renamed, so an interrupted run
// leaves only complete files.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors';
import type { Layout } from './network';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float64Array;
}

/**
 * A safetensors file (8-byte little-endian header length, JSON header, raw data) of float64
 * tensors in the order given, with string metadata. The header is padded with spaces to a
 * multiple of 8 bytes, as the format recommends for aligned reads.
 */
export function safetensorsBytes(tensors: NamedTensor[], metadata: Record<string, string>): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * 8;
    header[t.name] = { dtype: 'F64', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const pad = (8 - ((8 + Buffer.byteLength(json)) % 8)) % 8;
  json += ' '.repeat(pad);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let p = 8 + headerBytes.length;
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++, p += 8) out.writeDoubleLE(t.data[i], p);
  }
  return out;
}

/** The tensors of a parameter vector, named and shaped as the JSON model format's keys. */
export function parameterTensors(layout: Layout, theta: Float64Array): NamedTensor[] {
  return layout.slots.map((s) => ({
    name: s.name,
    shape: s.vector ? [s.rows] : [s.rows, s.cols],
    data: Float64Array.from(theta.subarray(s.offset, s.offset + s.rows * s.cols)),
  }));
}

/** Writes `bytes` to `path` through a temporary file in the same folder and a rename. */
export function writeAtomically(path: string, bytes: Buffer | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export const LOSS_HEADER = 'epoch,loss,grad_norm,free_loss';

/** Files of a run that an earlier run in the same folder would have left. */
function earlierRun(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: not a folder`);
  return readdirSync(dir).find((f) => f === 'train.json' || f === 'loss.csv' || /^model_\d+\.safetensors$/.test(f));
}

/** The run folder: train.json at the start, a checkpoint when asked, a loss.csv row per epoch. */
export class RunFolder {
  private readonly lossFd: number;
  readonly written: number[] = [];

  constructor(
    readonly dir: string,
    private readonly layout: Layout,
    private readonly metadata: Record<string, string>,
    settings: unknown,
  ) {
    const found = earlierRun(dir);
    if (found) throw new InputError(`--out ${dir} already holds a training run (${found}); choose another folder`);
    mkdirSync(dir, { recursive: true });
    writeAtomically(join(dir, 'train.json'), JSON.stringify(settings, null, 2) + '\n');
    writeAtomically(join(dir, 'loss.csv'), LOSS_HEADER + '\n');
    this.lossFd = openSync(join(dir, 'loss.csv'), 'a');
  }

  checkpointPath(epoch: number): string {
    return join(this.dir, `model_${epoch}.safetensors`);
  }

  writeCheckpoint(epoch: number, theta: Float64Array): void {
    const bytes = safetensorsBytes(parameterTensors(this.layout, theta), { epoch: String(epoch), ...this.metadata });
    writeAtomically(this.checkpointPath(epoch), bytes);
    this.written.push(epoch);
  }

  /** One row, written through at once (no buffering in this process). */
  appendLoss(epoch: number, loss: number, gradNorm: number, freeLoss: number): void {
    writeSync(this.lossFd, `${epoch},${loss},${gradNorm},${Number.isFinite(freeLoss) ? freeLoss : ''}\n`);
  }

  close(): void {
    fsyncSync(this.lossFd);
    closeSync(this.lossFd);
  }
}
