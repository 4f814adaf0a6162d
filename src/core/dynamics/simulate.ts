// Trajectories from a few seeded starts (and from points the caller gives), grouped by what they
// settle on, and the sentence the panel and the CLI print when that is not among the cycles found.
import type { PiecewiseAffineMap } from '../model/types';
import { Prng } from '../scyfi/prng';
import { PERIOD_DETECT_MAX, simulateOne, type TrajectorySettings } from './trajectory';
import {
  DEFAULT_LYAPUNOV_STEPS,
  DEFAULT_MAX_STEPS,
  DEFAULT_STARTS,
  DIVERGENCE_FACTOR,
  MIN_STEPS,
  WORK_PER_TRAJECTORY,
  type Attractor,
  type DynamicsResult,
  type KnownCycle,
  type SimulateOptions,
  type Trajectory,
} from './types';
import { InputError } from '../errors';

/** The model's scale: max(1, |offsets|, |coordinates of the cycles found|). */
export function modelScale(map: PiecewiseAffineMap, cycles: readonly KnownCycle[]): number {
  let s = 1;
  for (let i = 0; i < map.M; i++) s = Math.max(s, Math.abs(map.c[i]));
  for (let h = 0; h < map.H; h++) s = Math.max(s, Math.abs(map.s0[h]));
  for (const c of cycles) for (const p of c.points) for (const x of p) if (Number.isFinite(x)) s = Math.max(s, Math.abs(x));
  return s;
}

/** Multiply-adds of one step of the map (and of the tangent vector with `lyapunov`). */
export function workPerStep(map: Pick<PiecewiseAffineMap, 'M' | 'H'>, lyapunov = true): number {
  return (map.M * (map.M + map.H) + map.H * map.M) * (lyapunov ? 2 : 1);
}

/** Steps one trajectory may take: maxSteps, cut so that it costs at most WORK_PER_TRAJECTORY multiply-adds. */
export function stepBudget(map: Pick<PiecewiseAffineMap, 'M' | 'H'>, maxSteps = DEFAULT_MAX_STEPS, lyapunov = true): number {
  return Math.min(maxSteps, Math.floor(WORK_PER_TRAJECTORY / Math.max(1, workPerStep(map, lyapunov))));
}

export function settingsFor(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], o: SimulateOptions): TrajectorySettings {
  if (!Number.isInteger(o.maxOrder) || o.maxOrder < 1) throw new InputError(`the highest order must be a whole number ≥ 1, got ${o.maxOrder}`);
  if (o.maxSteps !== undefined && (!Number.isInteger(o.maxSteps) || o.maxSteps < 10)) throw new InputError(`the steps of a trajectory must be a whole number ≥ 10, got ${o.maxSteps}`);
  const steps = stepBudget(map, o.maxSteps, !o.noLyapunov);
  return {
    maxOrder: o.maxOrder,
    steps,
    lyapunovSteps: Math.max(1, Math.min(o.lyapunovSteps ?? DEFAULT_LYAPUNOV_STEPS, Math.floor(steps / 2))),
    divergeAt: DIVERGENCE_FACTOR * modelScale(map, cycles),
    noLyapunov: o.noLyapunov,
  };
}

/** The seeded starts: uniform in the box of half-width 2 × the model's scale around the origin. */
export function seededStarts(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], n: number, rng: Prng): number[][] {
  const r = 2 * modelScale(map, cycles);
  return Array.from({ length: n }, () => Array.from({ length: map.M }, () => rng.uniform(-r, r)));
}

/** Each trajectory's own generator: its index mixed into the seed, so a start's result does not depend on which others run. */
export function trajectoryRng(seed: number, index: number): Prng {
  return new Prng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
}

/** Simulates the seeded starts, then `from`; groups them by where they settled. */
export function simulateDynamics(map: PiecewiseAffineMap, cycles: readonly KnownCycle[], o: SimulateOptions, isCancelled?: () => boolean): DynamicsResult {
  const s = settingsFor(map, cycles, o);
  if (s.steps < Math.min(MIN_STEPS, o.maxSteps ?? MIN_STEPS)) {
    const skipped = `not simulated: M = ${map.M}, H = ${map.H} allow only ${s.steps} steps per trajectory within the bound of ${WORK_PER_TRAJECTORY.toExponential(0)} multiply-adds (${MIN_STEPS} needed)`;
    return { trajectories: [], attractors: [], sentence: '', maxSteps: s.steps, cancelled: false, skipped };
  }
  const seed = o.seed ?? 0;
  const starts = seededStarts(map, cycles, o.starts ?? DEFAULT_STARTS, new Prng(seed));
  for (const p of o.from ?? []) {
    if (p.length !== map.M || !p.every(Number.isFinite)) throw new InputError(`a start must be ${map.M} finite numbers, got [${p.join(', ')}]`);
    starts.push([...p]);
  }
  const trajectories: Trajectory[] = [];
  let cancelled = false;
  for (let i = 0; i < starts.length; i++) {
    if (isCancelled?.()) {
      cancelled = true;
      break;
    }
    trajectories.push(simulateOne(map, starts[i], cycles, s, trajectoryRng(seed, i), isCancelled));
  }
  if (isCancelled?.()) cancelled = true;
  const attractors = groupAttractors(trajectories, map.M);
  return { trajectories, attractors, sentence: dynamicsSentence(attractors, o.maxOrder), maxSteps: s.steps, cancelled };
}

/**
 * Groups trajectories: by cycle index, an unlisted cycle by its points (to CYCLE_MATCH_RTOL via
 * the same order and a shared point), bounded sets by character (one group each, with the box
 * of their tails and the mean exponent), divergent ones together.
 */
export function groupAttractors(trajectories: readonly Trajectory[], M: number): Attractor[] {
  const out: Attractor[] = [];
  trajectories.forEach((t, i) => {
    const f = t.fate;
    if (f.kind === 'cycle') {
      const a = out.find((x) => x.kind === 'cycle' && x.cycle === f.cycle);
      if (a) a.trajectories.push(i);
      else out.push({ kind: 'cycle', cycle: f.cycle, order: f.order, trajectories: [i] });
    } else if (f.kind === 'unlisted-cycle') {
      const a = out.find((x) => x.kind === 'unlisted-cycle' && x.order === f.order && x.points.some((p) => near(p, f.points[f.points.length - 1])));
      if (a) a.trajectories.push(i);
      else out.push({ kind: 'unlisted-cycle', order: f.order, points: f.points, trajectories: [i] });
    } else if (f.kind === 'bounded') {
      const a = out.find((x) => x.kind === 'bounded' && x.character === f.character);
      const lo = Array.from({ length: M }, (_, m) => Math.min(...t.tail.map((p) => p[m])));
      const hi = Array.from({ length: M }, (_, m) => Math.max(...t.tail.map((p) => p[m])));
      if (a && a.kind === 'bounded') {
        a.lyapunov = (a.lyapunov * a.trajectories.length + f.lyapunov) / (a.trajectories.length + 1);
        a.trajectories.push(i);
        a.lo = a.lo.map((v, m) => Math.min(v, lo[m]));
        a.hi = a.hi.map((v, m) => Math.max(v, hi[m]));
      } else out.push({ kind: 'bounded', character: f.character, lyapunov: f.lyapunov, trajectories: [i], lo, hi });
    } else {
      const a = out.find((x) => x.kind === 'diverges');
      if (a) a.trajectories.push(i);
      else out.push({ kind: 'diverges', trajectories: [i] });
    }
  });
  return out;
}

function near(a: readonly number[], b: readonly number[]): boolean {
  const scale = Math.max(1, ...a.map(Math.abs));
  return a.every((x, m) => Math.abs(x - b[m]) <= 1e-6 * scale);
}

/** λ in the sentence: three decimals (a quasi-periodic λ reads ≈ 0.000). */
export function formatLyapunov(l: number): string {
  const r = l.toFixed(3);
  return r === '-0.000' ? '0.000' : r;
}

/** "trajectories approach", "the trajectory approaches", "1 of 8 trajectories diverges". */
function subject(n: number, total: number, verb: string): string {
  const who = n === total ? (n === 1 ? 'the trajectory' : 'trajectories') : `${n} of ${total} trajectories`;
  return `${who} ${n === 1 ? verb + (verb.endsWith('ch') ? 'es' : 's') : verb}`;
}

/**
 * What the trajectories settle on that the list of cycles does not show, in one sentence, e.g.
 * "trajectories approach a set that is not a cycle of order ≤ 10: quasi-periodic (largest
 * Lyapunov exponent ≈ 0.000)". Empty when every trajectory ends on a listed cycle.
 */
export function dynamicsSentence(attractors: readonly Attractor[], maxOrder: number): string {
  const total = attractors.reduce((a, x) => a + x.trajectories.length, 0);
  const parts: string[] = [];
  for (const a of attractors) {
    const n = a.trajectories.length;
    if (a.kind === 'bounded') {
      const what =
        a.character === 'quasi-periodic'
          ? `quasi-periodic (largest Lyapunov exponent ≈ ${formatLyapunov(a.lyapunov)})`
          : a.character === 'chaotic'
            ? `chaotic (largest Lyapunov exponent ≈ ${formatLyapunov(a.lyapunov)})`
            : a.character === 'long-period'
              ? `a cycle of order above ${Math.max(maxOrder, PERIOD_DETECT_MAX)} or one approached slowly (largest Lyapunov exponent ≈ ${formatLyapunov(a.lyapunov)})`
              : 'its Lyapunov exponent was not estimated';
      parts.push(`${subject(n, total, 'approach')} a set that is not a cycle of order ≤ ${maxOrder}: ${what}`);
    } else if (a.kind === 'unlisted-cycle') {
      const what = a.order === 1 ? 'fixed point' : `${a.order}-cycle`;
      parts.push(`${subject(n, total, 'settle')} on a ${what}${a.order > maxOrder ? `, above the highest order searched (${maxOrder}): search up to order ${a.order} to list it` : ' the search did not find'}`);
    } else if (a.kind === 'diverges') {
      parts.push(subject(n, total, 'diverge'));
    }
  }
  if (parts.length === 0) return '';
  const s = parts.join('; ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}
