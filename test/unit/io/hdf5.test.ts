import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectCommand } from '../../../src/cli/inspect';
import { InputError } from '../../../src/core/errors';
import { itFailsWith, itMapsTo, itReadsTensors } from './fixtureChecks';
import { Hdf5File } from '../../../src/core/io/hdf5';
import { loadModelBytes, readTensorsFromBytes } from '../../../src/core/io/load';
import { readTensorSource } from '../../../src/core/io/read';
import { sniff } from '../../../src/core/io/sniff';
import { BufferSource } from '../../../src/core/io/source';

const DIR = join(__dirname, '..', '..', 'fixtures', 'hdf5');
const fixture = (f: string) => readFileSync(join(DIR, f));

interface Expected {
  format: string;
  tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  model?: Record<string, unknown>;
  error?: string;
  metadata?: Record<string, unknown>;
}
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;

/** Reading `bytes` ends well or in a one-line InputError, never anything else. */
function readsOrRefuses(bytes: Buffer, name: string, what: string): string | undefined {
  for (const run of [() => readTensorsFromBytes(bytes, name, { dataUpTo: 1e6 }), () => loadModelBytes(bytes, name)]) {
    try {
      run();
    } catch (e) {
      if (e instanceof InputError) {
        assert.ok(!e.message.includes('\n') && e.message.length < 2000, `${what}: ${e.message}`);
        assert.ok(e.message.startsWith(`${name}: `), `${what}: ${e.message}`);
        return e.message;
      }
      assert.fail(`${what}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  return undefined;
}

function refuses(fn: () => unknown, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${e instanceof Error ? e.stack : String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    for (const p of parts) assert.ok(e.message.includes(p), `"${e.message}" lacks ${p}`);
    return true;
  });
}

/** The file offset of a Buffer that a BufferSource handed out (it is a view of the file's bytes). */
const offsetIn = (file: Buffer, part: Buffer) => part.byteOffset - file.byteOffset;

describe('HDF5 fixtures (JLD2, MATLAB v7.3, plain HDF5 as written by h5py)', () => {
  for (const [file, e] of Object.entries(expected)) {
    if (Object.keys(e.tensors).length > 0) itReadsTensors(DIR, file, e.format, e.tensors, true);
    if (e.metadata) {
      it(`${file}: scalars are kept as metadata`, () => {
        const r = readTensorSource(new BufferSource(file, fixture(file)));
        for (const [k, v] of Object.entries(e.metadata!)) assert.equal(r.metadata?.[k], v, k);
      });
    }
    if (e.model) itMapsTo(DIR, file, e.model, e.format, { findHyperparameterFiles: false });
    if (e.error) itFailsWith(DIR, file, e.error);
  }

  it('the Julia struct names the architecture, and a MAT v7.3 header is sniffed as such', () => {
    assert.equal(readTensorSource(new BufferSource('s.jld2', fixture('shplrnn_legacy.jld2'))).architecture, 'shplrnn');
    assert.equal(sniff(new BufferSource('m.mat', fixture('plrnn_v73.mat'))), 'mat73');
    assert.equal(sniff(new BufferSource('m.jld2', fixture('plrnn.jld2'))), 'hdf5');
    // A plain HDF5 file behind a userblock of any power-of-two size is still HDF5.
    const h5 = fixture('plrnn.h5');
    const behind = Buffer.concat([Buffer.alloc(1024, 0x20), h5]);
    assert.equal(sniff(new BufferSource('u.h5', behind)), 'hdf5');
  });
});

describe('scyfi inspect on JLD2 and MAT v7.3 files', () => {
  async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    const code = await inspectCommand(args, (s) => lines.push(...s.split('\n')));
    return { code, lines };
  }
  it('a JLD2 PLRNN struct maps to a plrnn', async () => {
    const { code, lines } = await run(join(DIR, 'plrnn.jld2'));
    assert.equal(code, 0);
    assert.match(lines[0], /plrnn\.jld2: JLD2 \(Julia\), 3 tensors$/);
    assert.ok(lines.some((l) => /^\s+model\.W\s+float32\s+\[3, 3\]$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^model: plrnn, M = 3/.test(l)), lines.join('\n'));
  });
  it('a Lux ComponentArray is named by its axes; --json lists them, and a continuous-time model is refused', async () => {
    const lines: string[] = [];
    await assert.rejects(inspectCommand([join(DIR, 'lux_componentarray.jld2'), '--json'], (s) => lines.push(s)), /an ODE, not a map/);
    const out = JSON.parse(lines[0]) as { model: null; tensors: { name: string; shape: number[] }[] };
    assert.equal(out.model, null);
    assert.deepEqual(out.tensors.map((t) => t.name), ['p.cont_model.A', 'p.cont_model.W', 'p.cont_model.h', 'p.obs_model.L', 'p.gain', 'st.obs_model.B']);
  });
  it('a MAT v7.3 struct maps by its field names', async () => {
    const { code, lines } = await run(join(DIR, 'plrnn_v73.mat'));
    assert.equal(code, 0);
    assert.match(lines[0], /MATLAB v7\.3 MAT-file \(HDF5\)/);
    assert.ok(lines.some((l) => /^\s+A\s+←\s+net\.A$/.test(l)), lines.join('\n'));
  });
});

describe('hostile HDF5 input', () => {
  const files = Object.keys(expected);
  it('truncations at many lengths end in one-line InputErrors', { timeout: 60_000 }, () => {
    for (const file of files) {
      const bytes = fixture(file);
      const step = Math.max(1, Math.floor(bytes.length / 300));
      for (let n = 0; n < bytes.length; n += step) readsOrRefuses(bytes.subarray(0, n), file, `${file} cut at ${n}`);
    }
  });
  it('every small number made huge (sizes, counts, dims, addresses) ends in bounded time', { timeout: 120_000 }, () => {
    for (const file of ['plrnn.jld2', 'plrnn_v73.mat', 'plrnn.h5', 'lux_componentarray.jld2']) {
      const bytes = fixture(file);
      for (let p = 512; p + 8 <= bytes.length; p++) {
        const v = bytes.readUInt32LE(p);
        if (v === 0 || v > 65536 || bytes.readUInt32LE(p + 4) !== 0) continue;
        for (const huge of [0xfffffff0, 0x7fffffff]) {
          const m = Buffer.from(bytes);
          m.writeUInt32LE(huge, p);
          m.writeUInt32LE(p % 2 ? 0 : 0x10, p + 4);
          const t0 = Date.now();
          readsOrRefuses(m, file, `${file} with ${huge} at ${p}`);
          assert.ok(Date.now() - t0 < 5000, `${file} with ${huge} at ${p} took ${Date.now() - t0} ms`);
        }
      }
    }
  });
  it('a JLD2 struct whose field refers to the struct itself is read once, without looping', () => {
    const bytes = Buffer.from(fixture('plrnn.jld2'));
    const f = new Hdf5File(new BufferSource('plrnn.jld2', bytes));
    const model = f.object(f.object(f.rootAddress).links!.find(([n]) => n === 'model')![1]);
    assert.equal(model.layout?.kind, 'compact');
    const at = offsetIn(bytes, (model.layout as { data: Buffer }).data);
    bytes.writeBigUInt64LE(BigInt(model.address - 512), at); // field A → the struct's own header
    const got = readTensorsFromBytes(bytes, 'plrnn.jld2', { dataUpTo: 100 });
    assert.deepEqual(got.tensors.map((t) => t.name), ['model.W', 'model.h']);
  });
  it('a MATLAB cell that contains itself is refused', () => {
    const bytes = Buffer.from(fixture('plrnn_v73.mat'));
    const f = new Hdf5File(new BufferSource('m.mat', bytes));
    const cell = f.object(f.object(f.rootAddress).links!.find(([n]) => n === 'c')![1]);
    assert.equal(cell.layout?.kind, 'contiguous');
    bytes.writeBigUInt64LE(BigInt(cell.address - 512), (cell.layout as { address: number }).address);
    refuses(() => readTensorsFromBytes(bytes, 'm.mat'), 'm.mat: ', "'c{1}' contains itself");
  });
  it('continuation blocks that loop, and absurd dimensions, are refused', () => {
    refuses(() => readTensorsFromBytes(Buffer.from('\x89HDF\r\n\x1a\n\0\0\0\0', 'latin1'), 'm.jld2'), 'm.jld2: ', 'superblock');
    refuses(() => readTensorsFromBytes(Buffer.from('MATLAB 7.3 MAT-file, Platform: x'.padEnd(600, ' '), 'latin1'), 'm.mat'), 'm.mat: no HDF5 superblock found');
    // A dataset whose dims multiply past 2^53.
    const bytes = Buffer.from(fixture('plrnn.h5'));
    const f = new Hdf5File(new BufferSource('m.h5', bytes));
    const group = f.object(f.object(f.rootAddress).links!.find(([n]) => n === 'model')![1]);
    const w = group.links!.find(([n]) => n === 'W')![1];
    // Object header v1: find the dataspace message (type 1) and set both dims to 2^40.
    const pos = w + 16;
    let p = pos;
    for (let k = 0; k < 20; k++) {
      const type = bytes.readUInt16LE(p);
      const size = bytes.readUInt16LE(p + 2);
      if (type === 1) {
        bytes.writeBigUInt64LE(1n << 40n, p + 8 + 8);
        bytes.writeBigUInt64LE(1n << 40n, p + 8 + 16);
        break;
      }
      p += 8 + size;
    }
    refuses(() => readTensorsFromBytes(bytes, 'm.h5'), 'm.h5: ', 'model.W');
  });
});

const SAMPLES = '/work/notes/samples';
describe('real JLD2 checkpoints of the DurstewitzLab code bases (local only)', { skip: !existsSync(SAMPLES) && 'no local samples' }, () => {
  const close = (a: number, b: number) => Math.abs(a - b) < 5e-7 * Math.max(1, Math.abs(b));
  it('continuous-time PLRNN (Lux, JLD2 0.2.0): p.cont_model.A/W/h and the observation model', () => {
    const bytes = readFileSync(join(SAMPLES, 'ctPLRNN_ExampleLorenz_epoch_2000.jld2'));
    const r = readTensorSource(new BufferSource('epoch_2000.jld2', bytes));
    assert.equal(r.format, 'jld2');
    const t = new Map(r.tensors.map((x) => [x.name, x]));
    assert.deepEqual([...t.keys()], ['p.cont_model.A', 'p.cont_model.W', 'p.cont_model.h', 'p.obs_model.L', 'st.obs_model.B', 'st.z0']);
    assert.deepEqual(t.get('p.cont_model.W')!.shape, [20, 20]);
    assert.deepEqual(t.get('p.obs_model.L')!.shape, [17, 3]);
    assert.deepEqual(t.get('st.obs_model.B')!.shape, [3, 20]);
    assert.deepEqual(t.get('st.z0')!.shape, [20, 16]);
    const A = t.get('p.cont_model.A')!.read();
    const W = t.get('p.cont_model.W')!.read();
    const h = t.get('p.cont_model.h')!.read();
    assert.ok(close(A[0], -0.54979867), String(A[0]));
    assert.ok([0.29199, 0.20336, -0.01886].every((v, j) => Math.abs(W[j] - v) < 1e-5), String(W.slice(0, 3)));
    assert.ok(close(h[0], -0.01328569), String(h[0]));
    // B = [I(3) zeros(3, 17)]
    const B = t.get('st.obs_model.B')!.read();
    assert.deepEqual([B[0], B[1], B[21], B[42], B[3]], [1, 0, 1, 1, 0]);
  });
  it('OODG neural ODE (Lux, JLD2 0.1.1, compact arrays): every layer by name', () => {
    const bytes = readFileSync(join(SAMPLES, 'OODG_Figure1_vdP_epoch_100000.jld2'));
    const r = readTensorSource(new BufferSource('epoch_100000.jld2', bytes));
    assert.deepEqual(r.tensors.map((x) => `${x.name} ${x.shape.join('×')}`), [
      'p.layer_1.weight 30×2', 'p.layer_1.bias 30×1', 'p.layer_2.weight 30×30', 'p.layer_2.bias 30×1',
      'p.layer_3.weight 30×30', 'p.layer_3.bias 30×1', 'p.layer_4.weight 2×30', 'p.layer_4.bias 2×1',
    ]);
  });
  it('every sample file reads or refuses with one line', () => {
    for (const f of readdirSync(SAMPLES).filter((x) => /\.(jld2|mat|h5)$/.test(x))) readsOrRefuses(readFileSync(join(SAMPLES, f)), f, f);
  });
});
