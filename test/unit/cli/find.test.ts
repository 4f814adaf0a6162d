import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCommand } from '../../../src/cli/find';
import { formatResult } from '../../../src/cli/format';
import { summarize } from '../../../src/shared/summary';
import { Prng } from '../../../src/core/scyfi';
import { randomPlrnn } from '../scyfi/randomModels';

const ROOT = join(__dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const CHECKPOINTS = join(ROOT, 'test', 'fixtures', 'checkpoints');

async function find(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  assert.equal(await findCommand(args, (s) => lines.push(...s.split('\n'))), 0);
  return lines;
}

/** The CLI as a user runs it: a separate process, its exit code and its stderr. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface FindJson {
  model: { architecture: string; M: number; H: number };
  cycles: { order: number; points: number[][]; eigenvalues: [number, number][]; spectralRadius: number; stable: boolean; classification: string; regions: string[] }[];
  stats: { candidates: number; seconds: number; enumerated: number[] };
}

describe('scyfi find', () => {
  it('--json prints exactly one object with the model, the cycles and the stats', async () => {
    const lines = await find(join(EXAMPLES, 'flip-2-cycle.plrnn.json'), '--max-order', '3', '--json');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]) as FindJson;
    assert.deepEqual(Object.keys(out), ['model', 'cycles', 'stats']);
    assert.deepEqual(out.model, { architecture: 'plrnn', M: 2, H: 2 });
    assert.deepEqual(out.cycles.map((c) => c.order), [1, 2]);
    const fp = out.cycles[0];
    assert.ok(Math.abs(fp.points[0][0] - 0.107) < 1e-9 && Math.abs(fp.points[0][1] - 0.066875) < 1e-9);
    const two = out.cycles[1];
    assert.deepEqual(Object.keys(two).sort(), ['classification', 'eigenvalues', 'order', 'points', 'regions', 'spectralRadius', 'stable']);
    const eig = two.eigenvalues.map(([re, im]) => [Number(re.toFixed(9)), im]);
    assert.deepEqual(eig, [[0.7, 0], [-0.28, 0]]);
    assert.equal(two.stable, true);
    assert.equal(two.regions.length, 2);
    assert.deepEqual(Object.keys(out.stats), ['candidates', 'seconds', 'enumerated']);
    // M = 2 with 2 switches: every region sequence of orders 1–3 (at most 64) is solved.
    assert.deepEqual(out.stats.enumerated, [1, 2, 3]);
    assert.ok(out.stats.candidates > 0 && out.stats.seconds >= 0);
  });

  it('prints a readable report without --json', async () => {
    const text = (await find(join(EXAMPLES, 'skew-tent.plrnn.json'), '--max-order', '2')).join('\n');
    assert.match(text, /plrnn, M = 1, H = 1, orders 1–2/);
    assert.match(text, /1 fixed point \(0 stable\), one 2-cycle \(1 stable\)/);
    assert.match(text, /z1 = \(/);
    assert.match(text, /eigenvalues: /);
  });

  it('the same seed gives the same result; loop counts are honoured', async () => {
    const model = join(EXAMPLES, 'four-attractors.shplrnn.json');
    const run = async (seed: string) => {
      const out = JSON.parse((await find(model, '--max-order', '2', '--seed', seed, '--outer', '30', '--inner', '20', '--json'))[0]) as FindJson;
      return { cycles: out.cycles, candidates: out.stats.candidates };
    };
    assert.deepEqual(await run('5'), await run('5'));
  });

  it('--jobs: one search on 1 or 2 threads gives the same result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-cli-'));
    const model = join(dir, 'm24.json');
    // Long enough (over a second) that the helper thread starts and computes chains ahead.
    writeFileSync(model, JSON.stringify(randomPlrnn(new Prng(11), 24)));
    const run = async (jobs: string) => {
      const out = JSON.parse((await find(model, '--max-order', '2', '--jobs', jobs, '--json', '--no-simulate'))[0]) as FindJson;
      return { cycles: out.cycles, candidates: out.stats.candidates };
    };
    const one = await run('1');
    assert.ok(one.candidates > 10000);
    assert.deepEqual(await run('2'), one);
  });

  it('reads binary checkpoints, with --P for an ALRNN', async () => {
    const out = JSON.parse((await find(join(CHECKPOINTS, 'alrnn.pt'), '--P', '2', '--max-order', '2', '--json'))[0]) as FindJson;
    assert.equal(out.model.architecture, 'alrnn');
    assert.equal(out.model.H, 2);
  });

  it('exit code 2 and one line on stderr for bad input, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ architecture: 'plrnn', A: [0.5], W: [[0, 1]], h: [0] }));
    const cases: [string[], RegExp][] = [
      [['find', bad], /^scyfi: bad\.json: W must be 1×1 \(M×M with M = 1 from h\), got 1×2\n$/],
      [['find', join(dir, 'missing.json')], /^scyfi: missing\.json: cannot read the file \(no such file, ENOENT\)\n$/],
      [['find', bad, '--max-order', 'ten'], /^scyfi: --max-order must be a whole number from 1 to 1000, got "ten"\n$/],
      [['find', bad, '--order', '3'], /^scyfi: unknown option --order/],
      [['find'], /^scyfi: find needs exactly one model file/],
      [['frobnicate'], /^scyfi: unknown command 'frobnicate'/],
    ];
    for (const [args, stderr] of cases) {
      const r = cli(...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, '');
    }
  });

  it('exit code 0 with --help, and a real run end to end', () => {
    assert.equal(cli('--help').code, 0);
    const r = cli('find', join(EXAMPLES, 'fixed-point.plrnn.json'), '--max-order', '2', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as FindJson).cycles.length, 1);
  });
});

describe('the summary of a cancelled search', () => {
  const cycle = { order: 1, points: [[0]], eigenvalues: [[0.5, 0]] as [number, number][], spectralRadius: 0.5, stable: true, classification: 'stable node', regions: ['1'] };
  const stats = { candidates: 10, seconds: 0.1 };
  it('does not claim every order was searched when nothing was found before the cancel', () => {
    const text = formatResult({ cycles: [], stats, cancelled: true } as unknown as Parameters<typeof formatResult>[0], 'm.json', 10);
    assert.match(text, /No fixed points or cycles found before the search was cancelled/);
    assert.doesNotMatch(text, /up to order 10/);
    assert.equal(summarize([], 10, true), 'No fixed points or cycles found before the search was cancelled');
    assert.equal(summarize([], 10, false), 'No fixed points or cycles up to order 10');
  });
  it('says it is incomplete when it found something', () => {
    const text = formatResult({ cycles: [cycle], stats, cancelled: true } as unknown as Parameters<typeof formatResult>[0], 'm.json', 10);
    assert.match(text, /^1 fixed point \(1 stable\) \(cancelled: incomplete\)$/m);
  });
});

/** A random 64-unit PLRNN: orders 1–3 take many minutes without a limit. */
function bigModel(): string {
  const M = 64;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const model = {
    architecture: 'plrnn',
    A: Array.from({ length: M }, () => 0.6 + 0.3 * rand()),
    W: Array.from({ length: M }, (_, i) => Array.from({ length: M }, (_, j) => (i === j ? 0 : rand() / 8))),
    h: Array.from({ length: M }, () => rand() / 2),
  };
  const file = join(mkdtempSync(join(tmpdir(), 'scyfi-cli-')), 'big.plrnn.json');
  writeFileSync(file, JSON.stringify(model));
  return file;
}

describe('scyfi find --timeout', () => {
  it('bounds a huge search and still reports what it found, marked incomplete', () => {
    const file = bigModel();
    const t0 = Date.now();
    const r = cli('find', file, '--max-order', '3', '--timeout', '2', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - t0 < 30_000, `took ${Date.now() - t0} ms`);
    const out = JSON.parse(r.stdout) as FindJson & { cancelled?: boolean };
    assert.equal(out.cancelled, true);
    assert.equal(r.stderr, '');
    const text = cli('find', file, '--max-order', '3', '--timeout', '1');
    assert.match(text.stdout, /stopped by --timeout 1 s/);
    assert.equal(cli('find', file, '--timeout', '0').code, 2);
  });
});

describe('scyfi find defaults', () => {
  it('without --seed runs exactly as the editor with its default scyfi.seed (0)', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
    const editorSeed = pkg.contributes.configuration.properties['scyfi.seed'].default;
    assert.equal(editorSeed, 0);
    const model = join(EXAMPLES, 'four-attractors.shplrnn.json');
    const plain = JSON.parse((await find(model, '--max-order', '4', '--json'))[0]) as FindJson;
    const seeded = JSON.parse((await find(model, '--max-order', '4', '--seed', String(editorSeed), '--json'))[0]) as FindJson;
    assert.equal(plain.stats.candidates, seeded.stats.candidates);
    assert.deepEqual(plain.cycles, seeded.cycles);
  });
});

describe('scyfi find stopped by a signal', () => {
  const CLI = join(ROOT, 'dist', 'cli.js');

  /** Runs the built CLI on `args`, sends `signal` once stderr shows the first progress line. */
  function interrupted(signal: NodeJS.Signals, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      let sent = 0;
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit within 60 s after ${signal}; stderr: ${stderr}`));
      }, 60_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /^order 1 of 3 · 0 found$/m.test(stderr)) {
          sent = Date.now();
          child.kill(signal);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(guard);
        resolve({ code, stdout, stderr, ms: sent ? Date.now() - sent : NaN });
      });
    });
  }

  it('is built (dist/cli.js)', () => assert.ok(existsSync(CLI), 'run node scripts/build.mjs first'));

  it('Ctrl-C (SIGINT) prints one JSON object with "cancelled": true and exits 130', async () => {
    const r = await interrupted('SIGINT', 'find', bigModel(), '--max-order', '3', '--json', '--progress');
    assert.equal(r.code, 130, r.stderr);
    assert.ok(r.ms < 10_000, `stopped ${r.ms} ms after the signal`);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    const out = JSON.parse(r.stdout) as FindJson & { cancelled?: boolean };
    assert.equal(out.cancelled, true);
    assert.deepEqual(out.model, { architecture: 'plrnn', M: 64, H: 64 });
    assert.ok(out.stats.candidates > 0);
    // Progress lines (and the estimate of the remaining orders) only: no stack trace, no error.
    assert.ok(r.stderr.split('\n').every((l) => l === '' || /^order \d of 3 · \d+ found$/.test(l) || /^about \d+ (s|min|h) for orders [23]–3 at this size /.test(l)), r.stderr);
  });

  it('SIGTERM prints the text report, says it was interrupted and exits 143', async () => {
    const r = await interrupted('SIGTERM', 'find', bigModel(), '--max-order', '3', '--progress');
    assert.equal(r.code, 143, r.stderr);
    assert.match(r.stdout, /plrnn, M = 64, H = 64, orders 1–3/);
    assert.match(r.stdout, /\d+ candidates in [\d.]+ s\ninterrupted by SIGTERM: the orders not searched to the end may hold more\n$/);
  });

  it('--progress writes one line per order to stderr when it is not a terminal', () => {
    const r = cli('find', join(EXAMPLES, 'flip-2-cycle.plrnn.json'), '--max-order', '2', '--progress', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'order 1 of 2 · 0 found\norder 2 of 2 · 1 found\n');
    assert.equal((JSON.parse(r.stdout) as FindJson).cycles.length, 2);
  });
});
