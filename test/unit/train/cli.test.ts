import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { trainCommand, trainSettings } from '../../../src/cli/train';
import { parseArgs } from '../../../src/cli/args';
import { isInputError } from '../../../src/core/errors';
import { loadModelFile } from '../../../src/core/io/load';
import { gt16, loadDataset, runTraining, Trainer, type TrainSettings } from '../../../src/core/train';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const built = existsSync(CLI) ? false : 'dist/cli.js is not built (node scripts/build.mjs)';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'scyfi-train-'));
}

/** The parameters of the same run in this process, at every epoch in `epochs`. */
async function reference(settings: TrainSettings, data: string, epochs: number[]): Promise<Map<number, Float64Array>> {
  const t = new Trainer(data === 'gt16' ? gt16() : loadDataset(data), settings);
  const out = new Map<number, Float64Array>([[0, Float64Array.from(t.theta)]]);
  await runTraining(t, { onEpoch: (r, theta) => epochs.includes(r.epoch) && out.set(r.epoch, Float64Array.from(theta)), isCancelled: () => false });
  return out;
}

/** The tensors of a checkpoint, flattened in the trainer's parameter order. */
function flat(spec: Record<string, unknown>, keys: string[]): number[] {
  return keys.flatMap((k) => (spec[k] as number[] | number[][]).flat());
}

interface Header {
  /** Keys in file order, __metadata__ included. */
  keys: string[];
  meta: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
}

/** The safetensors header of a file, parsed. */
function header(path: string): Header {
  const b = readFileSync(path);
  const n = Number(b.readBigUInt64LE(0));
  const json = JSON.parse(b.toString('utf8', 8, 8 + n)) as Record<string, unknown>;
  const { __metadata__: meta, ...tensors } = json;
  return { keys: Object.keys(json), meta: meta as Header['meta'], tensors: tensors as Header['tensors'] };
}

function lossRows(dir: string): string[][] {
  const lines = readFileSync(join(dir, 'loss.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'epoch,loss,grad_norm,free_loss');
  return lines.slice(1).map((l) => l.split(','));
}

describe('scyfi train', { skip: built }, () => {
  it('plrnn on gt16: checkpoints every --save-every epochs that the loader reads back to exactly the trained parameters', async () => {
    const dir = join(tempDir(), 'run');
    const args = ['--data', 'gt16', '--model', 'plrnn', '--M', '3', '--gtf', '0.1', '--epochs', '25', '--save-every', '10', '--seed', '4', '--seq-len', '30'];
    const r = cli('train', ...args, '--out', dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^plrnn \(M = 3, identity observation, GTF α = 0\.1\) on gt16: 25 epochs: loss [\d.e-]+ → [\d.e-]+; 4 checkpoints \(model_0 … model_25\.safetensors\) in /);
    assert.deepEqual(readdirSync(dir).sort(), ['loss.csv', 'model_0.safetensors', 'model_10.safetensors', 'model_20.safetensors', 'model_25.safetensors', 'train.json']);
    const settings = trainSettings(parseArgs(args, ['data', 'model', 'M', 'gtf', 'epochs', 'save-every', 'seed', 'seq-len'], []));
    const expected = await reference(settings, 'gt16', [10, 20, 25]);
    for (const epoch of [0, 10, 20, 25]) {
      const file = join(dir, `model_${epoch}.safetensors`);
      const loaded = await loadModelFile(file);
      assert.equal(loaded.model.spec.architecture, 'plrnn');
      assert.equal(loaded.format, 'safetensors');
      assert.deepEqual(flat(loaded.model.spec as never, ['A', 'W', 'h']), Array.from(expected.get(epoch)!), `epoch ${epoch}`);
      const h = header(file);
      assert.deepEqual(h.tensors.A, { dtype: 'F64', shape: [3], data_offsets: [0, 24] });
      assert.deepEqual(h.tensors.W, { dtype: 'F64', shape: [3, 3], data_offsets: [24, 96] });
      const meta = h.meta;
      assert.equal(meta.epoch, String(epoch));
      assert.equal(meta.architecture, 'plrnn');
      assert.equal(meta.scyfi_trainer, '1');
      assert.equal(meta.alpha, '0.1');
      assert.equal(meta.forcing, 'gtf');
      assert.equal(meta.seed, '4');
    }
    const rows = lossRows(dir);
    assert.deepEqual(rows.map((x) => Number(x[0])), Array.from({ length: 25 }, (_, i) => i + 1));
    for (const [, loss, g] of rows) assert.ok(Number(loss) > 0 && Number(g) > 0);
    const json = JSON.parse(readFileSync(join(dir, 'train.json'), 'utf8'));
    assert.equal(json.architecture, 'plrnn');
    assert.equal(json.alpha, 0.1);
    assert.equal(json.seq_len, 30);
    assert.equal(json.clip_grad, null);
    assert.equal(json.data.name, 'gt16');
  });

  it('shplrnn with a linear observation on a CSV file: A, W1, W2, h1, h2 and B', async () => {
    const base = tempDir();
    const csv = join(base, 'three.csv');
    writeFileSync(csv, 'a,b,c\n' + Array.from({ length: 120 }, (_, t) => `${Math.sin(0.3 * t)},${Math.cos(0.3 * t)},${Math.sin(0.6 * t)}`).join('\n') + '\n');
    const dir = join(base, 'run');
    const args = ['--data', csv, '--model', 'shplrnn', '--M', '2', '--H', '6', '--obs', 'linear', '--tau', '5', '--epochs', '6', '--save-every', '3', '--seed', '2', '--seq-len', '20', '--batch', '4', '--clip-grad', '0.5'];
    const r = cli('train', ...args, '--out', dir);
    assert.equal(r.code, 0, r.stderr);
    const settings = trainSettings(parseArgs(args, ['data', 'model', 'M', 'H', 'obs', 'tau', 'epochs', 'save-every', 'seed', 'seq-len', 'batch', 'clip-grad'], []));
    const expected = await reference(settings, csv, [3, 6]);
    for (const epoch of [0, 3, 6]) {
      const file = join(dir, `model_${epoch}.safetensors`);
      const h = header(file);
      assert.deepEqual(h.keys, ['__metadata__', 'A', 'W1', 'W2', 'h1', 'h2', 'B']);
      assert.deepEqual([h.tensors.W1.shape, h.tensors.W2.shape, h.tensors.h2.shape, h.tensors.B.shape], [[2, 6], [6, 2], [6], [3, 2]]);
      assert.equal(h.meta.architecture, 'shplrnn');
      assert.equal(h.meta.observation, 'linear');
      assert.equal(h.meta.clip_grad, '0.5');
      // The loader does not read the safetensors __metadata__ (yet): the architecture is given.
      const loaded = await loadModelFile(file, { architecture: 'shplrnn' });
      assert.equal(loaded.model.spec.architecture, 'shplrnn');
      const B = Array.from(expected.get(epoch)!).slice(-6);
      assert.deepEqual(flat(loaded.model.spec as never, ['A', 'W1', 'W2', 'h1', 'h2']).concat(B), Array.from(expected.get(epoch)!), `epoch ${epoch}`);
      // Without it: read as a shplrnn, or refused as "shallow or clipped?" (what the loader does today).
      try {
        const plain = await loadModelFile(file);
        assert.equal(plain.model.spec.architecture, 'shplrnn');
      } catch (e) {
        assert.ok(isInputError(e) && /could be a shallow PLRNN or a clipped one/.test(e.message), String(e));
      }
    }
  });

  it('Ctrl-C (SIGINT) stops after the batch in progress: exit 130, every checkpoint valid, the last epoch saved and logged', async () => {
    const dir = join(tempDir(), 'run');
    const child = spawn(process.execPath, [CLI, 'train', '--data', 'gt16', '--M', '2', '--epochs', '1000000', '--save-every', '7', '--seed', '1', '--out', dir, '--progress'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit within 30 s; stderr: ${stderr}`));
      }, 30_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // A few progress lines (every 250 ms): a dozen checkpoints are on disk by then.
        if (!sent && (stderr.match(/^epoch \d+ of 1000000 · loss [\d.e+-]+ · gradient norm [\d.e+-]+$/gm) ?? []).length >= 3) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('exit', (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    assert.equal(code, 130, stderr);
    const m = /interrupted by SIGINT after epoch (\d+) of 1000000: loss [\d.e+-]+ → [\d.e+-]+; (\d+) checkpoints/.exec(stdout);
    assert.ok(m, stdout);
    const last = Number(m[1]);
    assert.ok(last > 20, `${last} epochs before the signal`);
    const files = readdirSync(dir);
    assert.deepEqual(files.filter((f) => !/^(model_\d+\.safetensors|loss\.csv|train\.json)$/.test(f)), [], 'no temporary files left');
    const epochs = files.map((f) => /^model_(\d+)\.safetensors$/.exec(f)).filter((x) => x).map((x) => Number(x![1])).sort((a, b) => a - b);
    assert.equal(epochs.length, Number(m[2]));
    assert.deepEqual(epochs, [...Array.from({ length: Math.floor(last / 7) + 1 }, (_, i) => 7 * i), ...(last % 7 ? [last] : [])]);
    for (const e of epochs) assert.equal((await loadModelFile(join(dir, `model_${e}.safetensors`))).model.spec.architecture, 'plrnn');
    const rows = lossRows(dir);
    assert.deepEqual(rows.map((x) => Number(x[0])), Array.from({ length: last }, (_, i) => i + 1));
  });

  it('bad input: exit 2 and one line naming the problem', async () => {
    const base = tempDir();
    const taken = join(base, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'loss.csv'), 'epoch,loss,grad_norm\n');
    writeFileSync(join(base, 'three.csv'), '1,2,3\n4,5,6\n7,8,9\n');
    const out = join(base, 'out');
    const cases: [string[], RegExp][] = [
      [['--data', 'gt16', '--out', out], /--M \(the number of latent units\) is missing/],
      [['--M', '2', '--out', out], /--data is missing/],
      [['--data', 'gt16', '--M', '2'], /--out is missing/],
      [['--data', 'gt16', '--M', '2', '--H', '4', '--out', out], /--H is for a shplrnn/],
      [['--data', 'gt16', '--model', 'shplrnn', '--M', '2', '--out', out], /--H \(the number of hidden units\) is missing/],
      [['--data', 'gt16', '--model', 'lstm', '--M', '2', '--out', out], /--model must be one of plrnn, shplrnn, got "lstm"/],
      [['--data', 'gt16', '--M', '2', '--tau', '5', '--gtf', '0.1', '--out', out], /give --tau .* or --gtf .*, not both/],
      [['--data', 'gt16', '--M', '2', '--gtf', '1.5', '--out', out], /--gtf must be a number above 0 and at most 1, got "1.5"/],
      [['--data', 'gt16', '--M', '2', '--tau', '0', '--out', out], /--tau must be a whole number from 1/],
      [['--data', 'gt16', '--M', '2', '--lr', '-1', '--out', out], /--lr must be a number above 0/],
      [['--data', 'gt16', '--M', '2', '--obs', 'poisson', '--out', out], /--obs must be one of identity, linear/],
      [['--data', 'gt16', '--M', '1', '--out', out], /M must be at least N = 2/],
      [['--data', join(base, 'none.csv'), '--M', '2', '--out', out], /--data ".*none\.csv": no such file/],
      [['--data', join(base, 'three.csv'), '--M', '3', '--out', out], /--seq-len 50 needs series of at least 51 time steps; the longest in three\.csv has 3/],
      [['--data', 'gt16', '--M', '2', '--out', taken], /already holds a training run \(loss\.csv\); choose another folder/],
      [['--data', 'gt16', '--M', '2', '--out', out, '--resume'], /unknown option --resume/],
    ];
    // In this process (an InputError of one line: the CLI prints it and exits 2) …
    for (const [args, re] of cases) {
      await assert.rejects(trainCommand(args, () => assert.fail('no output')), (e: unknown) => isInputError(e) && re.test(e.message) && !e.message.includes('\n'), args.join(' '));
    }
    // … and as a user sees it, for two of them.
    for (const [args, re] of [cases[0], cases[14]]) {
      const r = cli('train', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith('scyfi: ') && re.test(r.stderr), r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    assert.ok(!existsSync(out), 'nothing written for bad input');
  });
});
