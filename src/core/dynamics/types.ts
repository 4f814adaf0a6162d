// Simulated trajectories of a model's map and what they settle on (docs/dynamics.md).

/** A cycle the search found, as far as the simulation needs it: its order and points. */
export interface KnownCycle {
  order: number;
  points: readonly (readonly number[])[];
}

/**
 * Two successive visits of a trajectory to the same point within this (relative to
 * max(1, ‖z‖∞)) make it periodic: the map is piecewise affine, so a trajectory that falls onto a
 * stable cycle converges geometrically and passes any fixed tolerance in finitely many steps.
 */
export const PERIOD_RTOL = 1e-9;
/** A periodic trajectory is on a listed cycle when its last point is this close (relative) to one of the cycle's points. */
export const CYCLE_MATCH_RTOL = 1e-6;
/**
 * |λ| below this (per step) reads as zero: quasi-periodic. The estimate over n steps of a
 * quasi-periodic orbit is off by O(1/n) (the tangent's growth along the invariant set is
 * bounded), which is well below this for the default n = 10 000.
 */
export const LYAPUNOV_ZERO_TOL = 2e-3;
/** ‖z‖∞ beyond this many times the model's scale is divergence. */
export const DIVERGENCE_FACTOR = 1e6;

/** Bounds on the work of one trajectory (named so that the CLI and the docs can state them). */
export const DEFAULT_MAX_STEPS = 20_000;
/** The exponent is averaged over the last this many steps of a trajectory that is not periodic. */
export const DEFAULT_LYAPUNOV_STEPS = 10_000;
/** Steps are cut so that one trajectory costs at most this many multiply-adds… */
export const WORK_PER_TRAJECTORY = 1e8;
/** …and a model that would get fewer steps than this is not simulated (too few to tell anything). */
export const MIN_STEPS = 1000;
/** Steps before the first periodicity check. */
export const MIN_TRANSIENT = 100;
/** Trajectories from seeded starts when not told otherwise. */
export const DEFAULT_STARTS = 8;
/** Points of each trajectory kept for drawing: the first ones (transient) and the last ones (on the attractor). */
export const PATH_HEAD = 200;
export const PATH_TAIL = 400;

export interface SimulateOptions {
  /** Highest cycle order looked for in the trajectory itself (the search's maxOrder). */
  maxOrder: number;
  /** Upper bound on the steps of each trajectory (default DEFAULT_MAX_STEPS; cut further by WORK_PER_TRAJECTORY). */
  maxSteps?: number;
  /** Steps the Lyapunov exponent is averaged over (default DEFAULT_LYAPUNOV_STEPS, at most half the steps). */
  lyapunovSteps?: number;
  /** Seed of the starts and of the tangent vectors. */
  seed?: number;
  /** Number of seeded starts (default DEFAULT_STARTS). */
  starts?: number;
  /** Further starts given by the caller (a point the user clicked), simulated after the seeded ones. */
  from?: readonly (readonly number[])[];
  /** Skip the Lyapunov exponent (basins only need where a start goes). */
  noLyapunov?: boolean;
}

/** long-period: λ < 0 but not periodic within maxOrder; undetermined: the exponent was not estimated (basins). */
export type BoundedCharacter = 'quasi-periodic' | 'chaotic' | 'long-period' | 'undetermined';

/** Where one trajectory settled. */
export type Fate =
  /** Onto listed cycle `cycle` (index into the cycles given). */
  | { kind: 'cycle'; cycle: number; order: number }
  /** Onto a cycle that is not in the list: the search missed it (order ≤ maxOrder), or its order is above maxOrder (≤ PERIOD_DETECT_MAX). */
  | { kind: 'unlisted-cycle'; order: number; points: number[][] }
  /** A bounded set that is not a cycle of order ≤ maxOrder. */
  | { kind: 'bounded'; character: BoundedCharacter; lyapunov: number }
  /** ‖z‖ grew past the divergence bound (at `step`), or kept growing. */
  | { kind: 'diverges'; step: number };

export interface Trajectory {
  start: number[];
  /** The first PATH_HEAD states (the transient) … */
  head: number[][];
  /** … and the last PATH_TAIL states (on the attractor; empty when it diverged). */
  tail: number[][];
  /** Steps simulated. */
  steps: number;
  fate: Fate;
}

/** A group of trajectories that settled on the same thing. */
export type Attractor =
  | { kind: 'cycle'; cycle: number; order: number; trajectories: number[] }
  | { kind: 'unlisted-cycle'; order: number; points: number[][]; trajectories: number[] }
  | { kind: 'bounded'; character: BoundedCharacter; lyapunov: number; trajectories: number[]; lo: number[]; hi: number[] }
  | { kind: 'diverges'; trajectories: number[] };

export interface DynamicsResult {
  trajectories: Trajectory[];
  attractors: Attractor[];
  /** The summary sentence when trajectories settle on something the search did not list (else ""). */
  sentence: string;
  /** Steps each trajectory was allowed (after the work bound). */
  maxSteps: number;
  /** Why nothing was simulated (a model too large for the work bound). */
  skipped?: string;
  cancelled: boolean;
}
