// The sweep panel's plots: the bifurcation diagram, the spectral radius of each branch, and the
// 2-D map. Each is a Chart.js scatter chart with zoom and pan, a crosshair whose position the page
// reads out, the sweep's events as labelled vertical markers (diagram and spectral radius), and
// clicks on a marker, a point or the x axis's title handed to the page.
import type { SweepEvent } from '../core/sweep/types';
import type { GridResult } from '../core/sweep/grid';
import { axisOptions, navigate, newChart, zoomOptions, type Chart, type XY } from './charts';
import { fmt, fmtComplex, h } from './dom';
import { DIAGRAM_POINT_RADIUS, diagramPointRadius, orderName, type DiagramPoint, type SeriesGroup } from './sweepSeries';
import { orderStyle } from './orderStyle';
import type { ThemeColors } from './theme';

/** Short labels of the markers (the table and the tooltip say it in full). */
export const EVENT_LABEL: Record<SweepEvent['kind'], string> = {
  'border-collision': 'BC',
  'degenerate-transcritical': 'DT',
  'degenerate-flip': 'flip',
  'neimark-sacker': 'NS',
  unclassified: '?',
};

export const EVENT_NAME: Record<SweepEvent['kind'], string> = {
  'border-collision': 'border collision',
  'degenerate-transcritical': 'degenerate transcritical',
  'degenerate-flip': 'degenerate flip',
  'neimark-sacker': 'Neimark–Sacker-like',
  unclassified: 'unclassified',
};

/** How close (px) the mouse must be to a marker to point at it. */
const MARKER_HIT = 5;
const LABEL_ROWS = 2;
const LABEL_HEIGHT = 14;

export interface PlotHandlers {
  /** The mouse (or the keyboard cursor) is at these data coordinates; undefined when it left. */
  onCursor(at: XY | undefined): void;
  onEvent?(index: number): void;
  onPoint?(step: number): void;
  /** The x axis's title: the swept entry. */
  onAxisTitle?(): void;
  /** The view changed by zooming or panning (to follow it in the plot beside). */
  onView?(min: number, max: number): void;
  /** The mouse went over an event's marker (undefined: off it). */
  onEventHover?(index: number | undefined): void;
  /** What a click on a marker does, for its tooltip (default: shows the entry in the file). */
  markerHint?: string;
}

/** A plot with the sweep's markers, a crosshair and zoom. */
export abstract class SweepChart {
  protected readonly chart: Chart<'scatter', XY[]>;
  protected colors: ThemeColors;
  protected events: readonly SweepEvent[] = [];
  /** Events drawn emphasised (the one selected and those linked to it). */
  protected highlighted: ReadonlySet<number> = new Set();
  private hovered: number | undefined;
  private mouse: { x: number; y: number } | undefined;
  private readonly tip: HTMLElement;

  constructor(
    canvas: HTMLCanvasElement,
    colors: ThemeColors,
    protected readonly handlers: PlotHandlers,
    mode: 'x' | 'xy',
  ) {
    this.colors = colors;
    this.tip = h('div', { class: 'plot-tip', role: 'tooltip', hidden: true });
    canvas.parentElement?.append(this.tip);
    const onView = () => {
      const x = this.chart.scales.x;
      this.markView();
      this.handlers.onView?.(x.min, x.max);
    };
    this.chart = newChart(
      canvas,
      () => this.colors,
      {
        layout: { padding: { top: LABEL_ROWS * LABEL_HEIGHT + 4 } },
        interaction: { mode: 'nearest', intersect: true },
        plugins: { zoom: zoomOptions(mode, colors, onView) },
        onClick: (e, elements) => this.click(e.x ?? NaN, e.y ?? NaN, elements),
      },
      [
        {
          id: 'scyfiMarkers',
          afterDatasetsDraw: (chart) => {
            this.drawExtra(chart as Chart<'scatter', XY[]>);
            this.drawMarkers(chart as Chart<'scatter', XY[]>);
          },
          afterDraw: (chart) => this.drawCrosshair(chart as Chart<'scatter', XY[]>),
        },
      ],
    );
    navigate(this.chart, mode, onView);
    canvas.addEventListener('mousemove', (e) => this.move(e.offsetX, e.offsetY));
    canvas.addEventListener('mouseleave', () => this.move(undefined, undefined));
  }

  /** Marker index under the pixel x, if any. */
  private markerAt(px: number): number | undefined {
    const x = this.chart.scales.x;
    let best: number | undefined;
    let bestD = MARKER_HIT;
    this.events.forEach((ev, i) => {
      const d = Math.abs(x.getPixelForValue(ev.value) - px);
      if (d <= bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  }

  private inArea(px: number, py: number): boolean {
    const a = this.chart.chartArea;
    return px >= a.left && px <= a.right && py >= a.top - LABEL_ROWS * LABEL_HEIGHT && py <= a.bottom;
  }

  private onAxisTitle(px: number, py: number): boolean {
    const a = this.chart.chartArea;
    return !!this.handlers.onAxisTitle && px >= a.left && px <= a.right && py > a.bottom + 16;
  }

  private move(px: number | undefined, py: number | undefined): void {
    const canvas = this.chart.canvas;
    if (px === undefined || py === undefined || !this.inArea(px, py)) {
      this.mouse = undefined;
      this.tip.hidden = true;
      if (this.hovered !== undefined) {
        this.hovered = undefined;
        this.handlers.onEventHover?.(undefined);
      }
      canvas.style.cursor = px !== undefined && py !== undefined && this.onAxisTitle(px, py) ? 'pointer' : '';
      this.handlers.onCursor(undefined);
      this.chart.draw();
      return;
    }
    this.mouse = { x: px, y: py };
    const marker = this.markerAt(px);
    if (marker !== this.hovered) {
      this.hovered = marker;
      this.handlers.onEventHover?.(marker);
    }
    // A chart event (it has `native`): Chart.js reads its x and y as they are.
    const at = { type: 'mousemove', native: null, x: px, y: py } as unknown as Event;
    const overPoint = this.chart.getElementsAtEventForMode(at, 'nearest', { intersect: true }, false).length > 0;
    canvas.style.cursor = marker !== undefined || (overPoint && this.handlers.onPoint) ? 'pointer' : 'crosshair';
    this.showTip(marker, px, py);
    this.handlers.onCursor({ x: this.chart.scales.x.getValueForPixel(px) ?? NaN, y: this.chart.scales.y.getValueForPixel(py) ?? NaN });
    this.chart.draw();
  }

  private showTip(marker: number | undefined, px: number, py: number): void {
    if (marker === undefined) {
      this.tip.hidden = true;
      return;
    }
    const ev = this.events[marker];
    this.tip.replaceChildren(...eventLines(ev).map((l, i) => h(i === 0 ? 'strong' : 'div', {}, l)), h('div', { class: 'muted' }, this.handlers.markerHint ?? 'Click to show the entry in the file'));
    this.tip.hidden = false;
    const w = this.chart.canvas.clientWidth;
    const left = Math.min(px + 12, w - this.tip.offsetWidth - 4);
    this.tip.style.left = `${Math.max(4, left)}px`;
    this.tip.style.top = `${Math.max(4, py + 12)}px`;
  }

  private click(px: number, py: number, elements: { datasetIndex: number; index: number }[]): void {
    const marker = this.markerAt(px);
    if (marker !== undefined && this.inArea(px, py)) {
      this.handlers.onEvent?.(marker);
      return;
    }
    if (this.onAxisTitle(px, py)) {
      this.handlers.onAxisTitle?.();
      return;
    }
    const hit = elements[0];
    const point = hit && (this.chart.data.datasets[hit.datasetIndex]?.data[hit.index] as Partial<DiagramPoint> | undefined);
    if (point?.step !== undefined) this.handlers.onPoint?.(point.step);
  }

  private drawMarkers(chart: Chart<'scatter', XY[]>): void {
    if (this.events.length === 0) return;
    const { ctx, chartArea: a } = chart;
    const x = chart.scales.x;
    const c = this.colors;
    ctx.save();
    ctx.font = '11px sans-serif';
    ctx.textBaseline = 'top';
    const rowEnds = Array.from({ length: LABEL_ROWS }, () => -Infinity);
    // Left to right, so that a label that would overlap the one before goes one row lower.
    const order = this.events.map((ev, i) => ({ ev, i, px: x.getPixelForValue(ev.value) })).sort((p, q) => p.px - q.px);
    for (const { ev, i, px } of order) {
      if (px < a.left - 0.5 || px > a.right + 0.5) continue;
      const lit = this.highlighted.has(i);
      ctx.strokeStyle = lit ? c.focus : c.foreground;
      ctx.globalAlpha = lit ? 1 : 0.55;
      ctx.setLineDash(lit ? [] : [4, 3]);
      ctx.lineWidth = lit ? 2 : 1;
      ctx.beginPath();
      ctx.moveTo(px, a.top);
      ctx.lineTo(px, a.bottom);
      ctx.stroke();
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
      const label = EVENT_LABEL[ev.kind];
      const w = ctx.measureText(label).width + 6;
      // A label that would overlap others in every row is left out (the marker and its tooltip stay).
      const row = rowEnds.findIndex((end) => end < px - w / 2 - 2);
      if (row < 0) continue;
      rowEnds[row] = px + w / 2;
      const top = a.top - (LABEL_ROWS - row) * LABEL_HEIGHT - 2;
      ctx.fillStyle = c.background;
      ctx.fillRect(px - w / 2, top, w, LABEL_HEIGHT - 1);
      ctx.strokeStyle = lit ? c.focus : c.muted;
      ctx.strokeRect(px - w / 2 + 0.5, top + 0.5, w - 1, LABEL_HEIGHT - 2);
      ctx.fillStyle = c.foreground;
      ctx.textAlign = 'center';
      ctx.fillText(label, px, top + 1);
    }
    ctx.restore();
  }

  /** What a plot draws under the markers besides its datasets (the loss plot's jumps). */
  protected drawExtra(_chart: Chart<'scatter', XY[]>): void {}

  /** Emphasises these events' markers. */
  setHighlight(events: ReadonlySet<number>): void {
    this.highlighted = events;
    this.chart.draw();
  }

  private drawCrosshair(chart: Chart<'scatter', XY[]>): void {
    const m = this.mouse;
    const a = chart.chartArea;
    if (!m || m.y < a.top || m.y > a.bottom) return;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = this.colors.muted;
    ctx.globalAlpha = 0.6;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(m.x + 0.5, a.top);
    ctx.lineTo(m.x + 0.5, a.bottom);
    ctx.moveTo(a.left, m.y + 0.5);
    ctx.lineTo(a.right, m.y + 0.5);
    ctx.stroke();
    ctx.restore();
  }

  /** The x range shown, on the canvas (data-x-range="min max"), for whoever reads the page. */
  protected markView(): void {
    const x = this.chart.scales.x;
    if (x) this.chart.canvas.dataset.xRange = `${x.min} ${x.max}`;
  }

  /** Follows the x range of the plot beside. */
  setXRange(min: number, max: number): void {
    this.chart.zoomScale('x', { min, max }, 'none');
    this.markView();
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
    this.markView();
  }

  isZoomed(): boolean {
    return this.chart.isZoomedOrPanned();
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }

  /** The x axis spans the whole path (steps without objects and events at its ends included). */
  protected axes(xTitle: string, xRange: { min: number; max: number }, yTitle: string, extraY: object = {}) {
    const w = this.axisWidths;
    const fit = w ? { afterFit: (scale: { width: number }) => void (scale.width = w.left) } : {};
    if (w) this.chart.options.layout = { ...this.chart.options.layout, padding: { top: LABEL_ROWS * LABEL_HEIGHT + 4, right: w.right } };
    return { x: { ...axisOptions(xTitle, this.colors), ...xRange }, y: { ...axisOptions(yTitle, this.colors), ...extraY, ...fit } };
  }

  /** Fixed widths (px) of the y axis and of the space right of the plot: plots stacked on one x axis line up. */
  protected axisWidths: { left: number; right: number } | undefined;

  alignAxes(left: number, right: number): void {
    this.axisWidths = { left, right };
  }
}

/** The lines of an event's tooltip: kind (and outcome), value, branches, eigenvalues, detail. */
export function eventLines(ev: SweepEvent): string[] {
  return [
    `${EVENT_NAME[ev.kind]}${ev.outcome ? ` (${ev.outcome})` : ''} at ${fmt(ev.value, 6)}`,
    `${orderName(ev.order, false)}; branches ${ev.branches.join(', ')}`,
    `λ: ${ev.eigenvalues.map(fmtComplex).join(', ')}`,
    ev.detail,
  ];
}

const pointRadius = DIAGRAM_POINT_RADIUS;


export class BifurcationPlot extends SweepChart {
  constructor(canvas: HTMLCanvasElement, colors: ThemeColors, handlers: PlotHandlers) {
    super(canvas, colors, handlers, 'xy');
  }

  /** `yRange`: the vertical range to show (all the points when absent). */
  update(
    points: SeriesGroup<DiagramPoint>[],
    lines: SeriesGroup<XY>[],
    events: readonly SweepEvent[],
    xTitle: string,
    xRange: { min: number; max: number },
    yTitle: string,
    yRange: { min: number; max: number } | undefined,
    colors: ThemeColors,
    cursor?: DiagramPoint,
  ): void {
    this.colors = colors;
    this.events = events;
    const lineSets = lines.map((g) => {
      const { color, dash } = orderStyle(colors, g.order);
      return {
        label: `${orderName(g.order)} (branches)`,
        data: g.data,
        showLine: true,
        spanGaps: false,
        borderColor: color,
        borderDash: dash,
        borderWidth: 1.25,
        pointRadius: 0,
        pointHoverRadius: 0,
        pointHitRadius: 0,
        order: 3,
      };
    });
    const radius = diagramPointRadius(points, this.chart.canvas.clientWidth || 800);
    const pointSets = points.map((g) => {
      const { color, shape } = orderStyle(colors, g.order);
      return {
        label: `${orderName(g.order)}, ${g.stable ? 'stable' : 'unstable'}`,
        data: g.data,
        showLine: false,
        pointBackgroundColor: g.stable ? color : colors.background,
        pointBorderColor: color,
        pointStyle: shape,
        pointBorderWidth: radius < pointRadius ? 0.75 : g.stable ? 1 : 1.5,
        pointRadius: radius,
        pointHoverRadius: radius + 2,
        order: g.stable ? 1 : 2,
      };
    });
    const cursorSet = cursor
      ? [{ label: 'cursor', data: [cursor], showLine: false, pointRadius: 7, pointBorderWidth: 2, pointBorderColor: colors.focus, pointBackgroundColor: 'transparent', order: 0 }]
      : [];
    this.chart.data.datasets = [...cursorSet, ...pointSets, ...lineSets] as never;
    const o = this.chart.options;
    o.scales = this.axes(xTitle, xRange, yTitle, yRange ? { min: yRange.min, max: yRange.max } : {});
    o.plugins!.tooltip = {
      filter: (item) => item.dataset.label !== 'cursor' && (item.dataset as { showLine?: boolean }).showLine !== true,
      callbacks: { label: (item) => `${item.dataset.label}: ${fmt(item.parsed.x ?? NaN)}, ${fmt(item.parsed.y ?? NaN)} (click: find its cycles)` },
    };
    this.chart.update('none');
    this.markView();
  }
}

export class SpectralPlot extends SweepChart {
  constructor(canvas: HTMLCanvasElement, colors: ThemeColors, handlers: PlotHandlers) {
    super(canvas, colors, handlers, 'x');
  }

  /** `log`: ρ on a logarithmic axis (a zero ρ, a point where every eigenvalue vanishes, is left out there). */
  update(spectral: SeriesGroup<XY>[], events: readonly SweepEvent[], xTitle: string, xRange: { min: number; max: number }, log: boolean, yMax: number | undefined, colors: ThemeColors): void {
    this.colors = colors;
    this.events = events;
    const [lo, hi] = [xRange.min, xRange.max];
    this.chart.data.datasets = [
      {
        label: '|λ| = 1',
        data: [
          { x: lo, y: 1 },
          { x: hi, y: 1 },
        ],
        showLine: true,
        borderColor: colors.muted,
        borderDash: [5, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHitRadius: 0,
        order: 3,
      },
      ...spectral.map((g) => {
        const { color, shape, dash } = orderStyle(colors, g.order);
        return {
          label: orderName(g.order),
          data: log ? g.data.map((p) => (p.y > 0 ? p : { x: p.x, y: NaN })) : g.data,
          showLine: true,
          spanGaps: false,
          borderColor: color,
          backgroundColor: color,
          borderDash: dash,
          pointStyle: shape,
          borderWidth: 1.5,
          pointRadius: 1.5,
          pointHoverRadius: 4,
          order: 1,
        };
      }),
    ] as never;
    const o = this.chart.options;
    o.scales = this.axes(xTitle, xRange, 'spectral radius ρ = max |λ|', log ? { type: 'logarithmic' } : { min: 0, ...(yMax === undefined ? {} : { max: yMax }) });
    o.plugins!.tooltip = {
      filter: (item) => item.datasetIndex > 0,
      callbacks: { label: (item) => `${item.dataset.label}: ρ = ${fmt(item.parsed.y ?? NaN)} at ${fmt(item.parsed.x ?? NaN)}` },
    };
    this.chart.update('none');
    this.markView();
  }
}

export type MapMeasure = 'objects' | 'stable';

const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

/** The measure of each cell, rows[j][i]; NaN where the map has no value yet. */
export function mapValues(g: GridResult, measure: MapMeasure): number[][] {
  const byRow = new Map(g.rows.map((r) => [r.index, r]));
  return g.y.values.map((_, j) => g.x.values.map((__, i) => {
    const cell = byRow.get(j)?.cells[i];
    return cell ? total(measure === 'objects' ? cell.counts : cell.stable) : NaN;
  }));
}

/**
 * The colour of a count whose rank among the counts above zero present is `rank` (0: the
 * smallest): none found is a faint grey; the others take the theme's chart colours in turn, then the same half
 * transparent.
 */
export function countColor(colors: ThemeColors, value: number, rank: number): { color: string; alpha: number } {
  if (value === 0) return { color: colors.muted, alpha: 0.18 };
  return { color: colors.series[rank % colors.series.length], alpha: rank < colors.series.length ? 1 : 0.55 };
}

/** The 2-D map as a heat map: each cell painted in the colour of its count, drawn on the chart's axes. */
export class MapPlot extends SweepChart {
  private image: HTMLCanvasElement | undefined;
  private extent = { x0: 0, x1: 1, y0: 0, y1: 1 };

  constructor(canvas: HTMLCanvasElement, colors: ThemeColors, handlers: PlotHandlers) {
    super(canvas, colors, handlers, 'xy');
    this.chart.config.plugins!.push({
      id: 'scyfiCells',
      beforeDatasetsDraw: (chart) => {
        if (!this.image) return;
        const { ctx, chartArea: a, scales } = chart;
        const left = scales.x.getPixelForValue(this.extent.x0);
        const right = scales.x.getPixelForValue(this.extent.x1);
        const top = scales.y.getPixelForValue(this.extent.y1);
        const bottom = scales.y.getPixelForValue(this.extent.y0);
        ctx.save();
        ctx.beginPath();
        ctx.rect(a.left, a.top, a.width, a.height);
        ctx.clip();
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(this.image, left, top, right - left, bottom - top);
        ctx.restore();
      },
    });
  }

  /** `colorOf` gives each value's colour. */
  update(g: GridResult, values: number[][], colorOf: (v: number) => { color: string; alpha: number } | undefined, colors: ThemeColors): void {
    this.colors = colors;
    const xs = g.x.values;
    const ys = g.y.values;
    const dx = xs.length > 1 ? Math.abs(xs[1] - xs[0]) : 1;
    const dy = ys.length > 1 ? Math.abs(ys[1] - ys[0]) : 1;
    const xAsc = xs[xs.length - 1] >= xs[0];
    const yAsc = ys[ys.length - 1] >= ys[0];
    this.extent = { x0: Math.min(...xs) - dx / 2, x1: Math.max(...xs) + dx / 2, y0: Math.min(...ys) - dy / 2, y1: Math.max(...ys) + dy / 2 };
    const img = this.image ?? document.createElement('canvas');
    img.width = xs.length;
    img.height = ys.length;
    const ctx = img.getContext('2d')!;
    ctx.clearRect(0, 0, img.width, img.height);
    values.forEach((row, j) =>
      row.forEach((v, i) => {
        const c = Number.isNaN(v) ? undefined : colorOf(v);
        if (!c) return;
        ctx.fillStyle = c.color;
        ctx.globalAlpha = c.alpha;
        // Pixel column 0 is the smallest x, pixel row 0 the largest y.
        ctx.fillRect(xAsc ? i : xs.length - 1 - i, yAsc ? ys.length - 1 - j : j, 1, 1);
      }),
    );
    this.image = img;
    // An invisible dataset spans the axes over the whole map.
    this.chart.data.datasets = [
      {
        label: 'extent',
        data: [
          { x: this.extent.x0, y: this.extent.y0 },
          { x: this.extent.x1, y: this.extent.y1 },
        ],
        pointRadius: 0,
        pointHitRadius: 0,
        showLine: false,
      },
    ] as never;
    const o = this.chart.options;
    o.scales = {
      x: { ...axisOptions(g.x.parameter, colors), min: this.extent.x0, max: this.extent.x1, grid: { display: false } },
      y: { ...axisOptions(g.y.parameter, colors), min: this.extent.y0, max: this.extent.y1, grid: { display: false } },
    };
    o.layout = { padding: { top: 8 } };
    o.plugins!.tooltip = { enabled: false };
    this.chart.update('none');
  }
}
