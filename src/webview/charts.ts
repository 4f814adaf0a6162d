// Chart.js, registered with only the parts the plots use (keeps the bundle small).
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type Plugin } from 'chart.js';
import type { ThemeColors } from './theme';

Chart.register(ScatterController, LineController, LinearScale, PointElement, LineElement, Tooltip, Legend);

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

export { Chart };
