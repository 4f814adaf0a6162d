// A shard plan: one long job (a sweep, a 2-D sweep, a training run) cut into n parts that run as
// separate processes (SLURM array tasks, or by hand), each writing one result file into the
// plan's folder. The parts are whole units the unsharded job already computes independently
// (chunks of a sweep or a run, rows of a 2-D sweep), so the merged result is the unsharded one.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../errors';
import { parseJsonText } from '../io/json';
import { HYPERPARAMETER_FILES } from '../io/hyperparameters';
import { fileHash } from '../run/cache';
import { SEARCH_REVISION } from '../scyfi/defaults';

export const PLAN_FILE = 'plan.json';
/** 2: plans hold the search's revision. */
export const PLAN_VERSION = 2;
export const SHARD_FILE_VERSION = 1;
export const MAX_SHARDS = 100_000;

export type ShardCommand = 'sweep' | 'sweep2d' | 'run';

export interface PlanFile {
  /** Absolute path when the plan was made. */
  path: string;
  /** The same file relative to the plan's folder (found there after a sync to another machine). */
  relative: string;
  sha256: string;
}

/** The first and last unit of a shard, both included. */
export type Part = [number, number];

export interface ShardPlan {
  scyfiShardPlan: number;
  /** SHA-256 of everything below (the plan without id and created), so two plans never share an id. */
  id: string;
  created: string;
  /** SEARCH_REVISION of the scyfi that made the plan: a shard is computed only by a scyfi whose search is the same. */
  searchRevision: number;
  command: ShardCommand;
  /** The command's own arguments, file paths absolute, without --shards, --out and the SLURM flags. */
  argv: string[];
  /** The options as resolved (defaults filled in), for people and for the checks. */
  options: Record<string, unknown>;
  seed: number;
  files: PlanFile[];
  /** What one unit is ("chunk of 16 steps", "row") and how many there are. */
  unit: string;
  units: number;
  /** For sweeps and runs: the step range of every chunk; rows need none. */
  chunks?: Part[];
  shards: number;
  /** parts[k]: the units of shard k. */
  parts: Part[];
  /** The one command per task, k = 0 … shards−1. */
  tasks: string[];
}

export interface ShardResult {
  scyfiShard: number;
  plan: string;
  index: number;
  part: Part;
  /** Seconds the shard computed for (wall clock), and the CPU seconds of its process meanwhile. */
  seconds: number;
  cpuSeconds: number;
  host: string;
  finished: string;
  /** Sweep and run: the steps of the shard's chunks; 2-D sweep: its rows. */
  steps?: unknown[];
  rows?: unknown[];
}

/** n contiguous parts of `units` units, the first ones one larger when they do not divide evenly. */
export function splitUnits(units: number, shards: number): Part[] {
  if (!Number.isInteger(shards) || shards < 1) throw new InputError(`--shards must be a whole number of at least 1, got ${shards}`);
  if (shards > units) throw new InputError(`--shards ${shards} is more than the ${units} independent parts of this job; use at most ${units} shards`);
  const out: Part[] = [];
  const base = Math.floor(units / shards);
  const extra = units % shards;
  let from = 0;
  for (let k = 0; k < shards; k++) {
    const size = base + (k < extra ? 1 : 0);
    out.push([from, from + size - 1]);
    from += size;
  }
  return out;
}

export function shardFileName(index: number): string {
  return `shard-${String(index).padStart(4, '0')}.json`;
}

export function errorFileName(index: number): string {
  return `shard-${String(index).padStart(4, '0')}.error.txt`;
}

const SHARD_NAME = /^shard-(\d{4,})\.json$/;

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function planId(plan: Omit<ShardPlan, 'id' | 'created'>): string {
  const { scyfiShardPlan, searchRevision, command, argv, options, seed, files, unit, units, chunks, shards, parts, tasks } = plan;
  // Through JSON first: the id is of what the file holds (keys with undefined values are not there).
  const body: unknown = JSON.parse(JSON.stringify({ scyfiShardPlan, searchRevision, command, argv, options, seed, files, unit, units, chunks, shards, parts, tasks }));
  return createHash('sha256').update(stableJson(body)).digest('hex').slice(0, 16);
}

/**
 * The files beside a model file that change how it is read (its `.scyfi.json` sidecar, the run's
 * hyperparameter files in its folder and the one above), those that exist: a plan hashes them too.
 */
export function sideFiles(model: string): string[] {
  const dir = dirname(model);
  const stem = basename(model).replace(/\.[^.]*$/, '');
  const candidates = [`${model}.scyfi.json`, join(dir, `config_${stem}.json`), ...HYPERPARAMETER_FILES.map((f) => join(dir, f)), ...HYPERPARAMETER_FILES.map((f) => join(dirname(dir), f))];
  return candidates.filter((f) => existsSync(f));
}

export async function hashFiles(folder: string, paths: string[]): Promise<PlanFile[]> {
  const out: PlanFile[] = [];
  for (const p of [...new Set(paths.map((x) => resolve(x)))]) {
    try {
      out.push({ path: p, relative: relative(resolve(folder), p), sha256: await fileHash(p) });
    } catch (e) {
      throw new InputError(`${p}: cannot be read (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return out;
}

/** Writes `text` to `file` under a temporary name in the same folder, then renames it into place. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = join(resolve(file, '..'), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

/** The folder must not hold a plan already: a new plan never overwrites one. */
export async function checkNewPlanFolder(folder: string): Promise<void> {
  const file = join(folder, PLAN_FILE);
  try {
    await fs.access(file);
  } catch {
    return;
  }
  throw new InputError(`${file}: a shard plan is there already; choose another --out folder or delete that one`);
}

export async function writePlan(folder: string, body: Omit<ShardPlan, 'id' | 'created' | 'scyfiShardPlan' | 'searchRevision'>): Promise<ShardPlan> {
  await checkNewPlanFolder(folder);
  await fs.mkdir(folder, { recursive: true });
  const inner = { scyfiShardPlan: PLAN_VERSION, searchRevision: SEARCH_REVISION, ...body };
  const plan: ShardPlan = { scyfiShardPlan: PLAN_VERSION, id: planId(inner), created: new Date().toISOString(), searchRevision: SEARCH_REVISION, ...body };
  await writeAtomic(join(folder, PLAN_FILE), JSON.stringify(plan, null, 2) + '\n');
  return plan;
}

function isPart(v: unknown): v is Part {
  return Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x));
}

/** Reads and checks `<folder>/plan.json`; any problem is one InputError naming the file. */
export async function readPlan(folder: string): Promise<ShardPlan> {
  const file = join(folder, PLAN_FILE);
  let text: string;
  try {
    const st = await fs.stat(folder);
    if (!st.isDirectory()) throw new InputError(`${folder}: not a folder, so not a shard plan`);
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (e as NodeJS.ErrnoException).path === folder) throw new InputError(`${folder}: no such folder, so not a shard plan`);
    throw new InputError(`${folder}: not a shard plan (no ${PLAN_FILE} in it; make one with --shards n --out ${folder})`);
  }
  let v: Partial<ShardPlan>;
  try {
    v = parseJsonText(text, file) as Partial<ShardPlan>;
  } catch (e) {
    throw new InputError(`${file}: not a shard plan (${(e as Error).message.split('\n')[0]})`);
  }
  if (!v || typeof v !== 'object' || !('scyfiShardPlan' in v)) throw new InputError(`${file}: not a shard plan (no "scyfiShardPlan" key)`);
  if (v.scyfiShardPlan !== PLAN_VERSION) throw new InputError(`${file}: a shard plan of version ${JSON.stringify(v.scyfiShardPlan)}; this scyfi reads version ${PLAN_VERSION}`);
  const ok =
    typeof v.id === 'string' &&
    Number.isInteger(v.searchRevision) &&
    (v.command === 'sweep' || v.command === 'sweep2d' || v.command === 'run') &&
    Array.isArray(v.argv) &&
    v.argv.every((a) => typeof a === 'string') &&
    Array.isArray(v.files) &&
    v.files.every((f) => f && typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.relative === 'string') &&
    Number.isInteger(v.shards) &&
    Array.isArray(v.parts) &&
    v.parts.length === v.shards &&
    v.parts.every(isPart) &&
    Number.isInteger(v.units) &&
    (v.chunks === undefined || (Array.isArray(v.chunks) && v.chunks.length === v.units && v.chunks.every(isPart)));
  if (!ok) throw new InputError(`${file}: a damaged shard plan (a key is missing or of the wrong type)`);
  const plan = v as ShardPlan;
  if (planId(plan) !== plan.id) throw new InputError(`${file}: the plan was edited after it was made (its id ${plan.id} no longer matches its contents)`);
  return plan;
}

/**
 * A shard is computed only by a scyfi whose search is the plan's: another search gives other
 * results for the same seed, and its shards would merge with the others into one result that no
 * single search computed.
 */
export function checkSearchRevision(folder: string, plan: ShardPlan): void {
  if (plan.searchRevision === SEARCH_REVISION) return;
  throw new InputError(`${join(folder, PLAN_FILE)}: made by a scyfi whose search is revision ${plan.searchRevision}; this one's is revision ${SEARCH_REVISION}, whose results differ: run the shards with the scyfi that made the plan, or make a new plan`);
}

/**
 * Every file of the plan must still have the content it had when the plan was made. A file is
 * looked for at its absolute path, then at the same place relative to the plan's folder (the
 * folder synced to another machine with the files beside it); the first with the planned hash
 * is used. Returns where each file is now.
 */
export async function checkFiles(folder: string, plan: ShardPlan): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  for (const f of plan.files) {
    const places = [...new Set([f.path, isAbsolute(f.relative) ? f.relative : resolve(folder, f.relative)])];
    let changed: { p: string; h: string } | undefined;
    for (const p of places) {
      let h: string;
      try {
        h = await fileHash(p);
      } catch {
        continue;
      }
      if (h === f.sha256) {
        where.set(f.path, p);
        break;
      }
      changed ??= { p, h };
    }
    if (where.has(f.path)) continue;
    if (changed) throw new InputError(`${changed.p}: changed since the shard plan in ${folder} was made (sha256 ${changed.h.slice(0, 12)}…, the plan has ${f.sha256.slice(0, 12)}…); make a new plan`);
    throw new InputError(`${f.path}: a file of the shard plan in ${folder} is missing (looked there and at ${places[places.length - 1]})`);
  }
  return where;
}

export interface ShardFiles {
  done: Map<number, ShardResult>;
  failed: Map<number, string>;
}

/** The shard files in the folder; a shard of another plan or a damaged one is an error naming the file. */
export async function readShards(folder: string, plan: ShardPlan): Promise<ShardFiles> {
  const done = new Map<number, ShardResult>();
  const failed = new Map<number, string>();
  for (const name of (await fs.readdir(folder)).sort()) {
    const m = SHARD_NAME.exec(name);
    const file = join(folder, name);
    if (!m) {
      const e = /^shard-(\d{4,})\.error\.txt$/.exec(name);
      if (e) failed.set(Number(e[1]), (await fs.readFile(file, 'utf8')).split('\n')[0]);
      continue;
    }
    let v: Partial<ShardResult>;
    try {
      v = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<ShardResult>;
    } catch (e) {
      throw new InputError(`${file}: not a shard result (${(e as Error).message.split('\n')[0]})`);
    }
    if (!v || typeof v !== 'object' || v.scyfiShard !== SHARD_FILE_VERSION) throw new InputError(`${file}: not a shard result of version ${SHARD_FILE_VERSION}`);
    if (v.plan !== plan.id) throw new InputError(`${file}: belongs to another shard plan (${JSON.stringify(v.plan)}; the plan in ${folder} is ${plan.id})`);
    const index = Number(m[1]);
    if (v.index !== index || !isPart(v.part) || !plan.parts[index] || v.part[0] !== plan.parts[index][0] || v.part[1] !== plan.parts[index][1]) throw new InputError(`${file}: its index or units do not match shard ${index} of the plan in ${folder}`);
    done.set(index, v as ShardResult);
  }
  for (const k of done.keys()) failed.delete(k);
  return { done, failed };
}

/** "0–3, 7" for a sorted list of indices. */
export function formatIndices(xs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(j > i ? `${xs[i]}–${xs[j]}` : `${xs[i]}`);
    i = j + 1;
  }
  return out.join(', ');
}

/** "0-3,7" (sbatch --array syntax). */
export function arraySpec(xs: number[]): string {
  return formatIndices(xs).replace(/–/g, '-').replace(/, /g, ',');
}
