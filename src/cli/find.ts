import { loadModelFile } from '../core/io/load';
import { InputError } from '../core/errors';
import { intFlag, parseArgs } from './args';
import { formatResult } from './format';
import { MODEL_FLAGS, modelOptions } from './inspect';
import { printable, safeJson } from '../core/text';
import { searchInWorker } from './searchInWorker';
import { formatDuration, OrderClock } from '../core/scyfi/estimate';
import { checkCertifyOptions, DEFAULT_CERTIFY_ORDERS_CAP, DEFAULT_CERTIFY_SECONDS } from '../core/certify/certify';
import { certificateSummary, searchClaim } from '../core/certify/summary';
import type { CertifyOptions } from '../core/certify/types';
import { formatNumber } from './format';
import { attractorsJson } from '../core/dynamics/report';

/** Orders searched when --max-order is not given. */
export const DEFAULT_MAX_ORDER = 10;
const LIMIT = 1_000_000_000;

export const FIND_USAGE =
  'scyfi find <model> [--max-order K] [--outer N] [--inner N] [--seed S] [--jobs N] [--timeout SECONDS] [--json] [--progress] [--no-simulate] [--architecture A] [--P n] [--model N] [--certify [--bound R] [--certify-orders K] [--certify-timeout SECONDS]]';

const CERTIFY_FLAGS = ['bound', 'certify-orders', 'certify-timeout'] as const;

/** A positive finite number flag, or undefined when absent. */
function positiveFlag(args: ReturnType<typeof parseArgs>, name: string): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\s*[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v) ? Number(v) : NaN;
  if (!(n > 0 && Number.isFinite(n))) throw new InputError(`--${name} must be a positive number, got ${JSON.stringify(v)}`);
  return n;
}

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
  const args = parseArgs(argv, ['max-order', 'outer', 'inner', 'seed', 'jobs', 'timeout', 'json', 'progress', 'certify', 'no-simulate', ...CERTIFY_FLAGS, ...MODEL_FLAGS], ['json', 'progress', 'certify', 'no-simulate']);
  if (args.positional.length !== 1) throw new InputError(`find needs exactly one model file: ${FIND_USAGE}`);
  const file = args.positional[0];
  const flags = {
    maxOrder: intFlag(args, 'max-order', 1, 1000),
    outerLoop: intFlag(args, 'outer', 1, LIMIT),
    innerLoop: intFlag(args, 'inner', 1, LIMIT),
    // Left out, the engine's DEFAULT_SEED, which scyfi.seed defaults to as well.
    seed: intFlag(args, 'seed', 0, 2 ** 32 - 1),
  };
  const timeout = intFlag(args, 'timeout', 1, LIMIT);
  // Threads of the one search (its own included): the result is the same for any number.
  const threads = intFlag(args, 'jobs', 1, 1024);
  const report = progress ?? (args.flags.has('progress') ? (s: string) => process.stderr.write(`${s}\n`) : undefined);
  const { model, notes } = await loadModelFile(file, modelOptions(args));
  // A flag wins over the model file's "scyfi" block, which wins over the defaults.
  const options = { ...flags, maxOrder: flags.maxOrder ?? model.search?.maxOrder ?? DEFAULT_MAX_ORDER };
  for (const k of ['outerLoop', 'innerLoop', 'seed'] as const) if (options[k] === undefined) options[k] = model.search?.[k];
  const certify = certifyOptions(args, options.maxOrder, options.seed);
  let found = 0;
  // With the progress (a terminal, or --progress): how long the remaining orders will take, when that is long.
  const clock = new OrderClock(options.maxOrder);
  const onOrder = (order: number, maxOrder: number) => {
    clock.start(order);
    report?.(`order ${order} of ${maxOrder} · ${found} found`);
    const rest = clock.remaining();
    if (report && rest) {
      report(`${formatDuration(rest.seconds)} for orders ${rest.from}–${rest.to} at this size (order ${rest.from - 1} took ${rest.lastOrderSeconds.toFixed(1)} s)${timeout === undefined ? '; --timeout stops it and prints what was found' : ''}`);
    }
  };
  const run = searchInWorker(
    model.spec,
    file,
    options,
    {
      onOrder,
      onCertifyOrder: report && ((order, orders) => report(`certifying order ${order} of ${orders} · ${found} found`)),
      onCycle: () => {
        found++;
      },
    },
    certify,
    !args.flags.has('no-simulate'),
    threads,
  );
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
  const certified = result.certified;
  if (certified && stoppedBy === 'timeout') {
    // --timeout stopped the certification: to the user that is a time limit, not an interrupt.
    for (const o of certified.certificate.orders) if (o.status === 'interrupted') o.status = 'timeout';
  }
  const budget = stoppedBy === 'timeout' ? timeout! : (certify?.seconds ?? DEFAULT_CERTIFY_SECONDS);
  const summary = certified && certificateSummary(certified.certificate, budget);
  if (args.flags.has('json')) {
    const { candidates, seconds } = result.stats;
    // The orders whose every region sequence was solved: complete without a certificate (searchClaim).
    const enumerated = (result.stats.orders ?? []).filter((o) => o.enumerated).map((o) => o.order);
    const cycles = certified ? certified.cycles : result.cycles;
    const certificate = certified && { ...certified.certificate, summary };
    // "cancelled" only when --timeout or a signal stopped the search: the usual output keeps its shape.
    const attractors = attractorsJson(result.dynamics);
    out(safeJson({ model: modelInfo, ...(notes.length ? { notes } : {}), cycles, stats: { candidates, seconds, enumerated }, ...(certificate ? { certificate } : {}), ...attractors, ...(result.cancelled ? { cancelled: true } : {}) }));
  } else {
    const head = [`${printable(file)}: ${modelInfo.architecture}, M = ${modelInfo.M}, H = ${modelInfo.H}, orders 1–${options.maxOrder}`, ...notes.map((n) => `note: ${printable(n)}`)];
    out(formatResult(certified ? { ...result, cycles: certified.cycles } : result, head.join('\n'), options.maxOrder));
    if (certified) {
      const c = certified.certificate;
      const mark = (pick: (i: number) => boolean) => certified.cycles.map((_, i) => i).filter(pick).map((i) => `#${i + 1}`).join(', ');
      const added = mark((i) => certified.cycles[i].foundBy === 'certify');
      const outside = mark((i) => !certified.cycles[i].withinBound);
      out(`certificate: ${summary}`);
      out(`  R = ${formatNumber(c.bound)} (${c.boundSource}: ${c.boundDetail}); ${c.solver}`);
      for (const o of c.orders.filter((x) => x.status !== 'heuristic')) out(`  order ${o.order}: ${o.status}, ${o.seconds.toFixed(2)} s, ${o.solves} MILP solves, ${o.nodes} nodes${o.added ? `, ${o.added} added` : ''}`);
      if (added) out(`  found by the certification (the search had missed them): ${added}`);
      if (outside) out(`  outside the box (listed, not covered by the claim): ${outside}`);
      for (const d of c.degenerate) out(`  degenerate (${d.reason}) order ${d.order}: regions ${d.regions.join(' ')}, e.g. z1 = (${d.points[0].map(formatNumber).join(', ')})`);
    }
    if (!certified && !result.cancelled) out(searchClaim(options.maxOrder, result.stats.orders, '--certify').text);
    if (result.dynamics?.sentence) out(result.dynamics.sentence);
    if (stoppedBy === 'timeout') out(`stopped by --timeout ${timeout} s: the orders not searched to the end may hold more`);
    else if (stoppedBy) out(`interrupted by ${stoppedBy}: the orders not searched to the end may hold more`);
  }
  return stoppedBy === 'SIGINT' || stoppedBy === 'SIGTERM' ? SIGNAL_EXIT[stoppedBy] : 0;
}

/** The certification's options from --certify, --bound, --certify-orders and --certify-timeout; undefined without --certify. */
function certifyOptions(args: ReturnType<typeof parseArgs>, maxOrder: number, seed: number | undefined): CertifyOptions | undefined {
  if (!args.flags.has('certify')) {
    const stray = CERTIFY_FLAGS.find((f) => args.flags.has(f));
    if (stray) throw new InputError(`--${stray} needs --certify`);
    return undefined;
  }
  const orders = intFlag(args, 'certify-orders', 1, 1000) ?? Math.min(maxOrder, DEFAULT_CERTIFY_ORDERS_CAP);
  if (orders > maxOrder) throw new InputError(`--certify-orders (${orders}) cannot exceed --max-order (${maxOrder})`);
  const options: CertifyOptions = { orders, maxOrder, bound: positiveFlag(args, 'bound'), seconds: positiveFlag(args, 'certify-timeout') ?? DEFAULT_CERTIFY_SECONDS, ...(seed !== undefined ? { seed } : {}) };
  checkCertifyOptions(options);
  return options;
}
