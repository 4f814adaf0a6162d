// The results panel of one model file: owns the webview, keeps the state of the latest run and
// streams changes to the page. One panel per model; a re-run refreshes the same panel.
import * as vscode from 'vscode';
import { parse } from '../../shared/messages';
import { PanelToHost, type HostToPanel, type PanelState } from '../../shared/protocol';
import type { Cycle, ModelInfo, RunOptions, RunResult } from '../../shared/shapes';
import { output } from '../output';
import { webviewHtml, webviewOptions } from './html';
import { savePng } from '../exporters';

export const RESULTS_VIEW_TYPE = 'scyfi.results';

function fileNameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/** One panel per model: a file, or one model of a file that holds several. */
export function runKey(uri: vscode.Uri, modelIndex?: number): string {
  return modelIndex === undefined ? uri.toString() : `${uri.toString()}#model=${modelIndex}`;
}

function titleOf(fileName: string, modelIndex?: number): string {
  return `SCYFI: ${fileName}${modelIndex === undefined ? '' : ` (model ${modelIndex})`}`;
}

export class ResultsPanel {
  private static readonly panels = new Map<string, ResultsPanel>();
  private static lastActive: ResultsPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly uri: vscode.Uri,
    public state: PanelState,
  ) {
    ResultsPanel.panels.set(this.key, this);
    ResultsPanel.lastActive = this;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'results', panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) ResultsPanel.lastActive = this;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get key(): string {
    return runKey(this.uri, this.state.modelIndex);
  }

  /** The panel of `uri` (and model), created beside the editor when there is none. */
  static show(extensionUri: vscode.Uri, uri: vscode.Uri, modelIndex?: number): ResultsPanel {
    const existing = ResultsPanel.panels.get(runKey(uri, modelIndex));
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const fileName = fileNameOf(uri);
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      titleOf(fileName, modelIndex),
      { viewColumn: ResultsPanel.column(), preserveFocus: true },
      { ...webviewOptions(extensionUri), retainContextWhenHidden: false },
    );
    return new ResultsPanel(panel, extensionUri, uri, { uri: uri.toString(), fileName, status: 'done', cycles: [], modelIndex });
  }

  /** Re-attaches a panel restored by VS Code after a reload. */
  static revive(extensionUri: vscode.Uri, panel: vscode.WebviewPanel, state: PanelState): ResultsPanel {
    // A run that was going when the window closed is over: keep what it had found.
    const restored: PanelState = state.status === 'running' ? { ...state, status: 'cancelled', progress: undefined } : state;
    panel.title = `SCYFI: ${state.fileName}`;
    return new ResultsPanel(panel, extensionUri, vscode.Uri.parse(state.uri), restored);
  }

  /** Next to the other results panels when there are some (unless that would cover the editor), else beside the editor. */
  private static column(): vscode.ViewColumn {
    const others = ResultsPanel.all()[0]?.panel.viewColumn;
    const editor = vscode.window.activeTextEditor?.viewColumn ?? vscode.window.tabGroups.activeTabGroup.viewColumn;
    return others !== undefined && others !== editor ? others : vscode.ViewColumn.Beside;
  }

  static forUri(uri: vscode.Uri, modelIndex?: number): ResultsPanel | undefined {
    return ResultsPanel.panels.get(runKey(uri, modelIndex));
  }

  /** Every panel of a file (one per model of a file that holds several). */
  static allForUri(uri: vscode.Uri): ResultsPanel[] {
    return [...ResultsPanel.panels.values()].filter((p) => p.uri.toString() === uri.toString());
  }

  /** The panel the user looked at last (for commands run from the palette). */
  static current(): ResultsPanel | undefined {
    return ResultsPanel.lastActive;
  }

  static all(): ResultsPanel[] {
    return [...ResultsPanel.panels.values()];
  }

  beginRun(options: RunOptions): void {
    this.state = { uri: this.state.uri, fileName: this.state.fileName, status: 'running', options, cycles: [], model: this.state.model, modelIndex: this.state.modelIndex };
    this.post({ type: 'reset', state: this.state });
  }

  setModel(model: ModelInfo): void {
    this.state.model = model;
    this.post({ type: 'model', model });
  }

  progress(order: number, maxOrder: number): void {
    this.state.progress = { order, maxOrder };
    this.post({ type: 'progress', order, maxOrder });
  }

  addCycles(cycles: Cycle[]): void {
    for (const c of cycles) this.state.cycles.push(c);
    this.post({ type: 'cycles', cycles });
  }

  finish(result: RunResult): void {
    this.state = { ...this.state, status: result.cancelled ? 'cancelled' : 'done', cycles: result.cycles, stats: result.stats, progress: undefined };
    this.post({ type: 'finished', result });
  }

  fail(message: string): void {
    this.state = { ...this.state, status: 'error', error: message, progress: undefined };
    this.post({ type: 'failed', message });
  }

  markStale(): void {
    if (this.state.stale || this.state.status === 'running') return;
    this.state.stale = true;
    this.post({ type: 'stale', stale: true });
  }

  private post(m: HostToPanel): void {
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    let m: PanelToHost;
    try {
      m = parse(PanelToHost, raw);
    } catch (e) {
      output().warn(`ignored a malformed message from the results panel: ${(e as Error).message}`);
      return;
    }
    switch (m.type) {
      case 'ready':
        this.post({ type: 'reset', state: this.state });
        break;
      case 'reveal':
        void vscode.commands.executeCommand('scyfi.revealParameter', this.uri, m.param);
        break;
      case 'rerun':
        void vscode.commands.executeCommand('scyfi.findCycles', this.uri, this.state.modelIndex === undefined ? undefined : { model: this.state.modelIndex });
        break;
      case 'cancel':
        void vscode.commands.executeCommand('scyfi.cancelRun', this.uri, this.state.modelIndex);
        break;
      case 'export':
        void vscode.commands.executeCommand('scyfi.exportResults', this.uri, m.format);
        break;
      case 'savePng':
        void savePng(this.uri, m.plot, m.dataUrl);
        break;
    }
  }

  private dispose(): void {
    if (ResultsPanel.panels.get(this.key) === this) ResultsPanel.panels.delete(this.key);
    if (ResultsPanel.lastActive === this) ResultsPanel.lastActive = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}
