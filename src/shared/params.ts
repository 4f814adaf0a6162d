// Names and roles of the parameters of each architecture of the JSON model format, for hovers,
// the panel's parameter links and the checkpoint viewer.

export interface ParamRole {
  /** Short role, e.g. "recurrent weights". */
  role: string;
  /** Shape in symbols, e.g. "M×M". */
  shape: string;
  /** What one entry means, given its indices (empty for a scalar). */
  entry(index: number[]): string;
}

const unitBias = (what: string): ParamRole => ({ role: what, shape: 'M', entry: ([i]) => `entry ${i}: ${what} of unit ${i}` });

const diagonalA: ParamRole = {
  role: 'auto-regression weights (diagonal)',
  shape: 'M',
  entry: ([i]) => `entry ${i}: self-coupling of unit ${i}`,
};

const recurrent = (what: string): ParamRole => ({
  role: what,
  shape: 'M×M',
  entry: ([i, j]) => `row ${i} column ${j}: effect of unit ${j} on unit ${i}`,
});

const ROLES: Record<string, Record<string, ParamRole>> = {
  plrnn: {
    A: {
      role: 'auto-regression weights (diagonal or M×M)',
      shape: 'M or M×M',
      entry: (ix) => (ix.length === 1 ? `entry ${ix[0]}: self-coupling of unit ${ix[0]}` : `row ${ix[0]} column ${ix[1]}: linear effect of unit ${ix[1]} on unit ${ix[0]}`),
    },
    W: recurrent('recurrent weights'),
    h: unitBias('bias'),
  },
  shplrnn: {
    A: diagonalA,
    W1: { role: 'hidden-to-state weights', shape: 'M×H', entry: ([i, j]) => `row ${i} column ${j}: effect of hidden unit ${j} on unit ${i}` },
    W2: { role: 'state-to-hidden weights', shape: 'H×M', entry: ([i, j]) => `row ${i} column ${j}: effect of unit ${j} on hidden unit ${i}` },
    h1: unitBias('bias'),
    h2: { role: 'hidden biases', shape: 'H', entry: ([i]) => `entry ${i}: bias of hidden unit ${i} (its ReLU threshold)` },
  },
  alrnn: {
    A: diagonalA,
    W: recurrent('recurrent weights (the last P units act through a ReLU)'),
    h: unitBias('bias'),
    P: { role: 'number of switching units (the last P pass through a ReLU)', shape: 'scalar', entry: () => 'scalar' },
  },
  dendplrnn: {
    A: diagonalA,
    W: recurrent('recurrent weights'),
    h: unitBias('bias'),
    alpha: { role: 'dendritic basis weights', shape: 'B', entry: ([b]) => `entry ${b}: weight of basis ${b}` },
    H: { role: 'dendritic thresholds', shape: 'M×B', entry: ([i, b]) => `row ${i} column ${b}: threshold of unit ${i} in basis ${b}` },
  },
};
ROLES['clipped-shplrnn'] = ROLES.shplrnn;

/** Keys of each architecture in the order the format lists them. */
export const PARAMETER_KEYS: Record<string, readonly string[]> = {
  plrnn: ['A', 'W', 'h'],
  shplrnn: ['A', 'W1', 'W2', 'h1', 'h2'],
  'clipped-shplrnn': ['A', 'W1', 'W2', 'h1', 'h2'],
  alrnn: ['A', 'W', 'h', 'P'],
  dendplrnn: ['A', 'W', 'h', 'alpha', 'H'],
};

export function isKnownArchitecture(a: unknown): a is string {
  return typeof a === 'string' && Object.prototype.hasOwnProperty.call(PARAMETER_KEYS, a);
}

export function paramRole(architecture: string, name: string): ParamRole | undefined {
  return ROLES[architecture]?.[name];
}

/** "W[1][0]" for ['W', 1, 0]. */
export function formatParamRef(name: string, index: readonly number[] = []): string {
  return name + index.map((i) => `[${i}]`).join('');
}

/** ['W', 1, 0] for "W[1][0]"; undefined when it is not a parameter reference. */
export function parseParamRef(ref: string): { name: string; index: number[] } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/.exec(ref);
  if (!m) return undefined;
  const index = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  return { name: m[1], index };
}

/**
 * One line naming a parameter or one of its entries, e.g.
 * "W — recurrent weights (M×M), row 1 column 0: effect of unit 0 on unit 1".
 */
export function describeParam(architecture: string, name: string, index: readonly number[] = []): string | undefined {
  const r = paramRole(architecture, name);
  if (!r) return undefined;
  const head = `${name} — ${r.role} (${r.shape})`;
  return index.length === 0 ? head : `${head}, ${r.entry([...index])}`;
}
