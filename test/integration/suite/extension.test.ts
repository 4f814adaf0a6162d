// The extension inside a real extension host, on the examples/ workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../util';
import type { Cycle, ScyfiResult } from '../../../src/core/scyfi/types';

const EXTENSION_ID = 'scyfi-tools.scyfi-vscode';

type Result = ScyfiResult;

function examples(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

function example(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(examples(), name));
}

function repoRoot(): string {
  return path.resolve(examples(), '..');
}

async function find(uri: vscode.Uri, overrides: Record<string, unknown> = {}): Promise<Result> {
  const r = await vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', uri, overrides);
  assert.ok(r, 'the command returns a result');
  return r;
}

function close(a: number, b: number, tol = 1e-3): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

function assertPoint(actual: number[], expected: number[], tol = 1e-3): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, i) => assert.ok(close(x, expected[i], tol), `coordinate ${i}: ${x} vs ${expected[i]}`));
}

function byOrder(r: Result): Map<number, Cycle[]> {
  const m = new Map<number, Cycle[]>();
  for (const c of r.cycles) m.set(c.order, [...(m.get(c.order) ?? []), c]);
  return m;
}

/** The cycle's points in orbit order starting at the one closest to `first`. */
function rotateTo(c: Cycle, first: number[]): number[][] {
  let best = 0;
  let bestD = Infinity;
  c.points.forEach((p, i) => {
    const d = Math.hypot(...p.map((x, j) => x - first[j]));
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return [...c.points.slice(best), ...c.points.slice(0, best)];
}


async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

function offsetOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (${nth}) is in ${doc.fileName}`);
  }
  return doc.positionAt(at);
}

describe('SCYFI extension', function () {
  this.timeout(120_000);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    await ext.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  describe('activation', () => {
    it('is active and registers its commands', async () => {
      assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
      const commands = await vscode.commands.getCommands(true);
      for (const c of ['scyfi.findCycles', 'scyfi.findCyclesCustom', 'scyfi.exportResults', 'scyfi.cancelRun', 'scyfi.revealParameter', 'scyfi.sweepParameter']) {
        assert.ok(commands.includes(c), `${c} is registered`);
      }
    });
  });

  describe('finding the objects of the worked systems (science.md §4)', () => {
    it('one stable fixed point for a1 = −0.0222311', async () => {
      const r = await find(example('fixed-point.plrnn.json'), { maxOrder: 10 });
      assert.equal(r.cancelled, false);
      assert.equal(r.cycles.length, 1);
      const [fp] = r.cycles;
      assert.equal(fp.order, 1);
      assertPoint(fp.points[0], [0.3649, -22.2606]);
      const eig = fp.eigenvalues.map(([re]) => re).sort((a, b) => b - a);
      assertPoint(eig, [0.9646, -0.0222]);
      assert.equal(fp.stable, true);
    });

    it('an unstable fixed point and exactly two 16-cycles (one stable) for a1 = 0.8377689', async () => {
      const r = await find(example('two-16-cycles.plrnn.json'), { maxOrder: 16 });
      const g = byOrder(r);
      assert.deepEqual([...g.keys()].sort((a, b) => a - b), [1, 16], 'nothing of orders 2–15');
      const [fp] = g.get(1)!;
      assert.equal(g.get(1)!.length, 1);
      assertPoint(fp.points[0], [1.8724, 0.1075]);
      assert.equal(fp.stable, false);
      const sixteen = g.get(16)!;
      assert.equal(sixteen.length, 2);
      assert.equal(sixteen.filter((c) => c.stable).length, 1);
    });

    it('skew tent map with a_r = −2: fixed point 1/3 and the stable 2-cycle', async () => {
      const r = await find(example('skew-tent.plrnn.json'), { maxOrder: 6 });
      const g = byOrder(r);
      assert.deepEqual([...g.keys()].sort(), [1, 2]);
      const [fp] = g.get(1)!;
      assertPoint(fp.points[0], [1 / 3]);
      assert.equal(fp.stable, false);
      const [two] = g.get(2)!;
      const ar = -2;
      assertPoint(rotateTo(two, [1.2 / (1 - 0.2 * ar)]).flat(), [1.2 / (1 - 0.2 * ar), (ar + 1) / (1 - 0.2 * ar)]);
      assertPoint([two.eigenvalues[0][0]], [0.2 * ar]);
      assert.equal(two.stable, true);
    });

    it('third system at a_l = −0.2: the fixed point and the 2-cycle with eigenvalues 0.7 and −0.28', async () => {
      const r = await find(example('flip-2-cycle.plrnn.json'), { maxOrder: 4 });
      const g = byOrder(r);
      assertPoint(g.get(1)![0].points[0], [0.107, 0.066875]);
      const twos = g.get(2) ?? [];
      assert.equal(twos.length, 1);
      assertPoint(rotateTo(twos[0], [0.570667, 0.245208]).flat(), [0.570667, 0.245208, -0.445833, 0.334375]);
      assertPoint(twos[0].eigenvalues.map(([re]) => re).sort((a, b) => b - a), [0.7, -0.28]);
    });

    it('the shPLRNN of the SCYFI README: no fixed point, two 2-cycles, no 3-cycle, one 4-cycle', async () => {
      const r = await find(example('readme.shplrnn.json'), { maxOrder: 4 });
      const g = byOrder(r);
      assert.equal(g.get(1)?.length ?? 0, 0);
      assert.equal(g.get(2)?.length ?? 0, 2);
      assert.equal(g.get(3)?.length ?? 0, 0);
      assert.equal(g.get(4)?.length ?? 0, 1);
    });

    it('the four-attractor shPLRNN: 9 fixed points, 9 2-cycles of which 4 stable', async () => {
      const r = await find(example('four-attractors.shplrnn.json'), { maxOrder: 2 });
      const g = byOrder(r);
      assert.equal(g.get(1)?.length, 9);
      assert.equal(g.get(1)!.filter((c) => c.stable).length, 0);
      assert.equal(g.get(2)?.length, 9);
      assert.equal(g.get(2)!.filter((c) => c.stable).length, 4);
    });

    it('reads a PyTorch checkpoint', async () => {
      const r = await find(example('checkpoints/plrnn.pt'), { maxOrder: 4 });
      const g = byOrder(r);
      assert.equal(g.get(1)?.length, 1);
      assert.equal(g.get(2)?.length, 1);
    });

    it('opens the results panel titled after the file', async () => {
      await find(example('skew-tent.plrnn.json'), { maxOrder: 2 });
      // The workbench reports a new panel's tab to the extension host a moment later.
      const title = 'SCYFI: skew-tent.plrnn.json';
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      await waitFor(`a tab "${title}" (tabs: ${tabs().map((t) => t.label).join(', ')})`, () =>
        tabs().find((t) => t.input instanceof vscode.TabInputWebview && t.label === title),
      );
    });

    it('uses the same seed for the same result', async () => {
      const a = await find(example('readme.shplrnn.json'), { maxOrder: 4, seed: 7 });
      const b = await find(example('readme.shplrnn.json'), { maxOrder: 4, seed: 7 });
      assert.deepEqual(
        a.cycles.map((c) => c.points),
        b.cycles.map((c) => c.points),
      );
    });
  });

  describe('code lenses', () => {
    it('sit on the line of the top-level object of a model', async () => {
      const { uri } = await vscode.workspace.openTextDocument(example('fixed-point.plrnn.json'));
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      // The "Sweep …" lenses on the parameters' keys are tested in sweep.test.ts.
      const ours = lenses.filter((l) => l.command?.command.startsWith('scyfi.findCycles'));
      assert.equal(ours.length, 2);
      assert.ok(ours.every((l) => l.range.start.line === 0));
      assert.equal(ours[0].command?.command, 'scyfi.findCycles');
      assert.match(ours[0].command?.title ?? '', /Find fixed points & cycles/);
    });

    it('follow the top-level object when comments come first', async () => {
      const doc = await vscode.workspace.openTextDocument({
        language: 'jsonc',
        content: '// a model\n// with comments\n{"architecture": "plrnn", "A": [0.5], "W": [[0.1]], "h": [1]}\n',
      });
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      const ours = lenses.filter((l) => l.command?.command.startsWith('scyfi.findCycles'));
      assert.equal(ours.length, 2);
      assert.equal(ours[0].range.start.line, 2);
    });

    it('are absent from JSON files that are not models', async () => {
      // Files on disk, not untitled documents: the workbench may hand a new untitled document
      // the name of one just closed before the extension host has seen it close.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-not-models-'));
      const contents = ['{"name": "x", "version": "1.0.0"}', '{"architecture": "transformer", "A": [1], "W": [[1]], "h": [1]}', '{"architecture": "plrnn", "A": [1]}'];
      for (const [i, content] of contents.entries()) {
        const file = path.join(dir, `not-a-model-${i}.json`);
        fs.writeFileSync(file, content);
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        assert.equal(lenses.filter((l) => l.command?.command.startsWith('scyfi.')).length, 0, content);
      }
    });
  });

  describe('links back to the source', () => {
    it('revealParameter selects the exact text of an entry', async () => {
      const uri = example('fixed-point.plrnn.json');
      for (const [param, text] of [
        ['W[1][0]', '0.52505308'],
        ['W[0][1]', '-0.64375'],
        ['h[1]', '-0.97931491'],
        ['A[0]', '-0.0222311'],
      ] as const) {
        await vscode.commands.executeCommand('scyfi.revealParameter', uri, param);
        const editor = vscode.window.activeTextEditor;
        assert.ok(editor, 'an editor is active');
        assert.equal(editor.document.uri.fsPath, uri.fsPath);
        assert.equal(editor.document.getText(editor.selection), text, param);
      }
    });

    it('revealParameter selects a whole parameter', async () => {
      const uri = example('fixed-point.plrnn.json');
      await vscode.commands.executeCommand('scyfi.revealParameter', uri, 'W');
      const editor = vscode.window.activeTextEditor!;
      const text = editor.document.getText(editor.selection);
      assert.equal(JSON.stringify(JSON.parse(text)), '[[0,-0.64375],[0.52505308,0]]');
    });

    it('the hover names the entry and its role', async () => {
      const uri = example('fixed-point.plrnn.json');
      const editor = await openEditor(uri);
      const pos = offsetOf(editor.document, '0.52505308').translate(0, 2);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      assert.match(text, /W\[1\]\[0\]/);
      assert.match(text, /recurrent weights/);
      assert.match(text, /effect of unit 0 on unit 1/);
    });
  });

  describe('errors', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-bad-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function diagnosticsOf(uri: vscode.Uri, present: boolean): Promise<vscode.Diagnostic[]> {
      return waitFor(`diagnostics ${present ? 'on' : 'cleared from'} ${path.basename(uri.fsPath)}`, () => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'scyfi');
        return (d.length > 0) === present ? d : undefined;
      });
    }

    it('a bad model gets a diagnostic at the offending key, cleared when fixed', async () => {
      const file = path.join(dir, 'bad.plrnn.json');
      fs.writeFileSync(file, '{\n  "architecture": "plrnn",\n  "A": [0.5, 0.5],\n  "W": [[0, 1]],\n  "h": [0, 0]\n}\n');
      const uri = vscode.Uri.file(file);
      const editor = await openEditor(uri);
      const [d] = await diagnosticsOf(uri, true);
      assert.equal(editor.document.getText(d.range), '"W"');
      assert.match(d.message, /W must be 2×2/);
      await editor.edit((e) => e.replace(editor.document.lineAt(3).range, '  "W": [[0, 1], [1, 0]],'));
      await diagnosticsOf(uri, false);
    });

    it('an entry that is not a number is marked at the entry', async () => {
      const file = path.join(dir, 'nan.plrnn.json');
      fs.writeFileSync(file, '{"architecture": "plrnn", "A": [0.5, 0.5], "W": [[0, 1], [1, "x"]], "h": [0, 0]}\n');
      const uri = vscode.Uri.file(file);
      const editor = await openEditor(uri);
      const [d] = await diagnosticsOf(uri, true);
      assert.equal(editor.document.getText(d.range), '"x"');
    });

    it('the find command reports a bad file and returns nothing', async () => {
      const file = path.join(dir, 'arch.json');
      fs.writeFileSync(file, '{"architecture": "lstm", "A": [1]}\n');
      const uri = vscode.Uri.file(file);
      const r = await vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', uri, {});
      assert.equal(r, undefined);
      const [d] = await diagnosticsOf(uri, true);
      assert.match(d.message, /not a known architecture/);
    });

    it('a file nested 100 000 deep gets one line, not a stack overflow in the editor', async () => {
      // With a comment, so that the tolerant parsers (the editor's tree and the reader's) see it.
      const file = path.join(dir, 'deep.plrnn.json');
      fs.writeFileSync(file, `// deep\n{"architecture": "plrnn", "A": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
      const uri = vscode.Uri.file(file);
      await openEditor(uri);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.equal(lenses.filter((l) => l.command?.command.startsWith('scyfi.')).length, 0);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(1, 30));
      assert.ok(Array.isArray(hovers));
      const r = await vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', uri, {});
      assert.equal(r, undefined);
      const [d] = await diagnosticsOf(uri, true);
      assert.match(d.message, /nested more than 256 levels deep/);
    });
  });

  describe('checkpoint viewer', () => {
    it('opens a .pt file in the custom editor', async () => {
      const uri = example('checkpoints/plrnn.pt');
      await vscode.commands.executeCommand('vscode.openWith', uri, 'scyfi.checkpointViewer');
      const tab = await waitFor('the checkpoint viewer tab', () => {
        const t = vscode.window.tabGroups.activeTabGroup.activeTab;
        return t?.input instanceof vscode.TabInputCustom ? t : undefined;
      });
      const input = tab.input as vscode.TabInputCustom;
      assert.equal(input.viewType, 'scyfi.checkpointViewer');
      assert.equal(input.uri.fsPath, uri.fsPath);
    });

    it('a parameter link of a checkpoint leads to the viewer', async () => {
      const uri = example('checkpoints/plrnn.pt');
      await vscode.commands.executeCommand('scyfi.revealParameter', uri, 'W[1][0]');
      await waitFor('the viewer of plrnn.pt', () => {
        const t = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return t instanceof vscode.TabInputCustom && t.uri.fsPath === uri.fsPath ? t : undefined;
      });
    });

    it('opens a Git LFS pointer without failing', async () => {
      await vscode.commands.executeCommand('vscode.openWith', example('checkpoints/lfs-pointer.pt'), 'scyfi.checkpointViewer');
      const r = await vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', example('checkpoints/lfs-pointer.pt'), {});
      assert.equal(r, undefined, 'no model in a pointer file');
    });

    it('runs the search for the checkpoint shown in the viewer', async () => {
      await vscode.commands.executeCommand('vscode.openWith', example('checkpoints/plrnn.pt'), 'scyfi.checkpointViewer');
      const r = await vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', undefined, { maxOrder: 2 });
      assert.ok(r);
      assert.equal(r.cycles.length, 2);
    });
  });

  describe('cancellation and export', () => {
    it('a cancelled run resolves with cancelled = true and keeps what it found', async () => {
      const big = vscode.Uri.file(path.join(repoRoot(), 'test', 'fixtures', 'models', 'scyfi-main-10d.json'));
      const running = vscode.commands.executeCommand<Result | undefined>('scyfi.findCycles', big, { maxOrder: 40, outerLoop: 20000, innerLoop: 2000 });
      await new Promise((r) => setTimeout(r, 3000));
      const cancelled = await vscode.commands.executeCommand<boolean>('scyfi.cancelRun');
      assert.equal(cancelled, true, 'a run was going');
      const r = await running;
      assert.ok(r);
      assert.equal(r.cancelled, true);
      assert.ok(r.cycles.length >= 1, 'the fixed points found before cancelling are kept');
      assert.ok(r.cycles.some((c) => c.order === 1));
    });

    it('exports JSON and CSV', async () => {
      const uri = example('flip-2-cycle.plrnn.json');
      await find(uri, { maxOrder: 2 });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-export-'));
      try {
        const json = vscode.Uri.file(path.join(dir, 'r.json'));
        const csv = vscode.Uri.file(path.join(dir, 'r.csv'));
        await vscode.commands.executeCommand('scyfi.exportResults', uri, 'json', json);
        await vscode.commands.executeCommand('scyfi.exportResults', uri, 'csv', csv);
        const parsed = JSON.parse(fs.readFileSync(json.fsPath, 'utf8'));
        assert.equal(parsed.model.architecture, 'plrnn');
        assert.equal(parsed.cycles.length, 2);
        const lines = fs.readFileSync(csv.fsPath, 'utf8').trim().split('\n');
        assert.match(lines[0], /^cycle,order,point,stable,classification,spectral_radius,eigenvalues,region,z1,z2$/);
        assert.equal(lines.length, 1 + 1 + 2, 'a header, the fixed point and the two points of the 2-cycle');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the JSON export says where trajectories settle when that is not a cycle found (as find --json does)', async () => {
      const uri = example('invariant-circle.shplrnn.json');
      await find(uri, {});
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-export-'));
      try {
        const json = vscode.Uri.file(path.join(dir, 'r.json'));
        // The trajectories are simulated after the search: export until they are in.
        let parsed: { attractorSummary?: string; attractors: { starts: unknown[] }[]; simulation: { starts: number } } | undefined;
        for (const end = Date.now() + 60_000; !parsed?.attractorSummary; await new Promise((r) => setTimeout(r, 250))) {
          assert.ok(Date.now() < end, 'the trajectories reach the export within 60 s');
          await vscode.commands.executeCommand('scyfi.exportResults', uri, 'json', json);
          parsed = JSON.parse(fs.readFileSync(json.fsPath, 'utf8'));
        }
        assert.match(parsed.attractorSummary, /quasi-periodic/);
        assert.ok(parsed.attractors.length >= 1 && parsed.attractors.every((a) => a.starts.length > 0));
        assert.ok(parsed.simulation.starts > 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
