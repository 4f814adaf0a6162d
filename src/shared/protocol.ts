// The channels between the extension host and the webviews (the worker's are in jobs.ts): each
// message is declared once (type name, payload validator, TypeScript type), and every side checks
// what it receives with parse(channel, raw) before using it.
import { parseCertificateInfo } from './jobs';
import { channel, message, type MessageIn } from './messages';
import {
  parseAxis,
  parseCheckpointInfo,
  parseCycle,
  parseGridResult,
  parseGridRow,
  parseModelInfo,
  parseParamRefText,
  parseRunOptions,
  parseRunResult,
  parseStats,
  parseSweepOptions,
  parseSweepResult,
  parseSweepStep,
} from './shapes';
import { parseRunAnalysisOptions, parseRunCheckpoint, parseRunReport, RUN_UNITS } from './runReport';
import { bool, int, intFrom, list, matching, MessageError, num, numbers, obj, oneOf, optional, record, str, type Infer, type Validator } from './validate';
import { parseBasinResult, parseDynamicsResult, parseTrajectory } from './dynamicsShapes';

/** A basin grid the results panel shows: its coordinates, how far it got, the rows so far. */
export const parseBasinsState = record({
  status: oneOf(['running', 'done', 'cancelled', 'error'] as const),
  x: int,
  y: int,
  result: optional(parseBasinResult),
  progress: optional(record({ done: int, total: int })),
  error: optional(str),
});
export type BasinsState = Infer<typeof parseBasinsState>;

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
  /** Trajectories simulated after the run from seeded starts (src/core/dynamics), and those from points the user clicked. */
  dynamics: optional(parseDynamicsResult),
  clicked: optional(list(parseTrajectory)),
  basins: optional(parseBasinsState),
  /** The options the model file's "scyfi" block set for this run. */
  fromFile: optional(list(str)),
  /** How long the last run took, loading included (to decide whether a save re-runs it). */
  runSeconds: optional(num),
  /** A certified run: what was proven. */
  certificate: optional(parseCertificateInfo),
});
export type PanelState = Infer<typeof parsePanelState>;

export const HostToPanel = channel(
  'message to the results panel',
  message('reset', { state: parsePanelState }),
  /** `options` when the model file's "scyfi" block changed them (`fromFile`: which). */
  message('model', { model: parseModelInfo, options: optional(parseRunOptions), fromFile: optional(list(str)) }),
  message('progress', { order: intFrom(1), maxOrder: intFrom(1) }),
  /** Cycles found since the last message, in the order they were found. */
  message('cycles', { cycles: list(parseCycle) }),
  /** `seconds`: how long the run took, loading included. */
  message('finished', { result: parseRunResult, seconds: optional(num) }),
  message('failed', { message: str, seconds: optional(num) }),
  message('stale', { stale: bool }),
  /** Dynamics (src/extension/dynamics.ts; reduced by src/shared/dynamicsState.ts). */
  message('dynamics', { dynamics: parseDynamicsResult }),
  message('trajectory', { trajectory: parseTrajectory }),
  message('basins', { basins: parseBasinsState }),
  /** A certified run: what was proven (before `finished`). */
  message('certificate', { certificate: parseCertificateInfo }),
);
export type HostToPanel = MessageIn<typeof HostToPanel>;

export const PLOT_KINDS = ['state', 'eigen'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];
export const EXPORT_FORMATS = ['json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A PNG image of a plot, as the page's canvas gives it. */
const pngDataUrl = matching((s) => s.startsWith('data:image/png;base64,'), 'be a PNG data URL');

export const PanelToHost = channel(
  'message from the results panel',
  message('ready'),
  message('reveal', { param: parseParamRefText }),
  /** Sweep a parameter of this model (choose the entry first). */
  message('sweep', { param: parseParamRefText }),
  message('rerun'),
  /** Run the certified search (it asks for R) at the orders of the result shown, to prove the list complete. */
  message('certify'),
  /** Run again up to this order (the panel offers twice the order searched when only fixed points were found). */
  message('deeper', { maxOrder: intFrom(2) }),
  message('cancel'),
  message('export', { format: oneOf(EXPORT_FORMATS) }),
  message('savePng', { plot: oneOf(PLOT_KINDS), dataUrl: pngDataUrl }),
  /** Simulate a trajectory from this point (all M coordinates). */
  message('simulate', { point: numbers }),
  /** Basins of attraction on the slice of coordinates x and y (0-based). */
  message('basins', { x: int, y: int }),
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
  /** Sweep one parameter entry (param: only that parameter's entries are offered), or two on a grid. */
  message('sweep', { model: optional(int), param: optional(parseParamRefText) }),
  message('sweep2d', { model: optional(int) }),
);
export type CheckpointToHost = MessageIn<typeof CheckpointToHost>;

// ------------------------------------------------------------------ host ↔ sweep panel

/** A finite number (a value written into a model). */
const finiteNumber: Validator<number> = (v, what) => {
  const n = num(v, what);
  if (!Number.isFinite(n)) throw new MessageError(`${what} must be a finite number`);
  return n;
};

/** What a sweep panel runs: one entry from `from` to `to`, the line to a second model, or a 2-D map of two entries. */
export const parseSweepTargetState: Validator<
  | { kind: 'entry'; ref: string; from: number; to: number }
  | { kind: 'line'; toUri: string; toName: string }
  | { kind: 'grid'; x: Infer<typeof parseAxis>; y: Infer<typeof parseAxis> }
> = (v, what) => {
  const kind = oneOf(['entry', 'line', 'grid'] as const)(obj(v, what).kind, `${what}.kind`);
  if (kind === 'entry') return { kind, ...record({ ref: parseParamRefText, from: num, to: num })(v, what) };
  if (kind === 'line') return { kind, ...record({ toUri: str, toName: str })(v, what) };
  return { kind, ...record({ x: parseAxis, y: parseAxis })(v, what) };
};
export type SweepTargetState = Infer<typeof parseSweepTargetState>;

/** Everything a sweep panel shows (also what survives a reload). */
export const parseSweepPanelState = record({
  uri: str,
  fileName: str,
  /** Which model of a file that holds several. */
  modelIndex: optional(int),
  status: oneOf(RUN_STATUSES),
  target: parseSweepTargetState,
  /** The sweep's options (for a map, steps is the number of values on the x axis). */
  options: parseSweepOptions,
  /** The file is a JSON model: an event's value can be set in it (otherwise it is saved as a new JSON model). */
  editable: bool,
  model: optional(parseModelInfo),
  /** The path in words, e.g. "W[0][0] from 1.3 to -6.2". */
  pathText: optional(str),
  /** A 1-D sweep: the steps as they come, then the whole result with branches and events. */
  sweep: optional(parseSweepResult),
  /** A 2-D map: the rows as they come, then the whole result. */
  grid: optional(parseGridResult),
  progress: optional(record({ done: int, total: int })),
  error: optional(str),
  /** The file changed after this run. */
  stale: optional(bool),
  /** Shown instead of the cancelled banner (a results folder: which shards are still missing). */
  note: optional(str),
});
export type SweepPanelState = Infer<typeof parseSweepPanelState>;

export const HostToSweep = channel(
  'message to the sweep panel',
  message('reset', { state: parseSweepPanelState }),
  message('model', { model: parseModelInfo, pathText: optional(str) }),
  /** Steps (or rows of a map) done, of all. */
  message('progress', { done: int, total: int }),
  /** Steps finished since the last message, in the order they finished (not by index). */
  message('steps', { steps: list(parseSweepStep) }),
  message('rows', { rows: list(parseGridRow) }),
  message('finished', { result: parseSweepResult }),
  message('gridFinished', { result: parseGridResult }),
  message('failed', { message: str }),
  message('stale', { stale: bool }),
);
export type HostToSweep = MessageIn<typeof HostToSweep>;

export const SWEEP_PLOT_KINDS = ['diagram', 'spectral', 'map'] as const;
export type SweepPlotKind = (typeof SWEEP_PLOT_KINDS)[number];

export const SweepToHost = channel(
  'message from the sweep panel',
  message('ready'),
  /** Show the swept entry in the file (the file itself for the line between two models). */
  message('reveal'),
  /** Set the swept entry to this value: an undoable edit of a JSON model; a checkpoint (or a point on a line) is saved as a new JSON model. */
  message('setValue', { value: finiteNumber }),
  /** Find the fixed points and cycles of this step's model. */
  message('openStep', { index: int }),
  message('rerun'),
  message('cancel'),
  message('export', { format: oneOf(EXPORT_FORMATS) }),
  message('savePng', { plot: oneOf(SWEEP_PLOT_KINDS), dataUrl: pngDataUrl }),
);
export type SweepToHost = MessageIn<typeof SweepToHost>;

// ------------------------------------------------------------------ host ↔ run panel

/** Two checkpoints around an event side by side: which they are and the entries that changed most. */
export const parseRunComparison = record({
  /** The event's index in the report. */
  event: int,
  /** Checkpoint indices before and after it. */
  before: int,
  after: int,
  /** Largest |Δ| first. */
  changes: list(record({ ref: parseParamRefText, from: num, to: num })),
  /** Entries compared in all. */
  total: int,
  /** Why the parameters could not be compared (the objects still show). */
  error: optional(str),
});
export type RunComparison = Infer<typeof parseRunComparison>;

export const RUN_PHASES = ['reading', 'searching'] as const;

/** Everything a run panel shows (also what survives a reload). */
export const parseRunPanelState = record({
  /** The run's folder or manifest. */
  uri: str,
  fileName: str,
  status: oneOf(RUN_STATUSES),
  options: parseRunAnalysisOptions,
  unit: optional(oneOf(RUN_UNITS)),
  /** The checkpoints read, in order (once reading is over). */
  checkpoints: optional(list(parseRunCheckpoint)),
  /** Searches streamed while the run goes, by checkpoint index, in the order they finished. */
  steps: list(parseSweepStep),
  /** The whole analysis, when it is over. */
  report: optional(parseRunReport),
  progress: optional(record({ phase: oneOf(RUN_PHASES), done: int, total: int })),
  comparison: optional(parseRunComparison),
  error: optional(str),
  stale: optional(bool),
});
export type RunPanelState = Infer<typeof parseRunPanelState>;

export const HostToRun = channel(
  'message to the run panel',
  message('reset', { state: parseRunPanelState }),
  message('run', { unit: oneOf(RUN_UNITS), checkpoints: list(parseRunCheckpoint) }),
  message('progress', { phase: oneOf(RUN_PHASES), done: int, total: int }),
  message('steps', { steps: list(parseSweepStep) }),
  message('finished', { report: parseRunReport }),
  message('failed', { message: str }),
  message('comparison', { comparison: parseRunComparison }),
  message('stale', { stale: bool }),
);
export type HostToRun = MessageIn<typeof HostToRun>;

export const RUN_PLOT_KINDS = ['loss', 'diagram', 'spectral'] as const;
export type RunPlotKind = (typeof RUN_PLOT_KINDS)[number];

export const RunToHost = channel(
  'message from the run panel',
  message('ready'),
  message('rerun'),
  message('cancel'),
  message('export', { format: oneOf(EXPORT_FORMATS) }),
  message('savePng', { plot: oneOf(RUN_PLOT_KINDS), dataUrl: pngDataUrl }),
  /** Open checkpoint `index` (its viewer, and its objects in the results panel). */
  message('openCheckpoint', { index: int }),
  /** Compare the checkpoints around event `event`. */
  message('compareEvent', { event: int }),
  /** Show an entry of checkpoint `index`. */
  message('revealParameter', { index: int, param: parseParamRefText }),
);
export type RunToHost = MessageIn<typeof RunToHost>;
