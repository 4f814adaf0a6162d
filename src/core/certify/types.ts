import { Cycle } from '../scyfi/types';

/** Orders certified by default: the search's max order, at most this. */
export const DEFAULT_CERTIFY_ORDERS_CAP = 4;

/**
 * What became of one order:
 * - proven: the MILP of that order is infeasible once every listed cycle is cut off, so the list
 *   holds every cycle of the order with all points in the box (docs/certify.md says exactly what
 *   that covers);
 * - timeout: the time budget ran out first (also --timeout); what was found is kept;
 * - interrupted: a signal (or cancel) stopped it;
 * - failed: the solver gave up without an answer (numerical trouble); the order is not proven;
 * - heuristic: not attempted (above the certified orders): the list is SCYFI's heuristic result.
 */
export type OrderStatus = 'proven' | 'timeout' | 'interrupted' | 'failed' | 'heuristic';

/** Where R came from: given by the user, the clip range, a proven absorbing box, or simulation. */
export type BoundSource = 'user' | 'clip' | 'absorbing' | 'simulated';

export interface CertifyOptions {
  /** Certify orders 1..orders. */
  orders: number;
  /** The search's highest order: orders above `orders` up to this are reported as heuristic. */
  maxOrder: number;
  /** R of the box ‖z‖∞ ≤ R; default from the model (defaultBound). */
  bound?: number;
  /** Time budget of the certification in seconds (default DEFAULT_CERTIFY_SECONDS). */
  seconds?: number;
  /** Seed of the simulated trajectories of the default bound. */
  seed?: number;
}

export interface OrderCertificate {
  order: number;
  status: OrderStatus;
  /** Wall time spent on the order. */
  seconds: number;
  /** Branch-and-bound nodes over all MILP solves of the order. */
  nodes: number;
  /** MILP solves (one per solution found, plus the last, infeasible one). */
  solves: number;
  /** Cycles of this order the search had missed and the MILP found. */
  added: number;
  /** Why a failed order failed (the solver's status). */
  detail?: string;
}

/**
 * A region sequence the MILP found a (near-)solution in that does not resolve to one isolated
 * cycle: I − F is singular there (or so ill-conditioned that its unique candidate lies
 * elsewhere), so the k-periodic points of that affine piece form a continuum, or one point
 * where such a continuum meets a border. `points` are the MILP's point, checked on the map to
 * MILP_POINT_RTOL.
 */
export interface DegenerateSequence {
  order: number;
  regions: string[];
  points: number[][];
  reason: 'singular' | 'ill-conditioned';
}

export interface Certificate {
  /** R: the claim covers cycles with every point in ‖z‖∞ ≤ R. */
  bound: number;
  boundSource: BoundSource;
  boundDetail: string;
  /** The solver, e.g. "HiGHS 1.15.1". */
  solver: string;
  orders: OrderCertificate[];
  degenerate: DegenerateSequence[];
}

export type FoundBy = 'search' | 'certify';

/** A listed cycle with how it was found and whether all its points lie in the box. */
export interface CertifiedCycle extends Cycle {
  foundBy: FoundBy;
  withinBound: boolean;
}

export interface CertifyResult {
  cycles: CertifiedCycle[];
  certificate: Certificate;
}

export interface CertifyEvents {
  /** Called when the certification of an order starts. */
  onOrder?(order: number, orders: number): void;
  /** Called for each cycle the MILP found that the search had missed. */
  onCycle?(cycle: Cycle): void;
  /** Polled during the solves; return true to stop (the current order becomes interrupted). */
  isCancelled?(): boolean;
}
