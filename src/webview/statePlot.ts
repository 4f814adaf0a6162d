// The state-space plot: every object found, cycles as closed paths, stable ones filled.
import type { Cycle } from '../core/scyfi/types';
import { axisOptions, newChart, type Chart } from './charts';
import { fmt } from './dom';
import { pca, project } from './pca';
import type { ThemeColors } from './theme';

export type StateProjection = { kind: 'coords'; x: number; y: number } | { kind: 'pca' };

interface PlotPoint {
  x: number;
  y: number;
}

export class StatePlot {
  private readonly chart: Chart<'scatter', PlotPoint[]>;
  private colors: ThemeColors;
  /** Extra datasets drawn under the objects (trajectoryLayer.ts), and a click off every object (data coordinates). */
  layer?: (toXY: (p: number[], next: number[]) => [number, number]) => object[];
  onBackground?: (x: number, y: number) => void;

  constructor(
    canvas: HTMLCanvasElement,
    colors: ThemeColors,
    private readonly onPick: (index: number) => void,
  ) {
    this.colors = colors;
    this.chart = newChart<PlotPoint>(canvas, () => this.colors, {
      plugins: { tooltip: { callbacks: {} } },
      onClick: (e, elements) => {
        const hit = elements.find((el) => (this.chart.data.datasets[el.datasetIndex] as { cycleIndex?: number }).cycleIndex !== undefined);
        const idx = hit ? (this.chart.data.datasets[hit.datasetIndex] as { cycleIndex?: number }).cycleIndex : undefined;
        if (idx !== undefined) this.onPick(idx);
        else if (e.x !== null && e.y !== null) this.onBackground?.(this.chart.scales.x.getValueForPixel(e.x) ?? NaN, this.chart.scales.y.getValueForPixel(e.y) ?? NaN);
      },
    });
  }

  /** Redraws; returns a note on the projection for the caption. */
  update(cycles: readonly Cycle[], M: number, proj: StateProjection, selected: number | undefined, colors: ThemeColors): string {
    this.colors = colors;
    let toXY: (p: number[], next: number[]) => [number, number];
    let xTitle: string;
    let yTitle: string;
    let note = '';
    if (M === 1) {
      toXY = (p, next) => [p[0], next[0]];
      xTitle = 'z(t)';
      yTitle = 'z(t+1)';
      note = 'Return map z(t) → z(t+1); fixed points lie on the diagonal.';
    } else if (proj.kind === 'pca') {
      const all = cycles.flatMap((c) => c.points);
      const pr = pca(all);
      toXY = (p) => project(p, pr);
      xTitle = 'PC1';
      yTitle = 'PC2';
      note = all.length < 3 ? 'Too few points for a meaningful projection.' : `PC1 and PC2 of the points found explain ${fmt(100 * (pr.explained[0] ?? 0), 3)} % and ${fmt(100 * (pr.explained[1] ?? 0), 3)} % of their variance.`;
    } else {
      const { x, y } = proj;
      toXY = (p) => [p[x], p[y]];
      xTitle = `z${x + 1}`;
      yTitle = `z${y + 1}`;
    }

    const datasets = cycles.map((c, i) => {
      const color = colors.series[i % colors.series.length];
      const pts = c.points.map((p, j) => toXY(p, c.points[(j + 1) % c.points.length]));
      const closed = c.order > 1 ? [...pts, pts[0]] : pts;
      const big = i === selected;
      const radius = closed.map((_, j) => (c.order > 1 && j === closed.length - 1 ? 0 : big ? 6 : 4));
      return {
        label: `#${i + 1} ${c.order === 1 ? 'fixed point' : `${c.order}-cycle`} (${c.classification})`,
        cycleIndex: i,
        data: closed.map(([x, y]) => ({ x, y })),
        showLine: c.order > 1,
        borderColor: color,
        borderWidth: big ? 2.5 : 1.25,
        pointBackgroundColor: c.stable ? color : 'transparent',
        pointBorderColor: color,
        pointBorderWidth: c.stable ? 1 : 2,
        pointRadius: radius,
        pointHoverRadius: radius.map((r) => (r === 0 ? 0 : r + 2)),
        // Lower order is drawn on top: the selected object, then stable ones (never hidden by unstable ones).
        order: big ? 0 : c.stable ? 1 : 2,
      };
    });
    if (M === 1 && datasets.length > 0) {
      const xs = datasets.flatMap((d) => d.data.map((p) => p.x));
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      const pad = Math.max((hi - lo) * 0.1, 0.5);
      datasets.push({
        label: 'diagonal',
        cycleIndex: -1,
        data: [
          { x: lo - pad, y: lo - pad },
          { x: hi + pad, y: hi + pad },
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
      });
    }
    if (this.layer) datasets.push(...(this.layer(toXY) as typeof datasets));
    this.chart.data.datasets = datasets as never;
    const o = this.chart.options;
    o.scales = { x: axisOptions(xTitle, colors), y: axisOptions(yTitle, colors) };
    o.plugins!.tooltip!.callbacks = {
      label: (item) => `${item.dataset.label ?? ''}: (${fmt(item.parsed.x ?? NaN)}, ${fmt(item.parsed.y ?? NaN)})`,
    };
    this.chart.update();
    return note;
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }
}
