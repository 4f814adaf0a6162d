// Checkpoints written by the tests and benches themselves, for runs of any length: the trainer's
// own safetensors writer, fed nested arrays.
import { safetensorsBytes } from '../../../src/core/train/output';

/** A safetensors file of float64 tensors given as vectors or matrices. */
export function safetensors(tensors: Record<string, number[] | number[][]>, metadata: Record<string, string> = {}): Buffer {
  return safetensorsBytes(
    Object.entries(tensors).map(([name, v]) => ({
      name,
      shape: Array.isArray(v[0]) ? [v.length, (v[0] as number[]).length] : [v.length],
      data: Float64Array.from((v as (number | number[])[]).flat()),
    })),
    metadata,
  );
}
