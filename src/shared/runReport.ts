// A training run's analysis as `scyfi run --json` prints it and as the run job ends: every place on
// the run's axis is keyed by its unit ("epoch": 40, or "step": 1500), so the validator reads the
// unit first. Declared once here for the CLI, the worker, the host and the run panel.
import type { RunAnalysis } from '../core/run/analyze';
import type { Cycle } from '../core/scyfi/types';
import type { Branch, SweepEvent, SweepStep } from '../core/sweep/types';
import { parseBranch, parseCycle, parseSweepEvent } from './shapes';
import { bool, int, intFrom, list, num, obj, oneOf, optional, record, str, type Infer, type Validator } from './validate';

export const RUN_UNITS = ['epoch', 'step', 'snapshot'] as const;
export type RunUnitName = (typeof RUN_UNITS)[number];

/** An object placed on the run's axis by a field named after the unit. */
export type Placed<T> = T & { readonly [unit: string]: unknown };

export interface ReportCheckpoint {
  file: string;
  cached: boolean;
  cycles: Cycle[];
  branches: string[];
}

export interface ReportJump {
  from: number;
  until: number;
  size: number;
  factor: number;
  direction: 'up' | 'down';
  score: number;
}

export interface ReportLossPoint {
  x: number;
  loss: number;
  gradNorm?: number;
}

export interface RunReport {
  unit: RunUnitName;
  checkpoints: Placed<ReportCheckpoint>[];
  skipped: { file: string; reason: string }[];
  branches: Branch[];
  events: Placed<SweepEvent>[];
  lossJumps: Placed<ReportJump>[];
  loss: { source: string; name: string; points: ReportLossPoint[] } | null;
  alignment: {
    window: number;
    sentence: string;
    pValue: number;
    jumps: Placed<{ events: number[] }>[];
    /** For each event, the jump after it within the window (null: none). */
    followedBy: (number | null)[];
  } | null;
  notes: string[];
  stats: { checkpoints: number; searched: number; cached: number; seconds: number; candidates: number; foundBy: Record<string, number> };
  cancelled: boolean;
}

/** Where an object of the report lies on the run's axis. */
export function placeOf(o: { readonly [k: string]: unknown }, unit: RunUnitName): number {
  return o[unit] as number;
}

export function runReport(r: RunAnalysis): RunReport {
  const key = r.unit;
  const byIndex = new Map(r.sweep.steps.map((s) => [s.index, s]));
  return {
    unit: r.unit,
    checkpoints: r.checkpoints.map((c, i) => ({ [key]: c.x, file: c.file, cached: c.cached, cycles: byIndex.get(i)?.cycles ?? [], branches: byIndex.get(i)?.branches ?? [] })),
    skipped: r.skipped,
    branches: r.sweep.branches,
    events: r.events.map(({ x, ...e }) => ({ [key]: x, ...e })),
    lossJumps: r.lossJumps.map((j) => ({ [key]: j.x, from: j.from, until: j.until, size: j.size, factor: Math.exp(j.size), direction: j.direction, score: j.score })),
    loss: r.loss ? { source: r.loss.source, name: r.loss.name, points: r.loss.points } : null,
    alignment: r.alignment
      ? {
          window: r.alignment.window,
          sentence: r.alignment.sentence,
          pValue: r.alignment.pValue,
          jumps: r.alignment.perJump.map((p) => ({ [key]: p.jump.x, events: p.events })),
          followedBy: r.alignment.followedBy.map((j) => j ?? null),
        }
      : null,
    notes: r.notes,
    stats: { ...r.stats, candidates: r.sweep.stats.candidates, foundBy: { ...r.sweep.stats.foundBy } },
    cancelled: r.cancelled,
  };
}

/** `fields` plus the unit's number. */
function placed<T>(fields: Validator<T>, unit: RunUnitName): Validator<Placed<T>> {
  return (v, what) => ({ ...fields(v, what), [unit]: num(obj(v, what)[unit], `${what}.${unit}`) }) as Placed<T>;
}

const nullable =
  <T>(check: Validator<T>): Validator<T | null> =>
  (v, what) =>
    v === null || v === undefined ? null : check(v, what);

const parseLossPoint: Validator<ReportLossPoint> = record({ x: num, loss: num, gradNorm: optional(num) });

/** Checks a run report (the job's end, a saved panel, a file of `scyfi run --json`). */
export const parseRunReport: Validator<RunReport> = (v, what) => {
  const o = obj(v, what);
  const unit = oneOf(RUN_UNITS)(o.unit, `${what}.unit`);
  const counts: Validator<Record<string, number>> = (x, w) => Object.fromEntries(Object.entries(obj(x, w)).map(([k, n]) => [k, int(n, `${w}.${k}`)]));
  return {
    unit,
    checkpoints: list(placed(record({ file: str, cached: bool, cycles: list(parseCycle), branches: list(str) }), unit))(o.checkpoints, `${what}.checkpoints`),
    skipped: list(record({ file: str, reason: str }))(o.skipped, `${what}.skipped`),
    branches: list(parseBranch)(o.branches, `${what}.branches`),
    events: list(placed(parseSweepEvent, unit))(o.events, `${what}.events`),
    lossJumps: list(placed(record({ from: num, until: num, size: num, factor: num, direction: oneOf(['up', 'down'] as const), score: num }), unit))(o.lossJumps, `${what}.lossJumps`),
    loss: nullable(record({ source: str, name: str, points: list(parseLossPoint) }))(o.loss, `${what}.loss`),
    alignment: nullable(
      record({
        window: num,
        sentence: str,
        pValue: num,
        jumps: list(placed(record({ events: list(int) }), unit)),
        followedBy: list(nullable(int)),
      }),
    )(o.alignment, `${what}.alignment`),
    notes: list(str)(o.notes, `${what}.notes`),
    stats: record({ checkpoints: int, searched: int, cached: int, seconds: num, candidates: int, foundBy: counts })(o.stats, `${what}.stats`),
    cancelled: bool(o.cancelled, `${what}.cancelled`),
  };
};

/** What the editor's run analysis is asked for (absent: the engine's defaults). */
export const parseRunAnalysisOptions = record({
  maxOrder: intFrom(1),
  seed: optional(int),
  outerLoop: optional(intFrom(1)),
  innerLoop: optional(intFrom(1)),
  /** The change detector's threshold in scaled MADs. */
  threshold: optional(num),
  /** The least change of a jump, as a fraction of the loss's range. */
  minChange: optional(num),
  /** How far before a jump an event counts (default: twice the median spacing of checkpoints). */
  window: optional(num),
});
export type RunAnalysisOptions = Infer<typeof parseRunAnalysisOptions>;

/** A checkpoint of the run as the job lists it before searching: its place, name, file and model. */
export const parseRunCheckpoint = record({ x: num, name: str, file: str, model: optional(int) });
export type RunCheckpointInfo = Infer<typeof parseRunCheckpoint>;

/** A cancelled run's report from the searches it had streamed (the panel knows the files). */
export function partialRunReport(steps: readonly SweepStep[]): RunReport {
  const sorted = [...steps].sort((a, b) => a.index - b.index);
  return {
    unit: 'epoch',
    checkpoints: sorted.map((s) => ({ epoch: s.value, file: '', cached: false, cycles: s.cycles, branches: [] })),
    skipped: [],
    branches: [],
    events: [],
    lossJumps: [],
    loss: null,
    alignment: null,
    notes: [],
    stats: { checkpoints: sorted.length, searched: sorted.length, cached: 0, seconds: 0, candidates: sorted.reduce((a, s) => a + s.candidates, 0), foundBy: {} },
    cancelled: true,
  };
}
