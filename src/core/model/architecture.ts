// What the registry knows about one architecture: its parameters (keys, shapes, roles), how a
// JSON model of it is validated, how it reduces to the common map, and the tensor names under
// which checkpoints store it.
import { Checker } from './checker';
import { Architecture, ModelSpec, PiecewiseAffineMap } from './types';

export type ParameterKind = 'vector' | 'matrix' | 'vectorOrMatrix' | 'count';

export interface ParameterDef {
  /** Key in the JSON model format, e.g. "W1". */
  readonly key: string;
  readonly kind: ParameterKind;
  /** Shape in symbols, e.g. "M×M". */
  readonly shape: string;
  /** Short role, e.g. "recurrent weights". */
  readonly role: string;
  /** One sentence for the JSON Schema. */
  readonly description: string;
  /** What one entry means, given its indices. */
  entry(index: readonly number[]): string;
}

/**
 * Roles a checkpoint tensor can play when it is mapped to a model: the JSON keys, plus
 * `AW` (A on the diagonal of one matrix, W off it) and `Wreg` (W whose diagonal is ignored).
 */
export type TensorRole = 'A' | 'AW' | 'W' | 'h' | 'W1' | 'W2' | 'h1' | 'h2' | 'alpha' | 'H' | 'Wreg' | 'B' | 'S' | 's0' | 'c';

/** How one code base names the tensors of this architecture (docs/checkpoints.md). */
export interface TensorNaming {
  /** Shown by `inspect` and the viewer, e.g. "shPLRNN (A, W1, W2, h1, h2)". */
  readonly id: string;
  /** Role → accepted last parts of a tensor name, most usual first. */
  readonly roles: Partial<Record<TensorRole, readonly string[]>>;
  /**
   * The code base whose conventions (signs, variants, hyperparameter files) decide what these
   * tensors mean (src/core/io/codebases.ts); none: the tensors are the JSON format's keys.
   */
  readonly codeBase?: 'dendplrnn-code' | 'plain-plrnn' | 'shallow-plrnn';
}

/** An optional scalar setting of an architecture (not a parameter array): a flag, a bound, a slope. */
export interface OptionDef {
  readonly key: string;
  readonly kind: 'boolean' | 'positive' | 'fraction' | 'enum';
  /** For 'enum': the accepted values, the default first. */
  readonly values?: readonly string[];
  /** Short role, e.g. "state clip". */
  readonly role: string;
  /** One sentence for the JSON Schema and hovers. */
  readonly description: string;
}

export interface ArchitectureDef<S extends ModelSpec = ModelSpec> {
  readonly id: Architecture;
  /** Its name in words, e.g. "Shallow PLRNN with H hidden units". */
  readonly title: string;
  /** The update rule in the JSON format's symbols. */
  readonly update: string;
  readonly parameters: readonly ParameterDef[];
  /** Optional settings it accepts (validated and attached to the spec by validateModelSpec). */
  readonly options: readonly OptionDef[];
  /** Checks a parsed JSON model whose "architecture" is this one (keys present). */
  validate(c: Checker): S;
  /**
   * The piecewise-affine map of science.md §1 (u = S z + s0, z' = A z + B (u)₊ + c), with the
   * architecture's own options applied; the common `clip` is added by buildMap.
   */
  reduce(spec: S): PiecewiseAffineMap;
  /** Tensor namings that give this architecture, most specific first. */
  readonly namings: readonly TensorNaming[];
  /** The architecture whose tensors look the same, when the file cannot tell the two apart. */
  readonly sameTensorsAs?: Architecture;
}

/** Entry descriptions shared by several architectures. */
export const entries = {
  unit: (what: string) => ([i]: readonly number[]) => `entry ${i}: ${what} of unit ${i}`,
  selfCoupling: ([i]: readonly number[]) => `entry ${i}: self-coupling of unit ${i}`,
  recurrent: ([i, j]: readonly number[]) => `row ${i} column ${j}: effect of unit ${j} on unit ${i}`,
};

export const diagonalA: ParameterDef = {
  key: 'A',
  kind: 'vector',
  shape: 'M',
  role: 'auto-regression weights (diagonal)',
  description: 'M diagonal auto-regression weights.',
  entry: entries.selfCoupling,
};

export const biasH: ParameterDef = { key: 'h', kind: 'vector', shape: 'M', role: 'bias', description: 'M biases.', entry: entries.unit('bias') };

/** Every architecture may clip its state after each step. */
export const CLIP_OPTION: OptionDef = {
  key: 'clip',
  kind: 'positive',
  role: 'state clip',
  description: "The state is clipped to [−clip, clip] after every step (the training code's clip_range).",
};

export const MEAN_CENTERING_OPTION: OptionDef = {
  key: 'meanCentering',
  kind: 'boolean',
  role: 'mean-centring before the nonlinearity',
  description: 'The nonlinearity sees z − mean(z), the mean over the M units (the dendPLRNN code\'s mean_centering / layer_norm); A z uses z itself.',
};
