import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { inspectCommand } from '../../../src/cli/inspect';
import { InputError } from '../../../src/core/errors';
import { itFailsWith, itMapsTo } from './fixtureChecks';
import { readTensors, readTensorsFromBytes } from '../../../src/core/io/load';
import type { LoadOptions } from '../../../src/core/io/load';
import { MAT_LIMITS, MatLimits, readMat } from '../../../src/core/io/mat';
import { readTensorSource } from '../../../src/core/io/read';
import { sniff } from '../../../src/core/io/sniff';
import { BufferSource, FileSource } from '../../../src/core/io/source';
import { MI, MX, MatWriter } from './writers';

// MAT-file fixtures written by scipy.io.savemat and by hand (scripts/make-mat-fixtures.py);
// expected.json is what scipy.io.loadmat reads from each.
const DIR = join(__dirname, '..', '..', 'fixtures', 'mat');

interface Expected {
  tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  values: Record<string, number | string>;
  skipped: string[];
  model?: Record<string, unknown>;
  error?: string;
  /** What the file cannot say, for the model test (the error test runs without). */
  options?: LoadOptions;
}

const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;

function refuses(fn: () => unknown, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const p of parts) assert.ok(typeof p === 'string' ? e.message.includes(p) : p.test(e.message), `"${e.message}" lacks ${String(p)}`);
    return true;
  });
}

const read = (bytes: Uint8Array) => readTensorsFromBytes(bytes, 'm.mat', { dataUpTo: 1e6 });
const readLimited = (bytes: Uint8Array, limits: Partial<MatLimits>) => readMat(new BufferSource('m.mat', bytes), limits);

function fileValues(file: string): { values: Record<string, number | string>; skipped: string[] } {
  const src = new FileSource(file, join(DIR, file));
  try {
    const f = readTensorSource(src);
    return { values: Object.fromEntries(f.values ?? []), skipped: (f.skipped ?? []).map((s) => s.name) };
  } finally {
    src.close();
  }
}

describe('MAT-file fixtures (values as scipy.io.loadmat reads them)', () => {
  for (const [file, e] of Object.entries(expected)) {
    if (Object.keys(e.tensors).length > 0) {
      it(`${file}: every array reads with its class, MATLAB's dimensions and exact values, in file order`, async () => {
        const got = await readTensors(join(DIR, file), { dataUpTo: 1e6 });
        assert.equal(got.format, 'mat');
        assert.deepEqual(got.tensors.map((t) => t.name), Object.keys(e.tensors));
        for (const t of got.tensors) {
          const want = e.tensors[t.name];
          assert.equal(t.dtype, want.dtype, `${t.name} dtype`);
          assert.deepEqual(t.shape, want.shape, `${t.name} shape`);
          assert.deepEqual(Array.from(t.data ?? []), want.values, `${t.name} values`);
        }
      });
      it(`${file}: scalars and strings read as values; complex arrays, strings objects and function handles are skipped`, () => {
        assert.deepEqual(fileValues(file), { values: e.values, skipped: e.skipped });
      });
    }
    if (e.model) itMapsTo(DIR, file, e.model, 'mat', e.options);
    if (e.error) itFailsWith(DIR, file, e.error);
  }

  it('names the models of a cell array of structs in MATLAB syntax', async () => {
    const got = await readTensors(join(DIR, 'many_models.mat'));
    assert.deepEqual(
      got.tensors.map((t) => `${t.name} [${t.shape.join('×')}]`),
      [1, 2, 3, 4, 5].flatMap((k) => [`snapshots{${k}}.A [1×2]`, `snapshots{${k}}.W [2×2]`, `snapshots{${k}}.h [2×1]`]).concat(['epochs [1×5]']),
    );
  });

  it('sniffs level-5 files of both byte orders as mat5 and v7.3 files as mat73', () => {
    const kind = (f: string) => sniff(new BufferSource(f, readFileSync(join(DIR, f))));
    assert.equal(kind('plrnn.mat'), 'mat5');
    assert.equal(kind('big_endian.mat'), 'mat5');
    assert.equal(kind('stored_types.mat'), 'mat5');
    assert.equal(kind('v73.mat'), 'mat73');
    // A header in another writer's words is still level 5 by its version and indicator.
    const other = new MatWriter(true).header({ text: 'Octave-ish MAT-file' });
    assert.equal(sniff(new BufferSource('o.mat', other)), 'mat5');
  });
});

describe('scyfi inspect on a .mat file', () => {
  async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await inspectCommand(args, (s) => lines.push(...s.split('\n')));
    return { code, lines };
  }
  it('lists the variables and maps A, W, h to a PLRNN', async () => {
    const { code, lines } = await run(join(DIR, 'plrnn.mat'), '--architecture', 'plrnn');
    assert.equal(code, 0);
    assert.match(lines[0], /plrnn\.mat: MATLAB \.mat \(level 5\), 4 tensors$/);
    assert.ok(lines.some((l) => /^\s+W\s+float64\s+\[3, 3\]$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^\s+h\s+float64\s+\[3, 1\]$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^model: plrnn, M = 3, H = 3/.test(l)), lines.join('\n'));
  });
  it('--json maps the fields of a struct (net.A, net.W, net.h), and --P makes it an ALRNN', async () => {
    const { code, lines } = await run(join(DIR, 'plrnn_struct.mat'), '--json');
    assert.equal(code, 0);
    const out = JSON.parse(lines[0]) as { model: Record<string, unknown>; tensors: { name: string; shape: number[] }[] };
    assert.deepEqual(out.model, expected['plrnn_struct.mat'].model);
    assert.deepEqual(out.tensors.find((t) => t.name === 'net.W')?.shape, [3, 3]);
    const alrnn = await run(join(DIR, 'plrnn_struct.mat'), '--architecture', 'alrnn', '--P', '2', '--json');
    assert.deepEqual((JSON.parse(alrnn.lines[0]) as { model: { architecture: string; P: number } }).model.P, 2);
  });
  it('hands a v7.3 file to the HDF5 reader, which refuses a damaged one in one line', async () => {
    await assert.rejects(run(join(DIR, 'v73.mat')), /v73\.mat: unsupported sizes of offsets/);
  });
});

describe('hostile MAT-files', () => {
  const w = new MatWriter();
  const W22 = w.double('W', [[1, 2], [3, 4]]);

  it('refuses every truncation of small files, and reads exactly the cuts at variable boundaries', () => {
    for (const file of ['plrnn.mat', 'plrnn_struct.mat', 'big_endian.mat', 'stored_types.mat', 'nested_uncompressed.mat']) {
      const full = readFileSync(join(DIR, file));
      const all = readTensorsFromBytes(full, file).tensors.map((t) => t.name);
      // Variable boundaries, from the top-level tags.
      const big = full.toString('latin1', 126, 128) === 'MI';
      const boundaries = new Set<number>([128]);
      for (let p = 128; p < full.length; ) {
        p += 8 + (big ? full.readUInt32BE(p + 4) : full.readUInt32LE(p + 4));
        boundaries.add(p);
      }
      const started = Date.now();
      let reads = 0;
      for (let n = 0; n < full.length; n++) {
        try {
          const names = readTensorsFromBytes(full.subarray(0, n), 'cut.mat', { dataUpTo: 100 }).tensors.map((t) => t.name);
          assert.ok(boundaries.has(n), `${file} cut at ${n} read without an error`);
          assert.deepEqual(names, all.slice(0, names.length));
          reads++;
        } catch (e) {
          assert.ok(e instanceof InputError, `${file} cut at ${n}: ${e instanceof Error ? e.stack : String(e)}`);
          assert.ok(e.message.startsWith('cut.mat: ') && !e.message.includes('\n'), e.message);
        }
      }
      assert.equal(reads, boundaries.size - 1, `${file}: every boundary before the end reads`);
      assert.ok(Date.now() - started < 10_000);
    }
  });

  it('names the variable that a truncation cuts, compressed or not', () => {
    const plain = w.file(W22);
    refuses(() => read(plain.subarray(0, plain.length - 3)), "m.mat: variable 'W': a data element of 80 bytes runs past the end of the file (truncated?)");
    const packed = w.file(w.compressed(w.double('net', [[1, 2, 3]])));
    refuses(() => read(packed.subarray(0, packed.length - 3)), "variable 'net'", 'runs past the end of the file');
  });

  it('checks every declared size against the bytes there are', () => {
    refuses(() => read(w.file(w.el(MI.MATRIX, Buffer.alloc(16), { size: 0xfffffff0 }))), 'variable 1: a data element of 4294967280 bytes runs past the end of the file');
    const body = w.el(MI.DOUBLE, w.f64([1, 2]), { size: 0x7ffffff8 });
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 2], 'x', body))), "variable 'x': a data element of 2147483640 bytes runs past the end of its array");
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 3], 'x', w.el(MI.DOUBLE, w.f64([1, 2]))))), "variable 'x': 16 bytes of float64 data for a 1×3 array (3 elements)");
    refuses(() => read(Buffer.concat([w.file(W22), Buffer.from([1, 2, 3])])), 'm.mat: 3 stray bytes at the end of the file');
    const small = Buffer.concat([w.u32((7 << 16) | MI.INT8), Buffer.alloc(4)]);
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 1], 'x', small))), 'a small data element declares 7 bytes');
  });

  it('refuses absurd, negative, odd and too many dimensions before allocating', () => {
    const withDims = (dims: Buffer) => {
      const content = Buffer.concat([w.el(MI.UINT32, w.u32(MX.DOUBLE, 0), { small: false }), w.el(MI.INT32, dims), w.el(MI.INT8, Buffer.from('x')), w.el(MI.DOUBLE, w.f64([1]))]);
      return w.file(Buffer.concat([w.u32(MI.MATRIX, content.length), content]));
    };
    refuses(() => read(withDims(w.i32(0x7fffffff, 0x7fffffff, 0x7fffffff))), "variable 'x' has an absurd shape");
    refuses(() => read(withDims(w.i32(65536, 65536))), '8 bytes of float64 data for a 65536×65536 array');
    refuses(() => read(withDims(w.i32(2, -1))), "variable 'x': it has an invalid size -1 in its dimensions");
    refuses(() => read(withDims(Buffer.alloc(6))), 'its dimensions take 6 bytes, not a whole number of int32');
    refuses(() => read(withDims(w.i32(...new Array<number>(40).fill(1)))), 'it has 40 dimensions, more than 32');
    refuses(() => read(withDims(Buffer.alloc(0))), 'it has no dimensions');
  });

  it('caps nesting, fields and the number of arrays', () => {
    const nest = (depth: number): Buffer => {
      let x = w.double('', [[1]]);
      for (let i = 0; i < depth; i++) x = w.cell(i === depth - 1 ? 'c' : '', [1, 1], [x]);
      return w.file(x);
    };
    assert.equal(read(nest(60)).tensors[0].name, `c${'{1}'.repeat(60)}`);
    refuses(() => read(nest(100)), 'structs and cells nested deeper than 64');
    const fields = w.matrix(MX.STRUCT, [1, 1], 's', Buffer.concat([w.el(MI.INT32, w.i32(1)), w.el(MI.INT8, Buffer.alloc(70_000, 0x61))]));
    refuses(() => read(w.file(fields)), "variable 's': a struct of 70000 fields, more than 65536");
    refuses(() => read(w.file(w.cell('c', [1000, 1000], []))), "variable 'c': a cell array of 1000×1000 holds more than the 200000 arrays");
    refuses(() => read(w.file(w.cell('c', [1, 100], [W22, W22]))), "variable 'c': 100 cells do not fit in its 216 bytes");
    refuses(() => read(w.file(w.cell('c', [1, 3], [W22, W22]))), "variable 'c': a data element tag runs past the end of its array");
    const empties = Buffer.concat(new Array<Buffer>(MAT_LIMITS.maxArrays + 1).fill(w.u32(MI.MATRIX, 0)));
    refuses(() => read(w.file(empties)), 'more than 200000 arrays (variables, struct fields and cells) in one file');
  });

  it('refuses compressed bombs: by the size they declare, by inflating past it, and by the budget of the file', () => {
    const started = Date.now();
    // Declares 4 GiB: refused before inflating.
    const declares = Buffer.concat([w.u32(MI.MATRIX, 0xfffffff0), Buffer.alloc(1 << 20)]);
    refuses(() => read(w.file(w.compressed(declares))), 'variable 1: its compressed data declares 4294967288 bytes, more than the 536870912 bytes left');
    // Declares 64 bytes and inflates to 64 MiB: inflating stops at the declared size.
    const lies = Buffer.concat([w.u32(MI.MATRIX, 64), Buffer.alloc(64 << 20)]);
    const bomb = w.file(w.compressed(lies));
    assert.ok(bomb.length < 200_000);
    refuses(() => read(bomb), 'variable 1: its compressed data inflates to more than the size it declares');
    // Each variable inflates honestly, but together they pass the budget.
    const v = (name: string) => w.compressed(w.matrix(MX.DOUBLE, [1, 5000], name, w.el(MI.DOUBLE, Buffer.alloc(40_000))));
    assert.equal(readLimited(w.file(v('a'), v('b')), { inflateBudget: 100_000 }).tensors.length, 2);
    refuses(() => readLimited(w.file(v('a'), v('b'), v('c')), { inflateBudget: 100_000 }), "variable 'c': its compressed data declares 40056 bytes, more than the 19888 bytes left of the 100000-byte limit");
    refuses(() => read(w.file(Buffer.concat([w.u32(MI.COMPRESSED, 6), Buffer.from('abcdef'), Buffer.alloc(2)]))), 'its compressed data is not valid zlib data');
    const notArray = Buffer.concat([w.u32(MI.COMPRESSED, 0), Buffer.alloc(0)]);
    refuses(() => read(w.file(notArray)), 'its compressed data is too short to hold an array');
    const z = deflateSync(w.el(MI.DOUBLE, w.f64([1])));
    refuses(() => read(w.file(Buffer.concat([w.u32(MI.COMPRESSED, z.length), z]))), 'its compressed data holds a data element of type 9, not an array');
    assert.ok(Date.now() - started < 10_000);
  });

  it('inflates a compressed numeric array only when its values are read', () => {
    // 4000 doubles that do not compress well, their zlib stream cut in half: the name, class and
    // dimensions are in the first bytes, so listing works; reading the values finds the cut.
    const big = w.matrix(MX.DOUBLE, [1, 4000], 'big', w.el(MI.DOUBLE, w.f64(Array.from({ length: 4000 }, (_, i) => Math.sin(i * 1.7)))));
    const z = deflateSync(big);
    const cut = z.subarray(0, z.length >> 1);
    assert.ok(cut.length > 4096);
    const got = readMat(new BufferSource('m.mat', w.file(Buffer.concat([w.u32(MI.COMPRESSED, cut.length), cut]), W22)));
    assert.deepEqual(got.tensors.map((t) => `${t.name} [${t.shape.join('×')}]`), ['big [1×4000]', 'W [2×2]']);
    refuses(() => got.tensors[0].read(), "m.mat: variable 'big': its compressed data ends after", 'of the 32056 bytes it declares (truncated?)');
    const whole = readMat(new BufferSource('m.mat', w.file(Buffer.concat([w.u32(MI.COMPRESSED, z.length), z]))));
    assert.equal(whole.tensors[0].read()[3999], Math.sin(3999 * 1.7));
  });

  it('refuses bad headers, classes and parts in one line', () => {
    refuses(() => read(Buffer.concat([w.header({ indicator: 'XY' }), W22])), 'm.mat: not a valid MAT-file: the endian indicator is "XY", not "IM" or "MI"');
    refuses(() => read(Buffer.concat([w.header({ version: 0x0300 }), W22])), 'm.mat: MAT-file version 0x0300 is not supported');
    refuses(() => read(w.header().subarray(0, 100)), 'm.mat: too short for a MAT-file header');
    refuses(() => read(w.file(w.matrix(99, [1, 1], 'x', w.el(MI.DOUBLE, w.f64([1]))))), "variable 'x'", 'unknown array class 99');
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 1], 'x', w.el(MI.MATRIX, Buffer.alloc(8))))), "variable 'x': its data is a data element of type 14, not numbers");
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 1], 'a\nb', w.el(MI.MATRIX, Buffer.alloc(8))))), "variable 'a?b': its data");
    refuses(() => read(w.file(w.el(MI.DOUBLE, w.f64([1])))), 'variable 1: a data element of type 9 where a variable (miMATRIX or miCOMPRESSED) was expected');
    refuses(() => read(w.file(w.matrix(MX.DOUBLE, [1, 1], 'x'.repeat(300), Buffer.alloc(0)))), 'a name of 300 bytes');
    refuses(() => read(w.file(w.struct('s', [1, 1], ['a'], [[w.el(MI.DOUBLE, w.f64([1]))]]))), "variable 's', s.a: a data element of type 9 where an array was expected");
  });

  it('reads a sparse matrix as a dense one, and refuses broken sparse parts', () => {
    // 3×2 sparse: (1,1) = 5, (3,2) = -1.
    const sparse = (ir: number[], jc: number[], pr: number[]) => w.file(w.matrix(MX.SPARSE, [3, 2], 'S', Buffer.concat([w.el(MI.INT32, w.i32(...ir)), w.el(MI.INT32, w.i32(...jc)), w.el(MI.DOUBLE, w.f64(pr))])));
    assert.deepEqual(Array.from(read(sparse([0, 2], [0, 1, 2], [5, -1])).tensors[0].data!), [5, 0, 0, 0, 0, -1]);
    refuses(() => read(sparse([0, 2], [0, 2], [5, -1])), "variable 'S': 2 column starts for a sparse matrix of 2 columns");
    refuses(() => read(sparse([0, 7], [0, 1, 2], [5, -1])), "variable 'S': a sparse row index 7 outside its 3 rows");
    refuses(() => read(sparse([0, 2], [0, 2, 1], [5, -1])), "variable 'S': its sparse column starts decrease");
    refuses(() => read(sparse([0], [0, 1, 2], [5, -1])), 'do not match its 1 row indices');
  });

  it("reads MATLAB's logical sparse values, one byte each under the miDOUBLE type", () => {
    // MATLAB writes them so (scipy's logical_sparse.mat): 3 true entries of a 2×2, 3 bytes typed miDOUBLE.
    const pr = Buffer.concat([w.u32(MI.DOUBLE, 3), Buffer.from([1, 1, 1]), Buffer.alloc(5)]);
    const body = Buffer.concat([w.el(MI.INT32, w.i32(0, 1, 1)), w.el(MI.INT32, w.i32(0, 2, 3)), pr]);
    const t = read(w.file(w.matrix(MX.SPARSE, [2, 2], 'L', body, 0x200))).tensors[0];
    assert.deepEqual([t.dtype, Array.from(t.data!)], ['bool', [1, 0, 1, 1]]);
  });

  it('names repeated struct fields (which MATLAB cannot write) as scipy does: _1_f, _2_f', () => {
    const one = w.double('', [[1]]);
    const got = read(w.file(w.struct('s', [1, 1], ['f', 'g', 'f', 'f'], [[one, one, one, one]])));
    assert.deepEqual(got.tensors.map((t) => t.name), ['s.f', 's.g', 's._1_f', 's._2_f']);
  });

  it('skips complex arrays, saying why, and reads the rest', () => {
    const z = w.matrix(MX.DOUBLE, [1, 2], '', Buffer.concat([w.el(MI.DOUBLE, w.f64([1, 2])), w.el(MI.DOUBLE, w.f64([3, 4]))]), 0x800);
    const got = readMat(new BufferSource('m.mat', w.file(W22, w.struct('res', [1, 2], ['ev'], [[z], [w.double('', [[5]])]]))));
    assert.deepEqual(got.tensors.map((t) => t.name), ['W', 'res(2).ev']);
    assert.deepEqual(got.skipped, [{ name: 'res(1).ev', why: 'it is complex, and only real arrays are read (save real(x) and imag(x) as two arrays)' }]);
  });

  it("lists MATLAB's empty elements (an empty struct field or cell, []) as 0×0 arrays", () => {
    const got = read(w.file(w.cell('c', [1, 2], [w.double('', [[1, 2]]), w.u32(MI.MATRIX, 0)])));
    assert.deepEqual(got.tensors.map((t) => `${t.name} [${t.shape.join('×')}]`), ['c{1} [1×2]', 'c{2} [0×0]']);
  });

  it('skips the unnamed subsystem data and reads what comes after it', () => {
    const got = read(w.file(w.matrix(9, [1, 3], '', w.el(MI.UINT8, Buffer.from([1, 2, 3]))), W22));
    assert.deepEqual(got.tensors.map((t) => t.name), ['W']);
  });
});
