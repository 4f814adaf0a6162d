// scyfi train writes a run; scyfi run analyses it: the two halves of the paper's experiment meet.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { trainCommand } from '../../../src/cli/train';
import { analyzeRun } from '../../../src/core/run/analyze';

async function train(...args: string[]): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'scyfi-train-run-'));
  assert.equal(await trainCommand([...args, '--out', out], () => {}), 0);
  return out;
}

describe('a run written by scyfi train, analysed by scyfi run', () => {
  for (const model of ['plrnn', 'shplrnn']) {
    it(`${model} on gt16: every checkpoint read in epoch order, the loss and its gradient norm from loss.csv`, async () => {
      const extra = model === 'shplrnn' ? ['--H', '4'] : [];
      const dir = await train('--data', 'gt16', '--model', model, '--M', '2', ...extra, '--epochs', '12', '--save-every', '3', '--seed', '3', '--gtf', '0.1');
      try {
        const files = readdirSync(dir).filter((f) => f.endsWith('.safetensors'));
        const r = await analyzeRun(dir, { maxOrder: 2 });
        assert.deepEqual(r.skipped, []);
        assert.equal(r.checkpoints.length, files.length);
        assert.deepEqual(
          r.checkpoints.map((c) => c.x),
          [0, 3, 6, 9, 12],
        );
        assert.equal(r.unit, 'epoch');
        assert.equal(r.loss?.source, 'loss.csv');
        assert.equal(r.loss?.points.length, 12);
        assert.ok(r.loss!.points.every((p) => typeof p.gradNorm === 'number' && p.gradNorm >= 0));
        assert.ok(r.sweep.steps.every((s) => s.cycles.every((c) => c.points.every((p) => p.length === 2))));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
