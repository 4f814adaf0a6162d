// `scyfi run <folder|manifest>`: which bifurcation came before each loss jump of a training run.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { analyzeRun, type RunAnalysis } from '../core/run/analyze';
import { DEFAULT_JUMP_THRESHOLD } from '../core/run/loss';
import { printable, safeJson } from '../core/text';
import { runReport } from '../core/run/report';
import type { RunReport } from '../core/run/reportTypes';
import { poolSweepRunner } from '../worker/host/sweepRunner';
import { intFlag, parseArgs, textFlag } from './args';
import { formatNumber } from './format';
import { MODEL_FLAGS, modelOptions, table } from './inspect';
import { startLongJob } from './longJob';

export const RUN_USAGE = 'scyfi run <folder|scyfi-run.json|file of snapshots> [--max-order K] [--seed S] [--jobs N] [--threshold Z] [--min-change F] [--window W] [--loss NAME] [--cache DIR | --no-cache] [--timeout SECONDS] [--json]';
const DEFAULT_RUN_MAX_ORDER = 4;

/** Where results are cached unless --cache or --no-cache says otherwise. */
export function defaultCacheDir(): string {
  return process.env.SCYFI_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'scyfi', 'runs');
}

function numberOption(v: string | true | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min) throw new InputError(`--${name} must be a number of at least ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** What --json prints (the run panel's job ends with the same). */
export function runJson(r: RunAnalysis): RunReport {
  return runReport(r);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatRun(r: RunAnalysis, target: string): string {
  const u = r.unit;
  const lines = [
    `${printable(target)}: ${r.checkpoints.length} ${r.unit === 'snapshot' ? 'models' : 'checkpoints'} from ${u} ${r.checkpoints[0].x} to ${r.checkpoints[r.checkpoints.length - 1].x}${r.skipped.length ? `, ${count(r.skipped.length, 'file')} skipped` : ''}; ${count(r.sweep.branches.length, 'branch', 'branches')}, ${count(r.events.length, 'event')}, ${count(r.lossJumps.length, 'loss jump')}${r.cancelled ? ' (cancelled: incomplete)' : ''}`,
  ];
  if (r.alignment) lines.push(r.alignment.sentence);
  for (const n of r.notes) lines.push(`note: ${printable(n)}`);
  if (r.lossJumps.length) {
    lines.push('', 'loss jumps:');
    lines.push(...table([[u, 'factor', 'after events', ''], ...r.lossJumps.map((j, k) => [j.until > j.x ? `${formatNumber(j.x)}–${formatNumber(j.until)}` : formatNumber(j.x), `×${formatNumber(Math.exp(j.size))}`, (r.alignment?.perJump[k].events ?? []).map((i) => `#${i + 1}`).join(' ') || '–', ''])]));
  }
  if (r.events.length) {
    lines.push('', 'events:');
    lines.push(...table([['#', u, 'kind', 'jump after', ''], ...r.events.map((e, i) => [`#${i + 1}`, formatNumber(e.x), e.kind + (e.outcome ? ` (${e.outcome})` : ''), r.alignment?.followedBy[i] !== undefined ? formatNumber(r.lossJumps[r.alignment.followedBy[i]!].x) : '–', e.detail])]));
  }
  if (r.skipped.length) {
    lines.push('', 'skipped:');
    // Many files passed over for one reason (an optimizer beside every checkpoint) make one line.
    const byReason = new Map<string, string[]>();
    for (const s of r.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.file]);
    for (const [reason, files] of byReason) {
      if (files.length > 3) lines.push(`  ${files.length} files (${printable(files[0])}, …): ${printable(reason)}`);
      else for (const f of files) lines.push(`  ${printable(f)}: ${printable(reason)}`);
    }
  }
  const s = r.stats;
  lines.push('', `${r.sweep.stats.candidates} candidates; ${s.searched} checkpoints searched, ${s.cached} from the cache; ${s.seconds.toFixed(2)} s`);
  return lines.join('\n');
}

export async function runCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['max-order', 'outer', 'inner', 'seed', 'jobs', 'threshold', 'min-change', 'window', 'loss', 'cache', 'no-cache', 'timeout', 'json', 'chunk-size', ...MODEL_FLAGS], ['json', 'no-cache']);
  if (args.positional.length !== 1) throw new InputError(`run needs exactly one folder or manifest: ${RUN_USAGE}`);
  const target = args.positional[0];
  const job = startLongJob(args);
  const isCancelled = job.isCancelled;
  const cacheFlag = args.flags.get('cache');
  let result: RunAnalysis;
  try {
    result = await analyzeRun(
      target,
      {
        maxOrder: intFlag(args, 'max-order', 1, 1000) ?? DEFAULT_RUN_MAX_ORDER,
        seed: intFlag(args, 'seed', 0, 2 ** 32 - 1) ?? 0,
        outerLoop: intFlag(args, 'outer', 1, 1_000_000_000),
        innerLoop: intFlag(args, 'inner', 1, 1_000_000_000),
        chunkSize: intFlag(args, 'chunk-size', 1, 1_000_000_000),
        load: modelOptions(args),
        jumps: { threshold: numberOption(args.flags.get('threshold'), 'threshold', 0) ?? DEFAULT_JUMP_THRESHOLD, minRangeFraction: numberOption(args.flags.get('min-change'), 'min-change', 0) },
        window: numberOption(args.flags.get('window'), 'window', 0),
        loss: textFlag(args, 'loss'),
        cacheDir: args.flags.has('no-cache') ? undefined : typeof cacheFlag === 'string' ? cacheFlag : defaultCacheDir(),
      },
      {
        isCancelled,
        onCheckpoint: progress && ((i, n) => progress(`reading checkpoint ${i} of ${n}`)),
        onStep: progress && ((s) => progress(`searched checkpoint ${s.index + 1}`)),
        runner: job.pool ? (path, options) => poolSweepRunner(job.pool!, path, options, { isCancelled, onStep: progress && ((s) => progress(`searched checkpoint ${s.index + 1}`)) }) : undefined,
      },
    );
  } finally {
    await job.close();
  }
  out(args.flags.has('json') ? safeJson(runJson(result)) : formatRun(result, target));
  return 0;
}
