// The checks every fixture folder's expected.json asks for: its tensors read exactly, its model
// maps, or it fails with one line. Shared by the PyTorch/NumPy, MAT and HDF5 fixture suites.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { loadModelFile, readTensors, type LoadOptions } from '../../../src/core/io/load';

export interface ExpectedTensor {
  dtype: string;
  shape: number[];
  values: number[];
}

/** Every expected tensor reads with its dtype, shape and exact values; `exact`: and no others. */
export function itReadsTensors(dir: string, file: string, format: string | undefined, tensors: Record<string, ExpectedTensor>, exact = false): void {
  it(`${file}: every tensor reads with its dtype, shape and exact values`, async () => {
    const got = await readTensors(join(dir, file), { dataUpTo: 1e6 });
    if (format !== undefined) assert.equal(got.format, format);
    const byName = new Map(got.tensors.map((t) => [t.name, t]));
    for (const [name, want] of Object.entries(tensors)) {
      const t = byName.get(name);
      assert.ok(t, `tensor ${name} is missing; found ${[...byName.keys()].join(', ')}`);
      assert.equal(t.dtype, want.dtype, `${name} dtype`);
      assert.deepEqual(t.shape, want.shape, `${name} shape`);
      assert.deepEqual(Array.from(t.data ?? []), want.values, `${name} values`);
    }
    if (exact) assert.equal(got.tensors.length, Object.keys(tensors).length, `tensors: ${[...byName.keys()].join(', ')}`);
  });
}

/** The file maps to `model` (with `options`: what the file itself cannot say). */
export function itMapsTo(dir: string, file: string, model: Record<string, unknown>, format: string | undefined, options?: LoadOptions, note?: string): void {
  it(`${file}: maps to the ${String(model.architecture)} model${options ? ' (with the options the file cannot give)' : ''}${note ? ', and says it' : ''}`, async () => {
    const loaded = await loadModelFile(join(dir, file), options ?? {});
    if (format !== undefined) assert.equal(loaded.format, format);
    assert.deepEqual(loaded.model.spec, model);
    if (note !== undefined) assert.ok(loaded.notes.some((n) => n.includes(note)), loaded.notes.join(' | '));
  });
}

/** Without options, loading the file fails with one line naming it and containing `error`. */
export function itFailsWith(dir: string, file: string, error: string, what = ''): void {
  it(`${file}: ${what}fails with "${error}"`, async () => {
    await assert.rejects(loadModelFile(join(dir, file)), (err: unknown) => {
      assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
      assert.ok(err.message.startsWith(`${file}: `), err.message);
      assert.ok(err.message.includes(error), err.message);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
  });
}
