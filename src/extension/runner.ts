// Jobs of the extension in worker threads (dist/worker.js): the extension host only waits.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { AnyJobKind, EndOf, InputOf } from '../shared/jobs';
import { JobError, startJob, type JobHandlers, type JobOptions, type JobRun } from '../worker/host/job';

export { JobError, type JobRun };

/**
 * A cancelled search's worker gets this long to stop before it is terminated (its streamed
 * cycles are kept): the search polls the flag every few milliseconds, so only a worker stuck
 * in one long step (reading a large file, one huge solve) is ever terminated, and Cancel in the
 * editor is over within a second whatever the model.
 */
export const FIND_CANCEL_GRACE_MS = 1000;

/** Runs one job of `kind` in a worker thread of its own. */
export function runJob<K extends AnyJobKind>(extensionUri: vscode.Uri, kind: K, input: InputOf<K>, handlers: JobHandlers<K> = {}, options: JobOptions = {}): JobRun<EndOf<K>> {
  return startJob(path.join(extensionUri.fsPath, 'dist', 'worker.js'), kind, input, handlers, options);
}
