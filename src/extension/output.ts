import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "SCYFI" output channel: one block per run. */
export function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('SCYFI', { log: true });
  return channel;
}

export function disposeOutput(): void {
  channel?.dispose();
  channel = undefined;
}
