// A read-only viewer for binary checkpoints: the tensors in the file, the model they map to,
// and the same actions as the JSON lenses. Reading happens in a worker thread.
import * as vscode from 'vscode';
import { InspectJob } from '../shared/jobs';
import { parse } from '../shared/messages';
import { CheckpointToHost, type HostToCheckpoint } from '../shared/protocol';
import { output } from './output';
import { webviewHtml, webviewOptions } from './panel/html';
import { runJob } from './runner';
import { parameterMap } from './settings';

export const CHECKPOINT_VIEW_TYPE = 'scyfi.checkpointViewer';

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider {
  private static readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  static register(context: vscode.ExtensionContext): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(CHECKPOINT_VIEW_TYPE, new CheckpointEditorProvider(context.extensionUri), {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    });
  }

  /** Shows the checkpoint and highlights a parameter's row (the binary counterpart of revealing JSON text). */
  static async highlight(uri: vscode.Uri, param: string): Promise<void> {
    let panel = CheckpointEditorProvider.open.get(uri.toString());
    if (!panel) {
      await vscode.commands.executeCommand('vscode.openWith', uri, CHECKPOINT_VIEW_TYPE, vscode.ViewColumn.One);
      panel = CheckpointEditorProvider.open.get(uri.toString());
    } else {
      panel.reveal(undefined, false);
    }
    const m: HostToCheckpoint = { type: 'highlight', param };
    void panel?.webview.postMessage(m);
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const uri = document.uri;
    const key = uri.toString();
    const fileName = uri.path.split('/').pop() ?? key;
    CheckpointEditorProvider.open.set(key, panel);
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'checkpoint', fileName);

    const post = (m: HostToCheckpoint) => void panel.webview.postMessage(m);
    // The model shown, for a file that holds several.
    let selected: number | undefined;
    const load = async () => {
      try {
        const info = await runJob(this.extensionUri, InspectJob, { path: uri.fsPath, displayName: fileName, parameterMap: parameterMap(uri), model: selected }).done;
        post({ type: 'info', fileName, info });
      } catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
        output().error(`checkpoint viewer: ${message}`);
        post({ type: 'error', fileName, message });
      }
    };

    const watcher = uri.scheme === 'file' ? vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), fileName)) : undefined;
    const subs: vscode.Disposable[] = [];
    if (watcher) subs.push(watcher, watcher.onDidChange(() => void load()), watcher.onDidCreate(() => void load()));
    subs.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        let m;
        try {
          m = parse(CheckpointToHost, raw);
        } catch (e) {
          output().warn(`ignored a malformed message from the checkpoint viewer: ${(e as Error).message}`);
          return;
        }
        switch (m.type) {
          case 'ready':
            void load();
            break;
          case 'find': {
            const model = m.model ?? selected;
            void vscode.commands.executeCommand('scyfi.findCycles', uri, model === undefined ? undefined : { model });
            break;
          }
          case 'findCustom': {
            const model = m.model ?? selected;
            void vscode.commands.executeCommand('scyfi.findCycles', uri, { interactive: true, ...(model === undefined ? {} : { model }) });
            break;
          }
          case 'sweep': {
            const model = m.model ?? selected;
            void vscode.commands.executeCommand('scyfi.sweepParameter', uri, { ...(model === undefined ? {} : { model }), ...(m.param ? { param: m.param } : {}) });
            break;
          }
          case 'sweep2d': {
            const model = m.model ?? selected;
            void vscode.commands.executeCommand('scyfi.sweep2d', uri, model === undefined ? {} : { model });
            break;
          }
          case 'selectModel':
            selected = m.model;
            void load();
            break;
          case 'openAsText':
            void vscode.commands.executeCommand('vscode.openWith', uri, 'default');
            break;
          case 'reveal':
            post({ type: 'highlight', param: m.param });
            break;
        }
      }),
    );
    panel.onDidDispose(() => {
      if (CheckpointEditorProvider.open.get(key) === panel) CheckpointEditorProvider.open.delete(key);
      subs.forEach((d) => d.dispose());
    });
  }
}
