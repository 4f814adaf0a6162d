// What the results panel and the sweep panels share: one webview panel per key, the page
// (html.ts), validated messages from the page, the column new panels open in, the panel the user
// looked at last, and restoring panels after a window reload.
import * as vscode from 'vscode';
import { parse, type Channel, type MessageDecl, type MessageOf } from '../../shared/messages';
import { output } from '../output';
import { webviewHtml, webviewOptions, type PageView } from './html';

/** The open panels of one kind, by key, and the one the user looked at last. */
export class PanelRegistry<P extends PanelBase<MessageDecl, unknown>> {
  private readonly panels = new Map<string, P>();
  private last: P | undefined;

  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  /** The panel of `key`, brought to the front, when there is one. */
  revealed(key: string): P | undefined {
    const p = this.panels.get(key);
    p?.panel.reveal(undefined, true);
    return p;
  }

  all(): P[] {
    return [...this.panels.values()];
  }

  /** The panel the user looked at last (for commands run from the palette). */
  current(): P | undefined {
    return this.last;
  }

  add(p: P): void {
    this.panels.set(p.key, p);
    this.last = p;
  }

  focus(p: P): void {
    this.last = p;
  }

  remove(p: P): void {
    if (this.panels.get(p.key) === p) this.panels.delete(p.key);
    if (this.last === p) this.last = undefined;
  }
}

/** Every open panel of every kind (new panels open next to them), and the one looked at last. */
const open = new Set<PanelBase<MessageDecl, unknown>>();
let lastActive: PanelBase<MessageDecl, unknown> | undefined;

function looked(p: PanelBase<MessageDecl, unknown>): void {
  lastActive = p;
}

/** The SCYFI panel of any kind the user looked at last: its model is the one a palette command means. */
export function currentPanel(): { uri: vscode.Uri; modelIndex?: number } | undefined {
  return lastActive;
}

/** Next to the other SCYFI panels when there are some (unless that would cover the editor), else beside the editor. */
export function panelColumn(): vscode.ViewColumn {
  const others = [...open][0]?.panel.viewColumn;
  const editor = vscode.window.activeTextEditor?.viewColumn ?? vscode.window.tabGroups.activeTabGroup.viewColumn;
  return others !== undefined && others !== editor ? others : vscode.ViewColumn.Beside;
}

/** A new webview panel of `viewType` in the column panels open in. */
export function createPanel(extensionUri: vscode.Uri, viewType: string, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, { viewColumn: panelColumn(), preserveFocus: true }, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
}

export abstract class PanelBase<In extends MessageDecl, Out> {
  private readonly disposables: vscode.Disposable[] = [];
  /** Closed by the user: a run that goes on has nowhere to show its results (its command still returns them). */
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly uri: vscode.Uri,
    readonly key: string,
    view: PageView,
    private readonly incoming: Channel<In>,
    private readonly registry: PanelRegistry<PanelBase<In, Out>>,
  ) {
    registry.add(this);
    open.add(this);
    looked(this);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'panel-icon.svg');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, view, panel.title);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        let m: MessageOf<In>;
        try {
          m = parse(incoming, raw);
        } catch (e) {
          output().warn(`ignored a malformed ${this.incoming.name}: ${(e as Error).message}`);
          return;
        }
        this.receive(m);
      }),
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.active) return;
        registry.focus(this);
        looked(this);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Which model of a file that holds several. */
  abstract get modelIndex(): number | undefined;

  protected abstract receive(m: MessageOf<In>): void;

  protected post(m: Out): void {
    if (!this.disposed) void this.panel.webview.postMessage(m);
  }

  private dispose(): void {
    this.disposed = true;
    this.registry.remove(this);
    open.delete(this);
    if (lastActive === this) lastActive = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}

/**
 * Registers the restoring of `viewType` panels after a window reload, from the state their page
 * saved ({panel: state, view: …}). A panel that was running when the window closed is over: it
 * comes back cancelled, with what it had.
 */
export function registerSerializer<S extends { status: string; progress?: unknown }>(
  context: vscode.ExtensionContext,
  viewType: string,
  parseState: (v: unknown, what: string) => S,
  revive: (panel: vscode.WebviewPanel, state: S) => void,
): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        try {
          // Only the panel part matters here; the view part is the page's own (sorting, zoom…).
          const state = parseState((saved as { panel?: unknown } | undefined)?.panel, 'saved state');
          revive(panel, state.status === 'running' ? { ...state, status: 'cancelled', progress: undefined } : state);
        } catch (e) {
          output().warn(`could not restore a ${viewType} panel: ${(e as Error).message}`);
          panel.dispose();
        }
      },
    }),
  );
}
