import * as vscode from 'vscode';
import { parsePanelState } from '../../shared/protocol';
import { output } from '../output';
import { ResultsPanel, RESULTS_VIEW_TYPE } from './ResultsPanel';

/** Restores results panels after a window reload from the state their page saved. */
export function registerPanelSerializer(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        try {
          // The page stores {panel: PanelState, view: ...}; only the panel part matters here.
          const state = parsePanelState((saved as { panel?: unknown } | undefined)?.panel, 'saved state');
          ResultsPanel.revive(context.extensionUri, panel, state);
        } catch (e) {
          output().warn(`could not restore a results panel: ${(e as Error).message}`);
          panel.dispose();
        }
      },
    }),
  );
}
