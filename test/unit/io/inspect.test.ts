import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inspectCommand, table } from '../../../src/cli/inspect';
import { InputError } from '../../../src/core/errors';

const DIR = join(__dirname, '..', '..', 'fixtures', 'checkpoints');

async function run(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await inspectCommand(args, (s) => lines.push(...s.split('\n')));
  return { code, lines };
}

describe('scyfi inspect', () => {
  it('--json prints exactly one object: the model in the JSON model format and the tensors', async () => {
    const { code, lines } = await run(join(DIR, 'dendplrnn_lightning.ckpt'), '--json');
    assert.equal(code, 0);
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]) as { model: Record<string, unknown>; notes: string[]; tensors: { name: string; dtype: string; shape: number[] }[] };
    assert.deepEqual(Object.keys(out), ['model', 'notes', 'tensors']);
    assert.equal(out.model.architecture, 'dendplrnn');
    assert.deepEqual(Object.keys(out.model).sort(), ['A', 'H', 'W', 'alpha', 'architecture', 'clip', 'h', 'meanCentering']);
    // The variant came from the Lightning checkpoint's own hyper_parameters, and the note says so.
    assert.match(out.notes[0], /a dendr-PLRNN of the dendPLRNN code .*: thresholds negated .*mean-centring on, state clipped to ±10 \(from dendplrnn_lightning\.ckpt\)/);
    assert.deepEqual(out.tensors[0], { name: 'state_dict.model.latent_model.latent_step.AW', dtype: 'float32', shape: [3, 3] });
    assert.equal(out.tensors.length, 5);
  });
  it('lists tensors and the parameters they map to', async () => {
    const { code, lines } = await run(join(DIR, 'shplrnn.bson'));
    assert.equal(code, 0);
    assert.match(lines[0], /shplrnn\.bson: Julia BSON, 9 tensors$/);
    assert.ok(lines.some((l) => /^\s+model\.W₁\s+float32\s+\[3, 4\]$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^model: shplrnn, M = 3, H = 4/.test(l)));
    assert.ok(lines.some((l) => /^\s+W1\s+←\s+model\.W₁$/.test(l)));
  });
  it('passes --architecture and --P on', async () => {
    const { lines } = await run(join(DIR, 'alrnn.pt'), '--P', '2', '--json');
    const out = JSON.parse(lines[0]) as { model: { architecture: string; P: number } };
    assert.deepEqual([out.model.architecture, out.model.P], ['alrnn', 2]);
    const clipped = await run(join(DIR, 'shplrnn_nested.pt'), '--architecture=clipped-shplrnn', '--json');
    assert.equal((JSON.parse(clipped.lines[0]) as { model: { architecture: string } }).model.architecture, 'clipped-shplrnn');
  });
  it('--json still lists the tensors of a file whose tensors make no model, then fails with the reason', async () => {
    const lines: string[] = [];
    await assert.rejects(inspectCommand([join(DIR, 'views_zip.pt'), '--json'], (s) => lines.push(s)), /views_zip\.pt: no PLRNN-family parameters recognised/);
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]) as { model: unknown; tensors: { name: string; dtype: string; shape: number[] }[] };
    assert.equal(out.model, null);
    assert.deepEqual(out.tensors[0], { name: 'diag', dtype: 'float32', shape: [4] });
    assert.equal(out.tensors.length, 6);
    // Nothing is printed for a file whose tensors cannot be read at all.
    const none: string[] = [];
    await assert.rejects(inspectCommand([join(DIR, 'evil_system.pt'), '--json'], (s) => none.push(s)), /posix\.system/);
    assert.deepEqual(none, []);
  });
  it('refuses bad arguments and bad files with an InputError', async () => {
    await assert.rejects(run(), InputError);
    await assert.rejects(run(join(DIR, 'alrnn.pt'), '--architecture', 'lstm'), /--architecture must be one of/);
    await assert.rejects(run(join(DIR, 'alrnn.pt'), '--P', 'x'), /--P must be a whole number/);
    await assert.rejects(run(join(DIR, 'evil_system.pt'), '--json'), /evil_system\.pt: pickle refers to global 'posix\.system'/);
    await assert.rejects(run(join(DIR, 'no-such-file.pt')), /no-such-file\.pt: cannot read the file \(no such file, ENOENT\)/);
    await assert.rejects(run(tmpdir()), /: cannot read the file \(it is a directory, EISDIR\)/);
  });
  it('aligns a table of 200 000 rows (spreading the column into Math.max overflowed the stack)', () => {
    const rows = [['name', 'dtype'], ...Array.from({ length: 200_000 }, (_, i) => [`t${i}`, 'float32'])];
    const lines = table(rows);
    assert.equal(lines.length, 200_001);
    assert.equal(lines[1], '  t0       float32');
  });
});
