import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAM, Adam, clipScale, gt16, neuron, parseCsv, runTraining, Trainer, type EpochRecord, type TrainSettings } from '../../../src/core/train';
import { lossAndGradient, slotOf } from '../../../src/core/train/network';

const BASE: TrainSettings = { architecture: 'plrnn', M: 2, H: 2, observation: 'identity', forcing: { kind: 'none' }, epochs: 40, lr: 1e-3, seqLen: 50, batch: 16, batchesPerEpoch: 10, seed: 0 };

async function train(settings: TrainSettings, data = gt16()): Promise<{ trainer: Trainer; records: EpochRecord[] }> {
  const trainer = new Trainer(data, settings);
  const records: EpochRecord[] = [];
  const outcome = await runTraining(trainer, { onEpoch: (r) => records.push(r), isCancelled: () => false });
  assert.equal(outcome.stopped, 'done');
  return { trainer, records };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('train: the trainer on gt16', () => {
  it('the loss decreases over 40 epochs, with plain BPTT and with GTF α = 0.1 (seeds 1 and 0)', async () => {
    const plain = (await train({ ...BASE, seed: 1 })).records.map((r) => r.loss);
    assert.equal(plain.length, 40);
    assert.ok(plain[39] < 0.2 * plain[0], `plain BPTT: ${plain[0]} → ${plain[39]}`);
    assert.ok(mean(plain.slice(30)) < mean(plain.slice(0, 10)));
    const gtf = (await train({ ...BASE, forcing: { kind: 'gtf', alpha: 0.1 } })).records.map((r) => r.loss);
    assert.ok(gtf[39] < 0.8 * gtf[0], `GTF: ${gtf[0]} → ${gtf[39]}`);
    assert.ok(mean(gtf.slice(30)) < mean(gtf.slice(0, 10)));
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const s = { ...BASE, epochs: 3, forcing: { kind: 'sparse', tau: 5 } as const };
    const a = await train(s);
    const b = await train(s);
    assert.deepEqual(a.trainer.theta, b.trainer.theta);
    assert.deepEqual(a.records, b.records);
    const c = await train({ ...s, seed: 1 });
    assert.notDeepEqual(c.trainer.theta, a.trainer.theta);
  });

  it('logs the free-running loss at each epoch\'s end on 64 fixed windows, the same measure whatever the forcing', async () => {
    const data = gt16();
    const settings = { ...BASE, epochs: 5, forcing: { kind: 'gtf', alpha: 0.1 } as const };
    const { trainer, records } = await train(settings, data);
    assert.ok(records.every((r) => Number.isFinite(r.freeLoss) && r.freeLoss > 0));
    assert.equal(records[4].freeLoss, trainer.freeRunningLoss());
    // The forced loss the gradient is taken of is another number.
    assert.notEqual(records[4].loss, records[4].freeLoss);
    // A trainer without forcing, on the same parameters, measures the same: windows do not
    // depend on the forcing or on the batches drawn so far.
    const plain = new Trainer(data, { ...settings, forcing: { kind: 'none' } });
    plain.theta.set(trainer.theta);
    plain.batchStep();
    plain.theta.set(trainer.theta);
    assert.equal(plain.freeRunningLoss(), records[4].freeLoss);
    // The windows by hand: evenly spaced among all windows of T + 1 steps, counted across the series.
    const T = settings.seqLen;
    const starts: [number, number][] = [];
    for (let i = 0; i < data.series.length; i++) for (let w = 0; w + T < data.lengths[i]; w++) starts.push([i, w]);
    const x = new Float64Array(64 * (T + 1) * data.N);
    for (let q = 0; q < 64; q++) {
      const [i, w] = starts[Math.floor(((q + 0.5) * starts.length) / 64)];
      x.set(data.series[i].subarray(w * data.N, (w + T + 1) * data.N), q * (T + 1) * data.N);
    }
    assert.equal(lossAndGradient(trainer.layout, trainer.theta, { x, count: 64, T, N: data.N }, { kind: 'none' }), records[4].freeLoss);
  });

  it("keeps a plrnn's W diagonal at exactly 0", async () => {
    const { trainer } = await train({ ...BASE, M: 3, epochs: 5 });
    const W = slotOf(trainer.layout, 'W').offset;
    for (let i = 0; i < 3; i++) assert.equal(trainer.theta[W + i * 3 + i], 0);
    assert.ok(trainer.theta.subarray(W, W + 9).some((x) => x !== 0));
  });

  it('trains a shplrnn with a linear observation on the neuron data', async () => {
    const { records, trainer } = await train({ ...BASE, architecture: 'shplrnn', M: 3, H: 8, observation: 'linear', forcing: { kind: 'gtf', alpha: 0.3 }, epochs: 15, lr: 5e-3, seqLen: 20 }, neuron());
    assert.ok(records[14].loss < 0.5 * records[0].loss, `${records[0].loss} → ${records[14].loss}`);
    assert.deepEqual(trainer.layout.slots.map((s) => s.name), ['A', 'W1', 'W2', 'h1', 'h2', 'B']);
  });
});

describe('train: optimiser, clipping, stopping', () => {
  it('Adam: two steps by hand', () => {
    const theta = Float64Array.from([1, 5]);
    const adam = new Adam(2, 0.1, Uint8Array.from([1, 0]));
    adam.step(theta, Float64Array.from([2, 9]));
    // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4: θ = 1 − 0.1 · 2 / (2 + ε).
    assert.ok(Math.abs(theta[0] - (1 - (0.1 * 2) / (2 + ADAM.eps))) < 1e-15);
    assert.equal(theta[1], 5, 'an entry that is not trained stays');
    adam.step(theta, Float64Array.from([-1, 9]));
    const m = 0.9 * 0.2 + 0.1 * -1;
    const v = 0.999 * 0.004 + 0.001 * 1;
    const expected = 1 - (0.1 * 2) / (2 + ADAM.eps) - (0.1 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + ADAM.eps);
    assert.ok(Math.abs(theta[0] - expected) < 1e-15);
  });

  it('--clip-grad scales the gradient to the given global norm before Adam; grad_norm is the norm before', () => {
    assert.equal(clipScale(10, undefined), 1);
    assert.equal(clipScale(10, 20), 1);
    assert.equal(clipScale(10, 2), 0.2);
    const t = new Trainer(gt16(), { ...BASE, clipGrad: 1e-3 });
    const { gradNorm } = t.batchStep();
    assert.ok(gradNorm > 1e-3);
    let sq = 0;
    for (let k = 0; k < t.grad.length; k++) sq += t.grad[k] ** 2;
    assert.ok(Math.abs(Math.sqrt(sq) - gradNorm) < 1e-12 * gradNorm, 'the reported norm is that of the unclipped gradient');
    // After one step m = (1 − β1) · (clipped gradient).
    for (let k = 0; k < t.grad.length; k++) assert.ok(Math.abs(t.adam.m[k] - (1 - ADAM.beta1) * t.grad[k] * (1e-3 / gradNorm)) < 1e-18);
  });

  it('a stop during an epoch drops it: the parameters are those at the end of the last whole epoch', async () => {
    const t = new Trainer(gt16(), { ...BASE, epochs: 10, batchesPerEpoch: 4 });
    const seen: { epoch: number; theta: Float64Array }[] = [];
    let batches = 0;
    const outcome = await runTraining(t, {
      onEpoch: (r, theta) => seen.push({ epoch: r.epoch, theta: Float64Array.from(theta) }),
      isCancelled: () => ++batches === 10, // the 2nd batch of epoch 3
    });
    assert.deepEqual(outcome, { stopped: 'cancelled', epoch: 2 });
    assert.deepEqual(seen.map((s) => s.epoch), [1, 2]);
    assert.deepEqual(t.theta, seen[1].theta);
  });

  it('a stop after the last batch of an epoch keeps that epoch', async () => {
    const t = new Trainer(gt16(), { ...BASE, epochs: 10, batchesPerEpoch: 4 });
    let batches = 0;
    const epochs: number[] = [];
    const outcome = await runTraining(t, { onEpoch: (r) => epochs.push(r.epoch), isCancelled: () => ++batches >= 8 });
    assert.deepEqual(outcome, { stopped: 'cancelled', epoch: 2 });
    assert.deepEqual(epochs, [1, 2]);
  });

  it('a loss that is not finite stops the run as diverged, with the parameters of the last whole epoch', async () => {
    const rows = Array.from({ length: 200 }, (_, t) => `${1e160 * Math.sin(t)},${1e160 * Math.cos(t)}`).join('\n');
    const t = new Trainer(parseCsv(rows, 'huge.csv'), { ...BASE, epochs: 5 });
    const before = Float64Array.from(t.theta);
    const outcome = await runTraining(t, { onEpoch: () => assert.fail('no epoch completes'), isCancelled: () => false });
    assert.equal(outcome.stopped, 'diverged');
    assert.equal(outcome.epoch, 0);
    assert.match(outcome.message!, /the loss is Infinity in epoch 1, batch 1: training diverged/);
    assert.deepEqual(t.theta, before);
  });

  it('refuses subsequences longer than the data, and an identity observation with M < N', () => {
    assert.throws(() => new Trainer(parseCsv('1,2\n3,4\n5,6\n', 'short.csv'), { ...BASE, seqLen: 5 }), /--seq-len 5 needs series of at least 6 time steps; the longest in short\.csv has 3/);
    assert.throws(() => new Trainer(parseCsv('1,2,3\n4,5,6\n', 'd.csv'), { ...BASE, seqLen: 1 }), /M must be at least N = 3/);
  });
});
