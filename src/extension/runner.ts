// Jobs of the extension in worker threads (dist/worker.js): the extension host only waits.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { AnyJobKind, EndOf, InputOf } from '../shared/jobs';
import { JobError, startJob, type JobHandlers, type JobRun } from '../worker/host/job';

export { JobError, type JobRun };

/** Runs one job of `kind` in a worker thread of its own. */
export function runJob<K extends AnyJobKind>(extensionUri: vscode.Uri, kind: K, input: InputOf<K>, handlers: JobHandlers<K> = {}): JobRun<EndOf<K>> {
  return startJob(path.join(extensionUri.fsPath, 'dist', 'worker.js'), kind, input, handlers);
}
