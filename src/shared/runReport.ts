// The validator of a run report (core/run/report.ts: what `scyfi run --json` prints and the run job
// ends with): every place on the run's axis is keyed by its unit, so it reads the unit first.
import type { SweepStep } from '../core/sweep/types';
import { RUN_UNITS, type Placed, type ReportLossPoint, type RunReport, type RunUnitName } from '../core/run/reportTypes';
import { parseBranch, parseCycle, parseSweepEvent } from './shapes';
import { bool, int, intFrom, list, num, obj, oneOf, optional, record, str, type Infer, type Validator } from './validate';

export * from '../core/run/reportTypes';

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
