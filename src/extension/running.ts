// The jobs the user started and can cancel (searches and sweeps), with their progress
// notification, and the report of a job that failed.
import * as vscode from 'vscode';
import { clearModelErrors, reportModelError } from './diagnostics';
import { output } from './output';
import { JobError, type JobRun } from './runner';

const running = new Map<string, JobRun<unknown>>();

/** Context key: something is running (shows "SCYFI: Cancel Search" in the palette). */
function setRunningContext(): void {
  void vscode.commands.executeCommand('setContext', 'scyfi.running', running.size > 0);
}

/** Cancels the run of `key`, or every run; returns how many were cancelled. */
export function cancelRuns(key?: string): number {
  const runs = key === undefined ? [...running.values()] : [running.get(key)].filter((r): r is JobRun<unknown> => !!r);
  runs.forEach((r) => r.cancel());
  return runs.length;
}

/**
 * Waits for `run` behind a cancellable progress notification titled `title`; `bindReport` receives
 * the function that sets the notification's message. A run of the same key is cancelled first.
 */
export async function trackRun<T>(key: string, title: string, start: () => JobRun<T>, bindReport: (report: (message: string) => void) => void, first: string): Promise<T> {
  running.get(key)?.cancel();
  const run = start();
  running.set(key, run);
  setRunningContext();
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      bindReport((message) => progress.report({ message }));
      progress.report({ message: first });
      const sub = token.onCancellationRequested(() => run.cancel());
      try {
        return await run.done;
      } finally {
        sub.dispose();
      }
    });
  } finally {
    if (running.get(key) === run) running.delete(key);
    setRunningContext();
  }
}

export function cancelAllRuns(): vscode.Disposable {
  return { dispose: () => running.forEach((r) => r.cancel()) };
}

/**
 * Says why a job failed: the one-line reason of a bad file (also as a diagnostic on a JSON model),
 * or an internal error pointing at the output channel. Returns the text for the panel.
 */
export async function reportJobError(e: unknown, uri: vscode.Uri, doc: vscode.TextDocument | undefined): Promise<string> {
  const err = e instanceof JobError ? e : new JobError(String(e), false);
  const log = output();
  if (err.input) {
    log.error(`  ${err.message}`);
    void vscode.window.showErrorMessage(err.message);
    const jsonDoc = doc ?? (/\.jsonc?$/i.test(uri.path) ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : undefined);
    if (jsonDoc) reportModelError(jsonDoc, err.message, err.jsonPath);
    return err.message;
  }
  log.error(`  internal error: ${err.message}`);
  void vscode.window.showErrorMessage(`SCYFI: internal error (${err.message.split('\n')[0]}); see the SCYFI output channel.`);
  return `Internal error: ${err.message.split('\n')[0]}`;
}

/** A run read the model without complaint: the file's earlier run errors are gone. */
export function clearRunErrors(doc: vscode.TextDocument | undefined): void {
  if (doc) clearModelErrors(doc.uri);
}
