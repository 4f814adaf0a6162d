// The editor's run job in a real worker thread: the same report as `scyfi run --json` gives, for
// one worker and for a pool; every checkpoint streamed once; a second run served from the cache.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeRun } from '../../../src/core/run/analyze';
import type { SweepStep } from '../../../src/core/sweep/types';
import { RunJob, type InputOf } from '../../../src/shared/jobs';
import { runReport } from '../../../src/core/run/report';
import { parseRunReport, type RunReport } from '../../../src/shared/runReport';
import { startJob } from '../../../src/worker/host/job';
import { testWorkerFile } from '../worker/bundle';

const MIXED = join(__dirname, '..', '..', 'fixtures', 'runs', 'mixed');
const PYTORCH = join(__dirname, '..', '..', 'fixtures', 'runs', 'pytorch');

/** The report without what depends on timing or on the cache. */
function comparable(r: RunReport): unknown {
  return { ...r, stats: { ...r.stats, seconds: 0, searched: 0, cached: 0 }, checkpoints: r.checkpoints.map((c) => ({ ...c, cached: false })) };
}

async function runJob(input: InputOf<typeof RunJob>) {
  const steps: SweepStep[] = [];
  const progress: unknown[] = [];
  const end = await startJob(await testWorkerFile(), RunJob, input, { onItems: (items) => steps.push(...items), onProgress: (p) => progress.push(p) }).done;
  return { end, steps, progress };
}

describe('the run job', () => {
  it('gives the report of scyfi run --json, the same with one worker and with a pool', async () => {
    const cli = runReport(await analyzeRun(MIXED, { maxOrder: 4, seed: 0 }));
    // What crosses the thread boundary passes its validator.
    parseRunReport(JSON.parse(JSON.stringify(cli)), 'report');
    const one = await runJob({ target: MIXED, options: { maxOrder: 4, seed: 0 }, jobs: 1 });
    const pool = await runJob({ target: MIXED, options: { maxOrder: 4, seed: 0 }, jobs: 2 });
    assert.deepEqual(comparable(one.end), comparable(JSON.parse(JSON.stringify(cli))));
    assert.deepEqual(comparable(pool.end), comparable(one.end));
    assert.equal(one.end.checkpoints.length, 12);
    assert.deepEqual(one.end.skipped.map((s) => s.file), ['model_45.bson']);
    for (const r of [one, pool]) {
      assert.deepEqual([...r.steps.map((s) => s.index)].sort((a, b) => a - b), [...Array(12).keys()], 'every checkpoint streamed once');
      const listed = r.progress.find((p) => (p as { type: string }).type === 'run') as { unit: string; checkpoints: { x: number; name: string; file: string }[] };
      assert.equal(listed.unit, 'epoch');
      assert.deepEqual(listed.checkpoints.map((c) => c.x), [0, 5, 10, 15, 20, 25, 30, 35, 40, 50, 55, 60]);
      assert.ok(listed.checkpoints.every((c) => c.file.startsWith(MIXED)), 'absolute paths');
      assert.deepEqual(r.progress.filter((p) => (p as { type: string }).type === 'checkpoints').at(-1), { type: 'checkpoints', done: 12, total: 12 });
    }
  });

  it('caches each checkpoint in the folder it is given: a second run searches nothing and streams the cached ones', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'scyfi-runjob-cache-'));
    try {
      const first = await runJob({ target: MIXED, options: { maxOrder: 3 }, cacheDir, jobs: 1 });
      assert.equal(first.end.stats.searched, 12);
      const second = await runJob({ target: MIXED, options: { maxOrder: 3 }, cacheDir, jobs: 2 });
      assert.equal(second.end.stats.cached, 12);
      assert.equal(second.end.stats.searched, 0);
      assert.equal(second.steps.length, 12);
      assert.deepEqual(comparable(second.end), comparable(first.end));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('cancelled after the first checkpoint: keeps what was searched, caches only that, and a re-run searches the rest', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'scyfi-runjob-cancel-'));
    try {
      const input = { target: PYTORCH, options: { maxOrder: 12 }, cacheDir, jobs: 1 };
      const steps: SweepStep[] = [];
      const job = startJob(await testWorkerFile(), RunJob, input, {
        onItems: (items) => {
          steps.push(...items);
          job.cancel();
        },
      });
      const end = await job.done;
      assert.equal(end.cancelled, true);
      const searched = steps.filter((s) => !s.cancelled).length;
      assert.ok(searched >= 1 && searched < 20, `${searched} of 20 searched before the cancel took`);
      assert.equal(end.checkpoints.length, 20, 'every checkpoint is listed');
      // The next run takes those from the cache and searches the rest.
      const again = await runJob(input);
      assert.equal(again.end.cancelled, false);
      assert.equal(again.end.stats.cached, searched);
      assert.equal(again.end.stats.searched, 20 - searched);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
