// What the sweep panel plots, computed from a SweepResult without the DOM (unit-tested): every
// cycle point against the parameter, each branch's points joined across consecutive steps, each
// branch's spectral radius, decimated to a budget of points so that a long sweep stays fast.
import type { SweepResult, SweepStep } from '../core/sweep/types';

/** At most this many cycle points are drawn (the caption says when steps were left out). */
export const MAX_DRAWN_POINTS = 20_000;

/** A state coordinate (0-based), or the norm ‖z‖. */
export type Coordinate = number | 'norm';

export function coordinateOf(p: number[], c: Coordinate): number {
  return c === 'norm' ? Math.hypot(...p) : p[c];
}

export interface DiagramPoint {
  x: number;
  y: number;
  /** The step's index (to open its model). */
  step: number;
}

export interface SeriesGroup<P> {
  order: number;
  stable?: boolean;
  data: P[];
}

export interface DiagramSeries {
  /** Points by order and stability (filled / hollow). */
  points: SeriesGroup<DiagramPoint>[];
  /** Per order, every branch's polylines (one per point of the cycle), separated by gaps (NaN). */
  lines: SeriesGroup<{ x: number; y: number }>[];
  /** Per order, every branch's spectral radius against the parameter, separated by gaps. */
  spectral: SeriesGroup<{ x: number; y: number }>[];
  orders: number[];
  /** Every k-th step is drawn (1: all of them). */
  stride: number;
  drawnPoints: number;
  totalPoints: number;
}

const GAP = { x: NaN, y: NaN };

/** Every `stride`-th step keeps the points drawn within the budget. */
export function strideFor(steps: readonly SweepStep[], maxPoints = MAX_DRAWN_POINTS): { stride: number; total: number } {
  let total = 0;
  for (const s of steps) for (const c of s.cycles) total += c.points.length;
  return { stride: Math.max(1, Math.ceil(total / maxPoints)), total };
}

/** The steps of a run of consecutive step indices to draw: every stride-th one, and both ends. */
export function sampleRun(run: readonly number[], stride: number): number[] {
  if (stride <= 1) return [...run];
  const out = run.filter((i, k) => k === 0 || k === run.length - 1 || i % stride === 0);
  return out;
}

/** Splits ascending step indices into runs of consecutive ones. */
export function runsOf(indices: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const i of indices) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === i - 1) run.push(i);
    else runs.push([i]);
  }
  return runs;
}

/**
 * The diagram of coordinate `c`: with branches (a finished sweep) each branch's points are joined
 * step to step (point j to point j: within a step a branch's points are in its canonical order);
 * while steps stream in there are no branches yet, only points.
 */
export function diagramSeries(r: SweepResult, steps: readonly SweepStep[], c: Coordinate, maxPoints = MAX_DRAWN_POINTS): DiagramSeries {
  const { stride, total } = strideFor(steps, maxPoints);
  const byIndex = new Map(steps.map((s) => [s.index, s]));
  const groups = new Map<string, SeriesGroup<DiagramPoint>>();
  let drawn = 0;
  for (const s of steps) {
    if (stride > 1 && s.index % stride !== 0 && s !== steps[steps.length - 1]) continue;
    s.cycles.forEach((cy) => {
      const key = `${cy.order}|${cy.stable}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { order: cy.order, stable: cy.stable, data: [] }));
      for (const p of cy.points) g.data.push({ x: s.value, y: coordinateOf(p, c), step: s.index });
      drawn += cy.points.length;
    });
  }
  const lines = new Map<number, SeriesGroup<{ x: number; y: number }>>();
  const spectral = new Map<number, SeriesGroup<{ x: number; y: number }>>();
  for (const b of r.branches) {
    const at = new Map(b.steps.map((s, k) => [s, b.cycles[k]]));
    const line = lines.get(b.order) ?? { order: b.order, data: [] };
    const rho = spectral.get(b.order) ?? { order: b.order, data: [] };
    lines.set(b.order, line);
    spectral.set(b.order, rho);
    for (const run of runsOf(b.steps.filter((i) => byIndex.has(i)))) {
      const shown = sampleRun(run, stride);
      const cycles = shown.map((i) => ({ value: byIndex.get(i)!.value, cycle: byIndex.get(i)!.cycles[at.get(i)!] })).filter((x) => x.cycle);
      for (let j = 0; j < b.order; j++) {
        for (const { value, cycle } of cycles) line.data.push({ x: value, y: coordinateOf(cycle.points[j], c) });
        line.data.push(GAP);
      }
      for (const { value, cycle } of cycles) rho.data.push({ x: value, y: cycle.spectralRadius });
      rho.data.push(GAP);
    }
  }
  const orders = [...new Set([...[...groups.values()].map((g) => g.order), ...lines.keys()])].sort((a, b) => a - b);
  const byOrder = <G extends { order: number; stable?: boolean }>(gs: G[]) => gs.sort((a, b) => a.order - b.order || Number(a.stable) - Number(b.stable));
  return { points: byOrder([...groups.values()]), lines: byOrder([...lines.values()]), spectral: byOrder([...spectral.values()]), orders, stride, drawnPoints: drawn, totalPoints: total };
}

/** "fixed points", "2-cycles". */
export function orderName(order: number, plural = true): string {
  return order === 1 ? (plural ? 'fixed points' : 'fixed point') : `${order}-cycle${plural ? 's' : ''}`;
}

/** "2nd", "3rd", "11th", "21st". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/**
 * The vertical range to show when a few values dwarf the rest (a branch running off to infinity
 * near a degenerate transcritical): when all of them span more than `factor` times what the
 * middle 98 % span, the middle 98 % with a margin, and how many values lie outside it.
 * Undefined when every value can be shown.
 */
export function robustRange(values: readonly number[], factor = 20): { min: number; max: number; outside: number } | undefined {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length < 20) return undefined;
  const q = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  const lo = q(0.01);
  const hi = q(0.99);
  const core = hi - lo;
  if (!(core > 0) || v[v.length - 1] - v[0] <= factor * core) return undefined;
  const min = lo - 0.25 * core;
  const max = hi + 0.25 * core;
  return { min, max, outside: v.filter((x) => x < min || x > max).length };
}

/** The diagram's point radius in px where points are far enough apart. */
export const DIAGRAM_POINT_RADIUS = 3;

/**
 * The radius of the diagram's points: 3 px, smaller when the parameter values are denser than
 * 6 px apart, so that a run of 1500 checkpoints shows its 16-cycle as 16 bands, not one block.
 */
export function diagramPointRadius(points: readonly SeriesGroup<DiagramPoint>[], widthPx: number): number {
  const xs = new Set<number>();
  for (const g of points) for (const p of g.data) xs.add(p.x);
  return Math.max(0.75, Math.min(DIAGRAM_POINT_RADIUS, widthPx / Math.max(1, xs.size) / 2));
}
