// The results panel's runs inside a real extension host: the model file's "scyfi" block, a run's
// own settings winning over it, and a bad block marked at its key.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScyfiResult } from '../../../src/core/scyfi/types';
import { waitFor } from '../util';

function example(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

async function find(uri: vscode.Uri, overrides?: Record<string, unknown>): Promise<ScyfiResult> {
  const r = await vscode.commands.executeCommand<ScyfiResult | undefined>('scyfi.findCycles', uri, overrides);
  assert.ok(r, 'the command returns a result');
  return r;
}

const orders = (r: ScyfiResult) => r.cycles.map((c) => c.order).sort((a, b) => a - b);

describe('SCYFI search settings in the model file', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.extensions.getExtension('scyfi-tools.scyfi-vscode')?.activate();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('two-16-cycles.plrnn.json shows its two 16-cycles with the default settings (its "scyfi" block asks for order 16)', async () => {
    assert.equal(vscode.workspace.getConfiguration('scyfi').get('maxOrder'), 10, 'the default setting');
    const r = await find(example('two-16-cycles.plrnn.json'));
    assert.deepEqual(orders(r), [1, 16, 16]);
  });

  it("a run's own maxOrder wins over the file's", async () => {
    const r = await find(example('two-16-cycles.plrnn.json'), { maxOrder: 10 });
    assert.deepEqual(orders(r), [1]);
  });

  it('a bad block gets a diagnostic at its key, and the run is refused with one line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scyfi-block-'));
    try {
      const file = path.join(dir, 'bad.plrnn.json');
      fs.writeFileSync(file, '{\n  "architecture": "plrnn",\n  "scyfi": { "maxOrder": 0 },\n  "A": [0.5], "W": [[0.1]], "h": [1]\n}\n');
      const uri = vscode.Uri.file(file);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const [d] = await waitFor('a diagnostic on bad.plrnn.json', () => {
        const ds = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'scyfi');
        return ds.length > 0 ? ds : undefined;
      });
      assert.match(d.message, /scyfi\.maxOrder must be a whole number from 1 to 200/);
      assert.equal(doc.getText(d.range), '"maxOrder"');
      const r = await vscode.commands.executeCommand<ScyfiResult | undefined>('scyfi.findCycles', uri, {});
      assert.equal(r, undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SCYFI certified search in the editor', function () {
  this.timeout(180_000);

  it('proves the list of the README shPLRNN complete for orders 1–3 within the bound given', async () => {
    const r = await vscode.commands.executeCommand<(ScyfiResult & { certificate?: { summary: string; bound: number; orders: { order: number; status: string }[] } }) | undefined>(
      'scyfi.findCyclesCertified',
      example('readme.shplrnn.json'),
      { maxOrder: 3, certify: { bound: 250 } },
    );
    assert.ok(r?.certificate, 'a certificate');
    assert.equal(r.certificate.summary, 'complete (proven for orders 1–3 within ‖z‖∞ ≤ 250)');
    assert.deepEqual(r.certificate.orders.map((o) => o.status), ['proven', 'proven', 'proven']);
    assert.deepEqual(orders(r), [2, 2], 'no fixed point, two 2-cycles, no 3-cycle');
  });

  it('reports orders above the certified ones as heuristic', async () => {
    const r = await vscode.commands.executeCommand<(ScyfiResult & { certificate?: { summary: string } }) | undefined>('scyfi.findCyclesCertified', example('readme.shplrnn.json'), {
      maxOrder: 4,
      certify: { bound: 250, orders: 2 },
    });
    assert.match(r?.certificate?.summary ?? '', /^complete \(proven for orders 1–2 within ‖z‖∞ ≤ 250\); orders 3–4: heuristic search only$/);
  });
});
