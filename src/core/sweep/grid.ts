// 2-D sweeps: two entries on a grid; per cell the number of objects of each order and how many
// are stable. Each row is a 1-D sweep along x continued step by step, so rows run in parallel;
// the borders between cells that differ are the bifurcation curves.
import { InputError } from '../errors';
import { formatParamRef, getEntry, withEntry, type ParamRef } from '../model/paramRef';
import { ModelSpec } from '../model/types';
import { entryPath } from './path';
import { checkSweepOptions, searchChunk, type StepEvents } from './run';
import type { SweepOptions } from './types';

export interface GridAxis {
  ref: ParamRef;
  from: number;
  to: number;
  /** Values on the axis, both ends included (≥ 2). */
  n: number;
}

export interface Grid {
  spec: ModelSpec;
  x: GridAxis;
  y: GridAxis;
}

export interface GridCell {
  /** Objects per order ("1": fixed points, "2": 2-cycles, …), orders with none left out. */
  counts: Record<string, number>;
  stable: Record<string, number>;
  candidates: number;
  /** The cell's search was cancelled: its counts may be incomplete. */
  cancelled?: boolean;
}

export interface GridRow {
  /** Row index (y). */
  index: number;
  y: number;
  cells: GridCell[];
}

export interface GridResult {
  x: { parameter: string; values: number[] };
  y: { parameter: string; values: number[] };
  /** rows[j].cells[i] is the cell at (x_i, y_j); rows missing after a cancel are absent. */
  rows: GridRow[];
  stats: { candidates: number; seconds: number };
  cancelled: boolean;
}

export const MAX_GRID_CELLS = 4_000_000;

export function axisValues(a: GridAxis): number[] {
  return Array.from({ length: a.n }, (_, i) => (i === a.n - 1 ? a.to : a.from + ((a.to - a.from) * i) / (a.n - 1)));
}

export function checkGrid(grid: Grid): void {
  for (const [name, a] of [
    ['x', grid.x],
    ['y', grid.y],
  ] as const) {
    getEntry(grid.spec, a.ref);
    if (!Number.isInteger(a.n) || a.n < 2) throw new InputError(`the ${name} axis needs at least 2 values, got ${a.n}`);
    if (!Number.isFinite(a.from) || !Number.isFinite(a.to) || a.from === a.to) throw new InputError(`the ${name} range of ${formatParamRef(a.ref)} must be two different finite numbers, got ${a.from}:${a.to}`);
  }
  if (formatParamRef(grid.x.ref) === formatParamRef(grid.y.ref)) throw new InputError(`x and y are the same entry ${formatParamRef(grid.x.ref)}`);
  if (grid.x.n * grid.y.n > MAX_GRID_CELLS) throw new InputError(`a grid of ${grid.x.n}×${grid.y.n} cells is more than the limit of ${MAX_GRID_CELLS}`);
}

/** One row of the grid: a sweep along x at y_j, continued cell to cell. */
export function gridRow(grid: Grid, options: Omit<SweepOptions, 'steps'>, j: number, events: StepEvents = {}): GridRow {
  const y = axisValues(grid.y)[j];
  const atY = withEntry(grid.spec, grid.y.ref, y);
  const path = entryPath(atY, grid.x.ref, grid.x.from, grid.x.to);
  const opts: SweepOptions = { ...options, steps: grid.x.n, events: false, chunkSize: grid.x.n, seed: ((options.seed ?? 0) + Math.imul(j + 1, 0x9e3779b1)) >>> 0 };
  checkSweepOptions(opts);
  const steps = searchChunk(path, opts, { from: 0, to: grid.x.n - 1 }, events);
  return {
    index: j,
    y,
    cells: steps.map((s) => {
      const counts: Record<string, number> = {};
      const stable: Record<string, number> = {};
      for (const c of s.cycles) {
        counts[c.order] = (counts[c.order] ?? 0) + 1;
        if (c.stable) stable[c.order] = (stable[c.order] ?? 0) + 1;
      }
      return { counts, stable, candidates: s.candidates, ...(s.cancelled ? { cancelled: true } : {}) };
    }),
  };
}

export function assembleGrid(grid: Grid, rows: GridRow[], started: number): GridResult {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  return {
    x: { parameter: formatParamRef(grid.x.ref), values: axisValues(grid.x) },
    y: { parameter: formatParamRef(grid.y.ref), values: axisValues(grid.y) },
    rows: sorted,
    stats: { candidates: sorted.reduce((a, r) => a + r.cells.reduce((b, c) => b + c.candidates, 0), 0), seconds: (performance.now() - started) / 1000 },
    cancelled: sorted.length < grid.y.n || sorted.some((r) => r.cells.length < grid.x.n || r.cells.some((c) => c.cancelled)),
  };
}

/** A whole grid in this thread (rows one after the other). */
export function runGrid(grid: Grid, options: Omit<SweepOptions, 'steps'>, events: StepEvents & { onRow?(row: GridRow): void } = {}): GridResult {
  checkGrid(grid);
  const started = performance.now();
  const rows: GridRow[] = [];
  for (let j = 0; j < grid.y.n; j++) {
    if (events.isCancelled?.()) break;
    const row = gridRow(grid, options, j, events);
    rows.push(row);
    events.onRow?.(row);
  }
  return assembleGrid(grid, rows, started);
}
