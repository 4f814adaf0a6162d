import { InputError } from '../errors';
import { Matrix, Vector } from './types';

export type JsonPath = (string | number)[];

/** Largest dimension accepted for M, H or B; far beyond what a cycle search can handle. */
export const MAX_DIMENSION = 100_000;

export function pathText(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Checks the values of a model file and names the first problem (file, key, JSON path). */
export class Checker {
  constructor(
    readonly source: string,
    readonly obj: Record<string, unknown>,
  ) {}

  fail(path: JsonPath, problem: string): never {
    throw new InputError(`${this.source}: ${pathText(path)} ${problem}`, path);
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.obj, key) && this.obj[key] !== undefined;
  }

  number(v: unknown, path: JsonPath): number {
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

  length(key: string, v: Vector, n: number, meaning: string): void {
    if (v.length !== n) this.fail([key], `must have ${n} entries (${meaning}), got ${v.length}`);
  }

  /** A diagonal A (M), W (M×M) and h (M), as alrnn and dendplrnn have them. */
  diagonalPlrnn(): { A: Vector; W: Matrix; h: Vector } {
    const A = this.vector('A', 'the M diagonal entries');
    const M = A.length;
    const W = this.matrix('W', 'M×M');
    this.shape('W', W, M, M, `M×M with M = ${M} from A`);
    const h = this.vector('h', 'M biases');
    this.length('h', h, M, `M = ${M} from A`);
    return { A, W, h };
  }
}
