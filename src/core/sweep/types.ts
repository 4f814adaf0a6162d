import type { Cycle, FoundBySource } from '../scyfi/types';

export interface SweepOptions {
  /** Models on the path, both ends included (≥ 2). */
  steps: number;
  maxOrder: number;
  seed?: number;
  outerLoop?: number;
  innerLoop?: number;
  /**
   * Continuation (default true): each step starts from the previous step's cycles and their
   * one-bit neighbours and spends a smaller random budget; false: a full search at every step.
   */
  continuation?: boolean;
  /** Steps per chunk (default 16); each chunk starts with a full search, so chunks can run in parallel. */
  chunkSize?: number;
  /** Share of the default random-restart budget a continued step spends (default 0.3). */
  continuationBudget?: number;
  /** Locate and classify events between steps (default true). */
  events?: boolean;
}

export interface SweepStep {
  index: number;
  t: number;
  /** The swept entry's value (t itself on a line between models). */
  value: number;
  /** Every object found at this model; points start at the branch's canonical region rotation. */
  cycles: Cycle[];
  /** The branch of each cycle (same order as cycles). */
  branches: string[];
  candidates: number;
  seconds: number;
  foundBy: FoundBySource;
  /** Whether this step started from the previous step's cycles. */
  continued: boolean;
  /** The search of this step was cancelled: it may be incomplete. */
  cancelled: boolean;
}

export interface Branch {
  /** Stable id, in order of first appearance: "b1", "b2", … */
  id: string;
  order: number;
  /** The region sequence of its first cycle. */
  regions: string[];
  /** t where it was first and last seen (steps, or the events that start and end it). */
  from: number;
  to: number;
  /** The steps it is present at, and its cycle's index at each. */
  steps: number[];
  cycles: number[];
}

export type EventKind = 'border-collision' | 'degenerate-transcritical' | 'degenerate-flip' | 'neimark-sacker' | 'unclassified';

/** What a border collision does there. */
export type BorderOutcome = 'persistence' | 'fold' | 'period-doubling' | 'unclassified';

export interface SweepEvent {
  kind: EventKind;
  /** Located to 1e-12 in t. */
  t: number;
  value: number;
  /** The branches involved: the one that ends or changes first, then the one that starts. */
  branches: string[];
  order: number;
  /** Of the k-step Jacobian at the event. */
  eigenvalues: [number, number][];
  /** The cycle's points at the event (a border point, or the last finite ones before a run-off). */
  points: number[][];
  /** For border collisions: persists into the neighbouring sequence, meets another branch (fold), doubles its period. */
  outcome?: BorderOutcome;
  /** Whether stability differs on the two sides. */
  stabilityChange?: boolean;
  /** One sentence, e.g. "b3 (2-cycle) persists into 10 00 and becomes unstable". */
  detail: string;
}

export interface SweepStats {
  candidates: number;
  seconds: number;
  foundBy: FoundBySource;
  /** Steps searched from the previous step's cycles, and with a full search. */
  continuedSteps: number;
  fullSteps: number;
}

export interface SweepResult {
  path: PathInfo;
  values: number[];
  steps: SweepStep[];
  branches: Branch[];
  events: SweepEvent[];
  stats: SweepStats;
  cancelled: boolean;
}

export type PathInfo =
  | { kind: 'entry'; parameter: string; from: number; to: number }
  | { kind: 'line'; from: string; to: string }
  /** A training run: the models (checkpoints) in order; values are their epochs or steps. */
  | { kind: 'polyline'; unit: string; models: string[] };
