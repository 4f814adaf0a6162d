import { InputError } from '../core/errors';

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/**
 * Splits `--name value`, `--name=value` and bare `--switch` arguments.
 * `booleanFlags` never take a value; every other flag must have one.
 */
export function parseArgs(argv: string[], known: readonly string[], booleanFlags: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!known.includes(name)) throw new InputError(`unknown option --${name} (options: ${known.map((k) => '--' + k).join(', ')})`);
    if (booleanFlags.includes(name)) {
      if (eq >= 0) throw new InputError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (eq >= 0) {
      flags.set(name, a.slice(eq + 1));
    } else {
      if (i + 1 >= argv.length) throw new InputError(`--${name} needs a value`);
      flags.set(name, argv[++i]);
    }
  }
  return { positional, flags };
}

/** Reads a flag that takes a text, or undefined when absent. */
export function textFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new InputError(`--${name} needs a value`);
  return v;
}

/** Reads an integer flag in [min, max], or undefined when absent. */
export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}
