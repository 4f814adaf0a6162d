// The run panel's loss plot: the training loss on a log axis against the run's epochs (or steps),
// the gradient norm on a second log axis when the log has it, the loss jumps as shaded spans with
// a triangle, and the bifurcation events as the sweep plots' markers, all on the x axis the
// diagram and the spectral radius share.
import type { SweepEvent } from '../core/sweep/types';
import type { Chart, XY } from './charts';
import { fmt } from './dom';
import { SweepChart, type PlotHandlers } from './sweepPlots';
import type { ThemeColors } from './theme';

export interface JumpMark {
  x: number;
  from: number;
  until: number;
  factor: number;
  /** The loss at x (where the triangle sits). */
  loss: number;
  /** The tooltip's lines. */
  text: string;
}

export class LossPlot extends SweepChart {
  private jumps: readonly JumpMark[] = [];
  private litJumps: ReadonlySet<number> = new Set();

  constructor(canvas: HTMLCanvasElement, colors: ThemeColors, handlers: PlotHandlers) {
    super(canvas, colors, handlers, 'x');
  }

  update(
    loss: XY[],
    gradNorm: XY[] | undefined,
    jumps: readonly JumpMark[],
    events: readonly SweepEvent[],
    xTitle: string,
    xRange: { min: number; max: number },
    yTitle: string,
    colors: ThemeColors,
  ): void {
    this.colors = colors;
    this.events = events;
    this.jumps = jumps;
    const lossColor = colors.series[0];
    const gradColor = colors.series[2 % colors.series.length];
    const warn = colors.series[1 % colors.series.length];
    this.chart.data.datasets = [
      {
        label: 'loss jumps',
        data: jumps.map((j) => ({ x: j.x, y: j.loss })),
        showLine: false,
        pointStyle: 'triangle',
        pointRadius: jumps.map((_, k) => (this.litJumps.has(k) ? 9 : 6)),
        pointHoverRadius: 9,
        pointBackgroundColor: jumps.map((_, k) => (this.litJumps.has(k) ? colors.focus : warn)),
        pointBorderColor: colors.foreground,
        pointBorderWidth: 1,
        order: 0,
      },
      {
        label: yTitle,
        data: loss.filter((p) => p.y > 0),
        showLine: true,
        borderColor: lossColor,
        backgroundColor: lossColor,
        borderWidth: 1.5,
        pointRadius: loss.length > 200 ? 0 : 1.5,
        pointHoverRadius: 4,
        order: 1,
      },
      ...(gradNorm?.length
        ? [
            {
              label: 'gradient norm',
              data: gradNorm.filter((p) => p.y > 0),
              showLine: true,
              borderColor: gradColor,
              backgroundColor: gradColor,
              borderDash: [5, 3],
              borderWidth: 1.25,
              pointRadius: 0,
              pointHoverRadius: 3,
              yAxisID: 'y2',
              order: 2,
            },
          ]
        : []),
    ] as never;
    const right = this.axisWidths?.right ?? 0;
    if (gradNorm?.length) this.axisWidths = { left: this.axisWidths?.left ?? 60, right: 0 };
    const scales = this.axes(xTitle, xRange, yTitle, { type: 'logarithmic' }) as Record<string, object>;
    if (gradNorm?.length) {
      this.axisWidths = { left: this.axisWidths!.left, right };
      scales.y2 = {
        afterFit: (scale: { width: number }) => void (scale.width = right),
        type: 'logarithmic',
        position: 'right',
        title: { display: true, text: 'gradient norm (dashed)', color: colors.muted },
        ticks: { color: colors.muted },
        grid: { display: false },
        border: { color: colors.grid },
      };
    }
    this.chart.options.scales = scales as never;
    this.chart.options.plugins!.tooltip = {
      callbacks: {
        label: (item) =>
          item.datasetIndex === 0 ? this.jumps[item.dataIndex]?.text ?? '' : `${item.dataset.label}: ${fmt(item.parsed.y ?? NaN, 6)} at ${fmt(item.parsed.x ?? NaN, 6)}`,
      },
    };
    this.chart.update('none');
    this.markView();
  }

  /** Emphasises these jumps (those linked to the event selected). */
  setJumpHighlight(jumps: ReadonlySet<number>): void {
    this.litJumps = jumps;
    const set = this.chart.data.datasets[0] as unknown as { pointRadius: number[]; pointBackgroundColor: string[] } | undefined;
    if (set && Array.isArray(set.pointRadius)) {
      const warn = this.colors.series[1 % this.colors.series.length];
      set.pointRadius = this.jumps.map((_, k) => (jumps.has(k) ? 9 : 6));
      set.pointBackgroundColor = this.jumps.map((_, k) => (jumps.has(k) ? this.colors.focus : warn));
      this.chart.update('none');
    }
  }

  /** Each jump's span from the point before it to where it ends, shaded. */
  protected override drawExtra(chart: Chart<'scatter', XY[]>): void {
    // The base class's constructor draws once, before this class's fields are set.
    if (!this.jumps) return;
    const { ctx, chartArea: a } = chart;
    const x = chart.scales.x;
    ctx.save();
    this.jumps.forEach((j, k) => {
      const left = Math.max(a.left, x.getPixelForValue(j.from));
      const right = Math.min(a.right, x.getPixelForValue(j.until));
      if (right < a.left || left > a.right) return;
      ctx.fillStyle = this.litJumps.has(k) ? this.colors.focus : this.colors.series[1 % this.colors.series.length];
      ctx.globalAlpha = this.litJumps.has(k) ? 0.3 : 0.15;
      ctx.fillRect(left, a.top, Math.max(2, right - left), a.bottom - a.top);
    });
    ctx.restore();
  }
}
