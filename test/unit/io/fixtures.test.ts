import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { loadModelFile, readTensors, type LoadOptions } from '../../../src/core/io/load';

const DIR = join(__dirname, '..', '..', 'fixtures', 'checkpoints');

interface Expected {
  format: string;
  tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  model?: Record<string, unknown>;
  error?: string;
  options?: LoadOptions;
}

const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;

describe('checkpoint fixtures (values as written by PyTorch / NumPy)', () => {
  for (const [file, e] of Object.entries(expected)) {
    const readable = Object.keys(e.tensors).length > 0;
    if (readable) {
      it(`${file}: every tensor reads with its dtype, shape and exact values`, async () => {
        const got = await readTensors(join(DIR, file), { dataUpTo: 1e6 });
        assert.equal(got.format, e.format);
        const byName = new Map(got.tensors.map((t) => [t.name, t]));
        for (const [name, want] of Object.entries(e.tensors)) {
          const t = byName.get(name);
          assert.ok(t, `tensor ${name} is missing; found ${[...byName.keys()].join(', ')}`);
          assert.equal(t.dtype, want.dtype, `${name} dtype`);
          assert.deepEqual(t.shape, want.shape, `${name} shape`);
          assert.deepEqual(Array.from(t.data ?? []), want.values, `${name} values`);
        }
      });
    }
    if (e.model) {
      it(`${file}: maps to the ${String(e.model.architecture)} model`, async () => {
        const loaded = await loadModelFile(join(DIR, file), e.options ?? {});
        assert.equal(loaded.format, e.format);
        assert.deepEqual(loaded.model.spec, e.model);
      });
    }
    if (e.error) {
      it(`${file}: ${e.options ? 'without options ' : ''}fails with "${e.error}"`, async () => {
        await assert.rejects(loadModelFile(join(DIR, file)), (err: unknown) => {
          assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
          assert.ok(err.message.startsWith(`${file}: `), err.message);
          assert.ok(err.message.includes(e.error!), err.message);
          assert.ok(!err.message.includes('\n'));
          return true;
        });
      });
    }
  }
});
