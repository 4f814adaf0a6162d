// The messages between the extension host, the worker thread and the webviews, with runtime
// validators: every side checks what it receives before using it.
import { isParamRefText } from '../core/model/paramRef';
import type { Cycle, ScyfiStats } from '../core/scyfi/types';
import { arr, bool, int, MessageError, num, numberMatrix, numbers, obj, oneOf, optional, str } from './validate';

export type { Cycle, ScyfiStats };
export { MessageError };

// ------------------------------------------------------------------ shared shapes

/** Options of one run as the user chose them (undefined loop counts: the engine's defaults). */
export interface RunOptions {
  maxOrder: number;
  outerLoop?: number;
  innerLoop?: number;
  seed: number;
}

/** One parameter of a model as the panel shows it. */
export interface ParamInfo {
  /** Key in the JSON model format, e.g. "W1". */
  name: string;
  /** [n] for a vector, [rows, cols] for a matrix, [] for a scalar. */
  shape: number[];
  /** Short role, e.g. "recurrent weights". */
  role: string;
  /** The values when the parameter is small enough to show entry by entry. */
  values?: number[] | number[][] | number;
}

export interface ModelInfo {
  architecture: string;
  /** State dimension. */
  M: number;
  /** Number of switches (ReLU units). */
  H: number;
  /** The file format the model came from, e.g. "json", "pytorch". */
  format: string;
  parameters: ParamInfo[];
}

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

/** What the checkpoint viewer shows about a binary file. */
export interface CheckpointInfo {
  format: string;
  size: number;
  /** Set when the file is a Git LFS pointer rather than the data itself. */
  lfs?: { oid: string; size: number };
  tensors: TensorInfo[];
  model?: ModelInfo;
  /** Model parameter → the tensor it was read from. */
  mapping?: Record<string, string>;
  /** The naming convention that matched (or "map" for a sidecar file or the setting). */
  convention?: string;
  /** Why no model could be made from the tensors (one line). */
  modelError?: string;
  /** Why the tensors could not be listed (one line). */
  tensorsError?: string;
}

export interface RunResult {
  cycles: Cycle[];
  stats: ScyfiStats;
  cancelled: boolean;
}

// ------------------------------------------------------------------ validators of shapes

export function parseCycle(v: unknown, what = 'cycle'): Cycle {
  const o = obj(v, what);
  const eigenvalues = arr(o.eigenvalues, `${what}.eigenvalues`).map((e, i) => {
    const p = numbers(e, `${what}.eigenvalues[${i}]`);
    if (p.length !== 2) throw new MessageError(`${what}.eigenvalues[${i}] must be [re, im]`);
    return [p[0], p[1]] as [number, number];
  });
  return {
    order: int(o.order, `${what}.order`, 1),
    points: numberMatrix(o.points, `${what}.points`),
    eigenvalues,
    spectralRadius: num(o.spectralRadius, `${what}.spectralRadius`),
    stable: bool(o.stable, `${what}.stable`),
    classification: str(o.classification, `${what}.classification`),
    regions: arr(o.regions, `${what}.regions`).map((r, i) => str(r, `${what}.regions[${i}]`)),
  };
}

export function parseStats(v: unknown, what = 'stats'): ScyfiStats {
  const o = obj(v, what);
  return { candidates: num(o.candidates, `${what}.candidates`), seconds: num(o.seconds, `${what}.seconds`) };
}

export function parseRunOptions(v: unknown, what = 'options'): RunOptions {
  const o = obj(v, what);
  return {
    maxOrder: int(o.maxOrder, `${what}.maxOrder`, 1),
    outerLoop: optional(o.outerLoop, (x, w) => int(x, w, 1), `${what}.outerLoop`),
    innerLoop: optional(o.innerLoop, (x, w) => int(x, w, 1), `${what}.innerLoop`),
    seed: int(o.seed, `${what}.seed`),
  };
}

function parseValues(v: unknown, what: string): number[] | number[][] | number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const a = arr(v, what);
  return a.length > 0 && Array.isArray(a[0]) ? numberMatrix(a, what) : numbers(a, what);
}

export function parseModelInfo(v: unknown, what = 'model'): ModelInfo {
  const o = obj(v, what);
  return {
    architecture: str(o.architecture, `${what}.architecture`),
    M: int(o.M, `${what}.M`, 1),
    H: int(o.H, `${what}.H`),
    format: str(o.format, `${what}.format`),
    parameters: arr(o.parameters, `${what}.parameters`).map((p, i) => {
      const q = obj(p, `${what}.parameters[${i}]`);
      return {
        name: str(q.name, `${what}.parameters[${i}].name`),
        shape: numbers(q.shape, `${what}.parameters[${i}].shape`),
        role: str(q.role, `${what}.parameters[${i}].role`),
        values: parseValues(q.values, `${what}.parameters[${i}].values`),
      };
    }),
  };
}

function parseTensor(v: unknown, what: string): TensorInfo {
  const o = obj(v, what);
  return { name: str(o.name, `${what}.name`), dtype: str(o.dtype, `${what}.dtype`), shape: numbers(o.shape, `${what}.shape`) };
}

function parseStringRecord(v: unknown, what: string): Record<string, string> {
  const o = obj(v, what);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(o)) out[k] = str(x, `${what}.${k}`);
  return out;
}

export function parseCheckpointInfo(v: unknown, what = 'checkpoint'): CheckpointInfo {
  const o = obj(v, what);
  const lfs = o.lfs === undefined ? undefined : obj(o.lfs, `${what}.lfs`);
  return {
    format: str(o.format, `${what}.format`),
    size: num(o.size, `${what}.size`),
    lfs: lfs ? { oid: str(lfs.oid, `${what}.lfs.oid`), size: num(lfs.size, `${what}.lfs.size`) } : undefined,
    tensors: arr(o.tensors, `${what}.tensors`).map((t, i) => parseTensor(t, `${what}.tensors[${i}]`)),
    model: o.model === undefined ? undefined : parseModelInfo(o.model, `${what}.model`),
    mapping: o.mapping === undefined ? undefined : parseStringRecord(o.mapping, `${what}.mapping`),
    convention: optional(o.convention, str, `${what}.convention`),
    modelError: optional(o.modelError, str, `${what}.modelError`),
    tensorsError: optional(o.tensorsError, str, `${what}.tensorsError`),
  };
}

// ------------------------------------------------------------------ host ↔ worker

/** Where the worker reads the model from: a file, or the unsaved text of a JSON editor. */
export type ModelSource = { kind: 'file'; path: string } | { kind: 'text'; text: string };

export type WorkerJob =
  | {
      kind: 'find';
      source: ModelSource;
      displayName: string;
      options: RunOptions;
      parameterMap?: Record<string, unknown>;
      /** Int32Array view over it: index 0 becomes 1 when the run is to stop. */
      cancel: SharedArrayBuffer;
    }
  | { kind: 'inspect'; path: string; displayName: string; parameterMap?: Record<string, unknown> };

export type WorkerMessage =
  | { type: 'model'; model: ModelInfo }
  | { type: 'order'; order: number; maxOrder: number }
  | { type: 'cycle'; cycle: Cycle }
  | { type: 'done'; result: RunResult }
  | { type: 'inspected'; info: CheckpointInfo }
  | { type: 'error'; message: string; input: boolean; jsonPath?: (string | number)[] };

function parseJsonPath(v: unknown, what: string): (string | number)[] {
  return arr(v, what).map((p, i) => {
    if (typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p) && p >= 0)) return p;
    throw new MessageError(`${what}[${i}] must be a key or an index`);
  });
}

export function parseRunResult(v: unknown, what = 'result'): RunResult {
  const o = obj(v, what);
  return {
    cycles: arr(o.cycles, `${what}.cycles`).map((c, i) => parseCycle(c, `${what}.cycles[${i}]`)),
    stats: parseStats(o.stats, `${what}.stats`),
    cancelled: bool(o.cancelled, `${what}.cancelled`),
  };
}

export function parseWorkerJob(v: unknown): WorkerJob {
  const o = obj(v, 'job');
  const parameterMap = o.parameterMap === undefined ? undefined : obj(o.parameterMap, 'job.parameterMap');
  const kind = oneOf(o.kind, ['find', 'inspect'] as const, 'job.kind');
  if (kind === 'inspect') return { kind, path: str(o.path, 'job.path'), displayName: str(o.displayName, 'job.displayName'), parameterMap };
  const s = obj(o.source, 'job.source');
  const source: ModelSource =
    oneOf(s.kind, ['file', 'text'] as const, 'job.source.kind') === 'file'
      ? { kind: 'file', path: str(s.path, 'job.source.path') }
      : { kind: 'text', text: str(s.text, 'job.source.text') };
  if (!(o.cancel instanceof SharedArrayBuffer) || o.cancel.byteLength < 4) throw new MessageError('job.cancel must be a SharedArrayBuffer');
  return {
    kind,
    source,
    displayName: str(o.displayName, 'job.displayName'),
    options: parseRunOptions(o.options, 'job.options'),
    parameterMap,
    cancel: o.cancel,
  };
}

export function parseWorkerMessage(v: unknown): WorkerMessage {
  const o = obj(v, 'worker message');
  switch (oneOf(o.type, ['model', 'order', 'cycle', 'done', 'inspected', 'error'] as const, 'worker message type')) {
    case 'model':
      return { type: 'model', model: parseModelInfo(o.model) };
    case 'order':
      return { type: 'order', order: int(o.order, 'order', 1), maxOrder: int(o.maxOrder, 'maxOrder', 1) };
    case 'cycle':
      return { type: 'cycle', cycle: parseCycle(o.cycle) };
    case 'done':
      return { type: 'done', result: parseRunResult(o.result) };
    case 'inspected':
      return { type: 'inspected', info: parseCheckpointInfo(o.info) };
    case 'error':
      return {
        type: 'error',
        message: str(o.message, 'message'),
        input: bool(o.input, 'input'),
        jsonPath: o.jsonPath === undefined ? undefined : parseJsonPath(o.jsonPath, 'jsonPath'),
      };
  }
}

// ------------------------------------------------------------------ host ↔ results panel

export type RunStatus = 'running' | 'done' | 'cancelled' | 'error';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'done', 'cancelled', 'error'];

/** Everything the results panel shows about one model's latest run (also what survives a reload). */
export interface PanelState {
  uri: string;
  fileName: string;
  status: RunStatus;
  model?: ModelInfo;
  options?: RunOptions;
  cycles: Cycle[];
  stats?: ScyfiStats;
  progress?: { order: number; maxOrder: number };
  error?: string;
  /** The file changed after this run. */
  stale?: boolean;
}

export type HostToPanel =
  | { type: 'reset'; state: PanelState }
  | { type: 'model'; model: ModelInfo }
  | { type: 'progress'; order: number; maxOrder: number }
  | { type: 'cycle'; cycle: Cycle }
  | { type: 'finished'; result: RunResult }
  | { type: 'failed'; message: string }
  | { type: 'stale'; stale: boolean };

export type PlotKind = 'state' | 'eigen';
export type ExportFormat = 'json' | 'csv';

export type PanelToHost =
  | { type: 'ready' }
  | { type: 'reveal'; param: string }
  | { type: 'rerun' }
  | { type: 'cancel' }
  | { type: 'export'; format: ExportFormat }
  | { type: 'savePng'; plot: PlotKind; dataUrl: string };

export function parsePanelState(v: unknown, what = 'state'): PanelState {
  const o = obj(v, what);
  const progress = o.progress === undefined ? undefined : obj(o.progress, `${what}.progress`);
  return {
    uri: str(o.uri, `${what}.uri`),
    fileName: str(o.fileName, `${what}.fileName`),
    status: oneOf(o.status, RUN_STATUSES, `${what}.status`),
    model: o.model === undefined ? undefined : parseModelInfo(o.model, `${what}.model`),
    options: o.options === undefined ? undefined : parseRunOptions(o.options, `${what}.options`),
    cycles: arr(o.cycles, `${what}.cycles`).map((c, i) => parseCycle(c, `${what}.cycles[${i}]`)),
    stats: o.stats === undefined ? undefined : parseStats(o.stats, `${what}.stats`),
    progress: progress ? { order: int(progress.order, 'progress.order', 1), maxOrder: int(progress.maxOrder, 'progress.maxOrder', 1) } : undefined,
    error: optional(o.error, str, `${what}.error`),
    stale: optional(o.stale, bool, `${what}.stale`),
  };
}

export function parseHostToPanel(v: unknown): HostToPanel {
  const o = obj(v, 'message');
  switch (oneOf(o.type, ['reset', 'model', 'progress', 'cycle', 'finished', 'failed', 'stale'] as const, 'message type')) {
    case 'reset':
      return { type: 'reset', state: parsePanelState(o.state) };
    case 'model':
      return { type: 'model', model: parseModelInfo(o.model) };
    case 'progress':
      return { type: 'progress', order: int(o.order, 'order', 1), maxOrder: int(o.maxOrder, 'maxOrder', 1) };
    case 'cycle':
      return { type: 'cycle', cycle: parseCycle(o.cycle) };
    case 'finished':
      return { type: 'finished', result: parseRunResult(o.result) };
    case 'failed':
      return { type: 'failed', message: str(o.message, 'message') };
    case 'stale':
      return { type: 'stale', stale: bool(o.stale, 'stale') };
  }
}


export function parsePanelToHost(v: unknown): PanelToHost {
  const o = obj(v, 'message');
  switch (oneOf(o.type, ['ready', 'reveal', 'rerun', 'cancel', 'export', 'savePng'] as const, 'message type')) {
    case 'ready':
    case 'rerun':
    case 'cancel':
      return { type: o.type as 'ready' | 'rerun' | 'cancel' };
    case 'reveal': {
      const param = str(o.param, 'param');
      if (!isParamRefText(param)) throw new MessageError('param must look like W or W[1][0]');
      return { type: 'reveal', param };
    }
    case 'export':
      return { type: 'export', format: oneOf(o.format, ['json', 'csv'] as const, 'format') };
    case 'savePng': {
      const dataUrl = str(o.dataUrl, 'dataUrl');
      if (!dataUrl.startsWith('data:image/png;base64,')) throw new MessageError('dataUrl must be a PNG data URL');
      return { type: 'savePng', plot: oneOf(o.plot, ['state', 'eigen'] as const, 'plot'), dataUrl };
    }
  }
}

// ------------------------------------------------------------------ host ↔ checkpoint viewer

export type HostToCheckpoint =
  | { type: 'info'; fileName: string; info: CheckpointInfo }
  | { type: 'error'; fileName: string; message: string }
  | { type: 'highlight'; param: string };

export type CheckpointToHost = { type: 'ready' } | { type: 'find' } | { type: 'findCustom' } | { type: 'openAsText' } | { type: 'reveal'; param: string };

export function parseHostToCheckpoint(v: unknown): HostToCheckpoint {
  const o = obj(v, 'message');
  switch (oneOf(o.type, ['info', 'error', 'highlight'] as const, 'message type')) {
    case 'info':
      return { type: 'info', fileName: str(o.fileName, 'fileName'), info: parseCheckpointInfo(o.info) };
    case 'error':
      return { type: 'error', fileName: str(o.fileName, 'fileName'), message: str(o.message, 'message') };
    case 'highlight':
      return { type: 'highlight', param: str(o.param, 'param') };
  }
}

export function parseCheckpointToHost(v: unknown): CheckpointToHost {
  const o = obj(v, 'message');
  const type = oneOf(o.type, ['ready', 'find', 'findCustom', 'openAsText', 'reveal'] as const, 'message type');
  if (type === 'reveal') {
    const param = str(o.param, 'param');
    if (!isParamRefText(param)) throw new MessageError('param must look like W or W[1][0]');
    return { type, param };
  }
  return { type };
}
