import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { readTensorsFromBytes } from '../../../src/core/io/load';
import { BufferSource } from '../../../src/core/io/source';
import { MAX_TOTAL_INFLATED_BYTES, ZipArchive } from '../../../src/core/io/zip';
import { outOfBounds, readBounded } from './bounded';
import { buildPackedZip, deflatedZeros, npyHeaderU8 } from './writers';

const MiB = 1024 * 1024;

/** A deflated .npy member of a uint8 vector that inflates to `bytes` bytes in all. */
function member(name: string, bytes: number) {
  const header = npyHeaderU8(bytes - 128);
  assert.equal(header.length, 128);
  return { name, packed: deflatedZeros(header, bytes - 128), size: bytes };
}

describe('zip bombs', () => {
  it('refuses an .npz whose ten members share one deflate stream of 512 MiB, at once and in little memory', async () => {
    const first = member('m0.npy', 512 * MiB);
    const bomb = buildPackedZip([first, ...Array.from({ length: 9 }, (_, i) => ({ name: `m${i + 1}.npy`, size: first.size, at: 0 }))]);
    assert.ok(bomb.length < 4 * MiB);
    const [r] = await readBounded([{ name: 'bomb.npz', bytes: bomb }], { timeoutMs: 30_000, separate: true });
    assert.equal(outOfBounds(r, 2000, 256), undefined);
    assert.equal(r.outcome, 'input');
    assert.match(r.message, /^bomb\.npz: not a valid zip archive \(entries 'm\d\.npy' and 'm\d\.npy' overlap \(a zip bomb\?\)\)$/);
  });

  it('lists deflated members by inflating their headers only', async () => {
    // Five members of 256 MiB each (1.25 GiB in all): listing them must not inflate them.
    const npz = buildPackedZip(Array.from({ length: 5 }, (_, i) => member(`big${i}.npy`, 256 * MiB)));
    const [r] = await readBounded([{ name: 'big.npz', bytes: npz }], { timeoutMs: 30_000, separate: true });
    assert.equal(outOfBounds(r, 2000, 256), undefined);
    // No PLRNN names: the model read ends with the list of tensors, which the listing found.
    assert.equal(r.outcome, 'input');
    assert.match(r.message, /big\.npz: no PLRNN-family parameters recognised; tensors found: big0 \[268435328\] uint8, big1/);
    const listing = readTensorsFromBytes(npz, 'big.npz');
    assert.deepEqual(listing.tensors.map((t) => t.shape), Array.from({ length: 5 }, () => [256 * MiB - 128]));
  });

  it('keeps one inflation budget for the whole archive', () => {
    const size = 300 * MiB;
    const zip = new ZipArchive(new BufferSource('z.npz', buildPackedZip([member('x.npy', size)])));
    const entry = zip.entries[0];
    const reads = Math.floor(MAX_TOTAL_INFLATED_BYTES / size);
    for (let i = 0; i < reads; i++) assert.equal(zip.open(entry).read(size - 1, 1)[0], 0);
    assert.throws(() => zip.open(entry).read(size - 1, 1), (e: unknown) => e instanceof InputError && /^z\.npz: inflating its entries would take more than 1073741824 bytes in all \(a zip bomb\?\)$/.test(e.message));
  });

  it('refuses an entry whose data runs into the next one', () => {
    const a = member('a.npy', 1000);
    const b = member('b.npy', 1000);
    const zip = buildPackedZip([a, b]);
    // Make a's compressed size claim b's local header as well.
    const dir = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(a.packed.length + 40, dir + 20);
    assert.throws(() => readTensorsFromBytes(zip, 'o.npz'), (e: unknown) => e instanceof InputError && /^o\.npz: not a valid zip archive \(entries 'a\.npy' and 'b\.npy' overlap/.test(e.message));
  });
});
