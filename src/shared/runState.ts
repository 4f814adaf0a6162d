import { noFinds } from '../core/scyfi/types';
// The state of a run panel and how each message from the host changes it (the host applies each
// message before sending it, so a page that reloads gets exactly what the one it replaces had),
// and what the panel draws computed from it without the DOM: the run as a sweep along its
// checkpoints (for the bifurcation diagram), which jumps follow which event, the exports.
import type { SweepResult, SweepStep } from '../core/sweep/types';
import { csvRow, cyclePointColumns, cyclePointFields } from './csv';
import type { HostToRun, RunPanelState } from './protocol';
import { placeOf, type RunAnalysisOptions, type RunReport } from './runReport';


/** A new run of the same analysis: what it asks for is kept, its results are not. */
export function beginRunAnalysis(s: RunPanelState, options: RunAnalysisOptions = s.options): RunPanelState {
  return { uri: s.uri, fileName: s.fileName, status: 'running', options, steps: [] };
}

/**
 * A report that a worker given up on after a cancel made from its streamed searches only (no
 * files, no unit): completed from what the panel was told before.
 */
function completePartial(s: RunPanelState, r: RunReport): RunReport {
  if (!r.cancelled || !s.checkpoints || r.checkpoints.some((c) => c.file !== '')) return r;
  const unit = s.unit ?? r.unit;
  const steps = [...s.steps].sort((a, b) => a.index - b.index);
  return {
    ...r,
    unit,
    checkpoints: steps.map((st) => ({ [unit]: s.checkpoints![st.index]?.x ?? st.value, file: s.checkpoints![st.index]?.name ?? '', cached: false, cycles: st.cycles, branches: [] })),
  };
}

/** Applies one message. Streamed searches are appended in place (the state returned may be the one given). */
export function applyRunMessage(s: RunPanelState, m: HostToRun): RunPanelState {
  switch (m.type) {
    case 'reset':
      return m.state;
    case 'run':
      return { ...s, unit: m.unit, checkpoints: m.checkpoints };
    case 'progress':
      return { ...s, progress: { phase: m.phase, done: m.done, total: m.total } };
    case 'steps':
      for (const st of m.steps) s.steps.push(st);
      return { ...s };
    case 'finished': {
      const report = completePartial(s, m.report);
      // The report has it all: the streamed searches are not kept twice, except after a cancel,
      // where they tell the checkpoints searched from those never reached (no objects either way).
      return { ...s, status: report.cancelled ? 'cancelled' : 'done', report, unit: report.unit, steps: report.cancelled ? s.steps : [], progress: undefined };
    }
    case 'failed':
      return { ...s, status: 'error', error: m.message, progress: undefined };
    case 'comparison':
      return { ...s, comparison: m.comparison };
    case 'stale':
      return { ...s, stale: m.stale };
  }
}

/** The checkpoints' places on the run's axis, in order (from the report, else as listed while running). */
export function checkpointPlaces(s: RunPanelState): number[] {
  if (s.report) return s.report.checkpoints.map((c) => placeOf(c, s.report!.unit));
  return (s.checkpoints ?? []).map((c) => c.x);
}

/**
 * The run as a sweep along its checkpoints, for the sweep panel's plots: a finished run has its
 * branches and events; while it runs, the searches streamed so far (points only).
 */
export function runAsSweep(s: RunPanelState): SweepResult {
  const r = s.report;
  const names = r ? r.checkpoints.map((c) => c.file) : (s.checkpoints ?? []).map((c) => c.name);
  const values = checkpointPlaces(s);
  const n = values.length;
  const t = (i: number) => (n > 1 ? i / (n - 1) : 0);
  const step = (index: number, value: number, cycles: SweepStep['cycles'], branches: string[]): SweepStep => ({
    index,
    t: t(index),
    value,
    cycles,
    branches,
    candidates: 0,
    seconds: 0,
    foundBy: noFinds(),
    continued: false,
    cancelled: false,
  });
  const steps = r
    ? r.checkpoints.map((c, i) => step(i, values[i], c.cycles, c.branches))
    : [...s.steps].sort((a, b) => a.index - b.index).map((st) => step(st.index, values[st.index] ?? st.value, st.cycles, st.branches));
  return {
    path: { kind: 'polyline', unit: s.unit ?? r?.unit ?? 'epoch', models: names },
    values,
    steps,
    branches: r?.branches ?? [],
    events: r?.events ?? [],
    stats: { candidates: r?.stats.candidates ?? 0, seconds: r?.stats.seconds ?? 0, foundBy: noFinds(), continuedSteps: 0, fullSteps: 0 },
    cancelled: s.status === 'cancelled',
  };
}

/** Whether checkpoint `i` of a finished run was searched (a cancelled run's last ones may not be). */
export function wasSearched(s: RunPanelState, i: number): boolean {
  const r = s.report;
  if (!r) return s.steps.some((st) => st.index === i);
  return !r.cancelled || r.checkpoints[i]?.cached === true || s.steps.some((st) => st.index === i && !st.cancelled);
}

/** The jumps that follow event `e` within the window (the alignment's own pairing). */
export function jumpsAfterEvent(r: RunReport, e: number): number[] {
  return (r.alignment?.jumps ?? []).flatMap((j, k) => (j.events.includes(e) ? [k] : []));
}

/** The events in the window before jump `j`. */
export function eventsBeforeJump(r: RunReport, j: number): number[] {
  return r.alignment?.jumps[j]?.events ?? [];
}

/** The checkpoints on either side of a place on the run's axis (an event lies between two). */
export function checkpointsAround(places: readonly number[], x: number): { before: number; after: number } | undefined {
  if (places.length < 2) return undefined;
  let after = places.findIndex((p) => p >= x);
  if (after <= 0) after = after === 0 ? 1 : places.length - 1;
  return { before: after - 1, after };
}

export interface EntryChange {
  ref: string;
  from: number;
  to: number;
}

/** The `n` entries that changed most from `a` to `b` (largest |Δ| first; entries of one side only are left out). */
export function largestChanges(a: readonly { ref: string; value: number }[], b: readonly { ref: string; value: number }[], n: number): EntryChange[] {
  const before = new Map(a.map((e) => [e.ref, e.value]));
  const changes: EntryChange[] = [];
  for (const e of b) {
    const from = before.get(e.ref);
    if (from !== undefined && from !== e.value) changes.push({ ref: e.ref, from, to: e.value });
  }
  changes.sort((p, q) => Math.abs(q.to - q.from) - Math.abs(p.to - p.from) || p.ref.localeCompare(q.ref));
  return changes.slice(0, n);
}

/** Δ relative to the larger magnitude of the two values (0 when both are 0). */
export function relativeChange(c: EntryChange): number {
  const scale = Math.max(Math.abs(c.from), Math.abs(c.to));
  return scale === 0 ? 0 : (c.to - c.from) / scale;
}

/** At most this many points of a loss curve are drawn. */
export const MAX_LOSS_POINTS = 4000;

/**
 * A long curve thinned to about `max` points: in each of max/4 runs of consecutive points, the
 * first, the lowest, the highest and the last, in their order (spikes and jumps stay visible).
 */
export function thinCurve<P extends { x: number; y: number }>(points: readonly P[], max = MAX_LOSS_POINTS): P[] {
  if (points.length <= max) return [...points];
  const buckets = Math.max(1, Math.floor(max / 4));
  const size = Math.ceil(points.length / buckets);
  const out: P[] = [];
  for (let b = 0; b < points.length; b += size) {
    const run = points.slice(b, Math.min(points.length, b + size));
    let lo = 0;
    let hi = 0;
    run.forEach((p, i) => {
      if (p.y < run[lo].y) lo = i;
      if (p.y > run[hi].y) hi = i;
    });
    for (const i of [...new Set([0, lo, hi, run.length - 1])].sort((a, c) => a - c)) out.push(run[i]);
  }
  return out;
}

/** The smallest and largest of many numbers (no spread: a long log would overflow the stack). */
export function extent(xs: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

/** The loss logged nearest to `x` (the loss at a checkpoint), if there is a loss. */
export function lossAt(r: RunReport, x: number): number | undefined {
  const pts = r.loss?.points;
  if (!pts?.length) return undefined;
  let best = pts[0];
  for (const p of pts) if (Math.abs(p.x - x) < Math.abs(best.x - x)) best = p;
  return best.loss;
}

/** The run as CSV: one row per checkpoint × cycle point (a checkpoint without objects: one row). */
export function runCsv(r: RunReport, M = r.checkpoints.find((c) => c.cycles.length)?.cycles[0].points[0]?.length ?? 0): string {
  const rows = [csvRow(['checkpoint', r.unit, 'file', 'loss', 'branch', ...cyclePointColumns(M)])];
  r.checkpoints.forEach((c, i) => {
    const x = placeOf(c, r.unit);
    const head = [i, x, c.file, lossAt(r, x) ?? ''];
    if (c.cycles.length === 0) rows.push(csvRow([...head, '']));
    c.cycles.forEach((cy, ci) => cy.points.forEach((_, pi) => rows.push(csvRow([...head, c.branches[ci] ?? '', ...cyclePointFields(cy, pi)]))));
  });
  return rows.join('\n') + '\n';
}
