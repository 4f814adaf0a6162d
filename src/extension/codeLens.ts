import * as vscode from 'vscode';
import { isModelDocument, rootRange, sweepableKeys } from './modelDocument';

/**
 * "Find fixed points & cycles" above the top-level object of JSON files that are models, and
 * "Sweep W…" on the line of each real-valued parameter's key.
 */
export class ModelCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isModelDocument(doc)) return [];
    const range = rootRange(doc);
    if (!range) return [];
    return [
      new vscode.CodeLens(range, { title: '$(debug-start) Find fixed points & cycles', command: 'scyfi.findCycles', arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Custom settings…', command: 'scyfi.findCyclesCustom', arguments: [doc.uri] }),
      ...sweepableKeys(doc).map(
        ({ key, range: at }) =>
          new vscode.CodeLens(at, { title: `Sweep ${key}…`, tooltip: `Sweep one entry of ${key} and find the bifurcations`, command: 'scyfi.sweepParameter', arguments: [doc.uri, { param: key }] }),
      ),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export const MODEL_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', scheme: 'file' },
  { language: 'jsonc', scheme: 'file' },
  { language: 'json', scheme: 'untitled' },
  { language: 'jsonc', scheme: 'untitled' },
];
