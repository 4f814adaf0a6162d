// The state-space plot: the objects found (at most MAX_DRAWN_POINTS points, see decimate),
// cycles as closed paths, stable ones filled, the colour saying the order; zoom and pan (Ctrl+
// wheel, box, Shift+drag, keyboard), ← → stepping through the objects drawn, tooltips with the
// exact coordinates and the object's class.
import type { Cycle } from '../core/scyfi/types';
import { axisOptions, navigate, newChart, zoomOptions, type Chart } from './charts';
import { fmt } from './dom';
import { pca, project, type Projection } from './pca';
import { decimate, type Decimation } from './resultsModel';
import { orderStyle } from './orderStyle';
import type { ThemeColors } from './theme';

export type StateProjection = { kind: 'coords'; x: number; y: number } | { kind: 'pca' };

interface PlotPoint {
  x: number;
  y: number;
  /** Which point of its object (the closing copy of a cycle's first point says 0). */
  j: number;
}

interface ObjectDataset {
  cycleIndex: number;
  data: PlotPoint[];
}

/** Digits of the coordinates in tooltips and the readout (the table rounds to 4). */
const EXACT_DIGITS = 8;
/** Coordinates listed in a tooltip at most (a 1000-D point is not read off a tooltip). */
const TOOLTIP_COORDS = 8;

function kindName(c: Cycle): string {
  return c.order === 1 ? 'fixed point' : `${c.order}-cycle`;
}

/** "z1 = 1.8724, z2 = 0.10750312" (the first TOOLTIP_COORDS coordinates). */
export function coordinatesText(p: readonly number[]): string {
  const shown = p.slice(0, TOOLTIP_COORDS).map((x, i) => `z${i + 1} = ${fmt(x, EXACT_DIGITS)}`);
  return shown.join(', ') + (p.length > TOOLTIP_COORDS ? `, … (${p.length} coordinates)` : '');
}

/** The lines describing point j of object i: what it is, and its coordinates. */
export function pointLines(c: Cycle, i: number, j: number): string[] {
  const point = c.order > 1 ? `, point ${j + 1} of ${c.order}` : '';
  return [`#${i + 1} ${kindName(c)}${point} · ${c.classification} · ρ = ${fmt(c.spectralRadius, 6)}`, coordinatesText(c.points[j] ?? [])];
}

export class StatePlot {
  private readonly chart: Chart<'scatter', PlotPoint[]>;
  private colors: ThemeColors;
  /** Extra datasets drawn under the objects (trajectoryLayer.ts), and a click off every object (data coordinates). */
  layer?: (toXY: (p: number[], next: number[]) => [number, number]) => object[];
  onBackground?: (x: number, y: number) => void;
  private cycles: readonly Cycle[] = [];
  private drawnIndices: number[] = [];
  private projKey = '';
  private pcaCache: { cycles: readonly Cycle[]; n: number; pr: Projection } | undefined;
  /** Called after the user zoomed or panned (the page may want to say so). */
  onView: () => void = () => undefined;

  constructor(
    canvas: HTMLCanvasElement,
    colors: ThemeColors,
    private readonly onPick: (index: number) => void,
  ) {
    this.colors = colors;
    canvas.tabIndex = 0;
    this.chart = newChart<PlotPoint>(canvas, () => this.colors, {
      interaction: { mode: 'nearest', intersect: true },
      plugins: { tooltip: { callbacks: {} }, zoom: zoomOptions('xy', colors, () => this.onView()) },
      onClick: (e, elements) => {
        // An object's point selects it; a click elsewhere (the 1-D diagonal, a trajectory, empty space) starts a trajectory there.
        const indexOf = (el: { datasetIndex: number }) => (this.chart.data.datasets[el.datasetIndex] as { cycleIndex?: number }).cycleIndex;
        const hit = elements.find((el) => (indexOf(el) ?? -1) >= 0);
        if (hit) this.onPick(indexOf(hit)!);
        else if (e.x !== null && e.y !== null && !this.dragged) this.onBackground?.(this.chart.scales.x.getValueForPixel(e.x) ?? NaN, this.chart.scales.y.getValueForPixel(e.y) ?? NaN);
      },
    });
    navigate(this.chart as never, 'xy', () => this.onView());
    canvas.addEventListener('keydown', (e) => this.key(e));
    // A drag draws a zoom box; the click that ends it starts no trajectory.
    let down: [number, number] | undefined;
    canvas.addEventListener('pointerdown', (e) => {
      down = [e.clientX, e.clientY];
      this.dragged = false;
    });
    canvas.addEventListener('pointerup', (e) => {
      if (down) this.dragged = Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4;
    });
  }

  private dragged = false;

  /** ← and → select the previous and next object drawn (Shift+arrows pan, see navigate). */
  private key(e: KeyboardEvent): void {
    if (e.shiftKey || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || this.drawnIndices.length === 0) return;
    const order = [...this.drawnIndices].sort((a, b) => a - b);
    const cur = order.indexOf(this.selected ?? -1);
    const next = e.key === 'ArrowRight' ? (cur + 1) % order.length : (cur - 1 + order.length) % order.length;
    e.preventDefault();
    this.onPick(order[cur < 0 ? 0 : next]);
  }

  private selected: number | undefined;

  private pcaOf(cycles: readonly Cycle[]): Projection {
    const c = this.pcaCache;
    if (c && c.cycles === cycles && c.n === cycles.length) return c.pr;
    const pr = pca(cycles.flatMap((x) => x.points));
    this.pcaCache = { cycles, n: cycles.length, pr };
    return pr;
  }

  /**
   * Redraws; returns a note on the projection (and on what was left out) for the caption.
   * `shown`: the indices the filter keeps (default: all), of which at most MAX_DRAWN_POINTS
   * points are drawn.
   */
  update(cycles: readonly Cycle[], M: number, proj: StateProjection, selected: number | undefined, colors: ThemeColors, shown?: readonly number[]): string {
    this.colors = colors;
    this.cycles = cycles;
    this.selected = selected;
    let toXY: (p: number[], next: number[]) => [number, number];
    let xTitle: string;
    let yTitle: string;
    let note = '';
    if (M === 1) {
      toXY = (p, next) => [p[0], next[0]];
      xTitle = 'z1(t)';
      yTitle = 'z1(t+1)';
      note = 'Return map z(t) → z(t+1); fixed points lie on the diagonal.';
    } else if (proj.kind === 'pca') {
      const pr = this.pcaOf(cycles);
      const n = cycles.reduce((a, c) => a + c.points.length, 0);
      toXY = (p) => project(p, pr);
      const pct = (k: number) => `${fmt(100 * (pr.explained[k] ?? 0), 3)} %`;
      xTitle = `PC1 (${pct(0)} of the variance)`;
      yTitle = `PC2 (${pct(1)} of the variance)`;
      note = n < 3 ? 'Too few points for a meaningful projection.' : `PC1 and PC2 of the points found explain ${pct(0)} and ${pct(1)} of their variance.`;
    } else {
      const { x, y } = proj;
      toXY = (p) => [p[x], p[y]];
      xTitle = `z${x + 1}`;
      yTitle = `z${y + 1}`;
    }
    const candidates = shown ?? cycles.map((_, i) => i);
    const dec: Decimation = decimate(cycles, candidates, selected);
    this.drawnIndices = dec.drawn;
    if (dec.skipped > 0) {
      note = `${note ? `${note} ` : ''}Drawn: ${dec.drawn.length.toLocaleString('en')} of ${candidates.length.toLocaleString('en')} objects (stable ones, fixed points and low orders first; at most a few thousand points): filter by order to see the others.`;
    }

    const datasets: (ObjectDataset & Record<string, unknown>)[] = dec.drawn.map((i) => {
      const c = cycles[i];
      const { color, shape, dash } = orderStyle(colors, c.order);
      const pts = c.points.map((p, j) => toXY(p, c.points[(j + 1) % c.points.length]));
      const closed = c.order > 1 ? [...pts, pts[0]] : pts;
      const big = i === selected;
      const radius = closed.map((_, j) => (c.order > 1 && j === closed.length - 1 ? 0 : big ? 6 : 4));
      return {
        label: `#${i + 1} ${kindName(c)} (${c.classification})`,
        cycleIndex: i,
        data: closed.map(([x, y], j) => ({ x, y, j: j % c.points.length })),
        showLine: c.order > 1,
        borderColor: color,
        borderDash: dash,
        borderWidth: big ? 2.5 : 1.25,
        pointBackgroundColor: c.stable ? color : 'transparent',
        pointBorderColor: big ? colors.foreground : color,
        pointStyle: shape,
        pointBorderWidth: c.stable ? 1 : 2,
        pointRadius: radius,
        pointHoverRadius: radius.map((r) => (r === 0 ? 0 : r + 2)),
        // Lower order is drawn on top: the selected object, then stable ones (never hidden by unstable ones).
        order: big ? 0 : c.stable ? 1 : 2,
      };
    });
    if (M === 1 && datasets.length > 0) datasets.push(diagonal(datasets, colors));
    if (this.layer) datasets.push(...(this.layer(toXY) as typeof datasets));
    this.chart.data.datasets = datasets as never;
    const o = this.chart.options;
    // A new projection shows everything again; otherwise the view the user zoomed to is kept.
    const key = `${M}:${proj.kind === 'pca' ? 'pca' : `${proj.x},${proj.y}`}`;
    const keep = key === this.projKey && this.chart.isZoomedOrPanned();
    const sx = this.chart.scales.x;
    const sy = this.chart.scales.y;
    const keepX = keep && sx ? { min: sx.min, max: sx.max } : {};
    const keepY = keep && sy ? { min: sy.min, max: sy.max } : {};
    if (!keep && key !== this.projKey) this.chart.resetZoom('none');
    this.projKey = key;
    o.scales = { x: { ...axisOptions(xTitle, colors), ...keepX }, y: { ...axisOptions(yTitle, colors), ...keepY } };
    o.plugins!.tooltip!.callbacks = {
      title: () => '',
      label: (item) => {
        const ds = item.dataset as unknown as ObjectDataset;
        const c = this.cycles[ds.cycleIndex];
        if (!c) return item.dataset.label ?? '';
        const j = (item.raw as PlotPoint).j;
        const lines = pointLines(c, ds.cycleIndex, j);
        return proj.kind === 'pca' && M > 1 ? [...lines, `PC1 = ${fmt(item.parsed.x ?? NaN, EXACT_DIGITS)}, PC2 = ${fmt(item.parsed.y ?? NaN, EXACT_DIGITS)}`] : lines;
      },
    };
    this.chart.update('none');
    this.chart.canvas.setAttribute('aria-label', `State space (${xTitle} against ${yTitle}): ${dec.drawn.length} objects drawn. ← → select an object, + − zoom, Shift+arrows pan, 0 resets.`);
    return note;
  }

  /** The orders of the objects drawn (for the legend). */
  drawnOrders(): number[] {
    return [...new Set(this.drawnIndices.map((i) => this.cycles[i].order))].sort((a, b) => a - b);
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }
}

/** The diagonal of the return map, across the points drawn. */
function diagonal(datasets: ObjectDataset[], colors: ThemeColors): ObjectDataset & Record<string, unknown> {
  const xs = datasets.flatMap((d) => d.data.map((p) => p.x));
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const pad = Math.max((hi - lo) * 0.1, 0.5);
  return {
    label: 'diagonal',
    cycleIndex: -1,
    data: [
      { x: lo - pad, y: lo - pad, j: 0 },
      { x: hi + pad, y: hi + pad, j: 0 },
    ],
    showLine: true,
    borderColor: colors.grid,
    borderWidth: 1,
    pointBackgroundColor: colors.grid,
    pointBorderColor: colors.grid,
    pointBorderWidth: 0,
    pointRadius: [0, 0],
    pointHoverRadius: [0, 0],
    order: 3,
  };
}
