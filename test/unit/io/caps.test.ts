import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { readTensorsFromBytes } from '../../../src/core/io/load';
import { outOfBounds, readBounded } from './bounded';
import { buildZip, manySafetensors, manyTensorsPickle, npyBytes, torchZipOf } from './writers';

// Counts are capped far above real checkpoints (a large language model has a few thousand
// tensors): at most 100 000 tensors per file and 100 100 zip entries, tensor names at most
// 4096 characters. Past a cap, one line and little work.

const TOO_MANY = /^m\.\w+: the file holds more than 100000 tensors, the most that are read/;

function refuses(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && message.test(e.message));
}

describe('caps on counts', () => {
  it('a 100 MiB safetensors header listing 1.4 M tensors is refused within 2 s (it took 25 s and 2 GB)', async () => {
    const file = manySafetensors(1_400_000);
    assert.ok(file.length < 100 * 1024 * 1024 + 8 + 4 * 1_400_000);
    const [r] = await readBounded([{ name: 'm.safetensors', bytes: file }], { timeoutMs: 60_000, separate: true });
    assert.equal(outOfBounds(r, 2000, 768), undefined);
    assert.equal(r.outcome, 'input');
    assert.match(r.message, TOO_MANY);
  });
  it('100 000 safetensors tensors still read', () => {
    assert.equal(readTensorsFromBytes(manySafetensors(100_000), 'm.safetensors').tensors.length, 100_000);
    refuses(() => readTensorsFromBytes(manySafetensors(100_001), 'm.safetensors'), TOO_MANY);
  });
  it('a zip of 200 000 entries is refused before its directory is read (3.8 s before)', () => {
    const one = npyBytes([1], [1]);
    const npz = buildZip(Array.from({ length: 200_000 }, (_, i) => ({ name: `t${i}.npy`, data: one })));
    const t0 = performance.now();
    refuses(() => readTensorsFromBytes(npz, 'm.npz'), /^m\.npz: the zip archive has 200000 entries, more than the 100100 that are read/);
    assert.ok(performance.now() - t0 < 500);
  });
  it('a torch pickle of more than 100 000 tensors', () => {
    refuses(() => readTensorsFromBytes(torchZipOf(manyTensorsPickle(100_001)), 'm.pt'), TOO_MANY);
    assert.equal(readTensorsFromBytes(torchZipOf(manyTensorsPickle(1000)), 'm.pt').tensors.length, 1000);
  });
  it('tensor names longer than 4096 characters, in safetensors and npz', () => {
    const name = 'x'.repeat(5000);
    const h = Buffer.from(JSON.stringify({ [name]: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(h.length));
    refuses(() => readTensorsFromBytes(Buffer.concat([len, h, Buffer.alloc(4)]), 'm.safetensors'), /^m\.safetensors: a tensor name of 5000 characters is longer than the 4096 that are read/);
    refuses(() => readTensorsFromBytes(buildZip([{ name: `${name}.npy`, data: npyBytes([1], [1]) }]), 'm.npz'), /^m\.npz: a tensor name of 5000 characters/);
  });
});
