import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { alignJumps, type RunEvent } from '../../../src/core/run/align';
import { analyzeRun } from '../../../src/core/run/analyze';
import { cacheKey } from '../../../src/core/run/cache';
import { SEARCH_REVISION } from '../../../src/core/scyfi/defaults';
import { discoverRun, numberInName } from '../../../src/core/run/discover';
import { detectJumps, parseLossLog, parseLossTable, trainingLoss, type LossSeries } from '../../../src/core/run/loss';
import { maskedCrc32c, readTensorBoardScalars } from '../../../src/core/run/tensorboard';
import { safetensors } from './safetensorsFile';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'runs');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const TB = join(FIXTURES, 'hf', 'runs', 'events.out.tfevents.1700000000.node01.4242.0');

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'scyfi-run-'));
}

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'));
}

describe('run files: epochs and steps from names', () => {
  const cases: [string, number, 'epoch' | 'step'][] = [
    ['checkpoints/model_100.pt', 100, 'epoch'],
    ['lightning_logs/version_0/checkpoints/epoch=42-step=900.ckpt', 42, 'epoch'],
    ['step=1200.ckpt', 1200, 'step'],
    ['global_step3000.pt', 3000, 'step'],
    ['checkpoint-1500/model.safetensors', 1500, 'step'],
    ['checkpoint-1500/pytorch_model.bin', 1500, 'step'],
    ['checkpoint_epoch_7.safetensors', 7, 'epoch'],
    ['run3_20_epochs.bson', 20, 'epoch'],
    ['model-0012.mat', 12, 'epoch'],
  ];
  for (const [name, x, unit] of cases) it(name, () => assert.deepEqual(numberInName(name), { x, unit }));
  it('a name without a number names nothing', () => assert.equal(numberInName('final/model.pt'), undefined));
});

describe('run files: a folder', () => {
  it('finds the checkpoints and the log, and passes over optimizer state', async () => {
    const f = await discoverRun(join(FIXTURES, 'pytorch'));
    assert.equal(f.checkpoints.length, 21);
    assert.deepEqual(f.logs.map((l) => l.split('/').pop()), ['loss.csv']);
    assert.deepEqual(f.skipped, [{ file: 'checkpoints/optimizer_50.pt', reason: 'optimizer or other training state, not a model' }]);
  });
  it('a missing folder and a file that is not a manifest are one-line errors', async () => {
    await rejects(discoverRun(join(FIXTURES, 'nope')), /nope: no such file or folder/);
    await rejects(discoverRun(join(FIXTURES, 'pytorch', 'loss.csv')), /loss\.csv: a run is a folder, a scyfi-run\.json manifest, or one file that holds several models/);
  });
  it('a manifest must list checkpoints, with numeric epochs', async () => {
    const d = tmp();
    for (const [body, re] of [
      ['[]', /must be a JSON object/],
      ['{"checkpoints": []}', /"checkpoints" must list/],
      ['{"checkpoints": [{"file": "a.pt", "epoch": "x"}]}', /checkpoints\[0\]: its epoch or step must be a number/],
      ['{"checkpoints": ["a.pt"], "unit": "days"}', /"unit" must be "epoch" or "step"/],
      ['{"checkpoints": ["a.pt"], "logs": [3]}', /"logs" must list/],
    ] as const) {
      writeFileSync(join(d, 'scyfi-run.json'), body);
      await rejects(discoverRun(d), re);
    }
    rmSync(d, { recursive: true });
  });
});

describe('loss logs', () => {
  it('Lightning metrics.csv: empty cells on the rows of other metrics are no points', () => {
    const csv = 'epoch,step,train_loss,val_loss\n0,9,1.5,\n0,9,,1.7\n1,19,1.2,\n1,19,,1.4\n';
    const s = parseLossTable(csv, 'metrics.csv');
    assert.deepEqual(
      s.map((x) => [x.name, x.unit, x.points.map((p) => [p.x, p.loss])]),
      [
        ['train_loss', 'epoch', [[0, 1.5], [1, 1.2]]],
        ['val_loss', 'epoch', [[0, 1.7], [1, 1.4]]],
      ],
    );
    assert.equal(trainingLoss(s)?.name, 'train_loss');
  });
  it("a scyfi train log's free_loss goes before its (possibly forced) loss", () => {
    const s = parseLossTable('epoch,loss,grad_norm,free_loss\n1,0.5,2,0.7\n2,0.4,2,0.6\n', 'loss.csv');
    assert.deepEqual(s.map((x) => x.name), ['loss', 'free_loss']);
    assert.equal(trainingLoss(s)?.name, 'free_loss');
  });
  it('TSV with a step column, quoted cells and a gradient norm', () => {
    const s = parseLossTable('"global_step"\t"loss"\tgrad_norm\n10\t0.5\t2\n20\t"0.25"\t3\n', 'log.tsv');
    assert.deepEqual(s[0].points, [
      { x: 10, loss: 0.5, gradNorm: 2 },
      { x: 20, loss: 0.25, gradNorm: 3 },
    ]);
    assert.equal(s[0].unit, 'step');
  });
  it('JSON lines', () => {
    const s = parseLossLog('log.jsonl', Buffer.from('{"epoch": 1, "loss": 2, "val_loss": 3}\n{"epoch": 2, "loss": 1}\n'));
    assert.deepEqual(
      s.map((x) => [x.name, x.points.length]),
      [
        ['loss', 2],
        ['val_loss', 1],
      ],
    );
  });
  it('a table without an epoch or a loss column says which columns it has', () => {
    assert.throws(() => parseLossTable('time,loss\n1,2\n', 'a.csv'), /a\.csv: a loss log needs an epoch or step column; the header is time, loss/);
    assert.throws(() => parseLossTable('epoch,acc\n1,2\n', 'a.csv'), /a\.csv: no loss column/);
    assert.throws(() => parseLossLog('a.jsonl', Buffer.from('{"epoch": 1}\nnot json\n')), /a\.jsonl: line 2 is not JSON/);
  });
});

describe('TensorBoard event files', () => {
  const bytes = readFileSync(TB);
  it('reads simple values and one-element tensors by tag, at their steps', () => {
    const { series, cutOffAt } = readTensorBoardScalars(bytes, 'events');
    assert.equal(cutOffAt, undefined);
    const byTag = Object.fromEntries(series.map((s) => [s.tag, s.points]));
    assert.deepEqual(Object.keys(byTag).sort(), ['eval/loss', 'train/learning_rate', 'train/loss']);
    assert.equal(byTag['train/loss'].length, 41);
    assert.deepEqual(
      byTag['eval/loss'].map((p) => p.step),
      [0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000],
    );
    assert.ok(Math.abs(byTag['train/learning_rate'][3].value - 0.01) < 1e-8);
    // eval/loss was written as 1.2 × train/loss at the same step.
    const train = new Map(byTag['train/loss'].map((p) => [p.step, p.value]));
    for (const p of byTag['eval/loss']) assert.ok(Math.abs(p.value / train.get(p.step)! - 1.2) < 1e-6);
  });
  it('the masked CRC-32C of TFRecord', () => {
    // The check value of CRC-32C is 0xE3069283 for "123456789"; masked as TFRecord masks it.
    const c = 0xe3069283;
    assert.equal(maskedCrc32c(Buffer.from('123456789'), 0, 9), ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0);
  });
  it('a flipped byte is a damaged record, never other numbers', () => {
    const b = Buffer.from(bytes);
    b[200] ^= 0x10;
    assert.throws(() => readTensorBoardScalars(b, 'events'), /events: the TensorBoard record at byte \d+ (is damaged|has a damaged length) \(CRC mismatch\)/);
  });
  it('a last record cut short (a run still writing) keeps the records before it, and says so', () => {
    const { series, cutOffAt } = readTensorBoardScalars(bytes.subarray(0, bytes.length - 7), 'events');
    assert.ok(cutOffAt !== undefined && cutOffAt > 0);
    assert.equal(series.find((s) => s.tag === 'train/loss')!.points.length, 41);
    const loss = parseLossLog('events.out.tfevents.1', bytes.subarray(0, bytes.length - 7));
    assert.match(loss[0].note!, /cut short/);
    assert.throws(() => readTensorBoardScalars(Buffer.from('hello'), 'x'), /x: not a TensorBoard event file/);
  });
});

describe('loss jumps', () => {
  const series = (losses: number[]): LossSeries => ({ source: 's', name: 'loss', unit: 'epoch', points: losses.map((loss, x) => ({ x, loss })) });
  // A seeded wiggle of ±2 %, decaying.
  const base = Array.from({ length: 60 }, (_, i) => Math.exp(-i / 30) * (1 + 0.02 * Math.sin(i * 2.3)));
  it('none on a smooth noisy decay', () => assert.deepEqual(detectJumps(series(base)), []));
  it('a tripling is found where it happens, up; a halving down', () => {
    const up = base.map((v, i) => (i >= 40 ? 3 * v : v));
    const j = detectJumps(series(up));
    assert.equal(j.length, 1);
    assert.deepEqual([j[0].x, j[0].from, j[0].direction], [40, 39, 'up']);
    assert.ok(Math.abs(j[0].size - Math.log(3)) < 0.1);
    const down = base.map((v, i) => (i >= 20 ? v / 2 : v));
    assert.deepEqual(
      detectJumps(series(down)).map((x) => [x.x, x.direction]),
      [[20, 'down']],
    );
  });
  it('consecutive outstanding changes in one direction are one jump; the start of training is not judged', () => {
    // A rise over three epochs (×2 each), then back down over two.
    const rise = base.map((v, i) => v * (i >= 30 && i < 33 ? 2 ** (i - 29) : i >= 33 && i < 35 ? 2 ** (34 - i) * 2 : 1));
    const j = detectJumps(series(rise));
    assert.deepEqual(
      j.map((x) => [x.x, x.until, x.direction]),
      [
        [30, 32, 'up'],
        [33, 35, 'down'],
      ],
    );
    assert.ok(Math.abs(j[0].size - 3 * Math.log(2)) < 0.15, String(j[0].size));
    // The first epochs fall steeply, as training does: no jump there.
    const steep = base.map((v, i) => (i < 5 ? v * 4 ** (5 - i) : v));
    assert.deepEqual(detectJumps(series(steep)), []);
  });
  it('near the noise floor a doubling is no jump: a jump moves the loss by 1 % of its range', () => {
    // From 1 down to 1e-4, then a doubling at 1e-4 (a 1e-4 change in a range of 1).
    const floor = base.map((v, i) => (i < 20 ? v : 1e-4 * (1 + 0.02 * Math.sin(i * 2.3)) * (i >= 45 ? 2 : 1)));
    floor[0] = 1;
    assert.deepEqual(detectJumps(series(floor)).filter((j) => j.x === 45), []);
    assert.deepEqual(
      detectJumps(series(floor), { minRangeFraction: 0 }).filter((j) => j.x === 45).map((j) => j.direction),
      ['up'],
    );
  });
  it('a higher threshold and a larger minimum size find fewer', () => {
    const up = base.map((v, i) => (i >= 40 ? 1.3 * v : v));
    assert.equal(detectJumps(series(up)).length, 1);
    assert.equal(detectJumps(series(up), { minSize: 0.5 }).length, 0);
    assert.equal(detectJumps(series(up), { threshold: 1e6 }).length, 0);
  });
});

describe('alignment of jumps with events', () => {
  const ev = (x: number, kind: RunEvent['kind'] = 'degenerate-transcritical'): RunEvent => ({ x, kind }) as RunEvent;
  const jump = (x: number) => ({ x, from: x - 1, until: x, size: 1, direction: 'up' as const, score: 10 });
  it('counts the jumps with an event in the window before them', () => {
    const a = alignJumps([jump(10), jump(50), jump(90)], [ev(9), ev(48, 'border-collision'), ev(70)], [0, 100], 3);
    assert.deepEqual(
      a.perJump.map((p) => p.events),
      [[0], [1], []],
    );
    assert.deepEqual(a.followedBy, [0, 1, undefined]);
    assert.equal(a.explained, 2);
    assert.match(a.sentence, /^2 of 3 loss jumps follow a bifurcation; 1 of them degenerate transcritical \(p = /);
  });
  it('the p-value is seeded (the same every time) and small only when the match is unlikely', () => {
    const jumps = [10, 20, 30, 40, 50, 60, 70, 80].map(jump);
    const tight = alignJumps(jumps, jumps.map((j) => ev(j.x - 0.5)), [0, 100], 1);
    assert.equal(tight.explained, 8);
    assert.ok(tight.pValue < 0.001, String(tight.pValue));
    assert.equal(tight.pValue, alignJumps(jumps, jumps.map((j) => ev(j.x - 0.5)), [0, 100], 1).pValue);
    assert.match(tight.sentence, /8 of 8 loss jumps follow a bifurcation; all of them degenerate transcritical/);
    const wide = alignJumps([jump(50)], [ev(45)], [0, 100], 50);
    assert.ok(wide.pValue > 0.3, String(wide.pValue));
  });
  it('a border collision through which a cycle just persists, with the same stability, explains nothing', () => {
    const crossing = { x: 9, kind: 'border-collision', outcome: 'persistence', stabilityChange: false } as RunEvent;
    const a = alignJumps([jump(10)], [crossing, ev(2)], [0, 20], 3);
    assert.equal(a.explained, 0);
    assert.deepEqual(a.followedBy, [undefined, undefined]);
    const changing = { ...crossing, stabilityChange: true } as RunEvent;
    assert.equal(alignJumps([jump(10)], [changing], [0, 20], 3).explained, 1);
  });
  it('an event after a jump does not explain it', () => {
    assert.equal(alignJumps([jump(10)], [ev(11)], [0, 20], 5).explained, 0);
  });
});

describe('a training run, end to end (the third system along a_l, loss tripled after its degenerate transcritical bifurcation)', async () => {
  const pt = await analyzeRun(join(FIXTURES, 'pytorch'), { maxOrder: 2 });
  it('reads every checkpoint but the cut-short one, in epoch order', () => {
    assert.equal(pt.unit, 'epoch');
    assert.equal(pt.checkpoints.length, expected.pytorch.checkpoints);
    assert.deepEqual(
      pt.checkpoints.map((c) => c.x),
      [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 65, 70, 75, 80, 85, 90, 95, 100],
    );
    const reasons = Object.fromEntries(pt.skipped.map((s) => [s.file, s.reason]));
    assert.match(reasons[expected.pytorch.corrupt], /truncated/);
    assert.match(reasons[expected.pytorch.optimizer], /optimizer/);
  });
  it('locates the bifurcation between epochs 85 and 90, to 1e-6 of where a_l = −41/85', () => {
    const dtb = pt.events.filter((e) => e.kind === 'degenerate-transcritical');
    assert.equal(dtb.length, 1, JSON.stringify(pt.events.map((e) => [e.kind, e.x])));
    assert.ok(Math.abs(dtb[0].x - expected.pytorch.event) < 1e-6, `${dtb[0].x} vs ${expected.pytorch.event}`);
    assert.equal(dtb[0].order, 2);
  });
  it('finds the one loss jump, at epoch 90, and says it follows that bifurcation', () => {
    assert.equal(pt.loss?.name, 'loss');
    assert.deepEqual(
      pt.lossJumps.map((j) => [j.x, j.direction]),
      [[expected.pytorch.jump, 'up']],
    );
    assert.equal(pt.alignment?.explained, 1);
    assert.equal(pt.alignment?.window, 10);
    assert.match(pt.alignment!.sentence, /^1 of 1 loss jump follows a bifurcation; it is a degenerate transcritical \(p = /);
  });
  it('a Hugging Face style run: steps from checkpoint-N folders, the loss from TensorBoard events', async () => {
    const hf = await analyzeRun(join(FIXTURES, 'hf'), { maxOrder: 2 });
    assert.equal(hf.unit, 'step');
    assert.equal(hf.checkpoints.length, expected.hf.checkpoints);
    assert.equal(hf.skipped.filter((s) => /optimizer/.test(s.reason)).length, 9);
    assert.equal(hf.loss?.name, 'train/loss');
    assert.deepEqual(
      hf.lossJumps.map((j) => j.x),
      [expected.hf.jump],
    );
    const dtb = hf.events.filter((e) => e.kind === 'degenerate-transcritical');
    // float32 checkpoints: a_l is rounded to 2^-24, the event moves by about that times 2000/1.1.
    assert.equal(dtb.length, 1);
    assert.ok(Math.abs(dtb[0].x - expected.hf.event) < 1e-3, `${dtb[0].x}`);
    assert.equal(hf.alignment?.explained, 1);
  });
});

describe('a run saved in four formats (.pt, .bson, .safetensors, .npz): the skew tent map, its two flips followed by jumps', async () => {
  const r = await analyzeRun(join(FIXTURES, 'mixed'), { maxOrder: 3 });
  it('reads every format in epoch order and skips the cut-short BSON file with its reason', () => {
    assert.equal(r.checkpoints.length, expected.mixed.checkpoints);
    assert.deepEqual(
      [...new Set(r.checkpoints.map((c) => c.file.split('.').pop()))].sort(),
      ['bson', 'npz', 'pt', 'safetensors'],
    );
    assert.deepEqual(r.skipped, [{ file: expected.mixed.corrupt, reason: 'a BSON file cut short: it declares 923 bytes and has 903' }]);
  });
  it('finds the three events where the closed forms put them', () => {
    for (const [kind, xs] of Object.entries(expected.mixed.events as Record<string, number[]>)) {
      const got = r.events.filter((e) => e.kind === kind).map((e) => e.x);
      assert.equal(got.length, xs.length, kind);
      got.forEach((x, i) => assert.ok(Math.abs(x - xs[i]) < 1e-9, `${kind}: ${x} vs ${xs[i]}`));
    }
  });
  it('the loss from JSON lines: three jumps, two after a flip, one after nothing', () => {
    assert.equal(r.loss?.source, 'train_log.jsonl');
    assert.ok(r.loss!.points.every((p) => typeof p.gradNorm === 'number'));
    assert.deepEqual(
      r.lossJumps.map((j) => j.x),
      expected.mixed.jumps,
    );
    assert.deepEqual(
      r.alignment!.perJump.map((p) => p.events.map((i) => r.events[i].kind)),
      [['degenerate-flip'], [], ['degenerate-flip']],
    );
    assert.match(r.alignment!.sentence, /^2 of 3 loss jumps follow a bifurcation; all of them degenerate flip/);
  });
});

describe('a training run: manifests, caches, mixed folders, cancelling', () => {
  const src = join(FIXTURES, 'pytorch');
  it('a manifest lists checkpoints in any order, with epochs the names do not have', async () => {
    const d = tmp();
    const names = ['model_0.pt', 'model_50.pt', 'model_100.pt', 'model_95.pt', 'model_85.pt', 'model_90.pt'];
    mkdirSync(join(d, 'ck'));
    names.forEach((n, i) => cpSync(join(src, 'checkpoints', n), join(d, 'ck', `weights-${String.fromCharCode(97 + i)}.pt`)));
    cpSync(join(src, 'loss.csv'), join(d, 'loss.csv'));
    cpSync(join(src, 'hypers.json'), join(d, 'hypers.json'));
    const checkpoints = names.map((n, i) => ({ file: `ck/weights-${String.fromCharCode(97 + i)}.pt`, epoch: Number(/\d+/.exec(n)![0]) })).reverse();
    writeFileSync(join(d, 'scyfi-run.json'), JSON.stringify({ unit: 'epoch', checkpoints, logs: ['loss.csv'] }));
    const r = await analyzeRun(join(d, 'scyfi-run.json'), { maxOrder: 2 });
    assert.deepEqual(
      r.checkpoints.map((c) => [c.x, c.from]),
      [0, 50, 85, 90, 95, 100].map((x) => [x, 'manifest']),
    );
    const dtb = r.events.filter((e) => e.kind === 'degenerate-transcritical');
    assert.equal(dtb.length, 1);
    assert.ok(Math.abs(dtb[0].x - expected.pytorch.event) < 1e-6);
    assert.equal(r.alignment?.explained, 1);
    rmSync(d, { recursive: true });
  });

  it("the cache: results of an earlier search revision are not served (the key holds the search's revision)", () => {
    const settings = { maxOrder: 2 };
    const key = cacheKey('abc', settings);
    // The key of the same file and settings before revisions were part of it (cache format 1).
    const unrevised = createHash('sha256').update(`1\nabc\n${JSON.stringify(settings)}`).digest('hex');
    assert.notEqual(key, unrevised);
    assert.equal(key, createHash('sha256').update(`1\n${SEARCH_REVISION}\nabc\n${JSON.stringify(settings)}`).digest('hex'));
  });

  it('the cache: a second analysis searches nothing and finds the same; a new checkpoint is the only one searched', async () => {
    const d = tmp();
    const cacheDir = join(d, 'cache');
    cpSync(src, join(d, 'run'), { recursive: true });
    rmSync(join(d, 'run', 'checkpoints', 'model_95.pt'));
    const first = await analyzeRun(join(d, 'run'), { maxOrder: 2, cacheDir });
    assert.equal(first.stats.cached, 0);
    const again = await analyzeRun(join(d, 'run'), { maxOrder: 2, cacheDir });
    assert.deepEqual([again.stats.searched, again.stats.cached], [0, first.checkpoints.length]);
    assert.deepEqual(
      again.events.map((e) => [e.kind, e.x]),
      first.events.map((e) => [e.kind, e.x]),
    );
    cpSync(join(src, 'checkpoints', 'model_95.pt'), join(d, 'run', 'checkpoints', 'model_95.pt'));
    const grown = await analyzeRun(join(d, 'run'), { maxOrder: 2, cacheDir });
    assert.deepEqual([grown.stats.searched, grown.stats.cached], [1, first.checkpoints.length]);
    assert.deepEqual(
      grown.checkpoints.filter((c) => !c.cached).map((c) => c.x),
      [95],
    );
    // Other settings are other keys.
    const deeper = await analyzeRun(join(d, 'run'), { maxOrder: 3, cacheDir });
    assert.equal(deeper.stats.cached, 0);
    assert.ok(readdirSync(cacheDir).every((f) => f.endsWith('.json')));
    rmSync(d, { recursive: true });
  });

  it('two runs in one folder are refused, not merged; a checkpoint of another shape is skipped', async () => {
    const d = tmp();
    for (const v of ['version_0', 'version_1']) cpSync(join(src, 'checkpoints'), join(d, v), { recursive: true });
    cpSync(join(src, 'hypers.json'), join(d, 'hypers.json'));
    await rejects(analyzeRun(d, { maxOrder: 1 }), /holds more than one run \(version_0\/model_0\.pt and version_1\/model_0\.pt are both at epoch 0\)/);
    rmSync(join(d, 'version_1'), { recursive: true });
    // A 3-unit PLRNN at epoch 150: not on the path of the 2-unit ones.
    writeFileSync(join(d, 'version_0', 'model_150.safetensors'), safetensors({ A: [[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]], W: [[0, 1, 0], [1, 0, 0], [0, 0, 1]], h: [1, 2, 3] }));
    const r = await analyzeRun(d, { maxOrder: 1 });
    assert.equal(r.checkpoints.length, 20);
    assert.match(r.skipped.find((s) => s.file === 'version_0/model_150.safetensors')!.reason, /another architecture or shape than version_0\/model_0\.pt/);
    rmSync(d, { recursive: true });
  });

  it('fewer than two readable checkpoints is a one-line error that names why', async () => {
    const d = tmp();
    writeFileSync(join(d, 'model_1.pt'), 'not a checkpoint');
    cpSync(join(src, 'checkpoints', 'model_0.pt'), join(d, 'model_0.pt'));
    cpSync(join(src, 'hypers.json'), join(d, 'hypers.json'));
    await rejects(analyzeRun(d, { maxOrder: 1 }), /a run needs at least two checkpoints that can be read, found 1; model_1\.pt: /);
    rmSync(d, { recursive: true });
    const empty = tmp();
    await rejects(analyzeRun(empty, { maxOrder: 1 }), /no checkpoints found/);
    rmSync(empty, { recursive: true });
  });

  it('one file with several models (a MATLAB stack of snapshots) is a run of its models in order', async () => {
    const stack = join(__dirname, '..', '..', '..', 'examples', 'checkpoints', 'matlab', 'scyfi-speedup-stack.mat');
    const r = await analyzeRun(stack, { maxOrder: 2 });
    assert.equal(r.unit, 'snapshot');
    assert.deepEqual(
      r.checkpoints.map((c) => [c.x, c.from]),
      [0, 1, 2, 3].map((x) => [x, 'index']),
    );
    assert.match(r.notes[0], /scyfi-speedup-stack\.mat holds 4 models: they are taken in the file's order/);
    assert.ok(r.events.length > 0 && r.events.every((e) => e.x > 0 && e.x < 3));
    await rejects(analyzeRun(join(src, 'checkpoints', 'model_0.pt'), { maxOrder: 1 }), /model_0\.pt: holds one model; a run is a folder/);
  });

  it('cancelling keeps the checkpoints searched so far', async () => {
    let steps = 0;
    const r = await analyzeRun(src, { maxOrder: 2, chunkSize: 4 }, { onStep: () => steps++, isCancelled: () => steps >= 6 });
    assert.equal(r.cancelled, true);
    assert.ok(r.sweep.steps.filter((s) => !s.cancelled).length >= 6);
    assert.ok(r.sweep.steps.length < 20);
  });
});
