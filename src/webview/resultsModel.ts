// The pure parts of the results page (no DOM): which objects the filter keeps and in what order,
// which of them the state plot draws (decimation), and which table rows are rendered (the
// window of a virtualised table).
import type { Cycle } from '../core/scyfi/types';

export type StabilityFilter = 'all' | 'key' | 'stable' | 'unstable';
export const STABILITY_FILTERS: readonly StabilityFilter[] = ['all', 'key', 'stable', 'unstable'];
export const STABILITY_FILTER_TEXT: Record<StabilityFilter, string> = {
  all: 'all objects',
  key: 'stable objects and fixed points',
  stable: 'stable only',
  unstable: 'unstable only',
};

export interface ResultsFilter {
  /** One order, or every order. */
  order: number | 'all';
  /** 'auto': every object while there are few or one order is chosen, else stable objects and fixed points. */
  stability: StabilityFilter | 'auto';
}

/** Above this many objects the automatic filter shows stable objects and fixed points only. */
export const AUTO_KEY_ABOVE = 300;

/** The stability filter in force: 'auto' keeps everything, unless all orders of many objects are shown. */
export function effectiveStability(f: ResultsFilter, total: number): StabilityFilter {
  if (f.stability !== 'auto') return f.stability;
  return f.order === 'all' && total > AUTO_KEY_ABOVE ? 'key' : 'all';
}

function keeps(c: Cycle, f: ResultsFilter, stability: StabilityFilter): boolean {
  if (f.order !== 'all' && c.order !== f.order) return false;
  switch (stability) {
    case 'all':
      return true;
    case 'key':
      return c.stable || c.order === 1;
    case 'stable':
      return c.stable;
    case 'unstable':
      return !c.stable;
  }
}

/** Indices of the cycles the filter keeps, in the order found. */
export function filterIndices(cycles: readonly Cycle[], f: ResultsFilter): number[] {
  const stability = effectiveStability(f, cycles.length);
  const out: number[] = [];
  for (let i = 0; i < cycles.length; i++) if (keeps(cycles[i], f, stability)) out.push(i);
  return out;
}

/** Rank of an object for the default order and for drawing: stable ones, then fixed points, then the rest by order. */
export function priority(c: Cycle): number {
  return c.stable ? 0 : c.order === 1 ? 1 : 1 + c.order;
}

export interface OrderCount {
  order: number;
  n: number;
  stable: number;
}

/** Objects and stable ones per order, by order. */
export function orderCounts(cycles: readonly Cycle[]): OrderCount[] {
  const m = new Map<number, OrderCount>();
  for (const c of cycles) {
    const g = m.get(c.order) ?? { order: c.order, n: 0, stable: 0 };
    g.n++;
    if (c.stable) g.stable++;
    m.set(c.order, g);
  }
  return [...m.values()].sort((a, b) => a.order - b.order);
}

/** At most this many points of cycles are drawn in the state plot, and at most this many objects. */
export const MAX_DRAWN_POINTS = 4000;
export const MAX_DRAWN_OBJECTS = 400;

export interface Decimation {
  /** Indices of the objects drawn. */
  drawn: number[];
  /** How many of the candidates were left out. */
  skipped: number;
}

/**
 * Which of `candidates` (indices into `cycles`) the state plot draws: the selected one, then by
 * priority (stable, fixed points, low orders; ties in the order found), while the points stay
 * within `maxPoints` and the objects within `maxObjects`. An object that does not fit is skipped
 * and smaller ones after it may still be drawn.
 */
export function decimate(cycles: readonly Cycle[], candidates: readonly number[], selected: number | undefined, maxPoints = MAX_DRAWN_POINTS, maxObjects = MAX_DRAWN_OBJECTS): Decimation {
  const ranked = [...candidates].sort((a, b) => (a === selected ? -1 : b === selected ? 1 : priority(cycles[a]) - priority(cycles[b]) || a - b));
  const drawn: number[] = [];
  let points = 0;
  for (const i of ranked) {
    if (drawn.length >= maxObjects) break;
    const k = cycles[i].points.length;
    if (points + k > maxPoints && !(i === selected)) continue;
    drawn.push(i);
    points += k;
  }
  return { drawn, skipped: candidates.length - drawn.length };
}

export interface RowWindow {
  /** First and one past the last position rendered. */
  start: number;
  end: number;
  /** Height of the space above and below the rendered rows (px). */
  before: number;
  after: number;
}

/**
 * The rows of a virtualised list to render: those that overlap the viewport
 * [scrollTop, scrollTop + viewport) plus `overscan` on each side. `heights[i]`: row i's height.
 */
export function rowWindow(heights: readonly number[], scrollTop: number, viewport: number, overscan = 10): RowWindow {
  const n = heights.length;
  let y = 0;
  let first = n;
  for (let i = 0; i < n; i++) {
    if (y + heights[i] > scrollTop) {
      first = i;
      break;
    }
    y += heights[i];
  }
  let last = first;
  let bottom = y;
  while (last < n && bottom < scrollTop + viewport) bottom += heights[last++];
  const start = Math.max(0, first - overscan);
  const end = Math.min(n, last + overscan);
  let before = 0;
  for (let i = 0; i < start; i++) before += heights[i];
  let after = 0;
  for (let i = end; i < n; i++) after += heights[i];
  return { start, end, before, after };
}

/** The scrollTop that brings row `pos` into a viewport of height `viewport` (unchanged when it is visible). */
export function scrollToRow(heights: readonly number[], pos: number, scrollTop: number, viewport: number): number {
  let top = 0;
  for (let i = 0; i < pos && i < heights.length; i++) top += heights[i];
  const h = heights[pos] ?? 0;
  if (top < scrollTop) return top;
  if (top + h > scrollTop + viewport) return Math.max(0, top + h - viewport);
  return scrollTop;
}

/** 'default': stable objects first, then fixed points, then the rest by order. */
export type SortColumn = 'default' | 'index' | 'order' | 'spectralRadius' | 'stability';
export interface TableView {
  sort: SortColumn;
  descending: boolean;
  expanded: number[];
  selected?: number;
}


function sortKey(c: Cycle, i: number, col: SortColumn): number {
  switch (col) {
    case 'default':
      return priority(c) * 1e7 + i;
    case 'index':
      return i;
    case 'order':
      return c.order * 1e6 + i;
    case 'spectralRadius':
      return c.spectralRadius;
    case 'stability':
      return (c.stable ? 0 : /saddle/.test(c.classification) ? 1 : 2) * 1e6 + i;
  }
}

/** `among` (default: every index) sorted as the view says. */
export function sortedIndices(cycles: readonly Cycle[], view: TableView, among?: readonly number[]): number[] {
  const idx = among ? [...among] : cycles.map((_, i) => i);
  idx.sort((a, b) => {
    const d = sortKey(cycles[a], a, view.sort) - sortKey(cycles[b], b, view.sort);
    return (view.descending ? -d : d) || a - b;
  });
  return idx;
}

