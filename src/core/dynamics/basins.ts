// Basins of attraction on a 2-D slice of state space: a grid of starts (the two chosen
// coordinates varied, the others fixed), each coloured by where its trajectory settles. Rows are
// independent (each start is simulated alone, with no randomness), so the grid is the same
// however its rows are split among workers.
import { InputError } from '../errors';
import type { PiecewiseAffineMap } from '../model/types';
import { Prng } from '../scyfi/prng';
import { settingsFor, stepBudget } from './simulate';
import { simulateOne } from './trajectory';
import { MIN_STEPS, WORK_PER_TRAJECTORY, type KnownCycle } from './types';

/** Cell labels besides a listed cycle's index (≥ 0). */
export const BASIN_OTHER = -1;
export const BASIN_DIVERGES = -2;
/** The cell's trajectory was stopped (cancelled) before it settled. */
export const BASIN_UNKNOWN = -3;

/** Steps per start when not told otherwise (basins need where a start goes, not λ). */
export const DEFAULT_BASIN_STEPS = 2000;
export const DEFAULT_BASIN_GRID = 50;
/** At most this many cells (n_x · n_y). */
export const MAX_BASIN_CELLS = 1_000_000;

export interface BasinSlice {
  /** 0-based coordinates along the grid's columns (x) and rows (y). */
  x: number;
  y: number;
  xRange: [number, number];
  yRange: [number, number];
  /** Values along each axis, both ends included (≥ 2). */
  nx: number;
  ny: number;
  /** The other coordinates' values (length M; its x and y entries are ignored). */
  base: number[];
}

export interface BasinOptions {
  maxOrder: number;
  /** Steps per start (default DEFAULT_BASIN_STEPS, cut by the work bound). */
  maxSteps?: number;
}

export interface BasinRow {
  index: number;
  y: number;
  /** One label per column: a cycle's index, BASIN_OTHER, BASIN_DIVERGES or BASIN_UNKNOWN. */
  cells: number[];
}

export interface BasinResult {
  x: { coordinate: number; values: number[] };
  y: { coordinate: number; values: number[] };
  base: number[];
  /** rows[j].cells[i]: the start (x_i, y_j); rows missing after a cancel are absent. */
  rows: BasinRow[];
  /** Cells per label, e.g. {"0": 1800, "-1": 1800}. */
  counts: Record<string, number>;
  maxSteps: number;
  seconds: number;
  cancelled: boolean;
}

export function axisValues(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
}

export function checkSlice(map: PiecewiseAffineMap, s: BasinSlice, o?: BasinOptions): void {
  const M = map.M;
  if (o) {
    const steps = stepBudget(map, o.maxSteps ?? DEFAULT_BASIN_STEPS, false);
    if (steps < Math.min(MIN_STEPS, o.maxSteps ?? MIN_STEPS)) throw new InputError(`basins: M = ${M}, H = ${map.H} allow only ${steps} steps per start within the bound of ${WORK_PER_TRAJECTORY.toExponential(0)} multiply-adds (${MIN_STEPS} needed)`);
  }
  if (M < 2) throw new InputError(`basins need a model of 2 or more coordinates; this one has M = ${M}`);
  for (const [name, c] of [
    ['x', s.x],
    ['y', s.y],
  ] as const) {
    if (!Number.isInteger(c) || c < 0 || c >= M) throw new InputError(`the ${name} coordinate must be one of z1 … z${M}, got z${c + 1}`);
  }
  if (s.x === s.y) throw new InputError(`x and y are the same coordinate z${s.x + 1}`);
  for (const [name, r] of [
    ['x', s.xRange],
    ['y', s.yRange],
  ] as const) {
    if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] === r[1]) throw new InputError(`the ${name} range must be two different finite numbers, got ${r[0]}:${r[1]}`);
  }
  if (!Number.isInteger(s.nx) || !Number.isInteger(s.ny) || s.nx < 2 || s.ny < 2) throw new InputError(`the grid needs at least 2×2 values, got ${s.nx}×${s.ny}`);
  if (s.nx * s.ny > MAX_BASIN_CELLS) throw new InputError(`a grid of ${s.nx}×${s.ny} cells is more than the limit of ${MAX_BASIN_CELLS}`);
  if (s.base.length !== M || !s.base.every(Number.isFinite)) throw new InputError(`the fixed coordinates must be ${M} finite numbers, got ${s.base.length}`);
}

/** One row of the grid (starts at y_j, every x_i). */
export function basinRow(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], slice: BasinSlice, o: BasinOptions, j: number, isCancelled?: () => boolean): BasinRow {
  const settings = { ...settingsFor(map, cycles, { maxOrder: o.maxOrder, maxSteps: o.maxSteps ?? DEFAULT_BASIN_STEPS, noLyapunov: true }), keepPath: false };
  const xs = axisValues(slice.xRange[0], slice.xRange[1], slice.nx);
  const y = axisValues(slice.yRange[0], slice.yRange[1], slice.ny)[j];
  // No tangent vector is drawn without the exponent; the generator is only a formality.
  const rng = new Prng(0);
  const cells: number[] = [];
  for (const x of xs) {
    if (isCancelled?.()) {
      cells.push(BASIN_UNKNOWN);
      continue;
    }
    const start = [...slice.base];
    start[slice.x] = x;
    start[slice.y] = y;
    const t = simulateOne(map, start, cycles, settings, rng, isCancelled);
    const f = t.fate;
    cells.push(f.kind === 'cycle' ? f.cycle : f.kind === 'diverges' ? BASIN_DIVERGES : t.steps < settings.steps && f.kind === 'bounded' ? BASIN_UNKNOWN : BASIN_OTHER);
  }
  return { index: j, y, cells };
}

export function assembleBasins(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], slice: BasinSlice, o: BasinOptions, rows: readonly BasinRow[], seconds: number): BasinResult {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const counts: Record<string, number> = {};
  for (const r of sorted) for (const c of r.cells) counts[c] = (counts[c] ?? 0) + 1;
  return {
    x: { coordinate: slice.x, values: axisValues(slice.xRange[0], slice.xRange[1], slice.nx) },
    y: { coordinate: slice.y, values: axisValues(slice.yRange[0], slice.yRange[1], slice.ny) },
    base: [...slice.base],
    rows: sorted,
    counts,
    maxSteps: settingsFor(map, cycles, { maxOrder: o.maxOrder, maxSteps: o.maxSteps ?? DEFAULT_BASIN_STEPS, noLyapunov: true }).steps,
    seconds,
    cancelled: sorted.length < slice.ny || sorted.some((r) => r.cells.includes(BASIN_UNKNOWN)),
  };
}

/** The whole grid in this thread, row after row. */
export function runBasins(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], slice: BasinSlice, o: BasinOptions, hooks: { onRow?(row: BasinRow): void; isCancelled?(): boolean } = {}): BasinResult {
  checkSlice(map, slice, o);
  const started = performance.now();
  const rows: BasinRow[] = [];
  for (let j = 0; j < slice.ny; j++) {
    if (hooks.isCancelled?.()) break;
    const row = basinRow(map, cycles, slice, o, j, hooks.isCancelled);
    rows.push(row);
    hooks.onRow?.(row);
  }
  return assembleBasins(map, cycles, slice, o, rows, (performance.now() - started) / 1000);
}

/**
 * A default slice on coordinates x and y: the box of the cycles found and of `extra` points (the
 * states simulated trajectories settled on), widened by 3/4 of its size each side (at least ±1),
 * the other coordinates at the mean of the cycle points (0 without any).
 */
export function defaultSlice(map: Pick<PiecewiseAffineMap, 'M'>, cycles: readonly KnownCycle[], x = 0, y = 1, n = DEFAULT_BASIN_GRID, extra: readonly (readonly number[])[] = []): BasinSlice {
  const M = map.M;
  const own = cycles.flatMap((c) => c.points);
  const pts = [...own, ...extra];
  const centre = Array.from({ length: M }, (_, m) => (own.length ? own.reduce((a, p) => a + p[m], 0) / own.length : 0));
  const range = (m: number): [number, number] => {
    const vs = pts.map((p) => p[m]).filter(Number.isFinite);
    const lo = vs.length ? Math.min(...vs) : 0;
    const hi = vs.length ? Math.max(...vs) : 0;
    const half = Math.max((hi - lo) * 0.75, 1);
    const mid = (lo + hi) / 2;
    return [mid - half, mid + half];
  };
  return { x, y, xRange: range(x), yRange: range(y), nx: n, ny: n, base: centre };
}

/** A cell label in words: "#2 fixed point (stable node)", "other bounded set", "diverges". */
export function basinLabelText(label: number, cycles: readonly (KnownCycle & { classification?: string })[]): string {
  if (label === BASIN_OTHER) return 'other bounded set';
  if (label === BASIN_DIVERGES) return 'diverges';
  if (label === BASIN_UNKNOWN) return 'not simulated (stopped)';
  const c = cycles[label];
  if (!c) return `#${label + 1}`;
  return `#${label + 1} ${c.order === 1 ? 'fixed point' : `${c.order}-cycle`}${c.classification ? ` (${c.classification})` : ''}`;
}
