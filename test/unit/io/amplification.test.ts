import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTensorsFromBytes } from '../../../src/core/io/load';
import { PICKLE_BUDGET, UnpickleBudget, unpickle } from '../../../src/core/io/pickle';
import { BufferSource } from '../../../src/core/io/source';
import { InputError } from '../../../src/core/errors';
import { outOfBounds, readBounded } from './bounded';
import { buildZip, encodeAmplificationPickle, listAmplificationPickle, memoFloodPickle, pathJoinPickle, torchStateDictPickle } from './writers';

// Small pickles that build huge values by calling allowed globals on their own results, or by
// flooding the memo: one budget on the whole unpickle refuses them quickly, with one line naming
// the file and the budget. Each runs in a child process with a heap limit, timed and measured.

const pt = (pickle: Buffer) => buildZip([{ name: 'archive/data.pkl', data: pickle }]);

describe('one budget on the whole unpickle', () => {
  it('refuses amplifying pickles within 5 s and 1 GiB, naming the file and the budget', async () => {
    const cases = [
      // 1 MB: list(x) of a 100 000-item list, 110 000 times (grew past 2.5 GB in 7 s).
      { name: 'list.pt', bytes: pt(listAmplificationPickle(100_000, 110_000)), budget: 'its work budget' },
      // 8 MB: the same with a 1 M-item list (ran past 30 s).
      { name: 'list7.pt', bytes: pt(listAmplificationPickle(1_000_000, 700_000)), budget: 'its work budget' },
      // 1 MB: _codecs.encode of one 1 MiB string, 3000 times (3 GB of bytes).
      { name: 'encode.pt', bytes: pt(encodeAmplificationPickle(1 << 20, 3000)), budget: 'its memory budget' },
      // 12 MB: 3.9 M empty dicts kept in the memo (7.8 s, 1.1 GB).
      { name: 'memo.pt', bytes: pt(memoFloodPickle(3_900_000)), budget: 'its memory budget' },
      // 6 MB: a PosixPath of one 6 MB string 100 times, a 600 MB string (a RangeError before).
      { name: 'path.pt', bytes: pt(pathJoinPickle(6_000_000, 100)), budget: 'its memory budget' },
    ];
    const results = await readBounded(cases, { timeoutMs: 30_000, heapMiB: 1024, separate: true });
    for (const [i, r] of results.entries()) {
      assert.equal(outOfBounds(r, 5000, 1024), undefined);
      assert.equal(r.outcome, 'input', `${r.name}: ${r.message}`);
      assert.match(r.message, new RegExp(`^${cases[i].name}: the pickle .*\\(${cases[i].budget}\\)`));
    }
  });

  it('is shared by the pickles of one file when passed on', () => {
    const p = Buffer.from([0x80, 2, 0x5d, 0x28, ...Array<number>(100).fill(0x4e), 0x65, 0x2e]);
    const src = new BufferSource('two.pt', p);
    const env = { allowed: () => false, call: () => null };
    const budget = new UnpickleBudget('two.pt', { memory: 1e9, objects: 150, steps: 1e9 });
    unpickle(src, 0, env, p.length, budget);
    assert.throws(() => unpickle(src, 0, env, p.length, budget), (e: unknown) => e instanceof InputError && /^two\.pt: the pickle creates more than 150 objects \(its object budget\)/.test(e.message));
    // A fresh budget per call reads it again.
    assert.ok(Array.isArray(unpickle(src, 0, env).value));
  });

  it('leaves room for a state dict of 100 000 tensors', () => {
    const tensors = Array.from({ length: 100_000 }, (_, i) => ({ name: `model.layers.${i}.weight`, storageKey: '0', storageType: 'FloatStorage', storageNumel: 4, offset: 0, shape: [2, 2], stride: [2, 1] }));
    const file = buildZip([{ name: 'archive/data.pkl', data: torchStateDictPickle(tensors) }, { name: 'archive/data/0', data: Buffer.alloc(16) }]);
    const listing = readTensorsFromBytes(file, 'big.pt');
    assert.equal(listing.tensors.length, 100_000);
    assert.ok(PICKLE_BUDGET.memory >= 256 * 1024 * 1024);
  });
});
