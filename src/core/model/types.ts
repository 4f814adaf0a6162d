/** The architectures of the PLRNN family that the core understands; pam is any piecewise-affine map. */
export const ARCHITECTURES = ['plrnn', 'shplrnn', 'clipped-shplrnn', 'alrnn', 'dendplrnn', 'pam'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export type Vector = number[];
/** Row-major nested array. */
export type Matrix = number[][];

/** The project's JSON model format (schemas/model.schema.json), after validation. */
export type ModelSpec = PlrnnSpec | ShplrnnSpec | AlrnnSpec | DendPlrnnSpec | PamSpec;

/** Options every architecture may have. */
export interface CommonOptions {
  /** The state is clipped to [−clip, clip] after every step (training code's clip_range). */
  clip?: number;
}

export interface PlrnnSpec extends CommonOptions {
  architecture: 'plrnn';
  /** The diagonal (length M) or a full M×M matrix. */
  A: Vector | Matrix;
  W: Matrix;
  h: Vector;
  /** The ReLU sees z − mean(z) (the mean over the M units), as in the dendPLRNN code's mean_centering. */
  meanCentering?: boolean;
  /** LeakyReLU slope ℓ in [0, 1): φ(u) = ℓ u + (1 − ℓ) relu(u) instead of relu. */
  leak?: number;
}

export interface ShplrnnSpec extends CommonOptions {
  architecture: 'shplrnn' | 'clipped-shplrnn';
  A: Vector;
  /** M×H */
  W1: Matrix;
  /** H×M */
  W2: Matrix;
  h1: Vector;
  h2: Vector;
}

export interface AlrnnSpec extends CommonOptions {
  architecture: 'alrnn';
  A: Vector;
  W: Matrix;
  h: Vector;
  /** Number of switching units: the last P of the M units pass through a ReLU. */
  P: number;
}

export interface DendPlrnnSpec extends CommonOptions {
  architecture: 'dendplrnn';
  A: Vector;
  W: Matrix;
  h: Vector;
  /** B basis weights. */
  alpha: Vector;
  /** M×B thresholds; column b is θ_b. */
  H: Matrix;
  /** The bases see z − mean(z) (the mean over the M units). */
  meanCentering?: boolean;
  /** "clipped": α_b [relu(z − θ_b) − relu(z)] per basis (the code's clipped-PLRNN); default "plain". */
  basis?: 'plain' | 'clipped';
}

/** Any map of science.md §1 written down directly: z' = A z + B relu(S z + s0) + c. */
export interface PamSpec extends CommonOptions {
  architecture: 'pam';
  /** M×M */
  A: Matrix;
  /** M×H */
  B: Matrix;
  /** H×M */
  S: Matrix;
  /** H */
  s0: Vector;
  /** M */
  c: Vector;
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
  /** The search settings the JSON file carries (its "scyfi" block). */
  readonly search?: SearchSettings;
}

/** Search settings a JSON model file carries in its "scyfi" block (src/core/model/search.ts). */
export interface SearchSettings {
  maxOrder?: number;
  outerLoop?: number;
  innerLoop?: number;
  seed?: number;
}
