// Chart.js, registered with only the parts the plots use (keeps the bundle small), the chart
// factory every plot uses, and zoom and pan for the sweep plots (chartjs-plugin-zoom without
// hammerjs: wheel and box zoom from the plugin, Shift+drag and keyboard panning here).
import { Chart, Legend, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartOptions, type Plugin } from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { ThemeColors } from './theme';

Chart.register(ScatterController, LineController, LinearScale, LogarithmicScale, PointElement, LineElement, Tooltip, Legend, zoomPlugin);

/** Paints the theme's background under the plot, so that a saved PNG is not transparent. */
export function backgroundPlugin(colors: () => ThemeColors): Plugin {
  return {
    id: 'scyfiBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.fillStyle = colors().background;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

export function axisOptions(title: string, c: ThemeColors) {
  return {
    type: 'linear' as const,
    title: { display: true, text: title, color: c.muted },
    ticks: { color: c.muted, includeBounds: false },
    grid: { color: c.grid },
    border: { color: c.grid },
  };
}

export type XY = { x: number; y: number };

/** A scatter chart on `canvas`: no animation, sized by its container, the theme's background painted in. */
export function newChart<P extends XY = XY>(canvas: HTMLCanvasElement, colors: () => ThemeColors, options: ChartOptions<'scatter'> = {}, plugins: Plugin<'scatter'>[] = []): Chart<'scatter', P[]> {
  return new Chart<'scatter', P[]>(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...options, plugins: { legend: { display: false }, ...options.plugins } },
    plugins: [backgroundPlugin(colors) as Plugin<'scatter'>, ...plugins],
  });
}

/**
 * Zoom options for a plot: Ctrl+wheel zooms (the wheel alone scrolls the page), dragging a box
 * zooms into it (Shift+drag pans, see `navigate`), `onChange` runs after every change of the view.
 */
export function zoomOptions(mode: 'x' | 'xy', colors: ThemeColors, onChange: () => void) {
  return {
    zoom: {
      wheel: { enabled: true, modifierKey: 'ctrl' as const },
      drag: { enabled: true, threshold: 6, backgroundColor: colors.selection, borderColor: colors.focus, borderWidth: 1 },
      mode,
      onZoomComplete: onChange,
    },
    // Panning by dragging needs hammerjs, which is left out; the modifier keeps Shift+drag from zooming.
    pan: { enabled: false, modifierKey: 'shift' as const },
  };
}

/** Shift+drag pans the plot; with the plot focused, Shift+arrow keys pan, + and − zoom, 0 resets. */
export function navigate(chart: Chart<'scatter', XY[]>, mode: 'x' | 'xy', onChange: () => void): void {
  const canvas = chart.canvas;
  let last: { x: number; y: number } | undefined;
  canvas.addEventListener('mousedown', (e) => {
    if (e.button === 0 && e.shiftKey) last = { x: e.clientX, y: e.clientY };
  });
  window.addEventListener('mousemove', (e) => {
    if (!last) return;
    chart.pan({ x: e.clientX - last.x, y: mode === 'xy' ? e.clientY - last.y : 0 }, undefined, 'none');
    last = { x: e.clientX, y: e.clientY };
  });
  window.addEventListener('mouseup', () => {
    if (!last) return;
    last = undefined;
    onChange();
  });
  canvas.addEventListener('keydown', (e) => {
    const step = 0.2;
    const area = chart.chartArea;
    const pans: Record<string, XY> = {
      ArrowLeft: { x: area.width * step, y: 0 },
      ArrowRight: { x: -area.width * step, y: 0 },
      ArrowUp: { x: 0, y: mode === 'xy' ? area.height * step : 0 },
      ArrowDown: { x: 0, y: mode === 'xy' ? -area.height * step : 0 },
    };
    if (e.shiftKey && e.key in pans) chart.pan(pans[e.key], undefined, 'none');
    else if (e.key === '+' || e.key === '=') chart.zoom(1.25, 'none');
    else if (e.key === '-' || e.key === '_') chart.zoom(0.8, 'none');
    else if (e.key === '0') chart.resetZoom('none');
    else return;
    e.preventDefault();
    onChange();
  });
}

export { Chart };
