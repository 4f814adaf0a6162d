// Sharded jobs from the command line: `--shards n --out DIR [--slurm …]` on sweep, sweep2d and
// run writes a shard plan (and submits it as a SLURM job array); `scyfi shard DIR k` computes
// shard k; `status`, `merge` and `resubmit` look at, join and re-submit the shards.
import { existsSync, promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { discoverRun } from '../core/run/discover';
import type { SweepStep } from '../core/sweep/types';
import type { GridRow } from '../core/sweep/grid';
import { gridPart, mergeGrid, mergeRun, mergeSweep, runChunks, runPart, sweepChunks, sweepPart } from '../core/shard/parts';
import {
  arraySpec,
  checkFiles,
  checkNewPlanFolder,
  checkSearchRevision,
  errorFileName,
  formatIndices,
  hashFiles,
  sideFiles,
  readPlan,
  readShards,
  shardFileName,
  splitUnits,
  writeAtomic,
  writePlan,
  SHARD_FILE_VERSION,
  type Part,
  type ShardCommand,
  type ShardPlan,
  type ShardResult,
} from '../core/shard/plan';
import { safeJson } from '../core/text';
import { intFlag, parseArgs, type ParsedArgs } from './args';
import { runArgs, runJson, runSetup } from './run';
import { checkSlurmOptions, checkSubmittableFolder, JOB_SCRIPT, jobScript, queueStates, readSubmissions, submit, taskCommand, type SlurmOptions } from './slurm';
import { sweep2dArgs, sweep2dSetup, sweepArgs, sweepSetup } from './sweep';

export const SHARD_USAGE = 'scyfi shard <folder> [index]   (index: SLURM_ARRAY_TASK_ID when left out)';
export const STATUS_USAGE = 'scyfi status <folder> [--json]';
export const MERGE_USAGE = 'scyfi merge <folder> [--json] [--no-write]   (writes <folder>/merged.json unless --no-write; exit 3 when shards are missing)';
export const RESUBMIT_USAGE = 'scyfi resubmit <folder>';
export const SHARDING_USAGE = '--shards n --out DIR [--slurm [--partition P] [--time T] [--mem M]]   (on sweep, sweep2d and run)';

export const MERGED_FILE = 'merged.json';
/** Exit code of a merge that lacks shards (it still writes what it has). */
export const EXIT_PARTIAL = 3;

const VALUE_FLAGS = ['shards', 'out', 'partition', 'time', 'mem'];
const SWITCHES = ['slurm'];
/** Options of the unsharded command that a shard does not use: it runs one thread, no cache, prints nothing. */
const DROPPED = new Set(['jobs', 'json', 'cache', 'no-cache']);

type Out = (s: string) => void;
type Command = (argv: string[], out: Out, progress?: Out) => Promise<number>;

/** Splits the sharding options off a command line. */
export function splitShardFlags(argv: string[]): { rest: string[]; flags: Map<string, string | true> } {
  const rest: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m && SWITCHES.includes(m[1])) {
      if (m[2] !== undefined) throw new InputError(`--${m[1]} takes no value`);
      flags.set(m[1], true);
    } else if (m && VALUE_FLAGS.includes(m[1])) {
      const v = m[2] ?? argv[++i];
      if (v === undefined) throw new InputError(`--${m[1]} needs a value`);
      flags.set(m[1], v);
    } else rest.push(a);
  }
  return { rest, flags };
}

/** `command` as it is, or its shard plan when the line has --shards (or another sharding option). */
export function withShards(name: ShardCommand, command: Command): Command {
  return async (argv, out, progress) => {
    const { rest, flags } = splitShardFlags(argv);
    if (flags.size === 0) return command(argv, out, progress);
    return planCommand(name, rest, flags, out);
  };
}

function argsOf(command: ShardCommand, argv: string[]): ParsedArgs {
  return command === 'sweep' ? sweepArgs(argv) : command === 'sweep2d' ? sweep2dArgs(argv) : runArgs(argv);
}

/** The command line a shard runs again: files absolute, the options it does not use left out. */
function planArgv(command: ShardCommand, args: ParsedArgs): string[] {
  const out = args.positional.map((p) => resolve(p));
  for (const [k, v] of args.flags) {
    if (DROPPED.has(k)) continue;
    if (k === 'timeout') throw new InputError('--timeout stops a search early, so its shards would not add up to the whole job; give a sharded job --time (SLURM) instead');
    out.push(v === true ? `--${k}` : `--${k}=${k === 'to-model' ? resolve(v) : v}`);
  }
  return command === 'run' ? [...out, '--no-cache'] : out;
}

/** Where this CLI's bundle is (the task commands run it). */
function cliPath(): string {
  if (process.env.SCYFI_CLI) return resolve(process.env.SCYFI_CLI);
  return basename(__filename) === 'cli.js' ? __filename : resolve(__dirname, '..', '..', 'dist', 'cli.js');
}

interface Prepared {
  options: Record<string, unknown>;
  seed: number;
  files: string[];
  unit: string;
  units: number;
  chunks?: Part[];
}

async function prepare(command: ShardCommand, argv: string[]): Promise<Prepared> {
  const args = argsOf(command, argv);
  if (command === 'sweep') {
    const s = await sweepSetup(args);
    const chunks = sweepChunks(s.options);
    return { options: { ...s.options }, seed: s.options.seed ?? 0, files: s.files, unit: 'chunk', units: chunks.length, chunks };
  }
  if (command === 'sweep2d') {
    const s = await sweep2dSetup(args);
    return { options: { ...s.options }, seed: s.options.seed ?? 0, files: s.files, unit: 'row', units: s.grid.y.n };
  }
  const { target, options } = runSetup(args);
  const found = await discoverRun(target);
  const files = [...found.checkpoints.map((c) => c.file), ...found.logs, ...(found.manifest ? [found.manifest] : []), ...(found.snapshots ? [found.snapshots] : [])];
  const chunks = await runChunks(target, options);
  return { options: { ...options, cacheDir: undefined }, seed: options.seed ?? 0, files, unit: 'chunk', units: chunks.length, chunks };
}

async function planCommand(command: ShardCommand, rest: string[], flags: Map<string, string | true>, out: Out): Promise<number> {
  const sf: ParsedArgs = { positional: [], flags };
  const shards = intFlag(sf, 'shards', 1, 100_000);
  if (shards === undefined) throw new InputError(`--shards n is missing: ${SHARDING_USAGE}`);
  const outFlag = flags.get('out');
  if (typeof outFlag !== 'string') throw new InputError(`--out DIR is missing (the folder of the shard plan): ${SHARDING_USAGE}`);
  const folder = resolve(outFlag);
  const slurm: SlurmOptions = { partition: flags.get('partition') as string | undefined, time: flags.get('time') as string | undefined, mem: flags.get('mem') as string | undefined };
  checkSlurmOptions(slurm);
  if (flags.has('slurm')) checkSubmittableFolder(folder);
  await checkNewPlanFolder(folder);
  const argv = planArgv(command, argsOf(command, rest));
  const p = await prepare(command, argv);
  const parts = splitUnits(p.units, shards);
  const node = process.execPath;
  const cli = cliPath();
  const files = await hashFiles(folder, [...p.files, ...p.files.flatMap(sideFiles)]);
  const plan = await writePlan(folder, {
    command,
    argv,
    options: p.options,
    seed: p.seed,
    files,
    unit: p.unit,
    units: p.units,
    ...(p.chunks ? { chunks: p.chunks } : {}),
    shards,
    parts,
    tasks: parts.map((_, k) => taskCommand(node, cli, folder, k)),
  });
  await fs.mkdir(join(folder, 'logs'), { recursive: true });
  await writeAtomic(join(folder, JOB_SCRIPT), jobScript(plan, folder, node, cli, slurm));
  await fs.chmod(join(folder, JOB_SCRIPT), 0o755);
  await writeAtomic(join(folder, 'tasks.txt'), plan.tasks.join('\n') + '\n');
  out(`${join(folder, 'plan.json')}: ${command} in ${shards} shard${shards === 1 ? '' : 's'} of ${p.units} ${p.unit}s (plan ${plan.id})`);
  if (flags.has('slurm')) {
    const s = await submit(folder, parts.map((_, k) => k), `0-${shards - 1}`);
    out(`submitted SLURM job ${s.job} (array 0-${shards - 1}); see scyfi status ${folder}`);
  } else out(`run the ${shards} tasks of ${join(folder, 'tasks.txt')} (or sbatch --array=0-${shards - 1} ${join(folder, JOB_SCRIPT)}), then scyfi merge ${folder}`);
  return 0;
}

/** The command line of the plan with its files where they are now (the plan's folder may have moved). */
function argvHere(plan: ShardPlan, where: Map<string, string>): string[] {
  return plan.argv.map((a) => {
    const m = /^(--to-model=)(.*)$/.exec(a);
    if (m) return m[1] + (where.get(m[2]) ?? m[2]);
    return where.get(a) ?? a;
  });
}

/** A run's target (a folder or manifest) is not a hashed file: when it has moved, it moved with its files. */
function runTarget(plan: ShardPlan, argv: string[], where: Map<string, string>): string[] {
  const target = argv[0];
  if (existsSync(target)) return argv;
  for (const f of plan.files) {
    const now = where.get(f.path);
    if (!now || !f.path.startsWith(target)) continue;
    const suffix = f.path.slice(target.length);
    if (now.endsWith(suffix)) return [now.slice(0, now.length - suffix.length), ...argv.slice(1)];
  }
  return argv;
}

async function computeShard(plan: ShardPlan, folder: string, index: number): Promise<Pick<ShardResult, 'steps' | 'rows'>> {
  const where = await checkFiles(folder, plan);
  const argv = argvHere(plan, where);
  const part = plan.parts[index];
  if (plan.command === 'sweep') {
    const s = await sweepSetup(sweepArgs(argv));
    return { steps: sweepPart(s.path, s.options, plan.chunks!, part) };
  }
  if (plan.command === 'sweep2d') {
    const s = await sweep2dSetup(sweep2dArgs(argv));
    return { rows: gridPart(s.grid, s.options, part) };
  }
  const r = runSetup(runArgs(runTarget(plan, argv, where)));
  return { steps: await runPart(r.target, r.options, plan.chunks!, part) };
}

/** "rows 3–5", or "chunks 2–3 (steps 32–63)". */
export function describePart(plan: ShardPlan, k: number): string {
  const [a, b] = plan.parts[k];
  const units = a === b ? `${plan.unit} ${a}` : `${plan.unit}s ${a}–${b}`;
  if (!plan.chunks) return units;
  const noun = plan.command === 'run' ? 'checkpoints' : 'steps';
  return `${units} (${noun} ${plan.chunks[a][0]}–${plan.chunks[b][1]})`;
}

/** `scyfi shard <folder> [index]`. */
export async function shardCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, [], []);
  if (args.positional.length < 1 || args.positional.length > 2) throw new InputError(`shard needs a plan's folder and a shard index: ${SHARD_USAGE}`);
  const folder = resolve(args.positional[0]);
  const plan = await readPlan(folder);
  checkSearchRevision(folder, plan);
  const raw = args.positional[1] ?? process.env.SLURM_ARRAY_TASK_ID;
  if (raw === undefined) throw new InputError(`shard needs an index (0 to ${plan.shards - 1}), or SLURM_ARRAY_TASK_ID set: ${SHARD_USAGE}`);
  const index = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(index >= 0 && index < plan.shards)) throw new InputError(`${join(folder, 'plan.json')}: has shards 0 to ${plan.shards - 1}, not ${JSON.stringify(raw)}`);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const errorFile = join(folder, errorFileName(index));
  let part: Pick<ShardResult, 'steps' | 'rows'>;
  try {
    part = await computeShard(plan, folder, index);
  } catch (e) {
    await writeAtomic(errorFile, `${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`).catch(() => undefined);
    throw e;
  }
  const result: ShardResult = {
    scyfiShard: SHARD_FILE_VERSION,
    plan: plan.id,
    index,
    part: plan.parts[index],
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (() => {
      const u = process.cpuUsage(cpu);
      return (u.user + u.system) / 1e6;
    })(),
    host: hostname(),
    finished: new Date().toISOString(),
    ...part,
  };
  const file = join(folder, shardFileName(index));
  await writeAtomic(file, safeJson(result));
  await fs.rm(errorFile, { force: true });
  out(`${file}: shard ${index} of ${plan.shards} (${describePart(plan, index)}) in ${result.seconds.toFixed(2)} s`);
  return 0;
}

export interface ShardStatus {
  plan: string;
  command: ShardCommand;
  shards: number;
  done: number[];
  running: number[];
  pending: number[];
  failed: { index: number; reason: string }[];
  /** Submitted, not in the queue, no result: killed, timed out or lost. */
  missing: number[];
  /** Never submitted, no result. */
  notRun: number[];
  notes: string[];
}

export async function shardStatus(folder: string): Promise<{ plan: ShardPlan; status: ShardStatus; shards: Awaited<ReturnType<typeof readShards>> }> {
  const plan = await readPlan(folder);
  const shards = await readShards(folder, plan);
  const subs = await readSubmissions(folder);
  const latest = new Map<number, string>();
  for (const s of subs) for (const i of s.indices) latest.set(i, s.job);
  const q = queueStates([...new Set(latest.values())]);
  const status: ShardStatus = { plan: plan.id, command: plan.command, shards: plan.shards, done: [], running: [], pending: [], failed: [], missing: [], notRun: [], notes: [] };
  for (let k = 0; k < plan.shards; k++) {
    if (shards.done.has(k)) {
      status.done.push(k);
      continue;
    }
    const job = latest.get(k);
    const st = job ? q.states.get(`${job}_${k}`) : undefined;
    if (st?.source === 'squeue' && /RUNNING|COMPLETING|CONFIGURING/.test(st.state)) status.running.push(k);
    else if (st?.source === 'squeue' && /PENDING|REQUEUED|RESIZING|SUSPENDED/.test(st.state)) status.pending.push(k);
    else if (shards.failed.has(k)) status.failed.push({ index: k, reason: shards.failed.get(k)! });
    else if (st && st.source === 'sacct' && !/COMPLETED/.test(st.state)) status.failed.push({ index: k, reason: `SLURM job ${job}_${k} ${st.state}` });
    else if (job) status.missing.push(k);
    else status.notRun.push(k);
  }
  if (q.note && (status.missing.length || !q.available)) status.notes.push(q.note);
  return { plan, status, shards };
}

function formatStatus(folder: string, p: ShardPlan, s: ShardStatus): string {
  const part = (name: string, xs: number[]) => (xs.length ? [`${name} ${xs.length} (${formatIndices(xs)})`] : []);
  const lines = [
    `${folder}: ${p.command} in ${p.shards} shards (plan ${p.id})`,
    [...part('done', s.done), ...part('running', s.running), ...part('pending', s.pending), ...part('failed', s.failed.map((f) => f.index)), ...part('missing', s.missing), ...part('not run', s.notRun)].join(', '),
  ];
  for (const f of s.failed) lines.push(`  shard ${f.index}: ${f.reason}`);
  if (s.missing.length) lines.push(`  missing: submitted, no longer queued and no result (cancelled, timed out or killed); scyfi resubmit ${folder}`);
  for (const n of s.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

function folderArg(argv: string[], usage: string, switches: string[] = []): { folder: string; args: ParsedArgs } {
  const args = parseArgs(argv, switches, switches);
  if (args.positional.length !== 1) throw new InputError(`needs exactly one shard plan's folder: ${usage}`);
  return { folder: resolve(args.positional[0]), args };
}

/** `scyfi status <folder>`. */
export async function statusCommand(argv: string[], out: Out): Promise<number> {
  const { folder, args } = folderArg(argv, STATUS_USAGE, ['json']);
  const { plan, status } = await shardStatus(folder);
  out(args.flags.has('json') ? JSON.stringify(status) : formatStatus(folder, plan, status));
  return 0;
}

/** The merged result (the unsharded command's --json object) of the shards there are; `missing` lists the others. */
export async function mergeFolder(folder: string): Promise<{ plan: ShardPlan; json: string; missing: number[] }> {
  const plan = await readPlan(folder);
  const { done } = await readShards(folder, plan);
  const where = await checkFiles(folder, plan);
  const argv = argvHere(plan, where);
  const results = [...done.values()].sort((a, b) => a.index - b.index);
  const seconds = results.reduce((a, r) => a + r.seconds, 0);
  const missing = plan.parts.map((_, k) => k).filter((k) => !done.has(k));
  let json: string;
  if (plan.command === 'sweep') {
    const s = await sweepSetup(sweepArgs(argv));
    json = JSON.stringify(mergeSweep(s.path, s.options, results.flatMap((r) => (r.steps ?? []) as SweepStep[]), seconds));
  } else if (plan.command === 'sweep2d') {
    const s = await sweep2dSetup(sweep2dArgs(argv));
    json = JSON.stringify(mergeGrid(s.grid, results.flatMap((r) => (r.rows ?? []) as GridRow[]), seconds));
  } else {
    const r = runSetup(runArgs(runTarget(plan, argv, where)));
    json = safeJson(runJson(await mergeRun(r.target, r.options, plan.chunks!, results.flatMap((x) => (x.steps ?? []) as SweepStep[]), seconds)));
  }
  return { plan, json, missing };
}

/** `scyfi merge <folder>`. */
export async function mergeCommand(argv: string[], out: Out): Promise<number> {
  const { folder, args } = folderArg(argv, MERGE_USAGE, ['json', 'no-write']);
  const { plan, json, missing } = await mergeFolder(folder);
  const file = join(folder, MERGED_FILE);
  if (!args.flags.has('no-write')) await writeAtomic(file, json + '\n');
  const what = missing.length ? `partial: shards ${formatIndices(missing)} of ${plan.shards} missing (${missing.map((k) => describePart(plan, k)).join('; ')}); their steps are absent and the result is marked cancelled` : `all ${plan.shards} shards`;
  if (args.flags.has('json')) {
    out(json);
    if (missing.length) process.stderr.write(`scyfi: ${file}: ${what}\n`);
  } else out(`${file}: ${plan.command}, ${what}`);
  return missing.length ? EXIT_PARTIAL : 0;
}

/** `scyfi resubmit <folder>`: the shards that are neither done nor queued, as a new array job. */
export async function resubmitCommand(argv: string[], out: Out): Promise<number> {
  const { folder } = folderArg(argv, RESUBMIT_USAGE);
  const { plan, status } = await shardStatus(folder);
  checkSearchRevision(folder, plan);
  await checkFiles(folder, plan);
  const again = [...status.failed.map((f) => f.index), ...status.missing, ...status.notRun].sort((a, b) => a - b);
  if (again.length === 0) {
    out(`${folder}: nothing to re-submit (${status.done.length} done, ${status.running.length + status.pending.length} queued)`);
    return 0;
  }
  checkSubmittableFolder(folder);
  for (const k of again) await fs.rm(join(folder, errorFileName(k)), { force: true });
  const s = await submit(folder, again, arraySpec(again));
  out(`submitted SLURM job ${s.job} for shards ${formatIndices(again)} of ${plan.shards}`);
  return 0;
}
