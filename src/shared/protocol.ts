// The channels between the extension host, the worker thread and the webviews: each message is
// declared once (type name, payload validator, TypeScript type), and every side checks what it
// receives with parse(channel, raw) before using it.
import { channel, message, type MessageIn } from './messages';
import {
  parseCheckpointInfo,
  parseCycle,
  parseJsonPath,
  parseModelInfo,
  parseModelSource,
  parseParamRefText,
  parseRunOptions,
  parseRunResult,
  parseStats,
  type CheckpointInfo,
  type Cycle,
  type ModelInfo,
  type ModelSource,
  type RunOptions,
  type RunResult,
  type ScyfiStats,
} from './shapes';
import { bool, intFrom, list, matching, MessageError, obj, oneOf, optional, record, str, type Infer, type Validator } from './validate';

export { MessageError };

// ------------------------------------------------------------------ host ↔ worker

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

const cancelFlag: Validator<SharedArrayBuffer> = (v, what) => {
  if (!(v instanceof SharedArrayBuffer) || v.byteLength < 4) throw new MessageError(`${what} must be a SharedArrayBuffer`);
  return v;
};

export function parseWorkerJob(v: unknown): WorkerJob {
  const kind = oneOf(['find', 'inspect'])(obj(v, 'job').kind, 'job.kind');
  const common = { displayName: str, parameterMap: optional(obj) };
  if (kind === 'inspect') return { kind, ...record({ path: str, ...common })(v, 'job') };
  return { kind, ...record({ source: parseModelSource, options: parseRunOptions, cancel: cancelFlag, ...common })(v, 'job') };
}

export const WorkerToHost = channel(
  'message from the worker',
  message('model', { model: parseModelInfo }),
  message('order', { order: intFrom(1), maxOrder: intFrom(1) }),
  message('cycle', { cycle: parseCycle }),
  message('done', { result: parseRunResult }),
  message('inspected', { info: parseCheckpointInfo }),
  message('error', { message: str, input: bool, jsonPath: optional(parseJsonPath) }),
);
export type WorkerToHost = MessageIn<typeof WorkerToHost>;

// ------------------------------------------------------------------ host ↔ results panel

export const RUN_STATUSES = ['running', 'done', 'cancelled', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Everything the results panel shows about one model's latest run (also what survives a reload). */
export const parsePanelState = record({
  uri: str,
  fileName: str,
  status: oneOf(RUN_STATUSES),
  model: optional(parseModelInfo),
  options: optional(parseRunOptions),
  cycles: list(parseCycle),
  stats: optional(parseStats),
  progress: optional(record({ order: intFrom(1), maxOrder: intFrom(1) })),
  error: optional(str),
  /** The file changed after this run. */
  stale: optional(bool),
});
export type PanelState = Infer<typeof parsePanelState>;

export const HostToPanel = channel(
  'message to the results panel',
  message('reset', { state: parsePanelState }),
  message('model', { model: parseModelInfo }),
  message('progress', { order: intFrom(1), maxOrder: intFrom(1) }),
  message('cycle', { cycle: parseCycle }),
  message('finished', { result: parseRunResult }),
  message('failed', { message: str }),
  message('stale', { stale: bool }),
);
export type HostToPanel = MessageIn<typeof HostToPanel>;

export const PLOT_KINDS = ['state', 'eigen'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const PanelToHost = channel(
  'message from the results panel',
  message('ready'),
  message('reveal', { param: parseParamRefText }),
  message('rerun'),
  message('cancel'),
  message('export', { format: oneOf(EXPORT_FORMATS) }),
  message('savePng', { plot: oneOf(PLOT_KINDS), dataUrl: matching((s) => s.startsWith('data:image/png;base64,'), 'be a PNG data URL') }),
);
export type PanelToHost = MessageIn<typeof PanelToHost>;

// ------------------------------------------------------------------ host ↔ checkpoint viewer

export const HostToCheckpoint = channel(
  'message to the checkpoint viewer',
  message('info', { fileName: str, info: parseCheckpointInfo }),
  message('error', { fileName: str, message: str }),
  message('highlight', { param: str }),
);
export type HostToCheckpoint = MessageIn<typeof HostToCheckpoint>;

export const CheckpointToHost = channel(
  'message from the checkpoint viewer',
  message('ready'),
  message('find'),
  message('findCustom'),
  message('openAsText'),
  message('reveal', { param: parseParamRefText }),
);
export type CheckpointToHost = MessageIn<typeof CheckpointToHost>;

export type { CheckpointInfo, Cycle, ModelInfo, ModelSource, RunOptions, RunResult, ScyfiStats };
