// Basins of attraction in the results panel: a "Basins…" button (2-D models, or the 2-D slice of
// the two coordinates shown) and a card with the grid as a canvas image, coloured by where each
// start goes (each cycle reached in a colour of its own, another bounded set, divergence), with a legend.
import { BASIN_DIVERGES, BASIN_OTHER, BASIN_UNKNOWN, basinLabelText } from '../core/dynamics/basins';
import type { PanelState } from '../shared/protocol';
import { clear, fmt, h } from './dom';
import { button } from './frame';
import type { ThemeColors } from './theme';

/** Canvas pixels per cell at most / the image's target width. */
const TARGET_PX = 360;

/**
 * The colour of a label: the cycles present get the series colours in the order of their index
 * (so that two attractors never share one while there are at most as many as colours), another
 * bounded set the muted foreground, divergence the background.
 */
export function labelColor(label: number, colors: ThemeColors, present: readonly number[]): string {
  if (label === BASIN_OTHER) return colors.muted;
  if (label === BASIN_DIVERGES) return colors.background;
  if (label === BASIN_UNKNOWN) return 'transparent';
  const rank = present.filter((l) => l >= 0 && l < label).length;
  return colors.series[rank % colors.series.length];
}

export class BasinsView {
  readonly button: HTMLButtonElement;
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly legend: HTMLElement;

  constructor(onRequest: () => void) {
    this.button = button('Basins…', 'Basins of attraction: simulate a grid of starts on the two coordinates shown and colour each by where it goes', onRequest);
    this.canvas = h('canvas', { 'data-testid': 'basins-plot', role: 'img', 'aria-label': 'Basins of attraction' });
    this.title = h('span', { class: 'nowrap' });
    this.status = h('p', { class: 'caption muted', 'data-testid': 'basins-status' });
    this.legend = h('ul', { class: 'basins-legend', 'data-testid': 'basins-legend' });
    this.element = h('section', { class: 'card', 'data-testid': 'basins' }, h('div', { class: 'card-head' }, this.title), h('div', { class: 'basins' }, this.canvas), this.status, this.legend);
    this.element.hidden = true;
  }

  /**
   * Shows the panel's grid (and hides the card when there is none; `M` < 2 hides the button), with
   * the listed cycles' points and the states trajectories settled on drawn over it.
   */
  render(s: PanelState, M: number, colors: ThemeColors): void {
    const b = s.basins;
    const cycles = s.cycles;
    this.button.hidden = M < 2;
    this.element.hidden = !b;
    if (!b) return;
    const base = b.result?.base;
    const others = base && M > 2 ? `, other coordinates at (${base.filter((_, i) => i !== b.x && i !== b.y).map((v) => fmt(v)).join(', ')})` : '';
    this.title.textContent = `Basins of attraction on z${b.x + 1} × z${b.y + 1}${others}`;
    const r = b.result;
    this.status.textContent =
      b.status === 'running'
        ? `simulating… row ${b.progress?.done ?? 0} of ${b.progress?.total ?? '?'}`
        : b.status === 'error'
          ? (b.error ?? 'failed')
          : r
            ? `${r.x.values.length}×${r.y.values.length} starts, up to ${r.maxSteps} steps each (dots: where the simulated trajectories settled; circles: the objects found, filled when stable); z${b.x + 1} from ${fmt(r.x.values[0])} to ${fmt(r.x.values[r.x.values.length - 1])} (left to right), z${b.y + 1} from ${fmt(r.y.values[0])} to ${fmt(r.y.values[r.y.values.length - 1])} (bottom to top)${r.cancelled ? '; stopped: incomplete' : ''}.`
            : '';
    clear(this.legend);
    if (!r) return;
    const present = Object.keys(r.counts).map(Number);
    const nx = r.x.values.length;
    const ny = r.y.values.length;
    const px = Math.max(1, Math.floor(TARGET_PX / Math.max(nx, ny)));
    this.canvas.width = nx * px;
    this.canvas.height = ny * px;
    const ctx = this.canvas.getContext('2d');
    if (ctx) {
      ctx.fillStyle = colors.background;
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      for (const row of r.rows) {
        row.cells.forEach((label, i) => {
          ctx.fillStyle = labelColor(label, colors, present);
          ctx.fillRect(i * px, (ny - 1 - row.index) * px, px, px);
        });
      }
      // Cell i spans x_i ± half a cell: the image's left edge is x_0 − dx/2.
      const [x0, x1] = [r.x.values[0], r.x.values[nx - 1]];
      const [y0, y1] = [r.y.values[0], r.y.values[ny - 1]];
      const toPx = (p: readonly number[]): [number, number] => [((p[b.x] - x0) / (x1 - x0)) * (nx - 1) * px + px / 2, (1 - (p[b.y] - y0) / (y1 - y0)) * (ny - 1) * px + px / 2];
      ctx.fillStyle = colors.foreground;
      for (const t of [...(s.dynamics?.trajectories ?? []), ...(s.clicked ?? [])])
        for (const p of t.tail) {
          const [u, v] = toPx(p);
          ctx.fillRect(u - 0.75, v - 0.75, 1.5, 1.5);
        }
      cycles.forEach((c, i) => {
        ctx.strokeStyle = colors.foreground;
        ctx.fillStyle = present.includes(i) ? labelColor(i, colors, present) : colors.background;
        for (const p of c.points) {
          const [u, v] = toPx(p);
          ctx.beginPath();
          ctx.arc(u, v, 4, 0, 2 * Math.PI);
          if (c.stable) ctx.fill();
          ctx.stroke();
        }
      });
    }
    const rank = (l: number) => (l >= 0 ? l : 1e9 - l);
    for (const l of Object.keys(r.counts).map(Number).sort((a, b) => rank(a) - rank(b))) {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = labelColor(l, colors, present);
      this.legend.append(h('li', {}, swatch, ` ${basinLabelText(l, cycles)}: ${r.counts[l]} starts`));
    }
  }
}
