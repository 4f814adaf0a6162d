import { loadModelFile } from '../core/io/load';
import { InputError } from '../core/errors';
import { intFlag, parseArgs } from './args';
import { formatResult } from './format';
import { MODEL_FLAGS, modelOptions } from './inspect';
import { printable, safeJson } from '../core/text';
import { searchInWorker } from './searchInWorker';

/** Orders searched when --max-order is not given. */
export const DEFAULT_MAX_ORDER = 10;
const LIMIT = 1_000_000_000;

export const FIND_USAGE = 'scyfi find <model> [--max-order K] [--outer N] [--inner N] [--seed S] [--timeout SECONDS] [--json] [--progress] [--architecture A] [--P n] [--model N]';

/** Exit codes after a search that a signal stopped and that printed what it found (128 + the signal's number). */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `progress`, when given, is told the order being searched and the count found so far (the CLI
 * passes it when stderr is a terminal: a long search is not silent; --progress writes it to
 * stderr as lines otherwise).
 *
 * The search runs in a worker thread (searchInWorker.ts), so SIGINT (Ctrl-C) and SIGTERM can stop
 * it while it computes: it then prints what it found, as --timeout does, and returns 130 or 143.
 * A second signal ends the process at once.
 */
export async function findCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['max-order', 'outer', 'inner', 'seed', 'timeout', 'json', 'progress', ...MODEL_FLAGS], ['json', 'progress']);
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
  const report = progress ?? (args.flags.has('progress') ? (s: string) => process.stderr.write(`${s}\n`) : undefined);
  const { model, notes } = await loadModelFile(file, modelOptions(args));
  let found = 0;
  const run = searchInWorker(model.spec, file, options, {
    onOrder: report && ((order, maxOrder) => report(`order ${order} of ${maxOrder} · ${found} found`)),
    onCycle: () => {
      found++;
    },
  });
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (run.stoppedBy === 'SIGINT' || run.stoppedBy === 'SIGTERM') {
      process.stderr.write(`\nscyfi: ${signal} again: stopped without printing the results\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    run.stop(signal);
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const timer = timeout === undefined ? undefined : setTimeout(() => run.stop('timeout'), timeout * 1000);
  let result;
  try {
    result = await run.result;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  const stoppedBy = result.cancelled ? run.stoppedBy : undefined;
  const modelInfo = { architecture: model.spec.architecture, M: model.map.M, H: model.map.H };
  if (args.flags.has('json')) {
    const { candidates, seconds } = result.stats;
    // "cancelled" only when --timeout or a signal stopped the search: the usual output keeps its shape.
    out(safeJson({ model: modelInfo, ...(notes.length ? { notes } : {}), cycles: result.cycles, stats: { candidates, seconds }, ...(result.cancelled ? { cancelled: true } : {}) }));
  } else {
    const head = [`${printable(file)}: ${modelInfo.architecture}, M = ${modelInfo.M}, H = ${modelInfo.H}, orders 1–${options.maxOrder}`, ...notes.map((n) => `note: ${printable(n)}`)];
    out(formatResult(result, head.join('\n'), options.maxOrder));
    if (stoppedBy === 'timeout') out(`stopped by --timeout ${timeout} s: the orders not searched to the end may hold more`);
    else if (stoppedBy) out(`interrupted by ${stoppedBy}: the orders not searched to the end may hold more`);
  }
  return stoppedBy === 'SIGINT' || stoppedBy === 'SIGTERM' ? SIGNAL_EXIT[stoppedBy] : 0;
}
