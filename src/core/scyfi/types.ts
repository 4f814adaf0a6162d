import type { ChainAhead } from './chain';
/** Options of one SCYFI run. Loop counts left undefined get defaults that scale with M, H and k. */
export interface ScyfiOptions {
  /** Search orders 1..maxOrder. */
  maxOrder: number;
  /** Restarts in a row without a new find before an order is given up (outer loop). */
  outerLoop?: number;
  /**
   * Scales the plain default outer loop when outerLoop is not given, in place of the small-model
   * factor (defaults.ts smallModelFactor) of a search from nothing: sweeps and runs pass 1 for
   * the first step of a chunk and a smaller share for continued steps, which start from the
   * previous step's cycles.
   */
  outerLoopScale?: number;
  /** Maximum jumps to the regions of a virtual cycle before a restart (inner loop). */
  innerLoop?: number;
  /**
   * A chain of jumps ends after this many jumps in a row without a new low of the number of
   * switches its virtual cycle misses its regions by (default DEFAULT_CHAIN_PATIENCE, 30;
   * Infinity: only the inner loop ends it, as in earlier versions).
   */
  chainPatience?: number;
  /** Seed of the random generator: the same seed gives the same result. */
  seed?: number;
  /**
   * Orders whose 2^(H·k) region sequences number at most this are searched exhaustively (every
   * sequence solved once, so nothing can be missed) instead of heuristically.
   * Default DEFAULT_EXHAUSTIVE_LIMIT (4096); 0 turns it off.
   */
  exhaustiveLimit?: number;
  /**
   * Region sequences solved first at their order (e.g. the cycles of the previous model of a
   * sweep), each followed for a short chain of jumps if it has become virtual.
   */
  seeds?: readonly RegionSeed[];
  /** Also try every one-bit neighbour of each seed (default true). */
  seedNeighbours?: boolean;
  /**
   * When an order's restarts run out, follow the residual curves from its found cycles (and the
   * lower-order ones dividing it) in random directions, and solve the region sequences where
   * they cross zero (homotopy.ts; default true; maps with an output clip never do).
   */
  homotopy?: boolean;
}

/** A region sequence to start from: one region text per point, as Cycle.regions has them. */
export interface RegionSeed {
  order: number;
  regions: readonly string[];
}

/** Where the start of the chain that found a cycle came from. */
export type Source = 'seed' | 'neighbour' | 'flip' | 'random' | 'exhaustive' | 'homotopy';
export const SOURCES: readonly Source[] = ['seed', 'neighbour', 'flip', 'random', 'exhaustive', 'homotopy'];

/**
 * How many objects each source found: seeds and their one-bit neighbours, neighbours of cycles
 * found in this search, partial flips of near-consistent virtual cycles, random draws, the
 * exhaustive enumeration of small orders, and continuation from found cycles (homotopy.ts).
 */
export type FoundBySource = Record<Source, number>;

/** Zero counts of every source. */
export function noFinds(): FoundBySource {
  return Object.fromEntries(SOURCES.map((s) => [s, 0])) as FoundBySource;
}

/** A fixed point (order 1) or a k-cycle, verified against the map. */
export interface Cycle {
  order: number;
  /** The k points of the cycle in orbit order (z_{j+1} = f(z_j), f(z_k) = z_1). */
  points: number[][];
  /** Eigenvalues of the k-step Jacobian product, as [re, im], sorted by decreasing modulus. */
  eigenvalues: [number, number][];
  spectralRadius: number;
  stable: boolean;
  /** Readable class, e.g. "stable node", "saddle (flip)", "unstable focus". */
  classification: string;
  /**
   * Region pattern of each point: one character per switch, '1' where u_i > 0; with an output
   * clip, then '|' and one character per unit: '-' clipped low, '+' clipped high, '.' not.
   */
  regions: string[];
}

export interface ScyfiStats {
  /** Candidate solves (linear systems set up and solved). */
  candidates: number;
  seconds: number;
  /** Per-order effort, in order of search (diagnostics; absent when nothing was searched). */
  orders?: OrderStats[];
  /** Objects found per source, over all orders. */
  foundBy?: FoundBySource;
}

/** How hard one order was: if longestGap nears the outer loop, more restarts may find more. */
export interface OrderStats {
  order: number;
  outerLoop: number;
  innerLoop: number;
  /** Candidate solves at this order. */
  candidates: number;
  /** Restarts from new initial regions (random draws and neighbours of found cycles). */
  restarts: number;
  /** Most random restarts in a row without a find that preceded a find. */
  longestGap: number;
  /** Most jumps to virtual cycles before a find. */
  longestChain: number;
  /** Objects found at this order per source. */
  foundBy?: FoundBySource;
  /**
   * Every region sequence of this order was solved, each with a unique solution
   * (ScyfiOptions.exhaustiveLimit), so the list of this order is complete. Absent when the order
   * was searched by restarts, stopped before its end, or met a sequence with I − F singular or
   * ill-conditioned (a continuum of cycles, or one the solve cannot resolve, may lie there).
   */
  enumerated?: boolean;
}

export interface ScyfiResult {
  cycles: Cycle[];
  stats: ScyfiStats;
  /** True when the run was cancelled; cycles then holds what was found until then. */
  cancelled: boolean;
}

/** Callbacks for progress and streaming; all optional. */
export interface ScyfiEvents {
  /** Called when the search of an order starts. */
  onOrder?(order: number, maxOrder: number): void;
  /** Called for each verified cycle as soon as it is found. */
  onCycle?(cycle: Cycle): void;
  /** Polled regularly; return true to stop. The result then has cancelled = true. */
  isCancelled?(): boolean;
  /** Helper threads that compute the coming chains ahead (src/worker/chainAhead.ts); the result is the same without. */
  ahead?: ChainAhead;
}
