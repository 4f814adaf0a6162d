// Sweeps inside a real extension host: the commands with arguments (no UI), the code lenses and
// hover links that start them, an event's value set in the model file as one undoable edit, a
// checkpoint's model saved as a JSON model instead, cancelling, and the 2-D map.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../util';
import type { SweepResult } from '../../../src/core/sweep/types';
import type { GridResult } from '../../../src/core/sweep/grid';
import type { ScyfiResult } from '../../../src/core/scyfi/types';
import { eventValue } from '../../../src/shared/settle';

function examples(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

const example = (name: string) => vscode.Uri.file(path.join(examples(), name));

async function sweep(uri: vscode.Uri, args: Record<string, unknown>): Promise<SweepResult> {
  const r = await vscode.commands.executeCommand<SweepResult | undefined>('scyfi.sweepParameter', uri, args);
  assert.ok(r, 'the command returns the sweep');
  return r;
}

/** The skew tent map's sweep of science.md §4: W[0][0] = a_r − 0.2 from 1.3 to −6.2. */
const TENT = { ref: 'W[0][0]', from: 1.3, to: -6.2, steps: 76, maxOrder: 4 };


function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

describe('SCYFI sweeps', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    await vscode.extensions.getExtension('scyfi-tools.scyfi-vscode')!.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-sweep-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers the sweep commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['scyfi.sweepParameter', 'scyfi.sweep2d', 'scyfi.sweepLine', 'scyfi.setParameter']) assert.ok(commands.includes(c), c);
  });

  it('finds the bifurcations of the skew tent map: degenerate transcritical at 0.8, degenerate flips at −1.2 and −5.2', async () => {
    const r = await sweep(example('skew-tent.plrnn.json'), TENT);
    assert.equal(r.cancelled, false);
    assert.equal(r.steps.length, 76);
    assert.deepEqual(r.path, { kind: 'entry', parameter: 'W[0][0]', from: 1.3, to: -6.2 });
    const at = (kind: string) => r.events.filter((e) => e.kind === kind).map((e) => e.value).sort((a, b) => a - b);
    const dt = at('degenerate-transcritical');
    assert.equal(dt.length, 1, JSON.stringify(r.events.map((e) => e.detail)));
    assert.ok(Math.abs(dt[0] - 0.8) <= 1e-9, `${dt[0]}`);
    const flips = at('degenerate-flip');
    assert.equal(flips.length, 2);
    assert.ok(Math.abs(flips[0] + 5.2) <= 1e-9 && Math.abs(flips[1] + 1.2) <= 1e-9, `${flips}`);
    // The flip at −1.2 is the fixed point's, where the 2-cycle is born.
    const flip = r.events.find((e) => e.kind === 'degenerate-flip' && Math.abs(e.value + 1.2) < 1e-9)!;
    assert.deepEqual(flip.branches.map((id) => r.branches.find((b) => b.id === id)?.order), [1, 2]);
  });

  it('opens a sweep panel of its own beside the results panel of the same file', async () => {
    const uri = example('skew-tent.plrnn.json');
    await vscode.commands.executeCommand('scyfi.findCycles', uri, { maxOrder: 2 });
    await sweep(uri, { ...TENT, steps: 10 });
    for (const title of ['SCYFI: skew-tent.plrnn.json', 'Sweep W[0][0]: skew-tent.plrnn.json']) {
      await waitFor(`a tab "${title}" (tabs: ${tabs().map((t) => t.label).join(', ')})`, () => tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.label === title));
    }
  });

  it('puts a "Sweep …" code lens on the key of each real-valued parameter', async () => {
    for (const [file, keys] of [
      ['skew-tent.plrnn.json', ['A', 'W', 'h']],
      ['readme.shplrnn.json', ['A', 'W1', 'W2', 'h1', 'h2']],
    ] as const) {
      const doc = await vscode.workspace.openTextDocument(example(file));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const sweeps = lenses.filter((l) => l.command?.command === 'scyfi.sweepParameter');
      assert.deepEqual(sweeps.map((l) => l.command?.title), keys.map((k) => `Sweep ${k}…`), file);
      for (const [i, l] of sweeps.entries()) {
        const key = keys[i];
        assert.equal(doc.getText(l.range), `"${key}"`, `the lens of ${key} sits on its key`);
        assert.deepEqual(l.command?.arguments, [doc.uri, { param: key }]);
      }
    }
  });

  it('the hover of a number links to a sweep of that entry', async () => {
    const uri = example('fixed-point.plrnn.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = doc.positionAt(doc.getText().indexOf('0.52505308') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    const link = /\[[^\]]*Sweep W\[1\]\[0\]…\]\(command:scyfi\.sweepParameter\?([^ )]+)/.exec(text);
    assert.ok(link, text);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [uri.toString(), { ref: 'W[1][0]' }]);
  });

  it("sets an event's value in the JSON model as one undoable edit of exactly that number", async () => {
    const file = path.join(dir, 'tent.plrnn.json');
    fs.copyFileSync(example('skew-tent.plrnn.json').fsPath, file);
    const uri = vscode.Uri.file(file);
    const original = fs.readFileSync(file, 'utf8');
    const r = await sweep(uri, TENT);
    const dt = r.events.find((e) => e.kind === 'degenerate-transcritical')!;
    const value = eventValue(dt.value, TENT.to - TENT.from);
    assert.equal(value, 0.8, 'the value as the panel offers it');
    const changed = await vscode.commands.executeCommand<vscode.Uri | undefined>('scyfi.setParameter', uri, 'W[0][0]', value);
    assert.equal(changed?.fsPath, uri.fsPath);
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = original.indexOf('-2.2');
    assert.equal(doc.getText(), original.slice(0, at) + '0.8' + original.slice(at + '-2.2'.length));
    assert.equal(fs.readFileSync(file, 'utf8'), original, 'the file on disk is not saved behind the user');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, uri.fsPath);
    assert.equal(editor.document.getText(editor.selection), '0.8', 'the new text is selected');
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'undo gives the original text byte for byte');
    assert.equal(doc.isDirty, false);
  });

  it('saves a checkpoint with an entry set as a new JSON model (the checkpoint is not touched)', async () => {
    const pt = example('checkpoints/plrnn.pt');
    const before = fs.readFileSync(pt.fsPath);
    const target = vscode.Uri.file(path.join(dir, 'plrnn-W.model.json'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('scyfi.setParameter', pt, 'W[1][0]', 0.4312, target);
    assert.equal(written?.fsPath, target.fsPath);
    assert.ok(fs.readFileSync(pt.fsPath).equals(before));
    const model = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    assert.match(model.$schema, /schemas\/model\.schema\.json$/);
    assert.equal(model.architecture, 'plrnn');
    assert.equal(model.W[1][0], 0.4312);
    const r = await vscode.commands.executeCommand<ScyfiResult | undefined>('scyfi.findCycles', target, { maxOrder: 2 });
    assert.ok(r && r.cycles.length > 0, 'the saved model is a model SCYFI reads');
  });

  it('a cancelled sweep keeps the steps it finished', async () => {
    const big = vscode.Uri.file(path.join(examples(), '..', 'test', 'fixtures', 'models', 'scyfi-main-10d.json'));
    const running = vscode.commands.executeCommand<SweepResult | undefined>('scyfi.sweepParameter', big, { ref: 'A[0]', from: 0.5, to: 0.9, steps: 4000, maxOrder: 6 });
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(await vscode.commands.executeCommand<boolean>('scyfi.cancelRun'), true, 'a sweep was going');
    const r = await running;
    assert.ok(r);
    assert.equal(r.cancelled, true);
    assert.ok(r.steps.length >= 1 && r.steps.length < 4000, `${r.steps.length} steps finished`);
    assert.ok(r.steps.every((s, i) => i === 0 || s.index > r.steps[i - 1].index), 'in order');
    assert.ok(r.steps.some((s) => s.cycles.length > 0), 'with the objects found');
  });

  it('a sweep whose panel is closed while it runs still returns its result', async () => {
    const running = vscode.commands.executeCommand<SweepResult | undefined>('scyfi.sweepParameter', example('skew-tent.plrnn.json'), { ...TENT, steps: 1500 });
    const title = 'Sweep W[0][0]: skew-tent.plrnn.json';
    const tab = await waitFor('the sweep tab', () => tabs().find((t) => t.label === title));
    assert.ok(await vscode.window.tabGroups.close(tab));
    const r = await running;
    assert.ok(r, 'the command still resolves with the sweep');
    assert.equal(r.steps.length, 1500);
    assert.equal(r.cancelled, false);
  });

  it('maps two entries on a grid (GridJob through the 2-D command)', async () => {
    const r = await vscode.commands.executeCommand<GridResult | undefined>('scyfi.sweep2d', example('skew-tent.plrnn.json'), {
      x: { ref: 'W[0][0]', from: -3, to: -1.4, n: 5 },
      y: { ref: 'A[0]', from: 0, to: 0.4, n: 3 },
      maxOrder: 4,
    });
    assert.ok(r);
    assert.equal(r.cancelled, false);
    assert.equal(r.x.parameter, 'W[0][0]');
    assert.equal(r.y.parameter, 'A[0]');
    assert.deepEqual(r.rows.map((row) => row.index), [0, 1, 2]);
    assert.ok(r.rows.every((row) => row.cells.length === 5));
    // The example itself (W[0][0] = −2.2, A[0] = 0.2): an unstable fixed point and a stable 2-cycle.
    const cell = r.rows[1].cells[2];
    assert.deepEqual(cell.counts, { 1: 1, 2: 1 });
    assert.deepEqual(cell.stable, { 2: 1 });
    await waitFor('the map tab', () => tabs().find((t) => t.label === 'Map W[0][0] × A[0]: skew-tent.plrnn.json'));
  });

  it('sweeps the line between two models of the same shape', async () => {
    const a = example('skew-tent.plrnn.json');
    const file = path.join(dir, 'tent-b.plrnn.json');
    fs.writeFileSync(file, fs.readFileSync(a.fsPath, 'utf8').replace('[-2.2]', '[-0.2]'));
    const r = await vscode.commands.executeCommand<SweepResult | undefined>('scyfi.sweepLine', a, vscode.Uri.file(file), { steps: 21, maxOrder: 2 });
    assert.ok(r);
    assert.deepEqual(r.path, { kind: 'line', from: 'skew-tent.plrnn.json', to: 'tent-b.plrnn.json' });
    assert.equal(r.steps.length, 21);
    assert.deepEqual([r.steps[0].value, r.steps[20].value], [0, 1]);
    // W[0][0] from −2.2 to −0.2 passes the fixed point's flip at −1.2, half way.
    const flip = r.events.find((e) => e.kind === 'degenerate-flip');
    assert.ok(flip && Math.abs(flip.value - 0.5) <= 1e-9, JSON.stringify(r.events.map((e) => [e.kind, e.value])));
    await waitFor('the line tab', () => tabs().find((t) => t.label === 'Sweep skew-tent.plrnn.json → tent-b.plrnn.json'));
  });

  it('refuses arguments that are not a sweep with a one-line message and returns nothing', async () => {
    const uri = example('skew-tent.plrnn.json');
    assert.equal(await vscode.commands.executeCommand('scyfi.sweepParameter', uri, { ref: 'W[0][0]', from: 1, to: 1, steps: 10 }), undefined);
    assert.equal(await vscode.commands.executeCommand('scyfi.sweepParameter', uri, { ref: 'W[0][0]', from: 0, to: 1, steps: 1 }), undefined);
    assert.equal(await vscode.commands.executeCommand('scyfi.sweepParameter', uri, { ref: 'W', from: 0, to: 1, steps: 10 }), undefined);
    assert.equal(await vscode.commands.executeCommand('scyfi.sweepParameter', uri, { ref: 'W[3][0]', from: 0, to: 1, steps: 10 }), undefined, 'not an entry of this model');
  });
});
