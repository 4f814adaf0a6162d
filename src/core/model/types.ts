/** The architectures of the PLRNN family that the core understands. */
export const ARCHITECTURES = ['plrnn', 'shplrnn', 'clipped-shplrnn', 'alrnn', 'dendplrnn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export type Vector = number[];
/** Row-major nested array. */
export type Matrix = number[][];

/** The project's JSON model format (schemas/model.schema.json), after validation. */
export type ModelSpec = PlrnnSpec | ShplrnnSpec | AlrnnSpec | DendPlrnnSpec;

export interface PlrnnSpec {
  architecture: 'plrnn';
  /** The diagonal (length M) or a full M×M matrix. */
  A: Vector | Matrix;
  W: Matrix;
  h: Vector;
}

export interface ShplrnnSpec {
  architecture: 'shplrnn' | 'clipped-shplrnn';
  A: Vector;
  /** M×H */
  W1: Matrix;
  /** H×M */
  W2: Matrix;
  h1: Vector;
  h2: Vector;
}

export interface AlrnnSpec {
  architecture: 'alrnn';
  A: Vector;
  W: Matrix;
  h: Vector;
  /** Number of switching units: the last P of the M units pass through a ReLU. */
  P: number;
}

export interface DendPlrnnSpec {
  architecture: 'dendplrnn';
  A: Vector;
  W: Matrix;
  h: Vector;
  /** B basis weights. */
  alpha: Vector;
  /** M×B thresholds; column b is θ_b. */
  H: Matrix;
}

/**
 * Every architecture reduced to one piecewise-affine map (science.md §1):
 *
 *   u = S z + s0,  d = [u > 0],  y = A z + B (d ⊙ u) + c,  z' = clip(y, lo, hi)
 *
 * The output clip is optional (training code that clips the latent state after every step);
 * without it z' = y. All matrices are dense, row-major Float64Arrays.
 */
export interface PiecewiseAffineMap {
  /** State dimension. */
  readonly M: number;
  /** Number of switches (ReLU units); may exceed M. */
  readonly H: number;
  /** M×M */
  readonly A: Float64Array;
  /** M×H */
  readonly B: Float64Array;
  /** H×M */
  readonly S: Float64Array;
  /** H */
  readonly s0: Float64Array;
  /** M */
  readonly c: Float64Array;
  /** Per-unit bounds of z' (−∞/+∞ where a unit is not clipped); absent: no clip. */
  readonly clip?: OutputClip;
}

export interface OutputClip {
  /** M lower bounds, lo_i < hi_i. */
  readonly lo: Float64Array;
  /** M upper bounds. */
  readonly hi: Float64Array;
}

/** A validated model: what the file said, and the map it stands for. */
export interface Model {
  readonly spec: ModelSpec;
  readonly map: PiecewiseAffineMap;
}
