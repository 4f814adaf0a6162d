// `scyfi basins`: which attractor each start of a grid on a 2-D slice of state space reaches
// (src/core/dynamics/basins.ts), after a SCYFI search for the cycles to name them by.
import { InputError } from '../core/errors';
import { loadModelFile } from '../core/io/load';
import { BASIN_DIVERGES, BASIN_OTHER, BASIN_UNKNOWN, basinLabelText, DEFAULT_BASIN_GRID, DEFAULT_BASIN_STEPS, defaultSlice, runBasins, type BasinResult, type BasinSlice } from '../core/dynamics/basins';
import { findCycles } from '../core/scyfi';
import { simulateDynamics } from '../core/dynamics/simulate';
import { printable, safeJson } from '../core/text';
import { runBasinsOnPool } from '../worker/host/basinsRunner';
import { basinsCsv } from '../shared/basinsCsv';
import { intFlag, parseArgs, type ParsedArgs } from './args';
import { formatNumber } from './format';
import { MODEL_FLAGS, modelOptions } from './inspect';
import { startLongJob } from './longJob';
import { DEFAULT_MAX_ORDER } from './find';

export const BASINS_USAGE =
  'scyfi basins <model> [--x i --y j] [--range a:b | --x-range a:b --y-range c:d] [--grid n | --grid nx,ny] [--at v1,v2,…] [--max-order K] [--steps N] [--seed S] [--jobs N] [--timeout SECONDS] [--json | --csv]';

function coordFlag(args: ParsedArgs, name: string, M: number): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^\s*z?(\d+)\s*$/i.exec(v) : null;
  const i = m ? Number(m[1]) : NaN;
  if (!(i >= 1 && i <= M)) throw new InputError(`--${name} must be a coordinate from 1 to ${M} (z1 … z${M}), got ${JSON.stringify(v)}`);
  return i - 1;
}

function rangeFlag(args: ParsedArgs, name: string): [number, number] | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^\s*([^:]+):([^:]+)\s*$/.exec(v) : null;
  const r: [number, number] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!r.every(Number.isFinite) || r[0] === r[1]) throw new InputError(`--${name} must be from:to with two different numbers, e.g. -2:2, got ${JSON.stringify(v)}`);
  return r;
}

function gridFlag(args: ParsedArgs): [number, number] | undefined {
  const v = args.flags.get('grid');
  if (v === undefined) return undefined;
  const m = typeof v === 'string' ? /^\s*(\d+)\s*(?:[,x×]\s*(\d+))?\s*$/.exec(v) : null;
  const nx = m ? Number(m[1]) : NaN;
  const ny = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(nx >= 2 && ny >= 2 && nx <= 4000 && ny <= 4000)) throw new InputError(`--grid must be n or nx,ny with 2 to 4000 values each, got ${JSON.stringify(v)}`);
  return [nx, ny];
}

function atFlag(args: ParsedArgs, M: number): number[] | undefined {
  const v = args.flags.get('at');
  if (v === undefined) return undefined;
  const xs = typeof v === 'string' ? v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s))) : [];
  if (xs.length !== M || !xs.every(Number.isFinite)) throw new InputError(`--at must be ${M} numbers separated by commas (the fixed coordinates), got ${JSON.stringify(v)}`);
  return xs;
}

const GLYPHS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function glyph(label: number): string {
  if (label === BASIN_OTHER) return 'o';
  if (label === BASIN_DIVERGES) return '.';
  if (label === BASIN_UNKNOWN) return ' ';
  return label < GLYPHS.length ? GLYPHS[label] : '*';
}

export function formatBasins(r: BasinResult, cycles: Parameters<typeof basinLabelText>[1], head: string): string {
  const zx = `z${r.x.coordinate + 1}`;
  const zy = `z${r.y.coordinate + 1}`;
  const lines = [head, `${zy} (rows, top = ${formatNumber(r.y.values[r.y.values.length - 1])}) against ${zx} (columns, left = ${formatNumber(r.x.values[0])} … right = ${formatNumber(r.x.values[r.x.values.length - 1])}); each cell: where its start goes`, ''];
  for (const row of [...r.rows].reverse()) lines.push('  ' + row.cells.map(glyph).join(''));
  lines.push('');
  // Cycles in order, then the other bounded set, divergence and stopped cells.
  const rank = (l: number) => (l >= 0 ? l : 1e9 - l);
  const labels = Object.keys(r.counts).map(Number).sort((a, b) => rank(a) - rank(b));
  for (const l of labels) lines.push(`  ${glyph(l) === ' ' ? '␠' : glyph(l)}  ${basinLabelText(l, cycles)}: ${r.counts[l]} cells`);
  lines.push('', `${r.rows.length * r.x.values.length} starts, up to ${r.maxSteps} steps each, in ${r.seconds.toFixed(2)} s${r.cancelled ? ' (stopped: incomplete)' : ''}`);
  return lines.join('\n');
}

/** `scyfi basins`. */
export async function basinsCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['x', 'y', 'range', 'x-range', 'y-range', 'grid', 'at', 'max-order', 'steps', 'seed', 'jobs', 'timeout', 'json', 'csv', ...MODEL_FLAGS], ['json', 'csv']);
  if (args.positional.length !== 1) throw new InputError(`basins needs exactly one model file: ${BASINS_USAGE}`);
  if (args.flags.has('json') && args.flags.has('csv')) throw new InputError('give --json or --csv, not both');
  const file = args.positional[0];
  const { model } = await loadModelFile(file, modelOptions(args));
  const M = model.map.M;
  if (M < 2) throw new InputError(`${file}: basins need a model of 2 or more coordinates; this one has M = ${M}`);
  const maxOrder = intFlag(args, 'max-order', 1, 1000) ?? DEFAULT_MAX_ORDER;
  const seed = intFlag(args, 'seed', 0, 2 ** 32 - 1);
  const cycles = findCycles(model.map, { maxOrder, ...(seed !== undefined ? { seed } : {}) }).cycles;
  const x = coordFlag(args, 'x', M) ?? 0;
  const y = coordFlag(args, 'y', M) ?? (x === 1 ? 0 : 1);
  const [nx, ny] = gridFlag(args) ?? [DEFAULT_BASIN_GRID, DEFAULT_BASIN_GRID];
  const both = rangeFlag(args, 'range');
  // Without a range the grid covers where trajectories settle too (an invariant circle around a focus).
  const settled = both || (args.flags.has('x-range') && args.flags.has('y-range')) ? [] : simulateDynamics(model.map, cycles, { maxOrder, seed, starts: 4 }).trajectories.flatMap((t) => t.tail);
  const d = defaultSlice(model.map, cycles, x, y, nx, settled);
  const slice: BasinSlice = { ...d, ny, xRange: rangeFlag(args, 'x-range') ?? both ?? d.xRange, yRange: rangeFlag(args, 'y-range') ?? both ?? d.yRange, base: atFlag(args, M) ?? d.base };
  const options = { maxOrder, maxSteps: intFlag(args, 'steps', 10, 10_000_000) ?? DEFAULT_BASIN_STEPS };
  const run = startLongJob(args);
  let done = 0;
  const onRow = () => progress?.(`row ${++done} of ${ny}`);
  let result: BasinResult;
  try {
    result = run.pool ? await runBasinsOnPool(run.pool, model, cycles, slice, options, { onRow, isCancelled: run.isCancelled }) : runBasins(model.map, cycles, slice, options, { onRow, isCancelled: run.isCancelled });
  } finally {
    await run.close();
  }
  const known = cycles.map((c) => ({ order: c.order, points: c.points, stable: c.stable, classification: c.classification }));
  if (args.flags.has('json')) {
    const labels = Object.fromEntries(Object.keys(result.counts).map((l) => [l, basinLabelText(Number(l), known)]));
    out(safeJson({ ...result, labels, cycles: known }));
  } else if (args.flags.has('csv')) {
    out(basinsCsv(result, known));
  } else {
    out(formatBasins(result, known, `${printable(file)}: ${model.spec.architecture}, M = ${M}; basins on z${x + 1} × z${y + 1}, ${nx}×${ny} starts${M > 2 ? `, other coordinates at (${slice.base.map(formatNumber).join(', ')})` : ''}; cycles of orders 1–${maxOrder}`));
  }
  return 0;
}
