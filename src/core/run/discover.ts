// What a training run is on disk: its checkpoints (ordered by the epoch or step in their names,
// or stored in them), its loss logs, or what a scyfi-run.json manifest lists.
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { InputError } from '../errors';
import { parseJsonText } from '../io/json';

export interface RunCheckpoint {
  /** Absolute path. */
  file: string;
  /** Path relative to the run's folder, for messages. */
  name: string;
  /** Its place on the run's axis; undefined until read from its contents. */
  x?: number;
  unit?: RunUnit;
  /** Where x came from. */
  from?: 'name' | 'manifest' | 'contents' | 'index';
  /** Which model of a file that holds several (a stack of snapshots). */
  model?: number;
}

/** What a run's axis counts: epochs, optimizer steps, or the snapshots of one file in order. */
export type RunUnit = 'epoch' | 'step' | 'snapshot';

export interface RunFiles {
  root: string;
  checkpoints: RunCheckpoint[];
  logs: string[];
  /** Files passed over, with the reason. */
  skipped: { file: string; reason: string }[];
  manifest?: string;
  unit?: RunUnit;
  /** A single file holding the run's models (a MATLAB stack of snapshots): analyzeRun lists them. */
  snapshots?: string;
}

export const MANIFEST = 'scyfi-run.json';
export const CHECKPOINT_EXT = new Set(['.pt', '.pth', '.ckpt', '.bin', '.safetensors', '.bson', '.npz', '.mat', '.jld2', '.h5', '.hdf5']);
/** Files beside checkpoints that hold no model. */
const NOT_MODELS = /optim|scheduler|rng_state|trainer_state|rec_model|scaler|\.scyfi\.json$/i;
const LOG_NAME = /\.(csv|tsv|jsonl|ndjson)$|tfevents/i;
const MAX_FILES = 100_000;
const MAX_DEPTH = 3;

/** The epoch or step a file's path names: epoch=0042-step=900, model_100, checkpoint-1500/, … */
export function numberInName(path: string): { x: number; unit: 'epoch' | 'step' } | undefined {
  const stem = basename(path).replace(/\.[^.]+$/, '');
  const folder = basename(dirname(path));
  const epoch = /(?:^|[^a-z])epoch[=_-]?(\d+)/i.exec(stem) ?? /(?:^|_)(\d+)_epochs?/i.exec(stem);
  if (epoch) return { x: Number(epoch[1]), unit: 'epoch' };
  const step = /(?:^|[^a-z])(?:global_)?step[=_-]?(\d+)/i.exec(stem);
  if (step) return { x: Number(step[1]), unit: 'step' };
  const hf = /^checkpoint-(\d+)$/.exec(folder);
  if (hf && !/\d/.test(stem)) return { x: Number(hf[1]), unit: 'step' };
  const last = /(\d+)(?!.*\d)/.exec(stem);
  if (last) return { x: Number(last[1]), unit: 'epoch' };
  return undefined;
}

async function walk(dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= MAX_FILES) throw new InputError(`${dir}: more than ${MAX_FILES} files under the run's folder`);
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory() && depth < MAX_DEPTH && e.name !== 'node_modules') await walk(p, depth + 1, out);
    else if (e.isFile()) out.push(p);
  }
}

function fromManifest(value: unknown, manifest: string): { checkpoints: { file: string; x?: number }[]; logs: string[]; unit?: 'epoch' | 'step' } {
  const name = basename(manifest);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${name}: a run manifest must be a JSON object`);
  const o = value as Record<string, unknown>;
  if (!Array.isArray(o.checkpoints) || o.checkpoints.length === 0) throw new InputError(`${name}: "checkpoints" must list the checkpoint files`);
  const unit = o.unit === undefined ? undefined : o.unit === 'epoch' || o.unit === 'step' ? o.unit : undefined;
  if (o.unit !== undefined && !unit) throw new InputError(`${name}: "unit" must be "epoch" or "step"`);
  const checkpoints = o.checkpoints.map((c, i) => {
    if (typeof c === 'string') return { file: c };
    if (typeof c === 'object' && c !== null && typeof (c as { file?: unknown }).file === 'string') {
      const x = (c as { epoch?: unknown; step?: unknown; x?: unknown }).epoch ?? (c as { step?: unknown }).step;
      if (x !== undefined && (typeof x !== 'number' || !Number.isFinite(x))) throw new InputError(`${name}: checkpoints[${i}]: its epoch or step must be a number`);
      return { file: (c as { file: string }).file, x: x as number | undefined };
    }
    throw new InputError(`${name}: checkpoints[${i}] must be a file name or {"file", "epoch"}`);
  });
  const logs = o.logs === undefined ? [] : Array.isArray(o.logs) && o.logs.every((l) => typeof l === 'string') ? (o.logs as string[]) : undefined;
  if (!logs) throw new InputError(`${name}: "logs" must list log files`);
  return { checkpoints, logs, unit };
}

/** The files of a run: a folder (searched 3 levels deep) or a scyfi-run.json manifest. */
export async function discoverRun(target: string): Promise<RunFiles> {
  const abs = resolve(target);
  let st;
  try {
    st = await fs.stat(abs);
  } catch {
    throw new InputError(`${target}: no such file or folder`);
  }
  if (!st.isDirectory() && CHECKPOINT_EXT.has(extname(abs).toLowerCase())) return { root: dirname(abs), checkpoints: [], logs: [], skipped: [], snapshots: abs };
  if (!st.isDirectory() && extname(abs).toLowerCase() !== '.json') throw new InputError(`${target}: a run is a folder, a ${MANIFEST} manifest, or one file that holds several models`);
  const manifestPath = st.isDirectory() ? join(abs, MANIFEST) : abs;
  const root = st.isDirectory() ? abs : dirname(abs);
  let manifestText: string | undefined;
  try {
    const ms = await fs.stat(manifestPath);
    if (ms.isFile() && ms.size < 16 * 1024 * 1024) manifestText = await fs.readFile(manifestPath, 'utf8');
  } catch {
    if (!st.isDirectory()) throw new InputError(`${target}: cannot read the manifest`);
  }
  if (!st.isDirectory() && manifestText === undefined) throw new InputError(`${target}: a run is a folder or a ${MANIFEST} manifest`);
  if (manifestText !== undefined) {
    const m = fromManifest(parseJsonText(manifestText, basename(manifestPath)), manifestPath);
    return {
      root,
      manifest: manifestPath,
      unit: m.unit,
      logs: m.logs.map((l) => resolve(root, l)),
      skipped: [],
      checkpoints: m.checkpoints.map((c) => {
        const file = resolve(root, c.file);
        const named = c.x === undefined ? numberInName(file) : undefined;
        return { file, name: relative(root, file), x: c.x ?? named?.x, unit: m.unit ?? named?.unit, from: c.x !== undefined ? 'manifest' : named ? 'name' : undefined };
      }),
    };
  }
  const files: string[] = [];
  await walk(root, 0, files);
  const checkpoints: RunCheckpoint[] = [];
  const logs: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const f of files) {
    const name = relative(root, f);
    if (LOG_NAME.test(basename(f))) {
      logs.push(f);
      continue;
    }
    if (!CHECKPOINT_EXT.has(extname(f).toLowerCase())) continue;
    if (NOT_MODELS.test(basename(f))) {
      skipped.push({ file: name, reason: 'optimizer or other training state, not a model' });
      continue;
    }
    const named = numberInName(f);
    checkpoints.push({ file: f, name, x: named?.x, unit: named?.unit, from: named ? 'name' : undefined });
  }
  return { root, checkpoints, logs, skipped };
}
