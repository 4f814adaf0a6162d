import * as vscode from 'vscode';
import { CheckpointEditorProvider } from './checkpointEditor';
import { MODEL_SELECTOR, ModelCodeLensProvider } from './codeLens';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { ModelHoverProvider } from './hover';
import { isModelDocument } from './modelDocument';
import { disposeOutput } from './output';
import { ResultsPanel } from './panel/ResultsPanel';
import { SweepPanel } from './panel/SweepPanel';
import { registerRunCommands } from './run';
import { registerSweepCommands } from './sweep';
import { registerResultsFolder } from './resultsFolder';

/** Context key for the editor title button: the active editor is a JSON model. */
const IS_MODEL_KEY = 'scyfi.activeEditorIsModel';

function updateContext(editor: vscode.TextEditor | undefined): void {
  void vscode.commands.executeCommand('setContext', IS_MODEL_KEY, !!editor && isModelDocument(editor.document));
}

/** The panels of a file (results and sweeps) say that it changed after their run. */
function markStale(uri: vscode.Uri): void {
  ResultsPanel.allForUri(uri).forEach((p) => p.markStale());
  SweepPanel.allForUri(uri).forEach((p) => p.markStale());
}

export function activate(context: vscode.ExtensionContext): void {
  registerCommands(context);
  registerSweepCommands(context);
  registerRunCommands(context);
  registerResultsFolder(context);
  ResultsPanel.register(context);
  registerDiagnostics(context);
  const lenses = new ModelCodeLensProvider();
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, new ModelHoverProvider()),
    CheckpointEditorProvider.register(context),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) updateContext(vscode.window.activeTextEditor);
      if (e.contentChanges.length > 0) markStale(e.document.uri);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => ResultsPanel.onSaved(doc.uri)),
  );
  // Files changed on disk (a checkpoint re-saved by training code, a JSON edited elsewhere).
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{json,jsonc,pt,pth,ckpt,npz,npy,safetensors,bson,mat,jld2,h5,hdf5}', true, false, true);
  // An open text document says itself when it changes (onDidChangeTextDocument); its own save must not mark the run it starts stale.
  const changedOnDisk = (uri: vscode.Uri) => {
    if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) markStale(uri);
  };
  context.subscriptions.push(watcher, watcher.onDidChange(changedOnDisk));
  updateContext(vscode.window.activeTextEditor);
}

export function deactivate(): void {
  disposeOutput();
}
