// What happens where a branch starts or ends, and along it: border collisions (persistence into
// the neighbouring sequence, folds, period doubling), degenerate transcritical bifurcations (an
// eigenvalue reaches +1 and the cycle runs off to infinity), degenerate flips (−1) and complex
// pairs crossing the unit circle. Evidence that fits no class is reported as unclassified.
import { classify } from '../scyfi/stability';
import { bisectSign, locateTransition, T_TOL, type Transition } from './locate';
import { valueAt, type ModelPath } from './path';
import { complexRadius, marginOf, Probe, unitDeterminants, type ProbeResult } from './probe';
import type { BorderOutcome, EventKind } from './types';

/** |λ − 1| below this at the last point of a branch: the branch ran off to infinity (DTB). */
export const RUNOFF_TOL = 1e-6;

/** A region sequence up to rotation, as one text. */
export function sequenceKey(regions: readonly string[]): string {
  const k = regions.length;
  let best = regions.join(' ');
  for (let r = 1; r < k; r++) {
    const s = [...regions.slice(r), ...regions.slice(0, r)].join(' ');
    if (s < best) best = s;
  }
  return `${k}:${best}`;
}

/** The region text of one point with one bit flipped (a switch, or a unit's clip state). */
export function flipBit(text: string, bit: number, H: number, M: number): string {
  if (bit < H) return text.slice(0, bit) + (text[bit] === '1' ? '0' : '1') + text.slice(bit + 1);
  const i = (bit - H) % M;
  const mark = bit - H < M ? '-' : '+';
  const at = H + 1 + i;
  return text.slice(0, at) + (text[at] === mark ? '.' : mark) + text.slice(at + 1);
}

export interface RawEvent {
  kind: EventKind;
  t: number;
  /** The branch this event belongs to, and whether it starts, ends or changes there. */
  branch: string;
  role: 'start' | 'end' | 'along';
  order: number;
  eigenvalues: [number, number][];
  points: number[][];
  outcome?: BorderOutcome;
  /** For border collisions: the sequence on the other side (persistence), the partner (fold) or the doubled cycle. */
  partner?: string[];
  stabilityChange?: boolean;
  /** For along-branch events: stable before → after (in the direction of increasing t). */
  stableBefore?: boolean;
  stableAfter?: boolean;
}

function stable(r: ProbeResult): boolean | undefined {
  if (r.solution.status === 'singular') return undefined;
  return classify(r.solution.jacobian, r.map.M).stable;
}

/**
 * Classifies the place where `regions` stops existing going from `tIn` to `tOut` (an end when
 * tOut > tIn, a start when tOut < tIn).
 */
export function classifyTransition(path: ModelPath, regions: string[], branch: string, tr: Transition, role: 'start' | 'end', tIn?: number): RawEvent {
  let { inside, outside } = tr;
  const M = inside.map.M;
  const H = inside.map.H;
  const k = regions.length;
  const t = (inside.t + outside.t) / 2;
  const st = classify(inside.solution.jacobian, M);
  const base: RawEvent = { kind: 'unclassified', t, branch, role, order: k, eigenvalues: st.eigenvalues, points: inside.solution.points };
  const nearOne = st.eigenvalues.reduce((m, [re, im]) => Math.min(m, Math.hypot(re - 1, im)), Infinity);
  if (nearOne <= RUNOFF_TOL || inside.solution.status === 'singular') return { ...base, kind: 'degenerate-transcritical' };
  const m = inside.margin;
  if (!m) return base;
  // The tolerance band of self-consistency shifts the transition by up to ~1e-9 of the switch's
  // scale: the border itself is where this switch's own signed margin crosses zero.
  if (tIn !== undefined) {
    const probe = new Probe(path, regions);
    const g = (x: number) => {
      const r = probe.at(x);
      return marginOf(r.map, regions, r.solution, m.point, m.bit) ?? NaN;
    };
    const gIn = g(tIn);
    const gOut = g(outside.t);
    if (Math.abs(gIn) <= 1e-12) {
      // The step itself sits on the border.
      base.t = tIn;
      inside = probe.at(tIn);
      base.points = inside.solution.points;
    } else if (gIn > 0 && gOut < 0) {
      const tb = bisectSign(g, tIn, outside.t, gIn);
      inside = probe.at(tb);
      outside = probe.at(tb + Math.sign(outside.t - tIn) * T_TOL);
      base.t = tb;
      base.points = inside.solution.points;
      if (inside.solution.status !== 'singular') base.eigenvalues = classify(inside.solution.jacobian, M).eigenvalues;
    }
  }
  const flipped = regions.map((text, j) => (j === m.point ? flipBit(text, m.bit, H, M) : text));
  const other = new Probe(path, flipped);
  const across = other.at(outside.t);
  const sameSide = other.at(inside.t);
  if (across.exists) {
    const before = stable(inside);
    const after = stable(across);
    return { ...base, kind: 'border-collision', outcome: 'persistence', partner: flipped, stabilityChange: before !== undefined && after !== undefined && before !== after };
  }
  if (sameSide.exists) return { ...base, kind: 'border-collision', outcome: 'fold', partner: flipped };
  // The doubled sequence with the colliding point flipped in its second copy: a 2k-cycle born at the border.
  const doubled = [...regions, ...regions].map((text, j) => (j === k + m.point ? flipBit(text, m.bit, H, M) : text));
  if (new Probe(path, doubled).at(outside.t).exists) return { ...base, kind: 'border-collision', outcome: 'period-doubling', partner: doubled };
  return { ...base, kind: 'border-collision', outcome: 'unclassified' };
}

/** The end (or start) of a branch between two steps, located and classified. */
export function branchTransition(path: ModelPath, regions: string[], branch: string, tIn: number, tOut: number, role: 'start' | 'end'): RawEvent {
  const probe = new Probe(path, regions);
  return classifyTransition(path, regions, branch, locateTransition(probe, tIn, tOut), role, tIn);
}

/** Below this |1 ∓ λ| (or ||λ| − 1| for a complex pair) an eigenvalue is on the unit circle: its sign is 0. */
export const ON_CIRCLE_TOL = 1e-9;

/** The sign of Π(1 − λ) (s = 1) or Π(1 + λ) (s = −1) over real eigenvalues; 0 when one is within ON_CIRCLE_TOL. */
export function productSign(eig: readonly [number, number][], s: 1 | -1): number {
  let sign = 1;
  for (const [re, im] of eig) {
    if (Math.abs(im) > 1e-12 * Math.max(Math.hypot(re, im), 1e-300)) continue; // a complex pair contributes |1 ∓ λ|² > 0
    const f = 1 - s * re;
    if (Math.abs(f) <= ON_CIRCLE_TOL) return 0;
    if (f < 0) sign = -sign;
  }
  return sign;
}

/** The sign of (largest modulus of a complex pair) − 1; undefined without complex pairs; 0 on the circle. */
export function complexSign(eig: readonly [number, number][]): number | undefined {
  const r = complexRadius({ eigenvalues: [...eig] });
  if (r === undefined) return undefined;
  return Math.abs(r - 1) <= ON_CIRCLE_TOL ? 0 : Math.sign(r - 1);
}

export type AlongKind = 'degenerate-transcritical' | 'degenerate-flip' | 'neimark-sacker';

/**
 * One event along a branch that exists at ta and tb, where the sign of det(I − F) (an eigenvalue
 * crossing +1), det(I + F) (−1) or |complex pair| − 1 differs at the two ends: bisection of
 * that function of the branch's own Jacobian F(t).
 */
export function alongBranch(path: ModelPath, regions: string[], branch: string, kind: AlongKind, ta: number, tb: number): RawEvent {
  const probe = new Probe(path, regions);
  const k = regions.length;
  const at = (t: number) => probe.at(t);
  const f = (x: number): number => {
    const r = at(x);
    if (r.solution.status === 'singular') return 0;
    if (kind === 'neimark-sacker') {
      const cr = complexRadius(classify(r.solution.jacobian, r.map.M));
      return cr === undefined ? NaN : cr - 1;
    }
    const d = unitDeterminants(r.solution.jacobian, r.map.M);
    return kind === 'degenerate-transcritical' ? d.minus : d.plus;
  };
  const t = bisectSign(f, ta, tb);
  const r = at(t);
  const st = r.solution.status === 'singular' ? { eigenvalues: [] as [number, number][] } : classify(r.solution.jacobian, r.map.M);
  const d = Math.max(1e-9, 1e-6 * Math.abs(tb - ta));
  const sb = stable(at(Math.max(Math.min(ta, tb), t - d)));
  const sa = stable(at(Math.min(Math.max(ta, tb), t + d)));
  // A complex pair that turned real on the way is not a Neimark–Sacker crossing.
  const realNow = kind === 'neimark-sacker' && Number.isNaN(f(t));
  return {
    kind: realNow ? 'unclassified' : kind,
    t,
    branch,
    role: 'along',
    order: k,
    eigenvalues: st.eigenvalues,
    points: r.solution.points,
    stableBefore: sb,
    stableAfter: sa,
    stabilityChange: sb !== undefined && sa !== undefined && sb !== sa,
  };
}

export { valueAt };
