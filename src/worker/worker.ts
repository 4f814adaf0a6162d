// The worker thread: loads a model and runs SCYFI (or lists a checkpoint's tensors), so that the
// extension host's thread never does heavy work. One worker per job; the job arrives as
// workerData, messages go back through parentPort (see WorkerToHost in src/shared/protocol.ts).
import { promises as fs } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isInputError } from '../core/errors';
import { loadModelFile, readTensors, type LoadOptions, type ParameterMap } from '../core/io/load';
import { modelFromJsonText } from '../core/io/json';
import { findCycles } from '../core/scyfi';
import type { Model } from '../core/model/types';
import { parseWorkerJob, type CheckpointInfo, type WorkerJob, type WorkerToHost } from '../shared/protocol';
import { readLfsPointer } from './lfs';
import { modelInfo } from './modelInfo';

function post(m: WorkerToHost): void {
  parentPort?.postMessage(m);
}

function loadOptions(job: { displayName: string; parameterMap?: Record<string, unknown> }): LoadOptions {
  const opts: LoadOptions = { displayName: job.displayName };
  // The loader checks the map's shape and names the setting in its errors.
  if (job.parameterMap && Object.keys(job.parameterMap).length > 0) opts.parameterMap = job.parameterMap as ParameterMap;
  return opts;
}

async function load(job: Extract<WorkerJob, { kind: 'find' }>): Promise<{ model: Model; format: string }> {
  if (job.source.kind === 'text') return { model: modelFromJsonText(job.source.text, job.displayName), format: 'json' };
  const loaded = await loadModelFile(job.source.path, loadOptions(job));
  return { model: loaded.model, format: loaded.format };
}

async function find(job: Extract<WorkerJob, { kind: 'find' }>): Promise<void> {
  const { model, format } = await load(job);
  post({ type: 'model', model: modelInfo(model.spec, model.map, format) });
  const flag = new Int32Array(job.cancel);
  const result = findCycles(model.map, { ...job.options }, {
    onOrder: (order, maxOrder) => post({ type: 'order', order, maxOrder }),
    onCycle: (cycle) => post({ type: 'cycle', cycle }),
    isCancelled: () => Atomics.load(flag, 0) !== 0,
  });
  post({ type: 'done', result: { cycles: result.cycles, stats: result.stats, cancelled: result.cancelled } });
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

async function inspect(job: Extract<WorkerJob, { kind: 'inspect' }>): Promise<void> {
  const size = (await fs.stat(job.path)).size;
  const lfs = await readLfsPointer(job.path);
  if (lfs) {
    post({ type: 'inspected', info: { format: 'git-lfs', size, lfs, tensors: [] } });
    return;
  }
  const info: CheckpointInfo = { format: 'unknown', size, tensors: [] };
  try {
    const listing = await readTensors(job.path, { displayName: job.displayName });
    info.format = listing.format;
    info.tensors = listing.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] }));
  } catch (e) {
    if (!isInputError(e)) throw e;
    info.tensorsError = oneLine(e);
  }
  try {
    const loaded = await loadModelFile(job.path, loadOptions(job));
    info.format = loaded.format;
    info.model = modelInfo(loaded.model.spec, loaded.model.map, loaded.format);
    info.mapping = loaded.parameters;
    info.convention = loaded.convention;
  } catch (e) {
    if (!isInputError(e)) throw e;
    info.modelError = oneLine(e);
  }
  // One message for the file is enough when neither the tensors nor a model could be read.
  if (info.tensorsError && info.modelError === info.tensorsError) info.modelError = undefined;
  post({ type: 'inspected', info });
}

async function main(): Promise<void> {
  let job: WorkerJob;
  try {
    job = parseWorkerJob(workerData);
  } catch (e) {
    post({ type: 'error', message: `internal: bad job (${oneLine(e)})`, input: false });
    return;
  }
  try {
    if (job.kind === 'find') await find(job);
    else await inspect(job);
  } catch (e) {
    if (isInputError(e)) post({ type: 'error', message: oneLine(e), input: true, jsonPath: e.jsonPath ? [...e.jsonPath] : undefined });
    else post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e), input: false });
  }
}

void main();
