// A sweep panel: the bifurcation diagram of one swept entry (or of the line between two models),
// or the 2-D map of two entries, of one model file. One panel per file and swept entry (or path),
// next to the file's results panel; a re-run of the same sweep refreshes the same panel.
import * as vscode from 'vscode';
import type { DeclOf, MessageOf } from '../../shared/messages';
import { parseSweepPanelState, SweepToHost, type HostToSweep, type SweepPanelState, type SweepTargetState } from '../../shared/protocol';
import { applySweepMessage, beginRun } from '../../shared/sweepState';
import type { SweepOptions } from '../../core/sweep/types';
import { exportSweep, savePng } from '../exporters';
import { createPanel, PanelBase, PanelRegistry, registerSerializer } from './base';
import { runKey } from './ResultsPanel';

export const SWEEP_VIEW_TYPE = 'scyfi.sweep';

/** One panel per model file and swept entry, line or pair of entries. */
export function sweepKey(uri: vscode.Uri, modelIndex: number | undefined, target: SweepTargetState): string {
  const what = target.kind === 'entry' ? `sweep=${target.ref}` : target.kind === 'line' ? `line=${target.toUri}` : `grid=${target.x.ref},${target.y.ref}`;
  return `${runKey(uri, modelIndex)}#${what}`;
}

function titleOf(s: SweepPanelState): string {
  const t = s.target;
  const model = s.modelIndex === undefined ? '' : ` (model ${s.modelIndex})`;
  if (t.kind === 'entry') return `Sweep ${t.ref}: ${s.fileName}${model}`;
  if (t.kind === 'line') return `Sweep ${s.fileName}${model} → ${t.toName}`;
  return `Map ${t.x.ref} × ${t.y.ref}: ${s.fileName}${model}`;
}

/** What the panel's buttons and links do beyond the panel itself (the sweep commands own the runs). */
export interface SweepActions {
  rerun(panel: SweepPanel): void;
  cancel(panel: SweepPanel): void;
  setValue(panel: SweepPanel, value: number): void;
  openStep(panel: SweepPanel, index: number): void;
}

type SweepIn = DeclOf<typeof SweepToHost>;

export class SweepPanel extends PanelBase<SweepIn, HostToSweep> {
  private static readonly registry = new PanelRegistry<SweepPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    uri: vscode.Uri,
    public state: SweepPanelState,
    private readonly actions: SweepActions,
  ) {
    super(panel, extensionUri, uri, sweepKey(uri, state.modelIndex, state.target), 'sweep', SweepToHost, SweepPanel.registry);
  }

  get modelIndex(): number | undefined {
    return this.state.modelIndex;
  }

  /** The panel of this sweep, created next to the other panels when there is none; `initial` is what a new one shows. */
  static show(extensionUri: vscode.Uri, uri: vscode.Uri, initial: SweepPanelState, actions: SweepActions): SweepPanel {
    const existing = SweepPanel.registry.revealed(sweepKey(uri, initial.modelIndex, initial.target));
    if (existing) return existing;
    return new SweepPanel(createPanel(extensionUri, SWEEP_VIEW_TYPE, titleOf(initial)), extensionUri, uri, initial, actions);
  }

  /** Restores sweep panels after a window reload. */
  static register(context: vscode.ExtensionContext, actions: SweepActions): void {
    registerSerializer(context, SWEEP_VIEW_TYPE, parseSweepPanelState, (panel, state) => {
      panel.title = titleOf(state);
      new SweepPanel(panel, context.extensionUri, vscode.Uri.parse(state.uri), state, actions);
    });
  }

  static allForUri(uri: vscode.Uri): SweepPanel[] {
    return SweepPanel.registry.all().filter((p) => p.uri.toString() === uri.toString() || (p.state.target.kind === 'line' && p.state.target.toUri === uri.toString()));
  }

  beginRun(options: SweepOptions): void {
    this.state = beginRun(this.state, options);
    this.post({ type: 'reset', state: this.state });
  }

  /** Applies a change to the panel's state and sends it to the page. */
  apply(m: HostToSweep): void {
    this.state = applySweepMessage(this.state, m);
    this.post(m);
  }

  markStale(): void {
    if (this.state.stale || this.state.status === 'running') return;
    this.apply({ type: 'stale', stale: true });
  }

  /** Shows the swept entry in the file (the file itself for the line between two models). */
  reveal(): Thenable<unknown> {
    const t = this.state.target;
    if (t.kind === 'entry') return vscode.commands.executeCommand('scyfi.revealParameter', this.uri, t.ref);
    if (t.kind === 'grid') return vscode.commands.executeCommand('scyfi.revealParameter', this.uri, t.x.ref);
    return vscode.commands.executeCommand('vscode.open', this.uri, vscode.ViewColumn.One);
  }

  protected receive(m: MessageOf<SweepIn>): void {
    switch (m.type) {
      case 'ready':
        this.post({ type: 'reset', state: this.state });
        break;
      case 'reveal':
        void this.reveal();
        break;
      case 'setValue':
        this.actions.setValue(this, m.value);
        break;
      case 'openStep':
        this.actions.openStep(this, m.index);
        break;
      case 'rerun':
        this.actions.rerun(this);
        break;
      case 'cancel':
        this.actions.cancel(this);
        break;
      case 'export':
        void exportSweep(this.state, m.format);
        break;
      case 'savePng':
        void savePng(this.uri, this.pngName(m.plot), m.dataUrl);
        break;
    }
  }

  private pngName(plot: 'diagram' | 'spectral' | 'map'): string {
    const t = this.state.target;
    const what = t.kind === 'entry' ? t.ref : t.kind === 'grid' ? `${t.x.ref}-${t.y.ref}` : 'line';
    return `${what}-${plot === 'diagram' ? 'bifurcation' : plot === 'spectral' ? 'spectral-radius' : 'map'}`;
  }
}
