// One job in a worker thread of its own: the real 'find' and 'inspect', and the lifecycle every
// kind shares (errors, cancellation with and without a partial end, a dying or lying worker).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMap } from '../../../src/core/model';
import { findCycles, Prng } from '../../../src/core/scyfi';
import { randomPlrnn } from '../scyfi/randomModels';
import { modelFromJsonText } from '../../../src/core/io/json';
import { FindJob, InspectJob, JobError, type ProgressOf } from '../../../src/shared/jobs';
import type { Cycle } from '../../../src/shared/shapes';
import { startJob } from '../../../src/worker/host/job';
import { testWorkerFile } from './bundle';
import { BlockJob, CrashJob, LiarJob, SpinJob } from './testJobs';

const ROOT = join(__dirname, '..', '..', '..');
const example = (name: string) => join(ROOT, 'examples', name);

async function rejection(p: Promise<unknown>): Promise<JobError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof JobError, `a JobError, got ${String(e)}`);
    return e;
  }
  assert.fail('the job should have failed');
}

const key = (c: Cycle) => JSON.stringify(c.points);

describe('a job in a worker thread', () => {
  let workerFile: string;
  before(async () => {
    workerFile = await testWorkerFile();
  });

  test('find streams every cycle it ends with, after the model and each order', async () => {
    const text = readFileSync(example('readme.shplrnn.json'), 'utf8');
    const streamed: Cycle[] = [];
    const progress: ProgressOf<typeof FindJob>[] = [];
    const run = startJob(workerFile, FindJob, { source: { kind: 'text', text }, displayName: 'readme.shplrnn.json', options: { maxOrder: 4, seed: 0 } }, {
      onItems: (cycles) => streamed.push(...cycles),
      onProgress: (p) => progress.push(p),
    });
    const result = await run.done;
    const direct = findCycles(buildMap(modelFromJsonText(text, 'm').spec), { maxOrder: 4, seed: 0 });
    assert.deepEqual(result.cycles, direct.cycles);
    assert.equal(result.stats.candidates, direct.stats.candidates);
    assert.deepEqual(result.stats.orders?.map((o) => o.order), [1, 2, 3, 4], 'per-order diagnostics reach the host');
    assert.equal(result.cancelled, false);
    assert.deepEqual(streamed.map(key).sort(), result.cycles.map(key).sort());
    assert.deepEqual(progress.map((p) => (p.type === 'model' ? 'model' : p.type === 'order' ? `order ${p.order}/${p.maxOrder}` : p.type)), ['model', 'order 1/4', 'order 2/4', 'order 3/4', 'order 4/4']);
    const model = progress[0].type === 'model' ? progress[0].model : undefined;
    assert.equal(model?.architecture, 'shplrnn');
  });

  test('find on 2 threads (a helper thread started from the same bundle) gives the result of 1 thread', async () => {
    // Over a second (helpers start at 1 s), so that the helper computes chains.
    const text = JSON.stringify(randomPlrnn(new Prng(11), 24));
    const find = (threads: number) => startJob(workerFile, FindJob, { source: { kind: 'text', text }, displayName: 'm24.json', options: { maxOrder: 2, seed: 0 }, threads }).done;
    const one = await find(1);
    const two = await find(2);
    assert.deepEqual(two.cycles, one.cycles);
    assert.equal(two.stats.candidates, one.stats.candidates);
    assert.ok(one.stats.candidates > 10000);
  });

  test('find reads a file; a bad model fails as an input error with its JSON path', async () => {
    const ok = await startJob(workerFile, FindJob, { source: { kind: 'file', path: example('checkpoints/plrnn.pt') }, displayName: 'plrnn.pt', options: { maxOrder: 2, seed: 0 } }).done;
    assert.equal(ok.cycles.length, 2);
    const text = '{"architecture": "plrnn", "A": [0.5, 0.5], "W": [[0, 1]], "h": [0, 0]}';
    const e = await rejection(startJob(workerFile, FindJob, { source: { kind: 'text', text }, displayName: 'bad.json', options: { maxOrder: 2, seed: 0 } }).done);
    assert.equal(e.input, true);
    assert.match(e.message, /^bad\.json: W must be 2×2/);
    assert.deepEqual(e.jsonPath, ['W']);
  });

  test('inspect lists a checkpoint', async () => {
    const info = await startJob(workerFile, InspectJob, { path: example('checkpoints/plrnn.pt'), displayName: 'plrnn.pt' }).done;
    assert.equal(info.model?.architecture, 'plrnn');
    assert.ok(info.tensors.length > 0);
    const lfs = await startJob(workerFile, InspectJob, { path: example('checkpoints/lfs-pointer.pt'), displayName: 'lfs-pointer.pt' }).done;
    assert.equal(lfs.format, 'git-lfs');
    const missing = await rejection(startJob(workerFile, InspectJob, { path: example('no-such.pt'), displayName: 'no-such.pt' }).done);
    assert.equal(missing.input, false, 'a vanished file is not the format at fault');
  });

  test('a job that heeds the flag ends with what it has', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const run = startJob(workerFile, SpinJob, { heed: true, everyMs: 5 }, { onItems: () => started() }, { graceMs: 60_000 });
    await running;
    run.cancel();
    const end = await run.done;
    assert.equal(end.cancelled, true);
    assert.ok(end.emitted > 0);
  });

  test('a job that ignores the flag is given up after the grace period: the partial end of what it streamed', async () => {
    const items: number[] = [];
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const run = startJob(workerFile, SpinJob, { heed: false, everyMs: 5 }, { onItems: (b) => (items.push(...b), started()) }, { graceMs: 300 });
    await running;
    const t0 = performance.now();
    run.cancel();
    const end = await run.done;
    assert.ok(performance.now() - t0 >= 250, 'not before the grace period');
    assert.deepEqual(end, { emitted: items.length, cancelled: true });
    assert.ok(items.length > 0);
  });

  test('without a partial end, such a job fails as cancelled', async () => {
    const run = startJob(workerFile, BlockJob, {}, {}, { graceMs: 100 });
    run.cancel();
    const e = await rejection(run.done);
    assert.equal(e.cancelled, true);
    assert.equal(e.input, false);
  });

  test('a worker that dies, or sends what its kind does not declare, fails the job with the reason', async () => {
    const died = await rejection(startJob(workerFile, CrashJob, { code: 3 }).done);
    assert.match(died.message, /^internal: the worker stopped \(exit code 3\) before it finished$/);
    const lied = await rejection(startJob(workerFile, LiarJob, {}).done);
    assert.equal(lied.message, "internal: malformed message from the worker (message from the worker ('test-liar' job) 'items': items[0] must be a number)");
    const gone = await rejection(startJob(join(ROOT, 'no-such-worker.js'), CrashJob, { code: 0 }).done);
    assert.match(gone.message, /^internal: the worker (failed|stopped)/);
  });

  test('a bad request is refused by the worker', async () => {
    const e = await rejection(startJob(workerFile, FindJob, { source: { kind: 'url' }, displayName: 'x', options: { maxOrder: 1, seed: 0 } } as never).done);
    assert.equal(e.message, 'internal: bad job (job input.source.kind must be one of file, text)');
  });
});
