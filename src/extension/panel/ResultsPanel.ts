// The results panel of one model file: owns the webview, keeps the state of the latest run and
// streams changes to the page. One panel per model; a re-run refreshes the same panel.
import * as vscode from 'vscode';
import type { CertificateInfo } from '../../shared/jobs';
import type { DeclOf, MessageOf } from '../../shared/messages';
import { PanelToHost, parsePanelState, type HostToPanel, type PanelState } from '../../shared/protocol';
import type { Cycle, ModelInfo, RunOptions, RunResult } from '../../shared/shapes';
import { shouldRerunOnSave } from '../../shared/resultsView';
import { savePng } from '../exporters';
import { onDynamicsMessage } from '../dynamics';
import { applyDynamics, type DynamicsMessage } from '../../shared/dynamicsState';
import { rerunOnSaveSeconds } from '../settings';
import { createPanel, PanelBase, PanelRegistry, registerSerializer } from './base';

export const RESULTS_VIEW_TYPE = 'scyfi.results';

export function fileNameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

/** One panel per model: a file, or one model of a file that holds several. */
export function runKey(uri: vscode.Uri, modelIndex?: number): string {
  return modelIndex === undefined ? uri.toString() : `${uri.toString()}#model=${modelIndex}`;
}

function titleOf(fileName: string, modelIndex?: number): string {
  return `SCYFI: ${fileName}${modelIndex === undefined ? '' : ` (model ${modelIndex})`}`;
}

type PanelIn = DeclOf<typeof PanelToHost>;

export class ResultsPanel extends PanelBase<PanelIn, HostToPanel> {
  private static readonly registry = new PanelRegistry<ResultsPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    readonly extensionUri: vscode.Uri,
    uri: vscode.Uri,
    public state: PanelState,
  ) {
    super(panel, extensionUri, uri, runKey(uri, state.modelIndex), 'results', PanelToHost, ResultsPanel.registry);
  }

  get modelIndex(): number | undefined {
    return this.state.modelIndex;
  }

  /** The panel of `uri` (and model), created beside the editor when there is none. */
  static show(extensionUri: vscode.Uri, uri: vscode.Uri, modelIndex?: number): ResultsPanel {
    const existing = ResultsPanel.registry.revealed(runKey(uri, modelIndex));
    if (existing) return existing;
    const fileName = fileNameOf(uri);
    const panel = createPanel(extensionUri, RESULTS_VIEW_TYPE, titleOf(fileName, modelIndex));
    return new ResultsPanel(panel, extensionUri, uri, { uri: uri.toString(), fileName, status: 'done', cycles: [], modelIndex });
  }

  /** Restores results panels after a window reload. */
  static register(context: vscode.ExtensionContext): void {
    registerSerializer(context, RESULTS_VIEW_TYPE, parsePanelState, (panel, state) => {
      panel.title = titleOf(state.fileName, state.modelIndex);
      new ResultsPanel(panel, context.extensionUri, vscode.Uri.parse(state.uri), state);
    });
  }

  static forUri(uri: vscode.Uri, modelIndex?: number): ResultsPanel | undefined {
    return ResultsPanel.registry.get(runKey(uri, modelIndex));
  }

  /** Every panel of a file (one per model of a file that holds several). */
  static allForUri(uri: vscode.Uri): ResultsPanel[] {
    return ResultsPanel.registry.all().filter((p) => p.uri.toString() === uri.toString());
  }

  /** The panel the user looked at last (for commands run from the palette). */
  static current(): ResultsPanel | undefined {
    return ResultsPanel.registry.current();
  }

  static all(): ResultsPanel[] {
    return ResultsPanel.registry.all();
  }

  /** A file was saved: its panels whose last run was short (scyfi.rerunOnSave) run again. */
  static onSaved(uri: vscode.Uri): void {
    const limit = rerunOnSaveSeconds(uri);
    for (const p of ResultsPanel.allForUri(uri)) if (shouldRerunOnSave(p.state, limit)) p.rerun();
  }

  beginRun(options: RunOptions): void {
    this.state = { uri: this.state.uri, fileName: this.state.fileName, status: 'running', options, cycles: [], model: this.state.model, modelIndex: this.state.modelIndex };
    this.post({ type: 'reset', state: this.state });
  }

  /** The model is loaded; `options` when the file's "scyfi" block changed the run's (`fromFile`: which). */
  setModel(model: ModelInfo, options?: RunOptions, fromFile?: string[]): void {
    this.state.model = model;
    if (options) this.state.options = options;
    if (fromFile?.length) this.state.fromFile = fromFile;
    this.post({ type: 'model', model, ...(options ? { options } : {}), ...(fromFile?.length ? { fromFile } : {}) });
  }

  progress(order: number, maxOrder: number): void {
    this.state.progress = { order, maxOrder };
    this.post({ type: 'progress', order, maxOrder });
  }

  addCycles(cycles: Cycle[]): void {
    for (const c of cycles) this.state.cycles.push(c);
    this.post({ type: 'cycles', cycles });
  }

  setCertificate(certificate: CertificateInfo): void {
    this.state.certificate = certificate;
    this.post({ type: 'certificate', certificate });
  }

  /** `seconds`: how long the run took, loading included. */
  finish(result: RunResult, seconds?: number): void {
    this.state = { ...this.state, status: result.cancelled ? 'cancelled' : 'done', cycles: result.cycles, stats: result.stats, progress: undefined, runSeconds: seconds };
    this.post({ type: 'finished', result, seconds });
  }

  /** Trajectories and basins (src/extension/dynamics.ts). */
  showDynamics(m: DynamicsMessage): void {
    applyDynamics(this.state, m);
    this.post(m);
  }

  fail(message: string, seconds?: number): void {
    this.state = { ...this.state, status: 'error', error: message, progress: undefined, runSeconds: seconds };
    this.post({ type: 'failed', message, seconds });
  }

  /** The file changed: what the panel shows is of an earlier text (also when it changed during a run, which read the text it had at its start). */
  markStale(): void {
    if (this.state.stale) return;
    this.state.stale = true;
    this.post({ type: 'stale', stale: true });
  }

  /** Runs the search again as Re-run does (the settings, the model file's "scyfi" block). */
  rerun(): void {
    void vscode.commands.executeCommand('scyfi.findCycles', this.uri, this.state.modelIndex === undefined ? undefined : { model: this.state.modelIndex });
  }

  protected receive(m: MessageOf<PanelIn>): void {
    const model = this.state.modelIndex === undefined ? {} : { model: this.state.modelIndex };
    switch (m.type) {
      case 'ready':
        this.post({ type: 'reset', state: this.state });
        break;
      case 'reveal':
        void vscode.commands.executeCommand('scyfi.revealParameter', this.uri, m.param);
        break;
      case 'sweep':
        void vscode.commands.executeCommand('scyfi.sweepParameter', this.uri, { ...model, param: m.param });
        break;
      case 'rerun':
        this.rerun();
        break;
      case 'deeper':
        void vscode.commands.executeCommand('scyfi.findCycles', this.uri, { ...model, maxOrder: m.maxOrder });
        break;
      case 'certify':
        void vscode.commands.executeCommand('scyfi.findCyclesCertified', this.uri, { ...model, ...(this.state.options ? { maxOrder: this.state.options.maxOrder } : {}) });
        break;
      case 'cancel':
        void vscode.commands.executeCommand('scyfi.cancelRun', this.uri, this.state.modelIndex);
        break;
      case 'export':
        void vscode.commands.executeCommand('scyfi.exportResults', this.uri, m.format);
        break;
      case 'savePng':
        void savePng(this.uri, m.plot === 'state' ? 'state-space' : 'eigenvalues', m.dataUrl);
        break;
      case 'simulate':
      case 'basins':
        onDynamicsMessage(this, m);
        break;
    }
  }
}
