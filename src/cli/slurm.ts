// SLURM's own tools, as the CLI uses them: the job script of a shard plan (one array task per
// shard), sbatch to submit it, squeue and (where accounting is on) sacct to ask how its tasks are.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { writeAtomic, type ShardPlan } from '../core/shard/plan';

export const JOB_SCRIPT = 'job.sh';
export const JOBS_FILE = 'jobs.json';

export interface SlurmOptions {
  partition?: string;
  time?: string;
  mem?: string;
}

/** The submissions made for a plan, newest last. */
export interface Submission {
  job: string;
  indices: number[];
  submitted: string;
}

const SAFE_PATH = /^[\w./+@%=,-]+$/;

export function checkSlurmOptions(o: SlurmOptions): void {
  if (o.partition !== undefined && !/^[\w.,-]+$/.test(o.partition)) throw new InputError(`--partition must be a partition name such as gpu or short, got ${JSON.stringify(o.partition)}`);
  if (o.time !== undefined && !/^(\d+-)?\d+(:\d+){0,2}$/.test(o.time)) throw new InputError(`--time must be minutes or [days-]hours:minutes:seconds such as 00:30:00, got ${JSON.stringify(o.time)}`);
  if (o.mem !== undefined && !/^\d+[KMGT]?$/i.test(o.mem)) throw new InputError(`--mem must be a size such as 2G or 500M, got ${JSON.stringify(o.mem)}`);
}

function shellQuote(s: string): string {
  return SAFE_PATH.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function taskCommand(node: string, cli: string, folder: string, index: number | string): string {
  return `${shellQuote(node)} ${shellQuote(cli)} shard ${shellQuote(folder)} ${index}`;
}

/** The job script: SLURM directives, then the one command of the task SLURM_ARRAY_TASK_ID. */
export function jobScript(plan: Pick<ShardPlan, 'command' | 'shards' | 'id'>, folder: string, node: string, cli: string, o: SlurmOptions): string {
  const lines = [
    '#!/bin/bash',
    `# scyfi shard plan ${plan.id}: ${plan.command} in ${plan.shards} shards, one array task each.`,
    `# Submit: sbatch --array=0-${plan.shards - 1} ${JOB_SCRIPT}   (scyfi ${plan.command} --slurm does; scyfi resubmit ${folder} re-submits the missing ones)`,
    '# Without SLURM, run every task k = 0 … shards−1 by hand or with another scheduler:',
    `#   ${taskCommand(node, cli, folder, 'k')}`,
    `#SBATCH --job-name=scyfi-${plan.command}`,
    `#SBATCH --chdir=${folder}`,
    '#SBATCH --output=logs/shard-%a.out',
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.time) lines.push(`#SBATCH --time=${o.time}`);
  if (o.mem) lines.push(`#SBATCH --mem=${o.mem}`);
  lines.push('set -eu', `exec ${taskCommand(node, cli, folder, '"$SLURM_ARRAY_TASK_ID"')}`, '');
  return lines.join('\n');
}

/** SLURM directives cannot quote: a folder to submit from must be a plain path. */
export function checkSubmittableFolder(folder: string): void {
  if (!SAFE_PATH.test(folder)) throw new InputError(`${folder}: a folder for --slurm must have no spaces or quotes in its path (SLURM's #SBATCH lines cannot quote it)`);
}

function tool(name: string, args: string[]): { ok: boolean; stdout: string; stderr: string; missing: boolean } {
  const r = spawnSync(name, args, { encoding: 'utf8', timeout: 60_000 });
  const missing = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').trim() || (r.error?.message ?? ''), missing };
}

export async function readSubmissions(folder: string): Promise<Submission[]> {
  try {
    const v = JSON.parse(await fs.readFile(join(folder, JOBS_FILE), 'utf8')) as { submissions?: Submission[] };
    return Array.isArray(v.submissions) ? v.submissions : [];
  } catch {
    return [];
  }
}

/** Submits the job script for `indices` (sbatch --array) and records the job id in jobs.json. */
export async function submit(folder: string, indices: number[], arraySpec: string): Promise<Submission> {
  await fs.mkdir(join(folder, 'logs'), { recursive: true });
  const r = tool('sbatch', ['--parsable', `--array=${arraySpec}`, join(folder, JOB_SCRIPT)]);
  if (r.missing) throw new InputError(`sbatch not found: SLURM is not installed here; run the tasks by hand (the commands are in ${join(folder, JOB_SCRIPT)})`);
  if (!r.ok) throw new InputError(`sbatch failed for ${join(folder, JOB_SCRIPT)}: ${r.stderr.split('\n')[0]}`);
  const job = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(job)) throw new InputError(`sbatch printed no job id for ${join(folder, JOB_SCRIPT)}: ${JSON.stringify(r.stdout.trim())}`);
  const s: Submission = { job, indices, submitted: new Date().toISOString() };
  const all = [...(await readSubmissions(folder)), s];
  await writeAtomic(join(folder, JOBS_FILE), JSON.stringify({ submissions: all }, null, 2) + '\n');
  return s;
}

/** The job and array index of "123_4"; "123_[5-7]" (a pending range) gives all of them. */
export function parseArrayIds(id: string): { job: string; indices: number[] } | undefined {
  const m = /^(\d+)_(\d+)$/.exec(id) ?? /^(\d+)_\[([\d,-]+)(?:%\d+)?\]$/.exec(id);
  if (!m) return undefined;
  const indices: number[] = [];
  for (const part of m[2].split(',')) {
    const r = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!r) return undefined;
    const a = Number(r[1]);
    const b = r[2] === undefined ? a : Number(r[2]);
    for (let i = a; i <= b; i++) indices.push(i);
  }
  return { job: m[1], indices };
}

export type TaskState = { state: string; source: 'squeue' | 'sacct' };

/** State of each array task of `jobs` that squeue (queued, running) or sacct (ended) knows; undefined when neither runs here. */
export function queueStates(jobs: string[]): { states: Map<string, TaskState>; available: boolean; note?: string } {
  const states = new Map<string, TaskState>();
  if (jobs.length === 0) return { states, available: false };
  const q = tool('squeue', ['-h', '-r', '--me', '-o', '%i|%T']);
  if (q.missing) return { states, available: false, note: 'squeue not found: states from the shard files only' };
  if (!q.ok) return { states, available: false, note: `squeue failed (${q.stderr.split('\n')[0]}): states from the shard files only` };
  const want = new Set(jobs);
  const a = tool('sacct', ['-n', '-P', '-X', '-j', jobs.join(','), '-o', 'JobID,State']);
  if (a.ok) {
    for (const line of a.stdout.split('\n')) {
      const [id, state] = line.trim().split('|');
      const p = id ? parseArrayIds(id) : undefined;
      if (p && want.has(p.job)) for (const i of p.indices) states.set(`${p.job}_${i}`, { state: state.split(' ')[0], source: 'sacct' });
    }
  }
  for (const line of q.stdout.split('\n')) {
    const [id, state] = line.trim().split('|');
    const p = id ? parseArrayIds(id) : undefined;
    if (p && want.has(p.job)) for (const i of p.indices) states.set(`${p.job}_${i}`, { state, source: 'squeue' });
  }
  return { states, available: true, ...(a.ok ? {} : { note: 'sacct has no accounting here: a task that ended without a shard file is reported missing' }) };
}
