import { loadModelFile } from '../core/io/load';
import { findCycles } from '../core/scyfi';
import { InputError } from '../core/errors';
import { intFlag, parseArgs } from './args';
import { formatResult } from './format';
import { modelOptions } from './inspect';
import { printable, safeJson } from '../core/text';

/** Orders searched when --max-order is not given. */
export const DEFAULT_MAX_ORDER = 10;
const LIMIT = 1_000_000_000;

export const FIND_USAGE = 'scyfi find <model> [--max-order K] [--outer N] [--inner N] [--seed S] [--timeout SECONDS] [--json] [--architecture A] [--P n]';

/**
 * `progress`, when given, is told the order being searched and the count found so far (the CLI
 * passes it when stderr is a terminal: a long search is not silent).
 */
export async function findCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['max-order', 'outer', 'inner', 'seed', 'timeout', 'json', 'architecture', 'P'], ['json']);
  if (args.positional.length !== 1) throw new InputError(`find needs exactly one model file: ${FIND_USAGE}`);
  const file = args.positional[0];
  const options = {
    maxOrder: intFlag(args, 'max-order', 1, 1000) ?? DEFAULT_MAX_ORDER,
    outerLoop: intFlag(args, 'outer', 1, LIMIT),
    innerLoop: intFlag(args, 'inner', 1, LIMIT),
    // Left out, the engine's DEFAULT_SEED, which scyfi.seed defaults to as well.
    seed: intFlag(args, 'seed', 0, 2 ** 32 - 1),
  };
  const timeout = intFlag(args, 'timeout', 1, LIMIT);
  const { model } = await loadModelFile(file, modelOptions(args));
  // The search is synchronous: a time limit is the way to bound a run and still get its results.
  const deadline = timeout === undefined ? Infinity : performance.now() + timeout * 1000;
  let found = 0;
  const result = findCycles(model.map, options, {
    isCancelled: () => performance.now() > deadline,
    onOrder: progress && ((order, maxOrder) => progress(`order ${order} of ${maxOrder} · ${found} found`)),
    onCycle: () => {
      found++;
    },
  });
  const modelInfo = { architecture: model.spec.architecture, M: model.map.M, H: model.map.H };
  if (args.flags.has('json')) {
    const { candidates, seconds } = result.stats;
    // "cancelled" only when the --timeout stopped the search: the usual output keeps its shape.
    out(safeJson({ model: modelInfo, cycles: result.cycles, stats: { candidates, seconds }, ...(result.cancelled ? { cancelled: true } : {}) }));
  } else {
    out(formatResult(result, `${printable(file)}: ${modelInfo.architecture}, M = ${modelInfo.M}, H = ${modelInfo.H}, orders 1–${options.maxOrder}`, options.maxOrder));
    if (result.cancelled) out(`stopped by --timeout ${timeout} s: the orders not searched to the end may hold more`);
  }
  return 0;
}
