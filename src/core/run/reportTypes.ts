// A training run's analysis as `scyfi run --json` prints it (and the editor's run job ends with):
// every place on the run's axis is keyed by its unit ("epoch": 40, or "step": 1500). No imports
// beyond types without Node, so that the run panel's page can use these types too.
import type { Cycle } from '../scyfi/types';
import type { Branch, SweepEvent } from '../sweep/types';

export const RUN_UNITS = ['epoch', 'step', 'snapshot'] as const;
export type RunUnitName = (typeof RUN_UNITS)[number];

/** An object placed on the run's axis by a field named after the unit. */
export type Placed<T> = T & { readonly [unit: string]: unknown };

export interface ReportCheckpoint {
  file: string;
  cached: boolean;
  cycles: Cycle[];
  branches: string[];
}

export interface ReportJump {
  from: number;
  until: number;
  size: number;
  factor: number;
  direction: 'up' | 'down';
  score: number;
}

export interface ReportLossPoint {
  x: number;
  loss: number;
  gradNorm?: number;
}

export interface RunReport {
  unit: RunUnitName;
  checkpoints: Placed<ReportCheckpoint>[];
  skipped: { file: string; reason: string }[];
  branches: Branch[];
  events: Placed<SweepEvent>[];
  lossJumps: Placed<ReportJump>[];
  loss: { source: string; name: string; points: ReportLossPoint[] } | null;
  alignment: {
    window: number;
    sentence: string;
    pValue: number;
    jumps: Placed<{ events: number[] }>[];
    /** For each event, the jump after it within the window (null: none). */
    followedBy: (number | null)[];
  } | null;
  notes: string[];
  stats: { checkpoints: number; searched: number; cached: number; seconds: number; candidates: number; foundBy: Record<string, number> };
  cancelled: boolean;
}

/** Where an object of the report lies on the run's axis. */
export function placeOf(o: { readonly [k: string]: unknown }, unit: RunUnitName): number {
  return o[unit] as number;
}
