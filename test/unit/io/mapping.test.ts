import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { loadModelBytes, loadModelFile } from '../../../src/core/io/load';
import { mapTensors as mapFile, type MappingOptions } from '../../../src/core/io/mapping';
import { Tensor } from '../../../src/core/io/tensor';

const DIR = join(__dirname, '..', '..', 'fixtures', 'checkpoints');

function tensor(name: string, shape: number[], values?: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float64Array.from(values ?? Array.from({ length: n }, (_, i) => i + 1));
  return { name, dtype: 'float32', shape, read: () => data };
}

/** The only model of a file. */
function mapTensors(ts: Tensor[], source: string, options?: MappingOptions) {
  const f = mapFile(ts, source, options);
  assert.equal(f.models.length, 1);
  if (f.models[0].error) throw f.models[0].error;
  return f.models[0].mapped!;
}

async function rejects(p: Promise<unknown>, ...parts: string[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    for (const s of parts) assert.ok(e.message.includes(s), `"${e.message}" lacks "${s}"`);
    return true;
  });
}

describe('tensor → model mapping', () => {
  it('prefers the model over optimizer state and EMA copies, whatever the prefix', () => {
    const ts = [tensor('ema.A', [2]), tensor('ema.W', [2, 2]), tensor('ema.h', [2]), tensor('net.module.A', [2]), tensor('net.module.W', [2, 2]), tensor('net.module.h', [2])];
    assert.deepEqual(mapTensors(ts, 'm.pt', { architecture: 'plrnn' }).parameters, { A: 'net.module.A', W: 'net.module.W', h: 'net.module.h' });
  });
  it('transposes dendPLRNN thetas stored B×M', () => {
    const ts = [tensor('A', [3]), tensor('W', [3, 3]), tensor('h', [3]), tensor('alphas', [2]), tensor('thetas', [2, 3], [1, 2, 3, 4, 5, 6])];
    const m = mapTensors(ts, 'm.pt');
    assert.equal(m.spec.architecture, 'dendplrnn');
    assert.deepEqual(m.spec.H, [[1, 4], [2, 5], [3, 6]]);
  });
  it('reads M×1 vectors (as Julia column vectors often are) as vectors', () => {
    const m = mapTensors([tensor('A', [2, 1]), tensor('W', [2, 2], [0, 1, 2, 0]), tensor('h', [1, 2])], 'm.pt');
    assert.deepEqual(m.spec.A, [1, 2]);
    assert.deepEqual(m.spec.h, [1, 2]);
  });
  it('lists the tensors when nothing matches', () => {
    assert.throws(() => mapTensors([tensor('encoder.weight', [4, 2]), tensor('decoder.bias', [2])], 'm.pt'), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^m\.pt: no PLRNN-family parameters recognised; tensors found: encoder\.weight \[4×2\] float32, decoder\.bias \[2\] float32\. .*m\.pt\.scyfi\.json/);
      return true;
    });
  });
  it('--architecture chooses among architectures with the same naming', async () => {
    const sh = await loadModelFile(join(DIR, 'shplrnn_nested.pt'), { architecture: 'clipped-shplrnn' });
    assert.equal(sh.model.spec.architecture, 'clipped-shplrnn');
    const al = await loadModelFile(join(DIR, 'plrnn_zip.pt'), { architecture: 'alrnn', P: 1 });
    assert.deepEqual({ a: al.model.spec.architecture, P: al.model.spec.architecture === 'alrnn' && al.model.spec.P }, { a: 'alrnn', P: 1 });
    await rejects(loadModelFile(join(DIR, 'plrnn_zip.pt'), { architecture: 'alrnn' }), 'plrnn_zip.pt: ', 'pass --P <n>');
    await rejects(loadModelFile(join(DIR, 'plrnn_zip.pt'), { architecture: 'dendplrnn' }), 'no dendplrnn parameters recognised', 'A [3] float32');
  });
  it('takes a hand-made map from the scyfi.parameterMap setting; the sidecar file wins over it', async () => {
    const plain = await loadModelFile(join(DIR, 'plrnn_zip.pt'));
    const viaSetting = await loadModelFile(join(DIR, 'plrnn_zip.pt'), { parameterMap: { architecture: 'plrnn', map: { A: 'h', W: 'W', h: 'A' } } });
    assert.equal(viaSetting.convention, 'map');
    assert.deepEqual(viaSetting.parameters, { A: 'h', W: 'W', h: 'A' });
    assert.ok(plain.model.spec.architecture === 'plrnn' && viaSetting.model.spec.architecture === 'plrnn');
    assert.deepEqual(viaSetting.model.spec.A, plain.model.spec.h);
    assert.deepEqual(viaSetting.model.spec.h, plain.model.spec.A);
    await rejects(loadModelFile(join(DIR, 'dtypes_zip.pt'), { parameterMap: { architecture: 'plrnn', map: { A: 'f16', W: 'nope', h: 'bf16' } } }),
      "scyfi.parameterMap: map.W names tensor 'nope', which dtypes_zip.pt does not have", 'f32 [2×3] float32');
    await rejects(loadModelFile(join(DIR, 'dtypes_zip.pt'), { parameterMap: { map: { A: 'f16' } } }), 'needs "architecture"');
    const side = await loadModelFile(join(DIR, 'custom_names.pt'), { parameterMap: { architecture: 'plrnn', map: { A: 'x', W: 'y', h: 'z' } } });
    assert.equal(side.sidecarFile, 'custom_names.pt.scyfi.json');
    await rejects(loadModelFile(join(DIR, 'custom_names.pt'), { sidecar: false }), 'no PLRNN-family parameters recognised', 'dyn.coupling [3×3] float32');
  });
  it('takes the architecture and P from a parameter map without "map"', async () => {
    const al = await loadModelFile(join(DIR, 'alrnn.pt'), { parameterMap: { P: 2 } });
    assert.ok(al.model.spec.architecture === 'alrnn' && al.model.spec.P === 2);
    const pl = await loadModelFile(join(DIR, 'plrnn_zip.pt'), { parameterMap: { architecture: 'alrnn', P: 1 } });
    assert.equal(pl.model.spec.architecture, 'alrnn');
    const cli = await loadModelFile(join(DIR, 'alrnn.pt'), { P: 3, parameterMap: { P: 2 } });
    assert.ok(cli.model.spec.architecture === 'alrnn' && cli.model.spec.P === 3);
  });
  it('checks a parameter map given in memory', () => {
    assert.throws(() => loadModelBytes(Buffer.from('x'), 'm.pt', { parameterMap: { architecture: 'rnn' as never } }), /scyfi\.parameterMap: architecture "rnn" is not one of/);
  });
});
