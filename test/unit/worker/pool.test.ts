// The worker pool: outcomes in task order whatever finishes first, the same results with 1 or 3
// workers, cancellation (queued tasks skipped, running ones stopped), and no task lost when a
// worker dies.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { FindJob, type InputOf } from '../../../src/shared/jobs';
import { WorkerPool, type TaskOutcome } from '../../../src/worker/host/pool';
import { testWorkerFile } from './bundle';
import { CountJob, CrashJob, SleepJob, SpinJob } from './testJobs';

const ROOT = join(__dirname, '..', '..', '..');

function findInput(name: string, maxOrder: number, seed = 0): InputOf<typeof FindJob> {
  return { source: { kind: 'text', text: readFileSync(join(ROOT, 'examples', name), 'utf8') }, displayName: name, options: { maxOrder, seed } };
}

function ends<End>(outcomes: TaskOutcome<End>[]): End[] {
  return outcomes.map((o, i) => {
    assert.equal(o.status, 'done', `task ${i}: ${o.status === 'failed' ? o.error.message : o.status}`);
    return (o as { end: End }).end;
  });
}

describe('worker pool', () => {
  let workerFile: string;
  const pools: WorkerPool[] = [];
  const pool = (size: number, graceMs?: number) => {
    const p = new WorkerPool(workerFile, { size, graceMs });
    pools.push(p);
    return p;
  };
  before(async () => {
    workerFile = await testWorkerFile();
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('has one worker per core by default', () => {
    assert.equal(new WorkerPool(workerFile).size, availableParallelism());
  });

  test("'find' gives the same results in task order with 1 and with 3 workers", async () => {
    const inputs = [
      findInput('two-16-cycles.plrnn.json', 16),
      findInput('flip-2-cycle.plrnn.json', 4),
      findInput('four-attractors.shplrnn.json', 2),
      findInput('readme.shplrnn.json', 4),
      findInput('skew-tent.plrnn.json', 6),
      findInput('fixed-point.plrnn.json', 3),
      findInput('readme.shplrnn.json', 4, 7),
    ];
    const strip = (r: { cycles: unknown; stats: { candidates: number } }) => ({ cycles: r.cycles, candidates: r.stats.candidates });
    const one = ends(await pool(1).run(FindJob, inputs).done).map(strip);
    const finished: number[] = [];
    const three = ends(await pool(3).run(FindJob, inputs, { onOutcome: (i) => finished.push(i) }).done).map(strip);
    assert.deepEqual(three, one);
    assert.deepEqual([...finished].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(
      one.map((r) => (r.cycles as unknown[]).length),
      [3, 2, 18, 3, 2, 1, 3],
      'the counts of the examples (README: two 16-cycles and a fixed point; four attractors: 9 + 9; …)',
    );
  });

  test('outcomes come back in task order when later tasks finish first', async () => {
    const ms = [600, 10, 300, 10, 150];
    const finished: number[] = [];
    const items: [number, number[]][] = [];
    const run = pool(3).run(SleepJob, ms.map((m, i) => ({ ms: m, value: i, first: 1 })), {
      onOutcome: (i) => finished.push(i),
      onItems: (i, b) => items.push([i, b]),
    });
    assert.deepEqual(ends(await run.done), [0, 1, 2, 3, 4]);
    assert.notEqual(finished[0], 0, `finishing order ${finished.join(', ')}`);
    assert.deepEqual(items.map(([i]) => i).sort(), [0, 1, 2, 3, 4], 'items name their task');
  });

  test('cancel skips the queued tasks and stops the running ones; the pool stays usable', async () => {
    const p = pool(2);
    let running = 0;
    let twoRunning!: () => void;
    const started = new Promise<void>((r) => (twoRunning = r));
    const seen = new Set<number>();
    const run = p.run(SpinJob, Array.from({ length: 5 }, () => ({ heed: true, everyMs: 5 })), {
      onItems: (i) => {
        if (seen.has(i)) return;
        seen.add(i);
        if (++running === 2) twoRunning();
      },
    });
    await started;
    run.cancel();
    const outcomes = await run.done;
    assert.deepEqual(outcomes.map((o) => o.status), ['done', 'done', 'skipped', 'skipped', 'skipped']);
    for (const o of outcomes.slice(0, 2)) assert.equal(o.status === 'done' && o.end.cancelled, true);
    assert.deepEqual(ends(await p.run(CountJob, [{ n: 3 }, { n: 4 }]).done), [3, 4], 'the same workers take new tasks');
  });

  test('a task that ignores cancellation ends with its partial end; its worker is replaced', async () => {
    const p = pool(1, 200);
    let started!: () => void;
    const streaming = new Promise<void>((r) => (started = r));
    const run = p.run(SpinJob, [{ heed: false, everyMs: 5 }, { heed: false, everyMs: 5 }], { onItems: () => started() });
    await streaming;
    run.cancel();
    const [first, second] = await run.done;
    assert.equal(first.status, 'done');
    assert.ok(first.status === 'done' && first.end.cancelled && first.end.emitted > 0);
    assert.equal(second.status, 'skipped');
    assert.deepEqual(ends(await p.run(CountJob, [{ n: 2 }]).done), [2]);
  });

  test('no task is lost when a worker dies: its task fails with the reason, the others run', async () => {
    const p = pool(2);
    const sleep = (value: number) => ({ ms: 50, value, first: 0 });
    // Runs share the pool's queue: the crashes take down workers between the sleeps.
    const a = p.run(SleepJob, [sleep(0), sleep(1), sleep(2)]);
    const crashes = p.run(CrashJob, [{ code: 3 }, { code: 0 }]);
    const b = p.run(SleepJob, [sleep(3), sleep(4), sleep(5)]);
    const crashed = await crashes.done;
    assert.deepEqual(
      crashed.map((o) => (o.status === 'failed' ? o.error.message : o.status)),
      ['internal: the worker stopped (exit code 3) before it finished', 'internal: the worker stopped (exit code 0) before it finished'],
    );
    assert.deepEqual([...ends(await a.done), ...ends(await b.done)], [0, 1, 2, 3, 4, 5]);
  });

  test('one bad input fails its own task only', async () => {
    const inputs = [findInput('skew-tent.plrnn.json', 2), { ...findInput('skew-tent.plrnn.json', 2), source: { kind: 'text' as const, text: '{"architecture": "lstm"}' } }, findInput('fixed-point.plrnn.json', 2)];
    const outcomes = await pool(2).run(FindJob, inputs).done;
    assert.deepEqual(outcomes.map((o) => o.status), ['done', 'failed', 'done']);
    assert.ok(outcomes[1].status === 'failed' && outcomes[1].error.input, 'an input error');
  });

  test('closing fails what is still queued', async () => {
    const p = new WorkerPool(workerFile, { size: 1 });
    const run = p.run(SleepJob, [{ ms: 300, value: 0, first: 0 }, { ms: 5, value: 1, first: 0 }]);
    await p.close();
    const outcomes = await run.done;
    assert.deepEqual(outcomes.map((o) => o.status), ['failed', 'failed']);
    assert.match(outcomes[1].status === 'failed' ? outcomes[1].error.message : '', /pool was closed before the task ran/);
    assert.deepEqual(await p.run(CountJob, [{ n: 1 }]).done.then((o) => o.map((x) => x.status)), ['failed']);
  });
});
