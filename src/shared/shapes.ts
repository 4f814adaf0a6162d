// The values that cross a thread or webview boundary, each declared once as a validator; its
// TypeScript type is inferred from it (or, for the engine's own types, checked to be exactly it).
import { isParamRefText } from '../core/model/paramRef';
import type { Cycle, FoundBySource, OrderStats, ScyfiResult, ScyfiStats } from '../core/scyfi/types';
import type { Branch, PathInfo, SweepEvent, SweepOptions, SweepResult, SweepStep } from '../core/sweep/types';
import type { GridCell, GridResult, GridRow } from '../core/sweep/grid';
import {
  arr,
  bool,
  dict,
  exactly,
  int,
  intFrom,
  list,
  matching,
  MessageError,
  num,
  numberMatrix,
  numbers,
  obj,
  oneOf,
  optional,
  record,
  str,
  type Infer,
  type Validator,
} from './validate';

export type { Cycle, OrderStats, ScyfiStats };

const complexPair: Validator<[number, number]> = (v, what) => {
  const p = numbers(v, what);
  if (p.length !== 2) throw new MessageError(`${what} must be [re, im]`);
  return [p[0], p[1]];
};

export const parseCycle = exactly<Cycle>()(
  record({
    order: intFrom(1),
    points: numberMatrix,
    eigenvalues: list(complexPair),
    spectralRadius: num,
    stable: bool,
    classification: str,
    regions: list(str),
  }),
);

const foundByFields = record({ seed: int, neighbour: int, flip: int, random: int, exhaustive: int, homotopy: optional(int) });
/** Counts per source; files written before continuation existed have no `homotopy` count (0). */
const parseFoundBy: Validator<FoundBySource> = (v, what) => {
  const r = foundByFields(v, what);
  return { ...r, homotopy: r.homotopy ?? 0 };
};

const parseOrderStats = exactly<OrderStats>()(
  record({
    order: intFrom(1),
    outerLoop: int,
    innerLoop: int,
    candidates: int,
    restarts: int,
    longestGap: int,
    longestChain: int,
    foundBy: optional(parseFoundBy),
    enumerated: optional(bool),
  }),
);

export const parseStats = exactly<ScyfiStats>()(
  record({ candidates: num, seconds: num, orders: optional(list(parseOrderStats)), foundBy: optional(parseFoundBy) }),
);

/** What a search ends with: every object found (sorted), the effort, and whether it was cancelled. */
export type RunResult = ScyfiResult;
export const parseRunResult = exactly<RunResult>()(record({ cycles: list(parseCycle), stats: parseStats, cancelled: bool }));

/** Options of one run as the user chose them (absent loop counts: the engine's defaults). */
export const parseRunOptions = record({
  maxOrder: intFrom(1),
  outerLoop: optional(intFrom(1)),
  innerLoop: optional(intFrom(1)),
  seed: int,
});
export type RunOptions = Infer<typeof parseRunOptions>;

const parseValues: Validator<number[] | number[][] | number> = (v, what) => {
  if (typeof v === 'number') return v;
  const a = arr(v, what);
  return a.length > 0 && Array.isArray(a[0]) ? numberMatrix(a, what) : numbers(a, what);
};

/** One parameter of a model as the panel shows it. */
export const parseParamInfo = record({
  /** Key in the JSON model format, e.g. "W1". */
  name: str,
  /** [n] for a vector, [rows, cols] for a matrix, [] for a scalar. */
  shape: numbers,
  /** Short role, e.g. "recurrent weights". */
  role: str,
  /** The values when the parameter is small enough to show entry by entry. */
  values: optional(parseValues),
});
export type ParamInfo = Infer<typeof parseParamInfo>;

export const parseModelInfo = record({
  architecture: str,
  /** State dimension. */
  M: intFrom(1),
  /** Number of switches (ReLU units). */
  H: int,
  /** The file format the model came from, e.g. "json", "pytorch". */
  format: str,
  parameters: list(parseParamInfo),
  /** The architecture's options that are set (clip, meanCentering, leak, basis), as text. */
  options: optional(list(record({ key: str, value: str, role: str }))),
  /** What the reader decided beyond the tensor names, and from where (one line each). */
  notes: optional(list(str)),
});
export type ModelInfo = Infer<typeof parseModelInfo>;

export const parseTensorInfo = record({ name: str, dtype: str, shape: numbers });
export type TensorInfo = Infer<typeof parseTensorInfo>;

/** One of the models of a file that holds several (a mixture's experts, a table of snapshots). */
export const parseModelChoice = record({
  index: int,
  label: str,
  architecture: optional(str),
  M: optional(int),
  H: optional(int),
  error: optional(str),
});
export type ModelChoiceInfo = Infer<typeof parseModelChoice>;

/** What the checkpoint viewer shows about a binary file. */
export const parseCheckpointInfo = record({
  format: str,
  size: num,
  /** Set when the file is a Git LFS pointer rather than the data itself. */
  lfs: optional(record({ oid: str, size: num })),
  tensors: list(parseTensorInfo),
  model: optional(parseModelInfo),
  /** Model parameter → the tensor it was read from. */
  mapping: optional(dict(str)),
  /** The naming convention that matched (or "map" for a sidecar file or the setting). */
  convention: optional(str),
  /** Why no model could be made from the tensors (one line). */
  modelError: optional(str),
  /** Why the tensors could not be listed (one line). */
  tensorsError: optional(str),
  /** Every model of a file that holds several, and which one `model` is. */
  models: optional(list(parseModelChoice)),
  index: optional(int),
});
export type CheckpointInfo = Infer<typeof parseCheckpointInfo>;

/** Where the worker reads the model from: a file, or the unsaved text of a JSON editor. */
export const parseModelSource: Validator<{ kind: 'file'; path: string } | { kind: 'text'; text: string }> = (v, what) => {
  const kind = oneOf(['file', 'text'])(obj(v, what).kind, `${what}.kind`);
  return kind === 'file' ? { kind, ...record({ path: str })(v, what) } : { kind, ...record({ text: str })(v, what) };
};
export type ModelSource = Infer<typeof parseModelSource>;

/** A parameter reference as the panels send it, e.g. "W" or "W[1][0]". */
export const parseParamRefText = matching(isParamRefText, 'look like W or W[1][0]');

/** Where in a JSON model a problem sits, e.g. ["W", 1, 0]. */
export const parseJsonPath = list<string | number>((p, what) => {
  if (typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p) && p >= 0)) return p;
  throw new MessageError(`${what} must be a key or an index`);
});

// ------------------------------------------------------------------ sweeps

const counts = dict(int);

export const parseSweepStep = exactly<SweepStep>()(
  record({
    index: int,
    t: num,
    value: num,
    cycles: list(parseCycle),
    branches: list(str),
    candidates: int,
    seconds: num,
    foundBy: parseFoundBy,
    continued: bool,
    cancelled: bool,
  }),
);

export const parseBranch = exactly<Branch>()(
  record({ id: str, order: intFrom(1), regions: list(str), from: num, to: num, steps: list(int), cycles: list(int) }),
);

export const parseSweepEvent = exactly<SweepEvent>()(
  record({
    kind: oneOf(['border-collision', 'degenerate-transcritical', 'degenerate-flip', 'neimark-sacker', 'unclassified'] as const),
    t: num,
    value: num,
    branches: list(str),
    order: intFrom(1),
    eigenvalues: list(complexPair),
    points: numberMatrix,
    outcome: optional(oneOf(['persistence', 'fold', 'period-doubling', 'unclassified'] as const)),
    stabilityChange: optional(bool),
    detail: str,
  }),
);

const parsePathInfo: Validator<PathInfo> = (v, what) => {
  const kind = oneOf(['entry', 'line', 'polyline'] as const)(obj(v, what).kind, `${what}.kind`);
  if (kind === 'polyline') return { kind, ...record({ unit: str, models: list(str) })(v, what) };
  return kind === 'entry'
    ? { kind, ...record({ parameter: str, from: num, to: num })(v, what) }
    : { kind, ...record({ from: str, to: str })(v, what) };
};

export const parseSweepResult = exactly<SweepResult>()(
  record({
    path: parsePathInfo,
    values: numbers,
    steps: list(parseSweepStep),
    branches: list(parseBranch),
    events: list(parseSweepEvent),
    stats: record({ candidates: int, seconds: num, foundBy: parseFoundBy, continuedSteps: int, fullSteps: int }),
    cancelled: bool,
  }),
);

export const parseSweepOptions = exactly<SweepOptions>()(
  record({
    steps: intFrom(2),
    maxOrder: intFrom(1),
    seed: optional(int),
    outerLoop: optional(intFrom(1)),
    innerLoop: optional(intFrom(1)),
    continuation: optional(bool),
    chunkSize: optional(intFrom(1)),
    continuationBudget: optional(num),
    events: optional(bool),
  }),
);

export const parseGridCell = exactly<GridCell>()(record({ counts, stable: counts, candidates: int, cancelled: optional(bool) }));
export const parseGridRow = exactly<GridRow>()(record({ index: int, y: num, cells: list(parseGridCell) }));
export const parseGridResult = exactly<GridResult>()(
  record({
    x: record({ parameter: str, values: numbers }),
    y: record({ parameter: str, values: numbers }),
    rows: list(parseGridRow),
    stats: record({ candidates: int, seconds: num }),
    cancelled: bool,
  }),
);

/** One axis of a 2-D sweep or the entry of a 1-D sweep: a parameter reference and a range. */
export const parseAxis = record({ ref: parseParamRefText, from: num, to: num, n: intFrom(2) });
export type AxisInput = Infer<typeof parseAxis>;
