import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCommand } from '../../../src/cli/run';
import { InputError } from '../../../src/core/errors';

const ROOT = join(__dirname, '..', '..', '..');
const RUNS = join(ROOT, 'test', 'fixtures', 'runs');
const BUILT = join(ROOT, 'dist', 'cli.js');

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  assert.equal(await runCommand(args, (s) => lines.push(...s.split('\n'))), 0);
  return lines;
}

describe('scyfi run', () => {
  it('prints the sentence, the jump, the event and what it skipped', async () => {
    const lines = await run(join(RUNS, 'pytorch'), '--max-order', '2', '--jobs', '1', '--no-cache');
    assert.match(lines[0], /pytorch: 20 checkpoints from epoch 0 to 100, 2 files skipped; 2 branches, 1 event, 1 loss jump$/);
    assert.match(lines[1], /^1 of 1 loss jump follows a bifurcation; it is a degenerate transcritical \(p = 0\.\d+ by chance\)$/);
    const jumps = lines.indexOf('loss jumps:');
    assert.match(lines[jumps + 2], /^ {2}90 +×2\.9\d+ +#1$/);
    const events = lines.indexOf('events:');
    assert.match(lines[events + 2], /^ {2}#1 +89\.30\d* +degenerate-transcritical +90 +b2 \(2-cycle\) runs off to infinity/);
    assert.ok(lines.some((l) => /checkpoints\/model_55\.pt: .*truncated/.test(l)));
  });

  it('many files skipped for one reason make one line', async () => {
    const lines = await run(join(RUNS, 'hf'), '--max-order', '2', '--jobs', '1', '--no-cache');
    assert.ok(lines.includes('  9 files (checkpoint-0/optimizer.pt, …): optimizer or other training state, not a model'), lines.join('\n'));
  });

  it('--json: checkpoints with their cycles, events and jumps by the run\'s unit, the alignment', async () => {
    const [line] = await run(join(RUNS, 'hf'), '--max-order', '2', '--jobs', '1', '--no-cache', '--json');
    const out = JSON.parse(line);
    assert.deepEqual(Object.keys(out), ['unit', 'checkpoints', 'skipped', 'branches', 'events', 'lossJumps', 'loss', 'alignment', 'notes', 'stats', 'cancelled']);
    assert.equal(out.unit, 'step');
    assert.deepEqual(Object.keys(out.checkpoints[0]), ['step', 'file', 'cached', 'cycles', 'branches']);
    assert.equal(out.lossJumps[0].step, 1800);
    assert.ok(Math.abs(out.events[0].step - 1786.096) < 1e-2);
    assert.deepEqual(out.alignment.jumps, [{ step: 1800, events: [0] }]);
    assert.equal(out.loss.name, 'train/loss');
  });

  it('--loss NAME finds the jumps on another series of the logs; a name the logs lack fails before any search', async () => {
    const [line] = await run(join(RUNS, 'pytorch'), '--max-order', '2', '--jobs', '1', '--no-cache', '--json', '--loss', 'val_loss');
    assert.equal(JSON.parse(line).loss.name, 'val_loss');
    const progress: string[] = [];
    await assert.rejects(
      runCommand([join(RUNS, 'pytorch'), '--max-order', '2', '--jobs', '1', '--no-cache', '--loss', 'free_loss'], () => {}, (p) => progress.push(p)),
      (e: unknown) => e instanceof InputError && /pytorch: no loss named "free_loss" in the run's logs; they have "loss", "val_loss"$/.test(e.message),
    );
    assert.ok(progress.length > 0 && !progress.some((p) => p.startsWith('searched')), progress.join('; '));
  });

  it('--cache DIR keeps results: the second run searches nothing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'scyfi-cache-'));
    await run(join(RUNS, 'pytorch'), '--max-order', '2', '--jobs', '1', '--cache', d);
    assert.equal(readdirSync(d).length, 20);
    const lines = await run(join(RUNS, 'pytorch'), '--max-order', '2', '--jobs', '1', '--cache', d);
    assert.match(lines[lines.length - 1], /0 checkpoints searched, 20 from the cache/);
    rmSync(d, { recursive: true });
  });

  it('bad input is one line', async () => {
    for (const [args, re] of [
      [[], /run needs exactly one folder or manifest/],
      [[join(RUNS, 'pytorch'), '--threshold', 'x'], /--threshold must be a number of at least 0, got "x"/],
      [[join(RUNS, 'nope')], /nope: no such file or folder/],
    ] as const) {
      await assert.rejects(runCommand([...args], () => {}), (e: unknown) => e instanceof InputError && re.test(e.message));
    }
  });

  it('the built CLI gives the same answer on 1 thread and on a pool of 3', { skip: !existsSync(BUILT) && 'dist/cli.js is not built' }, () => {
    const go = (jobs: string) => {
      const r = spawnSync(process.execPath, [BUILT, 'run', join(RUNS, 'pytorch'), '--max-order', '2', '--chunk-size', '3', '--no-cache', '--json', '--jobs', jobs], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      delete out.stats.seconds;
      return out;
    };
    assert.deepEqual(go('3'), go('1'));
  });
});
