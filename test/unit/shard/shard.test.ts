import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../../../src/cli/run';
import { mergeCommand, mergeFolder, shardCommand, shardStatus, splitShardFlags, statusCommand, withShards } from '../../../src/cli/shard';
import { checkSlurmOptions, jobScript, parseArrayIds } from '../../../src/cli/slurm';
import { sweep2dCommand, sweepCommand } from '../../../src/cli/sweep';
import { InputError } from '../../../src/core/errors';
import { arraySpec, formatIndices, planId, readPlan, splitUnits, writeAtomic, type ShardPlan } from '../../../src/core/shard/plan';
import { SEARCH_REVISION } from '../../../src/core/scyfi/defaults';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const RUNS = join(ROOT, 'test', 'fixtures', 'runs');

const quiet = () => undefined;

async function lines(command: (argv: string[], out: (s: string) => void) => Promise<number>, ...argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await command(argv, (s) => out.push(...s.split('\n')));
  return { code, out };
}

/** The result without its timings, which differ between any two runs. */
function withoutSeconds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSeconds);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'seconds').map(([k, x]) => [k, withoutSeconds(x)]));
  return v;
}

function temp(): string {
  return mkdtempSync(join(tmpdir(), 'scyfi-shard-'));
}

async function runAll(folder: string, n: number): Promise<void> {
  for (let k = 0; k < n; k++) assert.equal(await shardCommand([folder, String(k)], quiet), 0);
}

async function rejects(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

const GRID = [join(EXAMPLES, 'skew-tent.plrnn.json'), '--x', 'W[0][0]', '--x-range', '-2:1:15', '--y', 'h[0]', '--y-range', '-1:1:7', '--max-order', '3'];
const SWEEP = [join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W[0][0]', '--from', '1.3', '--to', '-6.2', '--steps', '40', '--max-order', '3', '--chunk-size', '6'];
const sweep2d = withShards('sweep2d', sweep2dCommand);
const sweep = withShards('sweep', sweepCommand);
const run = withShards('run', runCommand);

describe('shard plans: splitting', () => {
  it('n contiguous parts cover every unit once, sizes differing by at most one', () => {
    for (const units of [1, 2, 7, 16, 101]) {
      for (let n = 1; n <= Math.min(units, 9); n++) {
        const parts = splitUnits(units, n);
        assert.equal(parts.length, n);
        assert.equal(parts[0][0], 0);
        assert.equal(parts[n - 1][1], units - 1);
        for (let k = 1; k < n; k++) assert.equal(parts[k][0], parts[k - 1][1] + 1);
        const sizes = parts.map(([a, b]) => b - a + 1);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1 && Math.min(...sizes) >= 1, JSON.stringify(parts));
      }
    }
  });

  it('more shards than units, or none, is an error', () => {
    assert.throws(() => splitUnits(3, 4), /--shards 4 is more than the 3 independent parts/);
    assert.throws(() => splitUnits(3, 0), InputError);
  });

  it('index lists for people and for sbatch --array', () => {
    assert.equal(formatIndices([0, 1, 2, 5, 7, 8]), '0–2, 5, 7–8');
    assert.equal(arraySpec([0, 1, 2, 5, 7, 8]), '0-2,5,7-8');
    assert.deepEqual(parseArrayIds('12_3'), { job: '12', indices: [3] });
    assert.deepEqual(parseArrayIds('12_[4-6,9]'), { job: '12', indices: [4, 5, 6, 9] });
    assert.deepEqual(parseArrayIds('12_[0-3%2]'), { job: '12', indices: [0, 1, 2, 3] });
    assert.equal(parseArrayIds('12'), undefined);
  });

  it('the sharding options are split off the command line', () => {
    const { rest, flags } = splitShardFlags(['m.json', '--shards', '4', '--out=o', '--slurm', '--time', '01:00:00', '--x', 'A[0]']);
    assert.deepEqual(rest, ['m.json', '--x', 'A[0]']);
    assert.deepEqual([...flags], [['shards', '4'], ['out', 'o'], ['slurm', true], ['time', '01:00:00']]);
  });
});

describe('shard plans: merged == unsharded', () => {
  it('a 2-D sweep in 1, 2 and 7 shards', async () => {
    const unsharded = withoutSeconds(JSON.parse((await lines(sweep2dCommand, ...GRID, '--jobs', '1', '--json')).out[0]));
    for (const n of [1, 2, 7]) {
      const folder = join(temp(), 'plan');
      assert.equal((await lines(sweep2d, ...GRID, '--shards', String(n), '--out', folder)).code, 0);
      const plan = await readPlan(folder);
      assert.equal(plan.command, 'sweep2d');
      assert.equal(plan.units, 7);
      assert.equal(plan.tasks.length, n);
      assert.match(plan.tasks[n - 1], new RegExp(` shard ${folder} ${n - 1}$`));
      assert.match(readFileSync(join(folder, 'job.sh'), 'utf8'), /exec .* shard .* "\$SLURM_ARRAY_TASK_ID"/);
      await runAll(folder, n);
      const merged = await mergeFolder(folder);
      assert.deepEqual(merged.missing, []);
      assert.deepEqual(withoutSeconds(JSON.parse(merged.json)), unsharded, `${n} shards`);
    }
  });

  it('a 1-D sweep in 3 shards of whole chunks (each starts with a full search, as unsharded)', async () => {
    const unsharded = withoutSeconds(JSON.parse((await lines(sweepCommand, ...SWEEP, '--jobs', '1', '--json')).out[0])) as { stats: { fullSteps: number } };
    assert.equal(unsharded.stats.fullSteps, 7);
    const folder = join(temp(), 'plan');
    await lines(sweep, ...SWEEP, '--shards', '3', '--out', folder);
    const plan = await readPlan(folder);
    assert.deepEqual(plan.parts, [[0, 2], [3, 4], [5, 6]]);
    assert.deepEqual(plan.chunks![3], [18, 23]);
    await runAll(folder, 3);
    assert.deepEqual(withoutSeconds(JSON.parse((await mergeFolder(folder)).json)), unsharded);
  });

  it('a training run in 3 shards, against run --no-cache', async () => {
    const args = [join(RUNS, 'pytorch'), '--max-order', '2', '--chunk-size', '3'];
    const unsharded = withoutSeconds(JSON.parse((await lines(runCommand, ...args, '--jobs', '1', '--no-cache', '--json')).out[0]));
    const folder = join(temp(), 'plan');
    await lines(run, ...args, '--shards', '3', '--out', folder);
    const plan = await readPlan(folder);
    assert.ok(plan.files.length >= 10, 'every checkpoint and the loss log are hashed');
    assert.ok(plan.argv.includes('--no-cache'));
    await runAll(folder, 3);
    assert.deepEqual(withoutSeconds(JSON.parse((await mergeFolder(folder)).json)), unsharded);
  });

  it('a partial merge says which shards are missing, exits 3, and marks the result cancelled', async () => {
    const folder = join(temp(), 'plan');
    await lines(sweep2d, ...GRID, '--shards', '3', '--out', folder);
    await shardCommand([folder, '0'], quiet);
    await shardCommand([folder, '2'], quiet);
    const r = await lines(mergeCommand, folder);
    assert.equal(r.code, 3);
    assert.match(r.out[0], /partial: shards 1 of 3 missing \(rows 3–4\)/);
    const merged = JSON.parse(readFileSync(join(folder, 'merged.json'), 'utf8'));
    assert.equal(merged.cancelled, true);
    assert.deepEqual(
      merged.rows.map((x: { index: number }) => x.index),
      [0, 1, 2, 5, 6],
    );
  });

  it('the plan is the same file after a move to another machine (files found beside it)', async () => {
    const dir = temp();
    cpSync(join(EXAMPLES, 'skew-tent.plrnn.json'), join(dir, 'model.json'));
    const folder = join(dir, 'plan');
    await lines(sweep2d, join(dir, 'model.json'), ...GRID.slice(1), '--shards', '2', '--out', folder);
    const moved = join(temp(), 'copy');
    cpSync(dir, moved, { recursive: true });
    writeFileSync(join(dir, 'model.json'), '{}'); // the original changes: the copy must use its own
    await runAll(join(moved, 'plan'), 2);
    assert.deepEqual((await mergeFolder(join(moved, 'plan'))).missing, []);
  });
});

describe('shard plans: status without SLURM', () => {
  it('done, failed (with the reason) and not run', async () => {
    const dir = temp();
    cpSync(join(EXAMPLES, 'skew-tent.plrnn.json'), join(dir, 'model.json'));
    const folder = join(dir, 'plan');
    await lines(sweep2d, join(dir, 'model.json'), ...GRID.slice(1), '--shards', '3', '--out', folder);
    await shardCommand([folder, '0'], quiet);
    writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json'), 'utf8').replace('-2.2', '-2.3'));
    await rejects(shardCommand([folder, '1'], quiet), /model\.json: changed since the shard plan/);
    const { status } = await shardStatus(folder);
    assert.deepEqual(status.done, [0]);
    assert.deepEqual(
      status.failed.map((f) => f.index),
      [1],
    );
    assert.match(status.failed[0].reason, /changed since the shard plan/);
    assert.deepEqual(status.notRun, [2]);
    const text = (await lines(statusCommand, folder)).out.join('\n');
    assert.match(text, /done 1 \(0\), failed 1 \(1\), not run 1 \(2\)/);
  });
});

describe('shard plans: bad input, one line naming the file, nothing overwritten', () => {
  it('a folder that is not a shard plan', async () => {
    const dir = temp();
    await rejects(mergeFolder(dir), new RegExp(`${dir}: not a shard plan \\(no plan\\.json`));
    writeFileSync(join(dir, 'plan.json'), '{"a": 1}');
    await rejects(mergeFolder(dir), /plan\.json: not a shard plan \(no "scyfiShardPlan" key\)/);
    writeFileSync(join(dir, 'plan.json'), 'not json');
    await rejects(shardCommand([dir, '0'], quiet), /plan\.json: not a shard plan/);
    await rejects(statusCommand([join(dir, 'plan.json')], quiet), /not a folder/);
  });

  it('an edited plan, and a shard index out of range', async () => {
    const folder = join(temp(), 'plan');
    await lines(sweep2d, ...GRID, '--shards', '2', '--out', folder);
    await rejects(shardCommand([folder, '2'], quiet), /plan\.json: has shards 0 to 1, not "2"/);
    const file = join(folder, 'plan.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"seed": 0', '"seed": 1'));
    await rejects(shardCommand([folder, '0'], quiet), /plan\.json: the plan was edited after it was made/);
  });

  it('a plan made by a scyfi with another search is not computed (its shards would mix two searches)', async () => {
    const folder = join(temp(), 'plan');
    await lines(sweep2d, ...GRID, '--shards', '2', '--out', folder);
    const file = join(folder, 'plan.json');
    const plan = JSON.parse(readFileSync(file, 'utf8')) as ShardPlan;
    const other = { ...plan, searchRevision: SEARCH_REVISION + 1 };
    writeFileSync(file, JSON.stringify({ ...other, id: planId(other) }));
    await rejects(shardCommand([folder, '0'], quiet), new RegExp(`plan\\.json: made by a scyfi whose search is revision ${SEARCH_REVISION + 1}; this one's is revision ${SEARCH_REVISION}`));
    assert.ok(!existsSync(join(folder, 'shard-0000.json')));
    // A plan of the format before the revision was recorded is refused by its version.
    writeFileSync(file, JSON.stringify({ ...plan, scyfiShardPlan: 1 }));
    await rejects(shardCommand([folder, '0'], quiet), /plan\.json: a shard plan of version 1; this scyfi reads version 2/);
  });

  it('shards of two different plans', async () => {
    const a = join(temp(), 'a');
    const b = join(temp(), 'b');
    await lines(sweep2d, ...GRID, '--shards', '2', '--out', a);
    await lines(sweep2d, ...GRID, '--seed', '5', '--shards', '2', '--out', b);
    await runAll(a, 2);
    await shardCommand([b, '0'], quiet);
    await mergeCommand([a], quiet);
    const before = readFileSync(join(a, 'merged.json'), 'utf8');
    cpSync(join(b, 'shard-0000.json'), join(a, 'shard-0000.json'));
    await rejects(mergeCommand([a], quiet), /shard-0000\.json: belongs to another shard plan/);
    await rejects(statusCommand([a], quiet), /shard-0000\.json: belongs to another shard plan/);
    assert.equal(readFileSync(join(a, 'merged.json'), 'utf8'), before);
  });

  it('a model file changed since the plan was made (its hash)', async () => {
    const dir = temp();
    cpSync(join(EXAMPLES, 'skew-tent.plrnn.json'), join(dir, 'model.json'));
    const folder = join(dir, 'plan');
    await lines(sweep2d, join(dir, 'model.json'), ...GRID.slice(1), '--shards', '2', '--out', folder);
    await runAll(folder, 2);
    await mergeCommand([folder], quiet);
    const before = readFileSync(join(folder, 'merged.json'), 'utf8');
    writeFileSync(join(dir, 'model.json'), readFileSync(join(dir, 'model.json'), 'utf8').replace('"h": [1]', '"h": [1.5]'));
    await rejects(mergeCommand([folder], quiet), new RegExp(`${join(dir, 'model.json')}: changed since the shard plan`));
    assert.equal(readFileSync(join(folder, 'merged.json'), 'utf8'), before);
  });

  it('a folder that holds a plan already is never overwritten', async () => {
    const folder = join(temp(), 'plan');
    await lines(sweep2d, ...GRID, '--shards', '2', '--out', folder);
    const before = readFileSync(join(folder, 'plan.json'), 'utf8');
    await rejects(lines(sweep2d, ...GRID, '--shards', '3', '--out', folder), /plan\.json: a shard plan is there already/);
    assert.equal(readFileSync(join(folder, 'plan.json'), 'utf8'), before);
  });

  it('options that cannot be sharded', async () => {
    const folder = join(temp(), 'plan');
    await rejects(lines(sweep2d, ...GRID, '--shards', '8', '--out', folder), /--shards 8 is more than the 7 independent parts/);
    await rejects(lines(sweep2d, ...GRID, '--shards', '2', '--out', folder, '--timeout', '5'), /--timeout stops a search early/);
    await rejects(lines(sweep2d, ...GRID, '--shards', '2'), /--out DIR is missing/);
    await rejects(lines(sweep2d, ...GRID, '--out', folder), /--shards n is missing/);
    await rejects(lines(sweep2d, ...GRID, '--shards', '2', '--out', join(temp(), 'a b'), '--slurm'), /no spaces or quotes/);
    assert.equal(existsSync(folder), false);
    assert.throws(() => checkSlurmOptions({ time: '1h' }), /--time must be/);
    assert.throws(() => checkSlurmOptions({ mem: '2 GB' }), /--mem must be/);
    assert.throws(() => checkSlurmOptions({ partition: 'a;rm' }), /--partition must be/);
    checkSlurmOptions({ partition: 'short', time: '1-00:30:00', mem: '2G' });
  });
});

describe('shard plans: files', () => {
  it('the job script carries the SLURM options and the one command per task', () => {
    const s = jobScript({ command: 'run', shards: 32, id: 'abc' }, '/scratch/exp3', '/usr/bin/node', '/opt/scyfi/cli.js', { partition: 'short', time: '00:30:00', mem: '2G' });
    for (const l of ['#SBATCH --partition=short', '#SBATCH --time=00:30:00', '#SBATCH --mem=2G', '#SBATCH --chdir=/scratch/exp3', '#SBATCH --output=logs/shard-%a.out', 'exec /usr/bin/node /opt/scyfi/cli.js shard /scratch/exp3 "$SLURM_ARRAY_TASK_ID"']) assert.ok(s.includes(l), l);
    assert.match(s, /sbatch --array=0-31 job\.sh/);
  });

  it('an atomic write leaves no temporary file', async () => {
    const dir = temp();
    await writeAtomic(join(dir, 'x.json'), '1');
    await writeAtomic(join(dir, 'x.json'), '2');
    assert.deepEqual(readdirSync(dir), ['x.json']);
    assert.equal(readFileSync(join(dir, 'x.json'), 'utf8'), '2');
  });
});
