import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCommand } from '../../../src/cli/find';
import { Prng } from '../../../src/core/scyfi';
import { randomPlrnn } from '../scyfi/randomModels';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SIXTEEN = join(ROOT, 'examples', 'two-16-cycles.plrnn.json');

async function find(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  assert.equal(await findCommand(args, (s) => lines.push(...s.split('\n'))), 0);
  return lines;
}

/** The built CLI, as a user runs it. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface CertJson {
  cycles: { order: number; points: number[][]; foundBy: string; withinBound: boolean }[];
  certificate: {
    bound: number;
    boundSource: string;
    boundDetail: string;
    solver: string;
    orders: { order: number; status: string; seconds: number; nodes: number; solves: number; added: number }[];
    degenerate: unknown[];
    summary: string;
  };
  cancelled?: boolean;
}

/** A 10-unit random PLRNN: its fixed points prove in a second or two, orders up to 6 take minutes. */
function tenUnits(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'scyfi-certify-')), 'ten.plrnn.json');
  writeFileSync(file, JSON.stringify(randomPlrnn(new Prng(11), 10)));
  return file;
}

describe('scyfi find --certify', () => {
  it('--json adds the certificate and marks how each cycle was found', async () => {
    const lines = await find(SIXTEEN, '--max-order', '3', '--certify', '--certify-orders', '2', '--json');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0]) as CertJson;
    // Orders ≤ 3 miss the stable 16-cycle the trajectories settle on: the attractors say so.
    assert.deepEqual(Object.keys(out), ['model', 'cycles', 'stats', 'certificate', 'attractors', 'attractorSummary', 'simulation']);
    assert.deepEqual(Object.keys(out.certificate), ['bound', 'boundSource', 'boundDetail', 'solver', 'orders', 'degenerate', 'summary']);
    assert.equal(out.certificate.boundSource, 'simulated');
    assert.ok(out.certificate.bound > 2 && out.certificate.bound < 100, String(out.certificate.bound));
    assert.match(out.certificate.solver, /^HiGHS \d+\.\d+/);
    assert.deepEqual(out.certificate.orders.map((o) => [o.order, o.status]), [[1, 'proven'], [2, 'proven'], [3, 'heuristic']]);
    for (const o of out.certificate.orders) assert.deepEqual(Object.keys(o), ['order', 'status', 'seconds', 'nodes', 'solves', 'added']);
    assert.ok(out.certificate.orders[0].solves >= 1);
    assert.deepEqual(out.certificate.degenerate, []);
    assert.match(out.certificate.summary, /^complete \(proven for orders 1–2 within ‖z‖∞ ≤ [\d.]+\); order 3: heuristic search only$/);
    // The one fixed point of science.md §4 (a1 = 0.8377689), found by the search.
    assert.deepEqual(out.cycles.map((c) => [c.order, c.foundBy, c.withinBound]), [[1, 'search', true]]);
    assert.ok(Math.abs(out.cycles[0].points[0][0] - 1.8724) < 1e-4);
  });

  it('the text report states what is proven, R and where R came from', async () => {
    const text = (await find(SIXTEEN, '--max-order', '2', '--certify', '--bound', '250')).join('\n');
    assert.match(text, /^certificate: complete \(proven for orders 1–2 within ‖z‖∞ ≤ 250\)$/m);
    assert.match(text, /^ {2}R = 250 \(user: given \(--bound\)\); HiGHS /m);
    assert.match(text, /^ {2}order 2: proven, [\d.]+ s, \d+ MILP solves, \d+ nodes$/m);
  });

  it('a search that was not certified says what it can claim after its cycles; a certified one does not', async () => {
    // The line after "N candidates in S s"; the sentence on the attractors (dynamics.test.ts) comes last.
    const claim = async (...args: string[]) => {
      const lines = await find(...args);
      return lines[lines.findIndex((l) => / candidates in [\d.]+ s$/.test(l)) + 1];
    };
    const fourteen = join(mkdtempSync(join(tmpdir(), 'scyfi-claim-')), 'fourteen.plrnn.json');
    writeFileSync(fourteen, JSON.stringify(randomPlrnn(new Prng(14), 14)));
    // 2^14 regions: more than the search enumerates (exhaustiveLimit), so even fixed points are searched by restarts.
    assert.equal(await claim(fourteen, '--max-order', '1'), 'Heuristic search: other cycles may exist; --certify can prove the list complete for fixed points within a box.');
    assert.equal(
      await claim(join(ROOT, 'examples', 'readme.shplrnn.json'), '--max-order', '3'),
      'Fixed points complete (every region sequence solved); orders 2–3: heuristic search, other cycles may exist; --certify can prove the list complete for orders 1–3 within a box.',
    );
    // M = 2: every region sequence up to order 6 is solved; the certified search has nothing to add below order 7.
    assert.equal(await claim(SIXTEEN, '--max-order', '2'), 'Complete: every region sequence of orders 1–2 was solved.');
    assert.equal(await claim(SIXTEEN), 'Orders 1–6 complete (every region sequence solved); orders 7–16: heuristic search, other cycles may exist.');
    const certified = await find(SIXTEEN, '--max-order', '2', '--certify', '--bound', '250');
    assert.ok(!certified.some((l) => /heuristic search|every region sequence/i.test(l)), certified.join('\n'));
  });

  it('bad certification flags: exit 2 and one line', () => {
    const cases: [string[], RegExp][] = [
      [['--certify', '--bound', '0'], /^scyfi: --bound must be a positive number, got "0"\n$/],
      [['--certify', '--bound', '-3'], /^scyfi: --bound must be a positive number, got "-3"\n$/],
      [['--certify', '--bound', 'inf'], /^scyfi: --bound must be a positive number, got "inf"\n$/],
      [['--certify', '--certify-timeout', '0'], /^scyfi: --certify-timeout must be a positive number, got "0"\n$/],
      [['--certify', '--certify-orders', '0'], /^scyfi: --certify-orders must be a whole number from 1 to 1000, got "0"\n$/],
      [['--certify', '--max-order', '2', '--certify-orders', '3'], /^scyfi: --certify-orders \(3\) cannot exceed --max-order \(2\)\n$/],
      [['--bound', '10'], /^scyfi: --bound needs --certify\n$/],
      [['--certify=yes'], /^scyfi: --certify takes no value\n$/],
    ];
    for (const [args, stderr] of cases) {
      const r = cli('find', SIXTEEN, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, '');
    }
  });

  it('--certify-timeout: the proven orders are kept, the rest reported as timeout', () => {
    // 15 s: the fixed points take 1–2 s in a fresh process (the WebAssembly warms up), several
    // times that while the other test files run; order 4 alone takes about a minute.
    const r = cli('find', tenUnits(), '--max-order', '6', '--certify', '--certify-orders', '6', '--certify-timeout', '15', '--json');
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as CertJson;
    const statuses = out.certificate.orders.map((o) => o.status);
    assert.equal(statuses[0], 'proven', statuses.join(' '));
    assert.ok(statuses.includes('timeout'), statuses.join(' '));
    assert.match(out.certificate.summary, /not proven in 15 s$/);
    assert.equal(out.cancelled, undefined);
  });

  it('Ctrl-C during the certification prints what was proven and exits 130', async () => {
    const child = spawn(process.execPath, [CLI, 'find', tenUnits(), '--max-order', '6', '--certify', '--certify-orders', '6', '--json', '--progress'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    let sent = 0;
    const code = await new Promise<number | null>((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit within 60 s; stderr: ${stderr}`));
      }, 60_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /^certifying order 2 of 6/m.test(stderr)) {
          sent = Date.now();
          child.kill('SIGINT');
        }
      });
      child.on('exit', (c) => {
        clearTimeout(guard);
        resolve(c);
      });
    });
    assert.equal(code, 130, stderr);
    assert.ok(Date.now() - sent < 10_000, `stopped ${Date.now() - sent} ms after the signal`);
    const out = JSON.parse(stdout) as CertJson;
    assert.equal(out.cancelled, true);
    const statuses = out.certificate.orders.map((o) => o.status);
    assert.equal(statuses[0], 'proven', statuses.join(' '));
    assert.ok(statuses.slice(1).every((s) => s === 'interrupted'), statuses.join(' '));
    assert.match(out.certificate.summary, /^complete for fixed points within ‖z‖∞ ≤ [\d.]+; orders 2–6 not proven \(interrupted\)$/);
  });
});
