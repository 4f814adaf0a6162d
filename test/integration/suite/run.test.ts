// Training runs inside a real extension host: "SCYFI: Analyze Training Run…" on the mixed run of
// the fixtures (PyTorch, NumPy and BSON checkpoints written by the fixture script, one corrupt),
// the report it returns checked against what the fixture was built with, the run panel it opens,
// the per-checkpoint cache in the extension's storage, the same result on one worker and on a
// pool, and the code lens on manifests and loss logs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/run/reportTypes';

function repoRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return path.join(folder.uri.fsPath, '..');
}

const runs = () => path.join(repoRoot(), 'test', 'fixtures', 'runs');

async function analyze(target: vscode.Uri, args: Record<string, unknown> = {}): Promise<RunReport> {
  const r = await vscode.commands.executeCommand<RunReport | undefined>('scyfi.analyzeRun', target, args);
  assert.ok(r, 'the command returns the report');
  return r;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

async function lensCommands(uri: vscode.Uri): Promise<string[]> {
  await vscode.workspace.openTextDocument(uri);
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.command ?? '');
}

describe('SCYFI training runs', function () {
  this.timeout(180_000);
  let dir: string;
  let expected: {
    mixed: { checkpoints: number; corrupt: string; jumps: number[]; events: Record<string, number[]> };
  };

  before(async () => {
    await vscode.extensions.getExtension('scyfi-tools.scyfi-vscode')!.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-run-'));
    expected = JSON.parse(fs.readFileSync(path.join(runs(), 'expected.json'), 'utf8'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers the command', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('scyfi.analyzeRun'));
  });

  it('analyses the mixed run: its events and loss jumps where the fixture put them, the corrupt file skipped with its reason', async () => {
    // A copy, so that its cache entries are this test's own.
    const run = path.join(dir, 'mixed');
    fs.cpSync(path.join(runs(), 'mixed'), run, { recursive: true });
    const r = await analyze(vscode.Uri.file(run), { maxOrder: 4 });
    const e = expected.mixed;
    assert.equal(r.unit, 'epoch');
    assert.equal(r.cancelled, false);
    assert.equal(r.checkpoints.length, e.checkpoints);
    assert.deepEqual(r.skipped.map((s) => s.file), [e.corrupt]);
    assert.match(r.skipped[0].reason, /BSON/);
    assert.deepEqual(r.lossJumps.map((j) => j.epoch), e.jumps);
    for (const [kind, at] of Object.entries(e.events)) {
      const found = r.events.filter((x) => x.kind === kind).map((x) => x.epoch as number);
      assert.equal(found.length, at.length, `${kind}: ${found.join(', ')}`);
      found.forEach((x, i) => assert.ok(near(x, at[i]), `${kind} at ${x}, expected ${at[i]}`));
    }
    assert.ok(r.alignment);
    assert.match(r.alignment.sentence, /^2 of 3 loss jumps follow a bifurcation/);
    assert.ok(r.loss && r.loss.points.some((p) => p.gradNorm !== undefined), 'the log has the gradient norm');
    assert.ok(tabs().some((t) => t.label === 'Run mixed'), `a run panel is open: ${tabs().map((t) => t.label).join(', ')}`);
    // Nothing was written next to the run's files.
    assert.deepEqual(fs.readdirSync(run).sort(), fs.readdirSync(path.join(runs(), 'mixed')).sort());

    // Again: every checkpoint from the cache, the same result; on one worker the same again.
    const again = await analyze(vscode.Uri.file(run), { maxOrder: 4, jobs: 2 });
    assert.equal(again.stats.cached, e.checkpoints);
    assert.equal(again.stats.searched, 0);
    assert.deepEqual(again.events, r.events);
    const other = path.join(dir, 'mixed-one-worker');
    fs.cpSync(path.join(runs(), 'mixed'), other, { recursive: true });
    const one = await analyze(vscode.Uri.file(other), { maxOrder: 4, jobs: 1 });
    assert.deepEqual(one.events, r.events);
    assert.deepEqual(one.checkpoints.map((c) => c.cycles), r.checkpoints.map((c) => c.cycles));
  });

  it('a loss log stands for its folder; a folder without checkpoints fails with one line', async () => {
    const r = await analyze(vscode.Uri.file(path.join(runs(), 'pytorch', 'loss.csv')), { maxOrder: 2 });
    assert.equal(r.unit, 'epoch');
    assert.ok(r.checkpoints.length >= 2);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const none = await vscode.commands.executeCommand<RunReport | undefined>('scyfi.analyzeRun', vscode.Uri.file(empty), { maxOrder: 2 });
    assert.equal(none, undefined);
  });

  it('offers the analysis on manifests and loss logs, not on other CSVs', async () => {
    assert.ok((await lensCommands(vscode.Uri.file(path.join(runs(), 'pytorch', 'loss.csv')))).includes('scyfi.analyzeRun'));
    assert.ok((await lensCommands(vscode.Uri.file(path.join(runs(), 'mixed', 'train_log.jsonl')))).includes('scyfi.analyzeRun'));
    const manifest = path.join(dir, 'scyfi-run.json');
    fs.writeFileSync(manifest, JSON.stringify({ checkpoints: [] }));
    assert.ok((await lensCommands(vscode.Uri.file(manifest))).includes('scyfi.analyzeRun'));
    const other = path.join(dir, 'table.csv');
    fs.writeFileSync(other, 'a,b\n1,2\n');
    assert.ok(!(await lensCommands(vscode.Uri.file(other))).includes('scyfi.analyzeRun'));
  });
});
