import { InputError } from '../errors';
import { ARCHITECTURES, Architecture, Matrix, ModelSpec, Vector } from './types';

type Path = (string | number)[];

/** Largest dimension accepted for M, H or B; far beyond what a cycle search can handle. */
export const MAX_DIMENSION = 100_000;

const REQUIRED_KEYS: Record<Architecture, readonly string[]> = {
  plrnn: ['A', 'W', 'h'],
  shplrnn: ['A', 'W1', 'W2', 'h1', 'h2'],
  'clipped-shplrnn': ['A', 'W1', 'W2', 'h1', 'h2'],
  alrnn: ['A', 'W', 'h', 'P'],
  dendplrnn: ['A', 'W', 'h', 'alpha', 'H'],
};

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Checks the values of a model file and names the first problem. */
class Checker {
  constructor(
    private readonly source: string,
    private readonly obj: Record<string, unknown>,
  ) {}

  fail(path: Path, problem: string): never {
    throw new InputError(`${this.source}: ${pathText(path)} ${problem}`, path);
  }

  number(v: unknown, path: Path): number {
    if (typeof v !== 'number') this.fail(path, `must be a number, got ${typeName(v)}`);
    if (Number.isNaN(v)) this.fail(path, 'is NaN');
    if (!Number.isFinite(v)) this.fail(path, 'is infinite');
    return v;
  }

  vector(key: string, what: string): Vector {
    const v = this.obj[key];
    if (!Array.isArray(v)) this.fail([key], `must be a vector (array of numbers: ${what}), got ${typeName(v)}`);
    if (v.length === 0) this.fail([key], `is empty (expected ${what})`);
    if (v.length > MAX_DIMENSION) this.fail([key], `has ${v.length} entries, more than the limit of ${MAX_DIMENSION}`);
    return v.map((x, i) => this.number(x, [key, i]));
  }

  matrix(key: string, what: string): Matrix {
    const m = this.obj[key];
    if (!Array.isArray(m)) this.fail([key], `must be a matrix (array of rows: ${what}), got ${typeName(m)}`);
    if (m.length === 0) this.fail([key], `is empty (expected ${what})`);
    if (m.length > MAX_DIMENSION) this.fail([key], `has ${m.length} rows, more than the limit of ${MAX_DIMENSION}`);
    let cols = -1;
    return m.map((row, i) => {
      if (!Array.isArray(row)) this.fail([key, i], `must be a row (array of numbers), got ${typeName(row)}`);
      if (cols < 0) cols = row.length;
      if (row.length !== cols) this.fail([key, i], `has ${row.length} entries but row 0 has ${cols} (ragged matrix)`);
      if (cols === 0) this.fail([key, i], 'is an empty row');
      return row.map((x, j) => this.number(x, [key, i, j]));
    });
  }

  shape(key: string, m: Matrix, rows: number, cols: number, meaning: string): void {
    if (m.length !== rows || m[0].length !== cols) {
      this.fail([key], `must be ${rows}×${cols} (${meaning}), got ${m.length}×${m[0].length}`);
    }
  }

  /** A (diagonal, M), W (M×M) and h (M), as alrnn and dendplrnn have them. */
  diagonalPlrnn(): { A: Vector; W: Matrix; h: Vector } {
    const A = this.vector('A', 'the M diagonal entries');
    const M = A.length;
    const W = this.matrix('W', 'M×M');
    this.shape('W', W, M, M, `M×M with M = ${M} from A`);
    const h = this.vector('h', 'M biases');
    this.length('h', h, M, `M = ${M} from A`);
    return { A, W, h };
  }

  length(key: string, v: Vector, n: number, meaning: string): void {
    if (v.length !== n) this.fail([key], `must have ${n} entries (${meaning}), got ${v.length}`);
  }
}

/**
 * Validates a parsed model in the project's JSON format (schemas/model.schema.json).
 * Throws an InputError naming `source`, the key and the problem; keys other than the
 * architecture's own (e.g. "$schema", "name", metadata) are ignored.
 */
export function validateModelSpec(value: unknown, source: string): ModelSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(`${source}: a model must be a JSON object, got ${typeName(value)}`, []);
  }
  const obj = value as Record<string, unknown>;
  const c = new Checker(source, obj);
  const arch = obj.architecture;
  if (arch === undefined) c.fail(['architecture'], `is missing (one of ${ARCHITECTURES.join(', ')})`);
  if (typeof arch !== 'string' || !(ARCHITECTURES as readonly string[]).includes(arch)) {
    c.fail(['architecture'], `${JSON.stringify(arch)} is not a known architecture (one of ${ARCHITECTURES.join(', ')})`);
  }
  const architecture = arch as Architecture;
  for (const key of REQUIRED_KEYS[architecture]) {
    if (!(key in obj)) c.fail([key], `is missing (a ${architecture} model needs ${REQUIRED_KEYS[architecture].join(', ')})`);
  }

  switch (architecture) {
    case 'plrnn': {
      const h = c.vector('h', 'M biases');
      const M = h.length;
      const rawA = obj.A;
      const A = Array.isArray(rawA) && Array.isArray(rawA[0]) ? c.matrix('A', 'M×M') : c.vector('A', 'the M diagonal entries');
      if (Array.isArray(A[0])) c.shape('A', A as Matrix, M, M, `M×M with M = ${M} from h`);
      else c.length('A', A as Vector, M, `the diagonal, M = ${M} from h`);
      const W = c.matrix('W', 'M×M');
      c.shape('W', W, M, M, `M×M with M = ${M} from h`);
      return { architecture, A, W, h };
    }
    case 'shplrnn':
    case 'clipped-shplrnn': {
      const A = c.vector('A', 'the M diagonal entries');
      const M = A.length;
      const h2 = c.vector('h2', 'H hidden biases');
      const H = h2.length;
      const W1 = c.matrix('W1', 'M×H');
      const W2 = c.matrix('W2', 'H×M');
      const swapped = W1.length === H && W1[0].length === M && W2.length === M && W2[0].length === H && M !== H;
      if (swapped) {
        c.fail(['W1'], `is ${H}×${M} and W2 is ${M}×${H}: they look swapped (W1 must be M×H = ${M}×${H}, W2 must be H×M = ${H}×${M})`);
      }
      c.shape('W1', W1, M, H, `M×H with M = ${M} from A and H = ${H} from h2`);
      c.shape('W2', W2, H, M, `H×M with H = ${H} from h2 and M = ${M} from A`);
      const h1 = c.vector('h1', 'M biases');
      c.length('h1', h1, M, `M = ${M} from A`);
      return { architecture, A, W1, W2, h1, h2 };
    }
    case 'alrnn': {
      const { A, W, h } = c.diagonalPlrnn();
      const M = A.length;
      const P = c.number(obj.P, ['P']);
      if (!Number.isInteger(P) || P < 0 || P > M) c.fail(['P'], `must be a whole number of switching units from 0 to M = ${M}, got ${P}`);
      return { architecture, A, W, h, P };
    }
    case 'dendplrnn': {
      const { A, W, h } = c.diagonalPlrnn();
      const M = A.length;
      const alpha = c.vector('alpha', 'B basis weights');
      const Hm = c.matrix('H', 'M×B thresholds');
      c.shape('H', Hm, M, alpha.length, `M×B with M = ${M} from A and B = ${alpha.length} from alpha`);
      if (M * alpha.length > MAX_DIMENSION) c.fail(['alpha'], `gives M·B = ${M * alpha.length} switches, more than the limit of ${MAX_DIMENSION}`);
      return { architecture, A, W, h, alpha, H: Hm };
    }
  }
}
