// The text of the sweep commands' input boxes: a range "from to steps" (e.g. "0.2 1.4 100"),
// read as it is typed, and the range proposed around an entry's current value.
import { MAX_STEPS } from '../core/sweep/run';

export interface RangeText {
  from: number;
  to: number;
  steps: number;
}

/** "−0.5" as people type it (a real minus sign, as the panels print numbers) is -0.5. */
function toNumber(token: string): number {
  const t = token.replace(/^[−–]/, '-');
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

/**
 * Parses "from to steps" (spaces or commas between them). Returns the range, or a message saying
 * what is wrong: `steps` must be a whole number from 2 to `maxSteps`, from and to two finite,
 * different numbers. `what` names the count in messages ("steps", "values on the x axis").
 */
export function parseRangeText(text: string, maxSteps = MAX_STEPS, what = 'steps'): RangeText | string {
  const parts = text.trim().split(/[\s,;]+/).filter(Boolean);
  if (parts.length !== 3) return `write three numbers: from, to and the number of ${what}, e.g. "0.2 1.4 100"`;
  const [from, to, steps] = parts.map(toNumber);
  if (!Number.isFinite(from)) return `"${parts[0]}" (from) is not a finite number`;
  if (!Number.isFinite(to)) return `"${parts[1]}" (to) is not a finite number`;
  if (from === to) return `from and to are both ${from}: the range is empty`;
  if (!Number.isInteger(steps) || steps < 2 || steps > maxSteps) return `the number of ${what} must be a whole number from 2 to ${maxSteps}, got "${parts[2]}"`;
  return { from, to, steps };
}

/** Four significant digits, as plain text the parser reads back ("-0.0250", not "−2.5e-2"). */
function round4(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(4));
}

/** The range proposed for an entry: its value ± max(0.5, |value|), in `steps` steps. */
export function rangeAround(value: number, steps = 100): RangeText {
  const d = Math.max(0.5, Math.abs(value));
  return { from: round4(value - d), to: round4(value + d), steps };
}

export function formatRange(r: RangeText): string {
  return `${r.from} ${r.to} ${r.steps}`;
}
