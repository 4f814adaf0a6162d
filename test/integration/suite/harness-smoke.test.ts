// Smoke test of the integration infrastructure itself: the suite runs inside a real extension
// host, on the examples/ workspace, with the extension under development present.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('integration harness', () => {
  it('runs inside a VS Code extension host', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('opens the examples/ workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'one workspace folder');
    assert.equal(path.basename(folders[0].uri.path), 'examples');
    assert.ok(fs.existsSync(folders[0].uri.fsPath), `${folders[0].uri.fsPath} exists`);
  });

  it('has the extension under development', () => {
    const ext = vscode.extensions.getExtension('scyfi-tools.scyfi-vscode');
    assert.ok(ext, 'extension scyfi-tools.scyfi-vscode is present');
    assert.equal(ext.packageJSON.name, 'scyfi-vscode');
  });
});
