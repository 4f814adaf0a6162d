// "SCYFI: Open Results Folder…" inside a real extension host: a shard plan made and partly
// computed by the built CLI opens in the sweep panel with the missing shard as a gap, and the
// panel fills in when the last shard file arrives; a run's shards open in the run panel; a folder
// that is not a plan is refused.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../util';
import type { OpenedFolder } from '../../../src/extension/resultsFolder';
import type { RunPanel } from '../../../src/extension/panel/RunPanel';
import type { SweepPanel } from '../../../src/extension/panel/SweepPanel';
import type { GridResult } from '../../../src/core/sweep/grid';

describe('SCYFI results folders (shard plans)', function () {
  this.timeout(120_000);
  let dir: string;
  let cli: string;

  function scyfi(...args: string[]): string {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 * 1024 * 1024 });
    assert.ok(r.status === 0, `scyfi ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  before(async () => {
    const ext = vscode.extensions.getExtension('scyfi-tools.scyfi-vscode')!;
    await ext.activate();
    cli = path.join(ext.extensionPath, 'dist', 'cli.js');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-results-'));
    const examples = vscode.workspace.workspaceFolders![0].uri.fsPath;
    fs.copyFileSync(path.join(examples, 'skew-tent.plrnn.json'), path.join(dir, 'model.json'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a partial 2-D sweep with the missing shard as a gap, and fills it in when the shard arrives', async () => {
    const grid = [path.join(dir, 'model.json'), '--x', 'W[0][0]', '--x-range', '-3:-1.4:5', '--y', 'A[0]', '--y-range', '0:0.4:3', '--max-order', '4'];
    const folder = path.join(dir, 'map');
    scyfi('sweep2d', ...grid, '--shards', '3', '--out', folder);
    scyfi('shard', folder, '0');
    scyfi('shard', folder, '2');
    const opened = await vscode.commands.executeCommand<OpenedFolder<SweepPanel> | undefined>('scyfi.openResultsFolder', vscode.Uri.file(folder));
    assert.ok(opened, 'the command opens the folder');
    try {
      assert.deepEqual(opened.missing(), [1]);
      const partial = opened.panel.state;
      assert.equal(partial.status, 'cancelled');
      assert.deepEqual(
        partial.grid!.rows.map((r) => r.index),
        [0, 2],
      );
      assert.equal(partial.target.kind, 'grid');
      assert.match(partial.note ?? '', /^2 of 3 shards of map merged: shard 1 \(rows 1\) missing, shown as gaps/);
      scyfi('shard', folder, '1');
      await waitFor('the panel to merge the last shard', () => (opened.missing().length === 0 && opened.panel.state.status === 'done' ? true : undefined), 30_000);
      assert.equal(opened.panel.state.note, undefined);
      const full = opened.panel.state.grid!;
      const unsharded = JSON.parse(scyfi('sweep2d', ...grid, '--json', '--jobs', '1')) as GridResult;
      assert.deepEqual(full.rows, unsharded.rows);
      // The example itself (W[0][0] = −2.2, A[0] = 0.2): an unstable fixed point and a stable 2-cycle.
      assert.deepEqual(full.rows[1].cells[2].counts, { 1: 1, 2: 1 });
    } finally {
      opened.stop();
    }
  });

  it("opens a training run's shards in the run panel, the missing ones named, and merges again when they arrive", async () => {
    const fixture = path.resolve(vscode.workspace.workspaceFolders![0].uri.fsPath, '..', 'test', 'fixtures', 'runs', 'pytorch');
    const folder = path.join(dir, 'run');
    scyfi('run', fixture, '--max-order', '2', '--chunk-size', '8', '--shards', '2', '--out', folder);
    scyfi('shard', folder, '0');
    const opened = await vscode.commands.executeCommand<OpenedFolder<RunPanel> | undefined>('scyfi.openResultsFolder', vscode.Uri.file(folder));
    assert.ok(opened, 'the command opens the folder');
    try {
      assert.deepEqual(opened.missing(), [1]);
      // A partial merge is an incomplete report, as a cancelled run's is.
      assert.equal(opened.panel.state.status, 'cancelled');
      assert.match(opened.panel.state.report?.notes[0] ?? '', /^1 of 2 shards of run merged: shard 1 \(chunks [\d–, ]+\) missing, their checkpoints are not in the plots/);
      scyfi('shard', folder, '1');
      await waitFor('the run panel to merge the last shard', () => (opened.missing().length === 0 && opened.panel.state.status === 'done' && !opened.panel.state.report?.notes.some((n) => /shards of run merged/.test(n)) ? true : undefined), 30_000);
      const unsharded = JSON.parse(scyfi('run', fixture, '--max-order', '2', '--chunk-size', '8', '--no-cache', '--json', '--jobs', '1'));
      const report = opened.panel.state.report!;
      assert.deepEqual(report.events, unsharded.events);
      assert.deepEqual(report.lossJumps, unsharded.lossJumps);
      assert.deepEqual(report.checkpoints.map((c) => c.cycles), unsharded.checkpoints.map((c: { cycles: unknown }) => c.cycles));
    } finally {
      opened.stop();
    }
  });

  it('refuses a folder that is not a shard plan', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const opened = await vscode.commands.executeCommand<OpenedFolder | undefined>('scyfi.openResultsFolder', vscode.Uri.file(empty));
    assert.equal(opened, undefined);
  });
});
