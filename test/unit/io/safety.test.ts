import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { nestsDeeperThan } from '../../../src/core/io/json';
import { loadModelBytes, loadModelFile, readTensorsFromBytes } from '../../../src/core/io/load';
import { PyDict, unpickle } from '../../../src/core/io/pickle';
import { BufferSource } from '../../../src/core/io/source';
import { buildZip, crashPickles, float32Bytes, npyBytes, torchZip, torchZipOf } from './writers';

const DIR = join(__dirname, '..', '..', 'fixtures', 'checkpoints');
const fixture = (f: string) => readFileSync(join(DIR, f));

function refuses(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const p of parts) assert.ok(typeof p === 'string' ? e.message.includes(p) : p.test(e.message), `"${e.message}" lacks ${String(p)}`);
    return true;
  });
}

const pk = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** A torch zip whose data.pkl is `pickle` (no storages). */
const zipWithPickle = (pickle: Buffer) => buildZip([{ name: 'archive/data.pkl', data: pickle }]);

const PLRNN = [
  { name: 'A', storageKey: '0', storageType: 'FloatStorage', storageNumel: 2, offset: 0, shape: [2], stride: [1] },
  { name: 'W', storageKey: '1', storageType: 'FloatStorage', storageNumel: 4, offset: 0, shape: [2, 2], stride: [2, 1] },
  { name: 'h', storageKey: '2', storageType: 'FloatStorage', storageNumel: 2, offset: 0, shape: [2], stride: [1] },
];
const PLRNN_DATA = { '0': float32Bytes([0.5, 0.25]), '1': float32Bytes([0, 1, 2, 0]), '2': float32Bytes([1, -1]) };

describe('hostile pickles', () => {
  it('refuses os.system by GLOBAL, naming it', () => {
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2], 'cos\nsystem\n', 'X', [5, 0, 0, 0], 'ls -l', [0x85, 0x52, 0x2e])), 'm.pt'),
      "m.pt: pickle refers to global 'os.system', which is not allowed");
  });
  it('a class outside the allow-list is made only as an inert stand-in (NEWOBJ), never called (REDUCE)', () => {
    // __main__.Net() by REDUCE: refused, as calling any unknown global is.
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2], 'c__main__\nNet\n', [0x29, 0x52, 0x2e])), 'm.pt'), "m.pt: pickle refers to global '__main__.Net', which is not allowed");
    // Net.__new__(Net) by NEWOBJ, then BUILD with {'x': 1}: read as an object with no tensors.
    const made = pk([0x80, 2], 'c__main__\nNet\n', [0x29, 0x81, 0x7d], 'X', [1, 0, 0, 0], 'x', [0x4b, 1, 0x73, 0x62, 0x2e]);
    assert.deepEqual(readTensorsFromBytes(zipWithPickle(made), 'm.pt').tensors, []);
  });
  it('refuses builtins.eval by STACK_GLOBAL', () => {
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 4, 0x8c, 8], 'builtins', [0x8c, 4], 'eval', [0x93, 0x2e])), 'm.pt'), "'builtins.eval'");
  });
  it('refuses calling an allowed global that is only a value (a storage type)', () => {
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2], 'ctorch\nFloatStorage\n', [0x29, 0x52, 0x2e])), 'm.pt'), "pickle calls 'torch.FloatStorage'");
  });
  it('refuses INST, OBJ and the extension registry', () => {
    refuses(() => readTensorsFromBytes(zipWithPickle(pk('(ios\nsystem\n.')), 'm.pt'), 'INST/OBJ');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0x82, 1, 0x2e])), 'm.pt'), 'extension registry');
  });
  it('refuses a persistent id in a plain pickle', () => {
    refuses(() => unpickle(new BufferSource('p', pk([0x80, 2], 'X', [1, 0, 0, 0], 'a', [0x51, 0x2e])), 0, { allowed: () => false, call: () => null }), 'persistent id');
  });
  it("accepts Lightning's AttributeDict hyperparameters as data", () => {
    // {'hyper_parameters': AttributeDict(lr=0.1)}: NEWOBJ of the class, then SETITEMS on it.
    const p = pk([0x80, 2, 0x7d, 0x28], 'X', [16, 0, 0, 0], 'hyper_parameters', 'clightning.fabric.utilities.data\nAttributeDict\n', [0x29, 0x81, 0x28],
      'X', [2, 0, 0, 0], 'lr', [0x47, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a, 0x75, 0x75, 0x2e]);
    assert.deepEqual(readTensorsFromBytes(zipWithPickle(p), 'l.ckpt').tensors, []);
  });
  it('reads a list that contains itself, and a dict reachable twice', () => {
    // l = []; l.append(l); {'x': l, 'y': l}
    const p = pk([0x80, 2, 0x7d, 0x28], 'X', [1, 0, 0, 0], 'x', [0x5d, 0x71, 0, 0x68, 0, 0x61], 'X', [1, 0, 0, 0], 'y', [0x68, 0, 0x75, 0x2e]);
    const { value } = unpickle(new BufferSource('p', p), 0, { allowed: () => false, call: () => null });
    assert.ok(value instanceof PyDict);
    const l = value.map.get('x') as unknown[];
    assert.equal(l[0], l);
    assert.equal(value.map.get('y'), l);
    assert.deepEqual(readTensorsFromBytes(zipWithPickle(p), 'm.pt').tensors, []);
  });
  it('walks a 100 000-deep nesting of lists without overflowing the stack', () => {
    const deep = Buffer.concat([Buffer.from([0x80, 2]), Buffer.alloc(100_000, 0x5d), Buffer.alloc(99_999, 0x61), Buffer.from([0x2e])]);
    assert.deepEqual(readTensorsFromBytes(zipWithPickle(deep), 'm.pt').tensors, []);
  });
  it('caps MARK nesting, memo and malformed streams', () => {
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2], '('.repeat(20_000), '.')), 'm.pt'), 'MARK');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0x68, 7, 0x2e])), 'm.pt'), 'memo entry 7');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0x61, 0x2e])), 'm.pt'), 'stack underflow');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0x5d])), 'm.pt'), 'truncated');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0xff])), 'm.pt'), 'unknown opcode 0xff');
    refuses(() => readTensorsFromBytes(zipWithPickle(pk([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f])), 'm.pt'), 'truncated');
  });
});

describe('zip archives', () => {
  it('refuses every truncation of a real checkpoint', () => {
    const z = fixture('plrnn_zip.pt');
    for (let n = 0; n < z.length; n += 7) {
      try {
        readTensorsFromBytes(z.subarray(0, n), 'cut.pt', { dataUpTo: 100 });
      } catch (e) {
        assert.ok(e instanceof InputError, `cut at ${n}: ${String(e)}`);
        assert.ok(e.message.startsWith('cut.pt: '));
      }
    }
    refuses(() => loadModelBytes(z.subarray(0, z.length - 30), 'cut.pt'), 'cut.pt: ');
  });
  it('refuses a zip bomb by its declared size before inflating', () => {
    const bomb = buildZip([{ name: 'x.npy', data: Buffer.alloc(1000), deflate: true, declaredSize: 0xfffffff0 }]);
    refuses(() => readTensorsFromBytes(bomb, 'bomb.npz'), 'bomb.npz', 'would inflate to 4294967280 bytes');
  });
  it('stops inflating at the declared size when the declaration lies', () => {
    // A 109-value array (1000 bytes with its header) followed by 20 MB it does not declare.
    const bomb = buildZip([{ name: 'x.npy', data: npyBytes([109], new Float64Array(109), 20 * 1024 * 1024), deflate: true, declaredSize: 1000 }]);
    assert.ok(bomb.length < 100_000);
    refuses(() => readTensorsFromBytes(bomb, 'bomb.npz', { dataUpTo: 1000 }), 'bomb.npz', 'inflates to more than its declared size');
  });
  it('refuses a storage that the archive does not have, and a tensor larger than its storage', () => {
    refuses(() => loadModelBytes(torchZip(PLRNN, { '0': PLRNN_DATA['0'], '1': PLRNN_DATA['1'] }), 'm.pt'), "storage '2' is missing");
    const huge = [{ ...PLRNN[0], shape: [2 ** 40], stride: [1] }];
    refuses(() => readTensorsFromBytes(torchZip(huge, { '0': PLRNN_DATA['0'] }), 'm.pt'), "tensor 'A'", 'needs more data than its storage');
    const absurd = [{ ...PLRNN[0], shape: [2 ** 30, 2 ** 30, 2 ** 30], stride: [1, 1, 1] }];
    refuses(() => readTensorsFromBytes(torchZip(absurd, { '0': PLRNN_DATA['0'] }), 'm.pt'), 'absurd shape');
  });
  it('reads a checkpoint built here, and names a tensor when its shape is wrong for the model', () => {
    assert.deepEqual(loadModelBytes(torchZip(PLRNN, PLRNN_DATA), 'm.pt').model.spec, { architecture: 'plrnn', A: [0.5, 0.25], W: [[0, 1], [2, 0]], h: [1, -1] });
    const badW = PLRNN.map((t) => (t.name === 'W' ? { ...t, shape: [1, 4], stride: [4, 1] } : t));
    refuses(() => loadModelBytes(torchZip(badW, PLRNN_DATA), 'm.pt'), 'm.pt: W must be 2×2', "(read from tensor 'W')");
  });
});

describe('npy and safetensors limits', () => {
  const npy = (header: string, data = Buffer.alloc(0)) => {
    const h = Buffer.from(header.padEnd(118) + '\n', 'latin1');
    const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, h.length & 0xff, h.length >> 8]);
    return Buffer.concat([pre, h, data]);
  };
  it('refuses absurd shapes before allocating', () => {
    refuses(() => readTensorsFromBytes(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }"), 'x.npy'), 'x.npy');
    refuses(() => readTensorsFromBytes(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (100000,), }", Buffer.alloc(16)), 'x.npy'), 'needs more data');
  });
  it('refuses unsupported dtypes and broken headers', () => {
    refuses(() => readTensorsFromBytes(npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", Buffer.alloc(16)), 'x.npy'), "dtype '<c16'");
    refuses(() => readTensorsFromBytes(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"), 'x.npy'), 'structured');
    refuses(() => readTensorsFromBytes(npy("{'descr': '<f8', 'shape': (1,"), 'x.npy'), 'not a valid dictionary literal');
  });
  it('refuses safetensors with offsets outside the file or a wrong byte count', () => {
    const st = (header: object, data: Buffer) => {
      const h = Buffer.from(JSON.stringify(header));
      const n = Buffer.alloc(8);
      n.writeBigUInt64LE(BigInt(h.length));
      return Buffer.concat([n, h, data]);
    };
    refuses(() => readTensorsFromBytes(st({ A: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, Buffer.alloc(8)), 'm.safetensors'), 'outside the file');
    refuses(() => readTensorsFromBytes(st({ A: { dtype: 'F32', shape: [4], data_offsets: [0, 8] } }, Buffer.alloc(8)), 'm.safetensors'), 'does not match');
    refuses(() => readTensorsFromBytes(st({ A: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, Buffer.alloc(8)), 'm.safetensors'), 'unsupported dtype');
  });
});

describe('format detection', () => {
  it('names a Git LFS pointer, a broken HDF5 file and unknown files', () => {
    refuses(() => loadModelBytes(fixture('lfs_pointer.pt'), 'lfs_pointer.pt'), 'lfs_pointer.pt: ', 'Git LFS pointer; run git lfs pull');
    refuses(() => loadModelBytes(Buffer.from('\x89HDF\r\n\x1a\n\0\0\0\0', 'latin1'), 'm.jld2'), 'm.jld2: the superblock is invalid');
    refuses(() => loadModelBytes(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 'm.bin'), 'm.bin: unrecognised file format');
    const tar = Buffer.alloc(1024);
    tar.write('ustar', 257, 'latin1');
    refuses(() => loadModelBytes(tar, 'old.pt'), 'old.pt: a tar archive');
  });
});

describe('one line, not a stack trace', () => {
  it('_rebuild_from_type_v2 of None, and nested 100 000 deep', () => {
    refuses(() => readTensorsFromBytes(torchZipOf(crashPickles.rebuildFromNone()), 'm.pt'), "m.pt: torch._tensor._rebuild_from_type_v2 is asked to call something that is not an allowed global");
    refuses(() => readTensorsFromBytes(torchZipOf(crashPickles.rebuildNested(100_000)), 'm.pt'), 'm.pt: torch._tensor._rebuild_from_type_v2 is nested more than 8 deep');
  });
  it('a FROZENSET and a set() of a million items', () => {
    assert.deepEqual(readTensorsFromBytes(torchZipOf(crashPickles.frozenset(1_000_000)), 'm.pt').tensors, []);
    assert.deepEqual(readTensorsFromBytes(torchZipOf(crashPickles.set(1_000_000)), 'm.pt').tensors, []);
  });
  it('a tensor whose path repeats one 10 MB key 60 times (a 600 MB name)', () => {
    refuses(() => readTensorsFromBytes(torchZipOf(crashPickles.longName(10_000_000, 60)), 'm.pt'), "m.pt: a tensor's name (the keys on its path, joined by dots) is longer than 4096 characters");
    // A short path still reads.
    assert.equal(readTensorsFromBytes(torchZipOf(crashPickles.longName(10, 3)), 'm.pt').tensors[0].name, 'kkkkkkkkkk.kkkkkkkkkk.kkkkkkkkkk');
  });
  it('JSON nested a million deep, with a comment or a trailing comma, as a model and as a sidecar', async () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    const tolerant = ['// a comment\n' + deep, '['.repeat(1_000_000) + '1,' + ']'.repeat(1_000_000)];
    for (const text of [...tolerant, deep]) {
      refuses(() => loadModelBytes(Buffer.from(`{"architecture": "plrnn", "x": ${text}}`), 'm.json'), 'm.json: the JSON is nested more than 256 levels deep');
    }
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-deep-'));
    const model = join(dir, 'custom_names.pt');
    copyFileSync(join(DIR, 'custom_names.pt'), model);
    // 400 000 deep: a sidecar may have at most 1 MiB.
    writeFileSync(`${model}.scyfi.json`, '// a comment\n' + '['.repeat(400_000) + ']'.repeat(400_000));
    await assert.rejects(loadModelFile(model), (e: unknown) => e instanceof InputError && e.message === 'custom_names.pt.scyfi.json: the JSON is nested more than 256 levels deep');
  });
  it("the editor's depth check (before its recursive parse tree) counts levels, not brackets in strings", () => {
    assert.equal(nestsDeeperThan('// c\n' + '['.repeat(100_000) + ']'.repeat(100_000)), true);
    assert.equal(nestsDeeperThan('['.repeat(256) + ']'.repeat(256)), false);
    assert.equal(nestsDeeperThan('['.repeat(257) + ']'.repeat(257)), true);
    assert.equal(nestsDeeperThan('{"a": [[1], [2]], "s": "' + '['.repeat(1000) + '"}'), false);
    assert.equal(nestsDeeperThan('[]'.repeat(10_000)), false);
  });
});
