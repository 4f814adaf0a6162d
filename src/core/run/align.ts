// Loss jumps against bifurcations: which jumps follow an event within a window, and how often
// that would happen by chance (events placed at random over the run, a permutation test).
import type { SweepEvent } from '../sweep/types';
import type { LossJump } from './loss';

export interface RunEvent extends SweepEvent {
  /** The event's place on the run's axis (interpolated epoch or step). */
  x: number;
}

export interface JumpAlignment {
  jump: LossJump;
  /** Indices into the events that fall in the window before the jump. */
  events: number[];
}

export interface Alignment {
  /** How far before a jump an event may lie and still count (in epochs or steps). */
  window: number;
  perJump: JumpAlignment[];
  /** For each event, the index of the first jump after it within the window. */
  followedBy: (number | undefined)[];
  /** Jumps with at least one event in the window before them. */
  explained: number;
  /** P(at least `explained` jumps follow an event) with the events placed uniformly at random. */
  pValue: number;
  permutations: number;
  /** e.g. "7 of 9 loss jumps follow a bifurcation; 5 of them degenerate transcritical (p = 0.003)". */
  sentence: string;
}

/**
 * Whether an event changes the dynamics: a border collision through which a cycle just persists
 * with the same stability is a crossing of a region border, not a bifurcation; it is listed with
 * the events but explains no jump.
 */
export function isBifurcation(e: Pick<RunEvent, 'kind' | 'outcome' | 'stabilityChange'>): boolean {
  return !(e.kind === 'border-collision' && e.outcome === 'persistence' && !e.stabilityChange);
}

function explainedCount(jumps: readonly number[], events: readonly number[], window: number): number {
  let n = 0;
  for (const j of jumps) if (events.some((e) => e <= j && e >= j - window)) n++;
  return n;
}

/** mulberry32: a small seeded generator for the permutations (the same result every run). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KIND_WORDS: Record<string, string> = {
  'degenerate-transcritical': 'degenerate transcritical',
  'degenerate-flip': 'degenerate flip',
  'border-collision': 'border collision',
  'neimark-sacker': 'Neimark–Sacker',
  unclassified: 'unclassified',
};

/**
 * For every jump, the events in [jump − window, jump]; for every event, whether a jump follows.
 * The p-value compares the number of jumps that follow an event with the same number of events
 * placed uniformly over [start, end] (the run's range), `permutations` times.
 */
export function alignJumps(jumps: LossJump[], allEvents: RunEvent[], range: [number, number], window: number, permutations = 2000, seed = 1): Alignment {
  const counted = allEvents.map((e, i) => ({ e, i })).filter(({ e }) => isBifurcation(e));
  const events = counted.map(({ e }) => e);
  const perJump = jumps.map((jump) => ({ jump, events: counted.filter(({ e }) => e.x <= jump.x && e.x >= jump.x - window).map(({ i }) => i) }));
  const followedBy = allEvents.map((e) => {
    if (!isBifurcation(e)) return undefined;
    const j = jumps.findIndex((jump) => e.x <= jump.x && e.x >= jump.x - window);
    return j >= 0 ? j : undefined;
  });
  const explained = perJump.filter((p) => p.events.length > 0).length;
  const r = rng(seed);
  let asMany = 0;
  const jx = jumps.map((j) => j.x);
  for (let p = 0; p < permutations; p++) {
    const fake = events.map(() => range[0] + r() * (range[1] - range[0]));
    if (explainedCount(jx, fake, window) >= explained) asMany++;
  }
  const pValue = (asMany + 1) / (permutations + 1);
  const kinds = new Map<string, number>();
  for (const p of perJump) {
    if (p.events.length === 0) continue;
    const k = allEvents[p.events[p.events.length - 1]].kind;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const top = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0];
  const sentence =
    jumps.length === 0
      ? `no loss jumps${events.length ? `; ${events.length} bifurcation${events.length === 1 ? '' : 's'}` : ''}`
      : `${explained} of ${jumps.length} loss jump${jumps.length === 1 ? '' : 's'} follow${jumps.length === 1 ? 's' : ''} a bifurcation${
          top && explained > 0 ? `; ${top[1] === explained ? (explained === 1 ? 'it is a' : 'all of them') : `${top[1]} of them`} ${KIND_WORDS[top[0]] ?? top[0]}` : ''
        } (p = ${pValue < 0.001 ? pValue.toExponential(1) : pValue.toFixed(3)} by chance)`;
  return { window, perJump, followedBy, explained, pValue, permutations, sentence };
}
