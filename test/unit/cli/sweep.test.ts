import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sweep2dCommand, sweepCommand } from '../../../src/cli/sweep';
import { InputError } from '../../../src/core/errors';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const BUILT = join(ROOT, 'dist', 'cli.js');

async function run(command: typeof sweepCommand, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  assert.equal(await command(args, (s) => lines.push(...s.split('\n'))), 0);
  return lines;
}

/** The built CLI (dist/cli.js, which has dist/worker.js beside it for its pool). */
function built(...args: string[]) {
  const r = spawnSync(process.execPath, [BUILT, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TENT = ['--param', 'W[0][0]', '--from', '1.3', '--to', '-6.2', '--steps', '46', '--max-order', '3'];

describe('scyfi sweep', () => {
  it('--json prints one object: path, values, steps, branches, events, stats', async () => {
    const lines = await run(sweepCommand, join(EXAMPLES, 'skew-tent.plrnn.json'), ...TENT, '--jobs', '1', '--json');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]);
    assert.deepEqual(Object.keys(out), ['path', 'values', 'steps', 'branches', 'events', 'stats', 'cancelled']);
    assert.deepEqual(out.path, { kind: 'entry', parameter: 'W[0][0]', from: 1.3, to: -6.2 });
    assert.equal(out.values.length, 46);
    assert.deepEqual(Object.keys(out.steps[0]).slice(0, 4), ['index', 't', 'value', 'cycles']);
    const e = out.events.find((x: { kind: string; order: number }) => x.kind === 'degenerate-flip' && x.order === 1);
    assert.ok(e, JSON.stringify(out.events));
    for (const key of ['kind', 't', 'value', 'branches', 'order', 'eigenvalues', 'points']) assert.ok(key in e, key);
    assert.ok(Math.abs(e.value + 1.2) < 1e-9);
    assert.deepEqual(Object.keys(out.branches[0]), ['id', 'order', 'regions', 'from', 'to', 'steps', 'cycles']);
  });

  it('the readable report lists the events and branches', async () => {
    const lines = await run(sweepCommand, join(EXAMPLES, 'skew-tent.plrnn.json'), ...TENT, '--jobs', '1');
    assert.match(lines[0], /skew-tent\.plrnn\.json: plrnn, M = 1, H = 1; W\[0\]\[0\] from 1\.3 to -6\.2 in 46 steps, orders 1–3/);
    assert.ok(lines.some((l) => /degenerate-transcritical\s+b1/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^\s+b2\s+2-cycle/.test(l)));
  });

  it('the line between two models (--to-model)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-sweep-'));
    const model = (al: number) => JSON.stringify({ architecture: 'plrnn', A: [[al, 0.8], [-0.4, 0.2]], W: [[-1.5 - al, 0], [0.9, 0]], h: [0.214, 0] });
    writeFileSync(join(dir, 'a.json'), model(0.5));
    writeFileSync(join(dir, 'b.json'), model(-0.6));
    const out = JSON.parse((await run(sweepCommand, join(dir, 'a.json'), '--to-model', join(dir, 'b.json'), '--steps', '23', '--max-order', '2', '--jobs', '1', '--json'))[0]);
    assert.equal(out.path.kind, 'line');
    const dtb = out.events.find((e: { kind: string; order: number }) => e.kind === 'degenerate-transcritical' && e.order === 2);
    assert.ok(Math.abs(0.5 - 1.1 * dtb.t - -0.656 / 1.36) < 1e-9);
  });

  it('gives the same result with 1 and with 3 workers', { skip: existsSync(BUILT) ? false : 'dist/cli.js is not built' }, () => {
    const args = ['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), ...TENT, '--chunk-size', '5', '--json'];
    const one = built(...args, '--jobs', '1');
    const three = built(...args, '--jobs', '3');
    assert.equal(one.code, 0, one.stderr);
    assert.equal(three.code, 0, three.stderr);
    const strip = (s: string) => JSON.stringify(JSON.parse(s, (k, v) => (k === 'seconds' ? 0 : v)));
    assert.equal(strip(three.stdout), strip(one.stdout));
    const g = ['sweep2d', join(EXAMPLES, 'fixed-point.plrnn.json'), '--x', 'A[0]', '--x-range', '-0.5:1:12', '--y', 'A[1]', '--y-range', '0.5:1.1:7', '--max-order', '3', '--json'];
    const g1 = built(...g, '--jobs', '1');
    const g3 = built(...g, '--jobs', '3');
    assert.equal(g3.code, 0, g3.stderr);
    assert.equal(strip(g3.stdout), strip(g1.stdout));
  });

  it('bad input: exit 2 and one line naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W[5][0]', '--from', '0', '--to', '1', '--steps', '5'], /W\[5\]\[0\] is not an entry of W, which is 1×1/],
      [['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W[0][0]', '--from', '0', '--to', '1', '--steps', '0'], /--steps must be a whole number from 2/],
      [['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W[0][0]', '--from', '1', '--to', '1', '--steps', '5'], /range of W\[0\]\[0\] is empty/],
      [['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W', '--from', '0', '--to', '1', '--steps', '5'], /--param must name one entry/],
      [['sweep', join(EXAMPLES, 'skew-tent.plrnn.json'), '--param', 'W[0][0]', '--from', 'x', '--to', '1', '--steps', '5'], /--from must be a number/],
      [['sweep2d', join(EXAMPLES, 'fixed-point.plrnn.json'), '--x', 'A[0]', '--x-range', '0:1', '--y', 'A[1]', '--y-range', '0:1:5'], /--x-range must be from:to:count/],
      [['sweep2d', join(EXAMPLES, 'fixed-point.plrnn.json'), '--x', 'A[0]', '--x-range', '0:1:5', '--y', 'A[0]', '--y-range', '0:1:5'], /x and y are the same entry A\[0\]/],
    ];
    for (const [args, re] of cases) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('scyfi sweep2d', () => {
  it('--json: the grid with counts and stable counts per cell', async () => {
    const out = JSON.parse((await run(sweep2dCommand, join(EXAMPLES, 'fixed-point.plrnn.json'), '--x', 'A[0]', '--x-range', '-0.5:1:6', '--y', 'A[1]', '--y-range', '0.5:1.1:4', '--max-order', '2', '--jobs', '1', '--json'))[0]);
    assert.deepEqual(Object.keys(out), ['x', 'y', 'rows', 'stats', 'cancelled']);
    assert.equal(out.x.parameter, 'A[0]');
    assert.equal(out.rows.length, 4);
    assert.equal(out.rows[0].cells.length, 6);
    for (const row of out.rows) for (const c of row.cells) assert.ok(c.counts['1'] >= 1 && (c.stable['1'] ?? 0) <= c.counts['1']);
  });
  it('is refused with an input error for a non-entry', async () => {
    await assert.rejects(run(sweep2dCommand, join(EXAMPLES, 'fixed-point.plrnn.json'), '--x', 'A', '--x-range', '0:1:3', '--y', 'A[1]', '--y-range', '0:1:3'), (e: unknown) => e instanceof InputError);
  });
});
