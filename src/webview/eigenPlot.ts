// The eigenvalues of the selected object in the complex plane, with the unit circle; zoom and
// pan as in the state plot (a cluster of eigenvalues near 1 is read off zoomed in).
import type { Cycle } from '../core/scyfi/types';
import { axisOptions, navigate, newChart, zoomOptions, type Chart } from './charts';
import { fmt } from './dom';
import type { ThemeColors } from './theme';

const CIRCLE = Array.from({ length: 181 }, (_, i) => {
  const t = (2 * Math.PI * i) / 180;
  return { x: Math.cos(t), y: Math.sin(t) };
});

export class EigenPlot {
  private readonly chart: Chart<'scatter', { x: number; y: number }[]>;
  private colors: ThemeColors;
  private shown: Cycle | undefined;

  constructor(canvas: HTMLCanvasElement, colors: ThemeColors) {
    this.colors = colors;
    canvas.tabIndex = 0;
    this.chart = newChart(canvas, () => this.colors, { plugins: { zoom: zoomOptions('xy', colors, () => undefined) } });
    navigate(this.chart, 'xy', () => undefined);
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
  }

  update(cycle: Cycle | undefined, colors: ThemeColors): void {
    this.colors = colors;
    // Another object shows its own eigenvalues in full; the same one keeps the view zoomed to.
    const keep = cycle === this.shown && this.chart.isZoomedOrPanned();
    if (cycle !== this.shown) this.chart.resetZoom('none');
    this.shown = cycle;
    const eig = cycle?.eigenvalues ?? [];
    const r = Math.max(1.15, ...eig.map(([re, im]) => 1.1 * Math.hypot(re, im)));
    const color = cycle ? (cycle.stable ? colors.stable : colors.unstable) : colors.muted;
    this.chart.data.datasets = [
      {
        label: 'unit circle',
        data: CIRCLE,
        showLine: true,
        borderColor: colors.muted,
        borderWidth: 1,
        borderDash: [4, 3],
        pointRadius: 0,
        pointHoverRadius: 0,
      },
      {
        label: 'eigenvalues',
        data: eig.map(([x, y]) => ({ x, y })),
        backgroundColor: color,
        borderColor: color,
        pointRadius: 5,
        pointHoverRadius: 7,
      },
    ] as never;
    const o = this.chart.options;
    const sx = this.chart.scales.x;
    const sy = this.chart.scales.y;
    o.scales = {
      x: { ...axisOptions('Re λ', colors), min: keep && sx ? sx.min : -r, max: keep && sx ? sx.max : r },
      y: { ...axisOptions('Im λ', colors), min: keep && sy ? sy.min : -r, max: keep && sy ? sy.max : r },
    };
    o.plugins!.tooltip = {
      filter: (item) => item.datasetIndex === 1,
      callbacks: {
        label: (item) => {
          const [re, im] = [item.parsed.x ?? 0, item.parsed.y ?? 0];
          return `λ = ${fmt(re, 8)} ${im < 0 ? '−' : '+'} ${fmt(Math.abs(im), 8)}i, |λ| = ${fmt(Math.hypot(re, im), 8)}${cycle ? ` (${cycle.classification})` : ''}`;
        },
      },
    };
    this.chart.update('none');
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }
}
