// Simulated trajectories in the state-space plot (src/core/dynamics): each trajectory's transient
// as a thin line from its start (marked ×), and its last states, on the attractor, as dots in the
// colour of the cycle it settles on (the muted foreground for a set that is not a listed cycle).
// Also: the start of a trajectory from a point clicked in the plot.
import type { DynamicsResult, Trajectory } from '../core/dynamics/types';
import type { StateProjection } from './statePlot';
import type { ThemeColors } from './theme';

export type ToXY = (p: number[], next: number[]) => [number, number];

function fateText(t: Trajectory): string {
  const f = t.fate;
  if (f.kind === 'cycle') return `settles on #${f.cycle + 1}`;
  if (f.kind === 'unlisted-cycle') return `settles on a ${f.order === 1 ? 'fixed point' : `${f.order}-cycle`} not listed`;
  if (f.kind === 'diverges') return `diverges (step ${f.step})`;
  return `${f.character}, λ ≈ ${f.lyapunov.toFixed(3)}`;
}

function pairs(points: number[][], toXY: ToXY): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < points.length || (i < points.length && points.length === 1); i++) {
    const [x, y] = toXY(points[i], points[i + 1] ?? points[i]);
    if (Number.isFinite(x) && Number.isFinite(y)) out.push({ x, y });
  }
  return out;
}

/** Chart.js datasets of the trajectories (drawn under the objects found: order 5 and up). */
export function trajectoryDatasets(d: DynamicsResult | undefined, clicked: readonly Trajectory[] | undefined, toXY: ToXY, colors: ThemeColors): object[] {
  const all = [...(d?.trajectories ?? []), ...(clicked ?? [])];
  const out: object[] = [];
  all.forEach((t, n) => {
    const mine = n >= (d?.trajectories.length ?? 0);
    const f = t.fate;
    const tint = f.kind === 'cycle' ? colors.series[f.cycle % colors.series.length] : colors.muted;
    const label = `${mine ? 'clicked' : 'simulated'} trajectory from (${t.start.map((v) => v.toPrecision(4)).join(', ')}): ${fateText(t)}`;
    const head = pairs(t.head, toXY);
    out.push({
      label,
      trajectory: true,
      data: head,
      showLine: true,
      borderColor: colors.muted,
      borderWidth: mine ? 1.25 : 0.75,
      borderDash: f.kind === 'diverges' ? [4, 3] : undefined,
      pointRadius: head.map((_, i) => (i === 0 ? 5 : 0)),
      pointStyle: 'crossRot',
      pointBorderColor: colors.foreground,
      pointBackgroundColor: 'transparent',
      pointBorderWidth: 1.5,
      pointHoverRadius: head.map((_, i) => (i === 0 ? 6 : 0)),
      order: 6,
    });
    const tail = pairs(t.tail, toXY);
    if (tail.length > 0)
      out.push({
        label,
        trajectory: true,
        data: tail,
        showLine: false,
        borderColor: tint,
        pointRadius: 1.5,
        pointBackgroundColor: tint,
        pointBorderColor: tint,
        pointBorderWidth: 0,
        pointHoverRadius: 3,
        order: 5,
      });
  });
  return out;
}

/**
 * The full start of a trajectory from a click at (x, y) in the plot: the projection's two
 * coordinates set, the others taken from `reference` (the selected object's first point, or 0).
 * Undefined for the PCA view, where a click does not name one point.
 */
export function clickedStart(proj: StateProjection, M: number, x: number, y: number, reference?: readonly number[]): number[] | undefined {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  if (M === 1) return [x];
  if (proj.kind !== 'coords') return undefined;
  const p = Array.from({ length: M }, (_, i) => reference?.[i] ?? 0);
  p[proj.x] = x;
  p[proj.y] = y;
  return p;
}

/** The caption's sentence about the trajectories. */
export function trajectoryCaption(d: DynamicsResult | undefined, clicked: readonly Trajectory[] | undefined, proj: StateProjection, M: number): string {
  const click = M === 1 || proj.kind === 'coords' ? 'Click an empty spot to simulate a trajectory from there.' : 'Choose two coordinates to start trajectories by clicking.';
  const n = clicked?.length ?? 0;
  const mine = n > 0 ? ` and ${n} from clicked point${n === 1 ? '' : 's'}` : '';
  if (d?.skipped) return `Trajectories ${d.skipped}.`;
  if (!d && n === 0) return click;
  return `Lines: ${d?.trajectories.length ?? 0} simulated trajectories${mine}, each from its × (the transient); dots: where they settle. ${click}`;
}
