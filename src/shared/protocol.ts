// The channels between the extension host and the webviews (the worker's are in jobs.ts): each
// message is declared once (type name, payload validator, TypeScript type), and every side checks
// what it receives with parse(channel, raw) before using it.
import { channel, message, type MessageIn } from './messages';
import { parseCheckpointInfo, parseCycle, parseModelInfo, parseParamRefText, parseRunOptions, parseRunResult, parseStats } from './shapes';
import { bool, int, intFrom, list, matching, oneOf, optional, record, str, type Infer } from './validate';

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
  /** Which model of a file that holds several. */
  modelIndex: optional(int),
});
export type PanelState = Infer<typeof parsePanelState>;

export const HostToPanel = channel(
  'message to the results panel',
  message('reset', { state: parsePanelState }),
  message('model', { model: parseModelInfo }),
  message('progress', { order: intFrom(1), maxOrder: intFrom(1) }),
  /** Cycles found since the last message, in the order they were found. */
  message('cycles', { cycles: list(parseCycle) }),
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
  /** model: which model of a file that holds several. */
  message('find', { model: optional(int) }),
  message('findCustom', { model: optional(int) }),
  /** Show another model of a file that holds several. */
  message('selectModel', { model: int }),
  message('openAsText'),
  message('reveal', { param: parseParamRefText }),
);
export type CheckpointToHost = MessageIn<typeof CheckpointToHost>;
