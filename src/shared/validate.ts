// Small structural checks for messages crossing a thread or webview boundary.
// Each returns the value typed when it has the expected shape, or throws a short reason that
// names where in the message the problem is (`what`). They compose: `record({...})` builds the
// validator of an object from the validators of its fields, and its TypeScript type follows.

export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

/** Checks `v` (found at `what`, e.g. "cycle.points[0]") and returns it typed, or throws a MessageError. */
export type Validator<T> = (v: unknown, what: string) => T;

/** The type a validator accepts. */
export type Infer<V> = V extends Validator<infer T> ? T : never;

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

/** A whole number ≥ min. */
export function intFrom(min: number): Validator<number> {
  return (v, what) => int(v, what, min);
}

export function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new MessageError(`${what} must be a boolean`);
  return v;
}

export function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new MessageError(`${what} must be an array`);
  return v;
}

/** Anything: for values another validator checks later (a job's input, checked by its kind). */
export function anything(v: unknown): unknown {
  return v;
}

/** Never valid: the item or progress of a job kind that streams none. */
export function none(_v: unknown, what: string): never {
  throw new MessageError(`${what} is not expected here`);
}

export function oneOf<const T extends string>(values: readonly T[]): Validator<T> {
  return (v, what) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new MessageError(`${what} must be one of ${values.join(', ')}`);
    return v as T;
  };
}

/** A validator that lets a field be absent; `record` makes such fields optional in its type. */
export interface OptionalValidator<T> extends Validator<T | undefined> {
  readonly optional: true;
}

/** Absent (undefined) or valid. */
export function optional<T>(check: Validator<T>): OptionalValidator<T> {
  return Object.assign((v: unknown, what: string) => (v === undefined ? undefined : check(v, what)), { optional: true as const });
}

export function list<T>(check: Validator<T>): Validator<T[]> {
  return (v, what) => arr(v, what).map((x, i) => check(x, `${what}[${i}]`));
}

/** An object used as a map from any key to values that pass `check`. */
export function dict<T>(check: Validator<T>): Validator<Record<string, T>> {
  return (v, what) => {
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(obj(v, what))) out[k] = check(x, `${what}.${k}`);
    return out;
  };
}

/** A string that also passes `test`; `rule` says what it must look like. */
export function matching(test: (s: string) => boolean, rule: string): Validator<string> {
  return (v, what) => {
    const s = str(v, what);
    if (!test(s)) throw new MessageError(`${what} must ${rule}`);
    return s;
  };
}

export const numbers: Validator<number[]> = list(num);

/** Finite or not: eigenvalues and points may legitimately be large, never NaN. */
export const numberMatrix: Validator<number[][]> = list(numbers);

export type Fields = Record<string, Validator<unknown>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
// Marked rather than read off the type (`undefined extends T`), so that a record with a field of
// a generic type (a job kind's progress) still has a known shape inside generic code.
type OptionalKeys<F extends Fields> = { [K in keyof F]: F[K] extends { readonly optional: true } ? K : never }[keyof F];

/** The object type of a record of field validators: fields checked by `optional` are optional. */
export type Shape<F extends Fields> = Simplify<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { [K in OptionalKeys<F>]?: Infer<F[K]> }
>;

/**
 * An object with these fields, each checked by its validator. Keys not declared are dropped and
 * optional fields that are absent stay absent, so what passes holds exactly the declared shape.
 */
export function record<F extends Fields>(fields: F): Validator<Shape<F>> {
  return (v, what) => {
    const o = obj(v, what);
    const out: Obj = {};
    for (const [key, check] of Object.entries(fields)) {
      const x = check(o[key], `${what}.${key}`);
      if (x !== undefined) out[key] = x;
    }
    return out as Shape<F>;
  };
}

/**
 * True exactly when A and B are the same type. For types declared elsewhere (the engine's
 * Cycle, ScyfiStats): `const _: Same<Infer<typeof v>, Cycle> = true` fails to compile when a
 * field is added to one and not the other, optional ones included.
 */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * `v`, typed as the validator of T, which must be exactly the type `v` checks: for types declared
 * elsewhere (the engine's Cycle, ScyfiStats), a field added to one and not the other, optional
 * ones included, does not compile ("not assignable to never").
 */
export function exactly<T>() {
  return <V extends Validator<unknown>>(v: Same<Infer<V>, T> extends true ? V : never): Validator<T> => v as Validator<T>;
}
