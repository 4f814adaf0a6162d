// The eigenvalues of the selected object in the complex plane, with the unit circle.
import type { Cycle } from '../core/scyfi/types';
import { axisOptions, newChart, type Chart } from './charts';
import { fmtComplex } from './dom';
import type { ThemeColors } from './theme';

const CIRCLE = Array.from({ length: 181 }, (_, i) => {
  const t = (2 * Math.PI * i) / 180;
  return { x: Math.cos(t), y: Math.sin(t) };
});

export class EigenPlot {
  private readonly chart: Chart<'scatter', { x: number; y: number }[]>;
  private colors: ThemeColors;

  constructor(canvas: HTMLCanvasElement, colors: ThemeColors) {
    this.colors = colors;
    this.chart = newChart(canvas, () => this.colors);
  }

  update(cycle: Cycle | undefined, colors: ThemeColors): void {
    this.colors = colors;
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
    o.scales = {
      x: { ...axisOptions('Re λ', colors), min: -r, max: r },
      y: { ...axisOptions('Im λ', colors), min: -r, max: r },
    };
    o.plugins!.tooltip = {
      filter: (item) => item.datasetIndex === 1,
      callbacks: { label: (item) => `λ = ${fmtComplex([item.parsed.x ?? 0, item.parsed.y ?? 0])}, |λ| = ${Math.hypot(item.parsed.x ?? 0, item.parsed.y ?? 0).toPrecision(4)}` },
    };
    this.chart.update();
  }

  toPng(): string {
    return this.chart.toBase64Image('image/png', 1);
  }
}
