// A run panel: the analysis of one training run (a folder of checkpoints or a scyfi-run.json
// manifest). One panel per run; analysing the same run again refreshes it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeclOf, MessageOf } from '../../shared/messages';
import { parseRunPanelState, RunToHost, type HostToRun, type RunPanelState } from '../../shared/protocol';
import type { RunAnalysisOptions } from '../../shared/runReport';
import { applyRunMessage, beginRunAnalysis } from '../../shared/runState';
import { createPanel, PanelBase, PanelRegistry, registerSerializer } from './base';

export const RUN_VIEW_TYPE = 'scyfi.run';

function titleOf(s: RunPanelState): string {
  return `Run ${s.fileName}`;
}

/** What the panel's buttons and links do beyond the panel itself (the run command owns the runs). */
export interface RunActions {
  rerun(panel: RunPanel): void;
  cancel(panel: RunPanel): void;
  openCheckpoint(panel: RunPanel, index: number): void;
  compareEvent(panel: RunPanel, event: number): void;
  revealParameter(panel: RunPanel, index: number, param: string): void;
  export(panel: RunPanel, format: 'json' | 'csv'): void;
  savePng(panel: RunPanel, plot: string, dataUrl: string): void;
}

type RunIn = DeclOf<typeof RunToHost>;

export class RunPanel extends PanelBase<RunIn, HostToRun> {
  private static readonly registry = new PanelRegistry<RunPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    uri: vscode.Uri,
    public state: RunPanelState,
    private readonly actions: RunActions,
  ) {
    super(panel, extensionUri, uri, `run#${uri.toString()}`, 'run', RunToHost, RunPanel.registry);
  }

  get modelIndex(): number | undefined {
    return undefined;
  }

  /** The panel of this run, created next to the other panels when there is none. */
  static show(extensionUri: vscode.Uri, uri: vscode.Uri, initial: RunPanelState, actions: RunActions): RunPanel {
    const existing = RunPanel.registry.revealed(`run#${uri.toString()}`);
    if (existing) return existing;
    return new RunPanel(createPanel(extensionUri, RUN_VIEW_TYPE, titleOf(initial)), extensionUri, uri, initial, actions);
  }

  /** Restores run panels after a window reload. */
  static register(context: vscode.ExtensionContext, actions: RunActions): void {
    registerSerializer(context, RUN_VIEW_TYPE, parseRunPanelState, (panel, state) => {
      panel.title = titleOf(state);
      new RunPanel(panel, context.extensionUri, vscode.Uri.parse(state.uri), state, actions);
    });
  }

  static all(): RunPanel[] {
    return RunPanel.registry.all();
  }

  beginRun(options: RunAnalysisOptions): void {
    this.state = beginRunAnalysis(this.state, options);
    this.post({ type: 'reset', state: this.state });
  }

  /** Applies a change to the panel's state and sends it to the page. */
  apply(m: HostToRun): void {
    this.state = applyRunMessage(this.state, m);
    this.post(m);
  }

  /** The folder the run's files are in. */
  get folder(): string {
    const p = this.uri.fsPath;
    return p.endsWith('scyfi-run.json') ? path.dirname(p) : p;
  }

  /** A file of the run changed (a new checkpoint, a longer log): the panel offers Re-run. */
  markStale(): void {
    if (this.state.stale || this.state.status === 'running') return;
    this.apply({ type: 'stale', stale: true });
  }

  protected receive(m: MessageOf<RunIn>): void {
    switch (m.type) {
      case 'ready':
        this.post({ type: 'reset', state: this.state });
        break;
      case 'rerun':
        this.actions.rerun(this);
        break;
      case 'cancel':
        this.actions.cancel(this);
        break;
      case 'export':
        this.actions.export(this, m.format);
        break;
      case 'savePng':
        this.actions.savePng(this, m.plot, m.dataUrl);
        break;
      case 'openCheckpoint':
        this.actions.openCheckpoint(this, m.index);
        break;
      case 'compareEvent':
        this.actions.compareEvent(this, m.event);
        break;
      case 'revealParameter':
        this.actions.revealParameter(this, m.index, m.param);
        break;
    }
  }
}
