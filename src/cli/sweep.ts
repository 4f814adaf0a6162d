// `scyfi sweep` (one entry from a to b, or the line to a second model) and `scyfi sweep2d` (two
// entries on a grid), on a pool of worker threads; --json prints one object.
import { InputError } from '../core/errors';
import { loadModelFile } from '../core/io/load';
import { parseParamRef, type ParamRef } from '../core/model/paramRef';
import { checkGrid, runGrid, type Grid, type GridResult } from '../core/sweep/grid';
import { describePath, entryPath, linePath, type ModelPath } from '../core/sweep/path';
import { runSweep } from '../core/sweep/run';
import type { SweepOptions, SweepResult } from '../core/sweep/types';
import { poolSweepRunner, runGridOnPool } from '../worker/host/sweepRunner';
import { intFlag, parseArgs, type ParsedArgs } from './args';
import { formatNumber } from './format';
import { MODEL_FLAGS, modelOptions, table } from './inspect';
import { startLongJob } from './longJob';

/** Orders searched at each step when --max-order is not given (a sweep searches many models). */
export const DEFAULT_SWEEP_MAX_ORDER = 4;
const LIMIT = 1_000_000_000;

export const SWEEP_USAGE =
  "scyfi sweep <model> (--param 'W[1][0]' --from a --to b | --to-model <model2>) --steps n [--max-order K] [--seed S] [--jobs N] [--chunk-size C] [--no-continuation] [--timeout SECONDS] [--json] [--shards n --out DIR [--slurm …]]";
export const SWEEP2D_USAGE = "scyfi sweep2d <model> --x 'A[0]' --x-range a:b:n --y 'A[1]' --y-range c:d:m [--max-order K] [--seed S] [--jobs N] [--timeout SECONDS] [--json] [--shards n --out DIR [--slurm …]]";

const COMMON = ['max-order', 'outer', 'inner', 'seed', 'jobs', 'timeout', 'json', 'no-continuation', 'chunk-size', ...MODEL_FLAGS];

function numberFlag(args: ParsedArgs, name: string): number {
  const v = args.flags.get(name);
  if (v === undefined) throw new InputError(`--${name} is missing`);
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new InputError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function refFlag(args: ParsedArgs, name: string): ParamRef {
  const v = args.flags.get(name);
  if (typeof v !== 'string') throw new InputError(`--${name} needs a parameter entry such as 'W[1][0]'`);
  const ref = parseParamRef(v);
  if (!ref || ref.index.length === 0) throw new InputError(`--${name} must name one entry such as 'W[1][0]' or 'h[2]', got ${JSON.stringify(v)}`);
  return ref;
}

/** "a:b:n" → from a to b in n values. */
function rangeFlag(args: ParsedArgs, name: string): { from: number; to: number; n: number } {
  const v = args.flags.get(name);
  const m = typeof v === 'string' ? /^\s*([^:]+):([^:]+):(\d+)\s*$/.exec(v) : null;
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2]) : NaN;
  const n = m ? Number(m[3]) : NaN;
  if (!m || !Number.isFinite(from) || !Number.isFinite(to) || !Number.isInteger(n)) throw new InputError(`--${name} must be from:to:count, e.g. -1:1:40, got ${JSON.stringify(v)}`);
  if (n < 2 || n > 100_000) throw new InputError(`--${name}: the count must be from 2 to 100000, got ${n}`);
  if (from === to) throw new InputError(`--${name}: the range ${from}:${to} is empty`);
  return { from, to, n };
}

function sweepOptions(args: ParsedArgs, steps: number): SweepOptions {
  return {
    steps,
    maxOrder: intFlag(args, 'max-order', 1, 1000) ?? DEFAULT_SWEEP_MAX_ORDER,
    outerLoop: intFlag(args, 'outer', 1, LIMIT),
    innerLoop: intFlag(args, 'inner', 1, LIMIT),
    seed: intFlag(args, 'seed', 0, 2 ** 32 - 1) ?? 0,
    chunkSize: intFlag(args, 'chunk-size', 1, LIMIT),
    continuation: !args.flags.has('no-continuation'),
  };
}

function name(k: number): string {
  return k === 1 ? 'fixed point' : `${k}-cycle`;
}

export function formatSweep(r: SweepResult, head: string): string {
  const lines = [head];
  const byOrder = new Map<number, number>();
  for (const b of r.branches) byOrder.set(b.order, (byOrder.get(b.order) ?? 0) + 1);
  const orders = [...byOrder.entries()].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${n} of ${name(k)}s`);
  lines.push(`${r.branches.length} branch${r.branches.length === 1 ? '' : 'es'}${orders.length ? ` (${orders.join(', ')})` : ''}, ${r.events.length} event${r.events.length === 1 ? '' : 's'}${r.cancelled ? ' (cancelled: incomplete)' : ''}`);
  if (r.events.length) {
    lines.push('', 'events:');
    lines.push(...table([['value', 'kind', 'branches', ''], ...r.events.map((e) => [formatNumber(e.value), e.kind + (e.outcome ? ` (${e.outcome})` : ''), e.branches.join(','), e.detail])]));
  }
  if (r.branches.length) {
    const v = (t: number) => formatNumber(r.path.kind === 'entry' ? r.path.from + t * (r.path.to - r.path.from) : t);
    lines.push('', 'branches:');
    lines.push(
      ...table([
        ['id', 'order', 'from', 'to', 'steps', 'stable at'],
        ...r.branches.map((b) => {
          const stableSteps = b.steps.filter((s, n) => r.steps.find((x) => x.index === s)?.cycles[b.cycles[n]]?.stable).length;
          return [b.id, name(b.order), v(b.from), v(b.to), String(b.steps.length), `${stableSteps} of ${b.steps.length} steps`];
        }),
      ]),
    );
  }
  const s = r.stats;
  lines.push('', `${s.candidates} candidates in ${s.seconds.toFixed(2)} s; ${s.fullSteps} full searches, ${s.continuedSteps} continued steps; found by seeds ${s.foundBy.seed}, neighbours ${s.foundBy.neighbour}, random ${s.foundBy.random}, enumeration ${s.foundBy.exhaustive}`);
  return lines.join('\n');
}

const SHADES = '.123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function formatGrid(g: GridResult, head: string): string {
  const lines = [head, `${g.y.parameter} (rows, top = ${formatNumber(g.y.values[g.y.values.length - 1])}) against ${g.x.parameter} (columns, left = ${formatNumber(g.x.values[0])}); each cell: the number of objects (. none, A = 10, …), stable ones in the second map`];
  const mapOf = (f: (c: GridResult['rows'][number]['cells'][number]) => number) =>
    [...g.rows].reverse().map((row) => '  ' + row.cells.map((c) => SHADES[Math.min(SHADES.length - 1, f(c))]).join(''));
  const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  lines.push('', 'objects:', ...mapOf((c) => total(c.counts)), '', 'stable objects:', ...mapOf((c) => total(c.stable)));
  lines.push('', `${g.stats.candidates} candidates in ${g.stats.seconds.toFixed(2)} s${g.cancelled ? ' (cancelled: incomplete)' : ''}`);
  return lines.join('\n');
}

async function loadSpec(file: string, args: ParsedArgs) {
  return (await loadModelFile(file, modelOptions(args))).model;
}

export function sweepArgs(argv: string[]): ParsedArgs {
  return parseArgs(argv, [...COMMON, 'param', 'from', 'to', 'steps', 'to-model'], ['json', 'no-continuation']);
}

export function sweep2dArgs(argv: string[]): ParsedArgs {
  return parseArgs(argv, [...COMMON, 'x', 'x-range', 'y', 'y-range'], ['json', 'no-continuation']);
}

export interface SweepSetup {
  file: string;
  files: string[];
  model: Awaited<ReturnType<typeof loadSpec>>;
  path: ModelPath;
  options: SweepOptions;
  steps: number;
}

/** The model(s), path and options a `scyfi sweep` command line asks for (also what its shards rebuild). */
export async function sweepSetup(args: ParsedArgs): Promise<SweepSetup> {
  if (args.positional.length !== 1) throw new InputError(`sweep needs exactly one model file: ${SWEEP_USAGE}`);
  const file = args.positional[0];
  const steps = intFlag(args, 'steps', 2, 100_000);
  if (steps === undefined) throw new InputError(`--steps is missing: ${SWEEP_USAGE}`);
  const toModel = args.flags.get('to-model');
  if (toModel !== undefined && args.flags.has('param')) throw new InputError('give either --param with --from/--to, or --to-model, not both');
  const model = await loadSpec(file, args);
  let path: ModelPath;
  const files = [file];
  if (typeof toModel === 'string') {
    const second = await loadSpec(toModel, args);
    path = linePath(model.spec, second.spec, file, toModel);
    files.push(toModel);
  } else {
    if (!args.flags.has('param')) throw new InputError(`sweep needs --param 'W[1][0]' with --from and --to, or --to-model: ${SWEEP_USAGE}`);
    path = entryPath(model.spec, refFlag(args, 'param'), numberFlag(args, 'from'), numberFlag(args, 'to'));
  }
  return { file, files, model, path, options: sweepOptions(args, steps), steps };
}

/** `scyfi sweep`. */
export async function sweepCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = sweepArgs(argv);
  const { file, model, path, options, steps } = await sweepSetup(args);
  const run = startLongJob(args);
  let done = 0;
  const onStep = () => progress?.(`step ${++done} of ${steps}`);
  let result: SweepResult;
  try {
    result = await runSweep(path, options, { onStep, isCancelled: run.isCancelled }, run.pool ? poolSweepRunner(run.pool, path, options, { onStep, isCancelled: run.isCancelled }) : undefined);
  } finally {
    await run.close();
  }
  if (args.flags.has('json')) {
    out(JSON.stringify(result));
    return 0;
  }
  out(formatSweep(result, `${file}: ${model.spec.architecture}, M = ${model.map.M}, H = ${model.map.H}; ${describePath(path)} in ${steps} steps, orders 1–${options.maxOrder}`));
  return 0;
}

/** The grid and options a `scyfi sweep2d` command line asks for. */
export async function sweep2dSetup(args: ParsedArgs) {
  if (args.positional.length !== 1) throw new InputError(`sweep2d needs exactly one model file: ${SWEEP2D_USAGE}`);
  const file = args.positional[0];
  const model = await loadSpec(file, args);
  const grid: Grid = { spec: model.spec, x: { ref: refFlag(args, 'x'), ...rangeFlag(args, 'x-range') }, y: { ref: refFlag(args, 'y'), ...rangeFlag(args, 'y-range') } };
  checkGrid(grid);
  return { file, files: [file], model, grid, options: sweepOptions(args, grid.x.n) };
}

/** `scyfi sweep2d`. */
export async function sweep2dCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = sweep2dArgs(argv);
  const { file, model, grid, options } = await sweep2dSetup(args);
  const run = startLongJob(args);
  let done = 0;
  const onRow = () => progress?.(`row ${++done} of ${grid.y.n}`);
  let result: GridResult;
  try {
    result = run.pool ? await runGridOnPool(run.pool, grid, options, { onRow, isCancelled: run.isCancelled }) : runGrid(grid, options, { onRow, isCancelled: run.isCancelled });
  } finally {
    await run.close();
  }
  if (args.flags.has('json')) {
    out(JSON.stringify(result));
    return 0;
  }
  out(formatGrid(result, `${file}: ${model.spec.architecture}, M = ${model.map.M}; ${grid.x.n}×${grid.y.n} grid, orders 1–${options.maxOrder}`));
  return 0;
}
