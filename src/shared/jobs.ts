// Job kinds: work a worker thread does for the extension host or the CLI. A kind is declared
// once, here: its name, the validator of its input, of one streamed result item, of its
// progress and of its end value. The worker side implements it (src/worker/jobs/), the host
// side runs it (src/worker/host/); both check what they receive against this declaration.
import { channel, message, union, type MessageIn } from './messages';
import {
  parseAxis,
  parseGridResult,
  parseGridRow,
  parseParamRefText,
  parseSweepOptions,
  parseSweepResult,
  parseSweepStep,
  parseCheckpointInfo,
  parseCycle,
  parseJsonPath,
  parseModelInfo,
  parseModelSource,
  parseRunOptions,
  parseRunResult,
  type RunResult,
} from './shapes';
import type { SweepResult, SweepStep } from '../core/sweep/types';
import { parseRunAnalysisOptions, parseRunCheckpoint, parseRunReport, partialRunReport, RUN_UNITS, type RunReport as RunAnalysisReport } from './runReport';
import { parseBasinOptions, parseBasinResult, parseBasinRow, parseBasinSlice, parseDynamicsResult, parseKnownCycle, parseSimulateOptions } from './dynamicsShapes';
import { anything, bool, int, intFrom, list, MessageError, none, num, obj, oneOf, optional, record, str, type Infer, type Validator } from './validate';
import { noFinds } from '../core/scyfi/types';

function replyChannel<Item, Progress, End>(kind: string, item: Validator<Item>, progress: Validator<Progress>, end: Validator<End>) {
  return channel(
    `message from the worker ('${kind}' job)`,
    /** Items in the order the job emitted them, several per message. */
    message('items', { items: list(item) }),
    message('progress', { progress }),
    /** The last message of a job that ran to its end (or stopped when cancelled). */
    message('end', { end }),
    /** The last message of a job that failed; `input` when the user's file is at fault. */
    message('error', { message: str, input: bool, jsonPath: optional(parseJsonPath) }),
  );
}

export interface JobKind<Name extends string = string, In = unknown, Item = unknown, Progress = unknown, End = unknown> {
  readonly kind: Name;
  readonly input: Validator<In>;
  readonly item: Validator<Item>;
  readonly progress: Validator<Progress>;
  readonly end: Validator<End>;
  /**
   * What a cancelled job resolves with when its worker did not stop within the grace period,
   * from the items it had streamed. Without it such a job fails with a cancelled JobError.
   */
  partial?(items: Item[], seconds: number): End;
  /** Everything the worker sends back while running a job of this kind. */
  readonly replies: ReturnType<typeof replyChannel<Item, Progress, End>>;
}

export type AnyJobKind = JobKind<string, any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type InputOf<K> = K extends { readonly input: Validator<infer In> } ? In : never;
export type ItemOf<K> = K extends { readonly item: Validator<infer Item> } ? Item : never;
export type ProgressOf<K> = K extends { readonly progress: Validator<infer P> } ? P : never;
export type EndOf<K> = K extends { readonly end: Validator<infer End> } ? End : never;
export type JobReply<K extends AnyJobKind> = MessageIn<K['replies']>;

/** Declares a job kind; `item` and `progress` default to none (the job streams nothing). */
export function jobKind<const Name extends string, In, End, Item = never, Progress = never>(decl: {
  kind: Name;
  input: Validator<In>;
  end: Validator<End>;
  item?: Validator<Item>;
  progress?: Validator<Progress>;
  partial?: (items: Item[], seconds: number) => End;
}): JobKind<Name, In, Item, Progress, End> {
  const item = decl.item ?? (none as Validator<Item>);
  const progress = decl.progress ?? (none as Validator<Progress>);
  return { ...decl, item, progress, replies: replyChannel(decl.kind, item, progress, decl.end) };
}

const cancelFlag: Validator<SharedArrayBuffer> = (v, what) => {
  if (!(v instanceof SharedArrayBuffer) || v.byteLength < 4) throw new MessageError(`${what} must be a SharedArrayBuffer of 4 bytes or more`);
  return v;
};

/** What the host sends a worker: one job at a time; the worker checks `input` against the kind. */
export const JobRequest = channel(
  'job request',
  message('run', {
    kind: str,
    input: anything,
    /** Int32Array view over it: index 0 becomes 1 when the job is to stop. */
    cancel: cancelFlag,
  }),
);
export type JobRequest = MessageIn<typeof JobRequest>;

/** A failed job: `input` when the user's file is at fault (show the message as is). */
export class JobError extends Error {
  constructor(
    message: string,
    readonly input: boolean,
    readonly jsonPath?: (string | number)[],
    /** The job was cancelled and its kind has no partial end to resolve with. */
    readonly cancelled = false,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

// ------------------------------------------------------------------ the kinds

const parameterMap = optional(obj);

/** The model a job reads: a file or an editor's text, which model of a file of several, the setting's tensor map. */
const modelFields = { source: parseModelSource, displayName: str, parameterMap, model: optional(int) };


/** What a certified search proved, as the panel shows it: the one-line summary, R, each order's status. */
export const parseCertificateInfo = record({ summary: str, bound: num, orders: list(record({ order: intFrom(1), status: str })) });
export type CertificateInfo = Infer<typeof parseCertificateInfo>;

/** A SCYFI search: streams the cycles as they are verified, ends with all of them sorted. */
export const FindJob = jobKind({
  kind: 'find',
  input: record({
    ...modelFields,
    options: parseRunOptions,
    /** Options the user set for this run: the model file's "scyfi" block does not change them. */
    fixed: optional(list(str)),
    /** After the search, prove the list complete for orders 1..orders in ‖z‖∞ ≤ bound (src/core/certify); defaults as `scyfi find --certify`. */
    certify: optional(record({ orders: optional(intFrom(1)), bound: optional(num), seconds: optional(num) })),
    /** Threads the search uses, its own included (src/worker/chainAhead.ts); absent: every core. The result is the same for any. */
    threads: optional(intFrom(1)),
  }),
  item: parseCycle,
  progress: union(
    channel(
      'progress',
      /** The model is loaded (first, before any order); `options`: what the run uses, `fromFile`: the keys the file's "scyfi" block set. */
      message('model', { model: parseModelInfo, options: optional(parseRunOptions), fromFile: optional(list(str)) }),
      /** The search of an order starts. */
      message('order', { order: intFrom(1), maxOrder: intFrom(1) }),
      /** With certify: the proof of an order starts. */
      message('certify', { order: intFrom(1), orders: intFrom(1) }),
      /** With certify: what was proven (before the end, whose cycles then include those the proof added). */
      message('certificate', { certificate: parseCertificateInfo }),
    ),
  ),
  end: parseRunResult,
  partial: (cycles, seconds): RunResult => ({ cycles, stats: { candidates: 0, seconds }, cancelled: true }),
});

/** Lists a checkpoint's tensors and the model they map to. */
export const InspectJob = jobKind({
  kind: 'inspect',
  input: record({ path: str, displayName: str, parameterMap, model: optional(int) }),
  end: parseCheckpointInfo,
});

/** A sweep's path as a job carries it: models in the JSON format (the worker validates them again). */
export const parsePathInput: Validator<
  | { kind: 'entry'; spec: unknown; ref: string; from: number; to: number }
  | { kind: 'line'; from: unknown; to: unknown; fromName: string; toName: string }
  | { kind: 'polyline'; specs: unknown[]; values: number[]; names: string[]; unit: string }
> = (v, what) => {
  const kind = oneOf(['entry', 'line', 'polyline'] as const)(obj(v, what).kind, `${what}.kind`);
  if (kind === 'polyline') return { kind, ...record({ specs: list(anything), values: list(num), names: list(str), unit: str })(v, what) };
  return kind === 'entry'
    ? { kind, ...record({ spec: anything, ref: parseParamRefText, from: num, to: num })(v, what) }
    : { kind, ...record({ from: anything, to: anything, fromName: str, toName: str })(v, what) };
};

/** One chunk of a sweep's steps (a full search, then continuation); the steps stream as items. */
export const SweepChunkJob = jobKind({
  kind: 'sweepChunk',
  input: record({ path: parsePathInput, options: parseSweepOptions, chunk: record({ from: int, to: int, seeds: optional(list(record({ order: intFrom(1), regions: list(str) }))) }) }),
  item: parseSweepStep,
  end: record({ done: int }),
  partial: (items): { done: number } => ({ done: items.length }),
});

const parseGridInput = record({ spec: anything, x: parseAxis, y: parseAxis });

/** One row of a 2-D sweep. */
export const GridRowJob = jobKind({
  kind: 'gridRow',
  input: record({ grid: parseGridInput, options: parseSweepOptions, row: int }),
  end: parseGridRow,
});

/** What a sweep moves: one entry from `from` to `to`, or the line to a second model. */
export const parseSweepTarget: Validator<
  { kind: 'entry'; ref: string; from: number; to: number } | { kind: 'line'; to: Infer<typeof parseModelSource>; toDisplayName: string }
> = (v, what) => {
  const kind = oneOf(['entry', 'line'] as const)(obj(v, what).kind, `${what}.kind`);
  return kind === 'entry'
    ? { kind, ...record({ ref: parseParamRefText, from: num, to: num })(v, what) }
    : { kind, ...record({ to: parseModelSource, toDisplayName: str })(v, what) };
};
export type SweepTarget = Infer<typeof parseSweepTarget>;

/** A whole sweep for the editor: loads the model(s), runs the chunks on a pool of its own, links the branches. */
export const SweepJob = jobKind({
  kind: 'sweep',
  input: record({
    ...modelFields,
    target: parseSweepTarget,
    options: parseSweepOptions,
    /** Worker threads for the chunks (default: one per core). */
    jobs: optional(intFrom(1)),
  }),
  item: parseSweepStep,
  progress: union(
    channel(
      'progress',
      /** The model is loaded (first, before any step). */
      message('model', { model: parseModelInfo, path: str }),
      /** Steps done so far, of all. */
      message('steps', { done: int, total: int }),
    ),
  ),
  end: parseSweepResult,
  partial: (steps, seconds): SweepResult => ({
    path: { kind: 'line', from: '', to: '' },
    values: [],
    steps: [...steps].sort((a, b) => a.index - b.index),
    branches: [],
    events: [],
    stats: { candidates: steps.reduce((a, s) => a + s.candidates, 0), seconds, foundBy: noFinds(), continuedSteps: 0, fullSteps: 0 },
    cancelled: true,
  }),
});

/** A whole 2-D sweep for the editor: rows on a pool of its own. */
export const GridJob = jobKind({
  kind: 'grid',
  input: record({ ...modelFields, x: parseAxis, y: parseAxis, options: parseSweepOptions, jobs: optional(intFrom(1)) }),
  item: parseGridRow,
  progress: union(channel('progress', message('model', { model: parseModelInfo }), message('rows', { done: int, total: int }))),
  end: parseGridResult,
});

/** Where along a path: an entry (set to the value), or the line to a second model (at t = value). */
const parseModelAtTarget: Validator<{ kind: 'entry'; ref: string } | Extract<SweepTarget, { kind: 'line' }>> = (v, what) =>
  oneOf(['entry', 'line'] as const)(obj(v, what).kind, `${what}.kind`) === 'entry' ? { kind: 'entry', ...record({ ref: parseParamRefText })(v, what) } : (parseSweepTarget(v, what) as Extract<SweepTarget, { kind: 'line' }>);

/** At most this many entries are listed (a model with more can still be swept by typing the entry). */
export const MAX_LISTED_ENTRIES = 100_000;

/** Every real-valued entry of a model with its value, to choose what to sweep. */
export const EntriesJob = jobKind({
  kind: 'entries',
  input: record(modelFields),
  end: record({ architecture: str, entries: list(record({ ref: parseParamRefText, value: num })), total: int }),
});

/**
 * The model at one value along a sweep's path (the entry set to it, or the line at t = value), as
 * the text of a JSON model file; `schema` becomes its "$schema", `name` its "name".
 */
export const ModelAtJob = jobKind({
  kind: 'modelAt',
  input: record({ ...modelFields, target: parseModelAtTarget, value: num, schema: optional(str), name: optional(str) }),
  end: record({ text: str, architecture: str }),
});

/**
 * A training run analysed for the editor: a folder of checkpoints or a scyfi-run.json manifest;
 * the checkpoints' searches run on a pool of its own and stream as items (by checkpoint index, in
 * the order they finish; cached ones first); ends with the report `scyfi run --json` prints.
 */
export const RunJob = jobKind({
  kind: 'run',
  input: record({
    target: str,
    options: parseRunAnalysisOptions,
    parameterMap,
    /** Where each checkpoint's search is cached (the extension's global storage); none: no cache. */
    cacheDir: optional(str),
    /** Worker threads for the searches (default: one per core). */
    jobs: optional(intFrom(1)),
  }),
  item: parseSweepStep,
  progress: union(
    channel(
      'progress',
      /** Reading checkpoint `done` of `total`. */
      message('reading', { done: int, total: int }),
      /** The checkpoints read, in order: step i of the items is checkpoint i. */
      message('run', { unit: oneOf(RUN_UNITS), checkpoints: list(parseRunCheckpoint) }),
      /** Checkpoints whose objects are known, of all. */
      message('checkpoints', { done: int, total: int }),
    ),
  ),
  end: parseRunReport,
  partial: (steps: SweepStep[]): RunAnalysisReport => partialRunReport(steps),
});

// ------------------------------------------------------------------ dynamics (src/core/dynamics)

/** The cycles a search found, for matching trajectories against (orders and points). */
const knownCycles = list(parseKnownCycle);

/** Trajectories from seeded starts (and `options.from`), where they settle, and the summary sentence. */
export const TrajectoriesJob = jobKind({
  kind: 'trajectories',
  input: record({ ...modelFields, cycles: knownCycles, options: parseSimulateOptions }),
  end: parseDynamicsResult,
});

/** One row of a basin grid (the pool's task): the model as a JSON model, validated again by the worker. */
export const BasinRowJob = jobKind({
  kind: 'basinRow',
  input: record({ spec: anything, cycles: knownCycles, slice: parseBasinSlice, options: parseBasinOptions, row: int }),
  end: parseBasinRow,
});

/** A whole basin grid for the editor: rows on a pool of its own (or in this thread for jobs = 1). */
export const BasinsJob = jobKind({
  kind: 'basins',
  input: record({ ...modelFields, cycles: knownCycles, slice: parseBasinSlice, options: parseBasinOptions, jobs: optional(intFrom(1)) }),
  item: parseBasinRow,
  progress: union(channel('progress', message('rows', { done: int, total: int }))),
  end: parseBasinResult,
});
