// Streamed items are batched: fewer messages than items, in order, none lost, the last partial
// batch sent before the end; and a synchronous job's items still leave on time.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher } from '../../../src/worker/batch';
import { startJob } from '../../../src/worker/host/job';
import { testWorkerFile } from './bundle';
import { CountJob, SleepJob, SpinJob } from './testJobs';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the timers cannot fire meanwhile
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('Batcher', () => {
  test('a full batch is sent at once, the rest on flush, in order', () => {
    const sent: number[][] = [];
    const b = new Batcher<number>((items) => sent.push(items), 50, 256);
    for (let i = 0; i < 1000; i++) b.add(i);
    assert.deepEqual(sent.map((s) => s.length), [256, 256, 256]);
    b.flush();
    assert.deepEqual(sent.map((s) => s.length), [256, 256, 256, 232]);
    assert.deepEqual(sent.flat(), range(1000));
    b.flush();
    assert.equal(sent.length, 4, 'nothing pending, nothing sent');
  });

  test('the timer sends what waits while the thread is idle', async () => {
    const sent: number[][] = [];
    const b = new Batcher<number>((items) => sent.push(items), 20, 256);
    b.add(1);
    b.add(2);
    assert.equal(sent.length, 0);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(sent, [[1, 2]]);
  });

  test('in synchronous code the age is checked on add and on tick', () => {
    const sent: number[][] = [];
    const b = new Batcher<number>((items) => sent.push(items), 20, 256);
    b.add(1);
    busy(30);
    b.add(2);
    assert.deepEqual(sent, [[1, 2]], 'the second add found the first one old enough');
    b.add(3);
    b.tick();
    assert.equal(sent.length, 1, 'a young item waits');
    busy(30);
    b.tick();
    assert.deepEqual(sent, [[1, 2], [3]]);
  });
});

describe('items streamed from a worker', () => {
  let workerFile: string;
  before(async () => {
    workerFile = await testWorkerFile();
  });

  test('items emitted faster than the timer arrive in fewer messages, in order, none lost, the last batch before the end', async () => {
    const n = 5000;
    const batches: number[][] = [];
    const run = startJob(workerFile, CountJob, { n }, { onItems: (items) => batches.push(items) });
    const end = await run.done;
    // All of them, the last partial batch included, had arrived when the end did.
    assert.equal(end, n);
    assert.deepEqual(batches.flat(), range(n));
    assert.ok(batches.length >= Math.ceil(n / 256) && batches.length <= 40, `${batches.length} messages for ${n} items`);
    assert.ok(batches.every((b) => b.length <= 256));
  });

  test('items of a job that then waits are sent by the timer, well before its end', async () => {
    const arrived: number[] = [];
    const t0 = performance.now();
    const run = startJob(workerFile, SleepJob, { ms: 1500, value: 7, first: 3 }, { onItems: (items) => arrived.push(performance.now() - t0, ...items) });
    assert.equal(await run.done, 7);
    const total = performance.now() - t0;
    assert.equal(arrived.length, 4, 'one message with the three items');
    assert.deepEqual(arrived.slice(1), [0, 1, 2]);
    assert.ok(total - arrived[0] > 700, `items at ${arrived[0].toFixed(0)} ms, end at ${total.toFixed(0)} ms`);
  });

  test('a synchronous job streams while it runs, not only at its end', async () => {
    let batches = 0;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const run = startJob(workerFile, SpinJob, { heed: true, everyMs: 10 }, { onItems: () => (batches++, started()) });
    await running;
    await new Promise((r) => setTimeout(r, 1000));
    const before = batches;
    run.cancel();
    const end = await run.done;
    assert.equal(end.cancelled, true);
    assert.ok(before >= 3, `${before} batches in the first second of a job that never yields`);
  });
});
