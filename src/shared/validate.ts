// Small structural checks for messages crossing a thread or webview boundary.
// Each returns the value typed when it has the expected shape, or throws a short reason.

export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown, what: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(`${what} must be an object`);
  return v as Obj;
}

export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new MessageError(`${what} must be a string`);
  return v;
}

export function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new MessageError(`${what} must be a number`);
  return v;
}

export function int(v: unknown, what: string, min = 0): number {
  const n = num(v, what);
  if (!Number.isInteger(n) || n < min) throw new MessageError(`${what} must be a whole number ≥ ${min}`);
  return n;
}

export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new MessageError(`${what} must be a boolean`);
  return v;
}

export function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new MessageError(`${what} must be an array`);
  return v;
}

export function optional<T>(v: unknown, check: (v: unknown, what: string) => T, what: string): T | undefined {
  return v === undefined ? undefined : check(v, what);
}

export function oneOf<T extends string>(v: unknown, values: readonly T[], what: string): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new MessageError(`${what} must be one of ${values.join(', ')}`);
  }
  return v as T;
}

export function numbers(v: unknown, what: string): number[] {
  return arr(v, what).map((x, i) => num(x, `${what}[${i}]`));
}

/** Finite or not: eigenvalues and points may legitimately be large, never NaN. */
export function numberMatrix(v: unknown, what: string): number[][] {
  return arr(v, what).map((row, i) => numbers(row, `${what}[${i}]`));
}
