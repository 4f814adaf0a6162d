// A training run analysed: SCYFI on every checkpoint, continued from the one before; the
// events between consecutive checkpoints located on the straight line between them; the loss
// jumps; and which jumps follow which bifurcation.
import { promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../errors';
import { loadModelFile, ModelChoiceError, type LoadOptions } from '../io/load';
import type { ModelSpec } from '../model/types';
import { noFinds } from '../scyfi/types';
import { polylinePath, type PolylinePath } from '../sweep/path';
import { assembleSweep, checkSweepOptions, DEFAULT_CHUNK_SIZE, searchChunk, type Chunk, type SweepRunner } from '../sweep/run';
import type { SweepOptions, SweepResult, SweepStep } from '../sweep/types';
import { alignJumps, type Alignment, type RunEvent } from './align';
import { cacheKey, fileHash, ResultCache } from './cache';
import { discoverRun, MANIFEST, type RunCheckpoint, type RunUnit } from './discover';
import { detectJumps, parseLossLog, trainingLoss, type JumpOptions, type LossJump, type LossSeries } from './loss';

export interface RunOptions {
  maxOrder: number;
  seed?: number;
  outerLoop?: number;
  innerLoop?: number;
  chunkSize?: number;
  continuation?: boolean;
  /** How checkpoints are read (architecture, P, model, parameter map). */
  load?: LoadOptions;
  jumps?: JumpOptions;
  /** How far before a jump an event counts, in the run's unit; default twice the median spacing of checkpoints. */
  window?: number;
  /** A folder for cached results; none: nothing is cached. */
  cacheDir?: string;
  /** The loss column or tag to find jumps on; default: the training loss (trainingLoss). */
  loss?: string;
}

export interface RunHooks {
  onCheckpoint?(done: number, total: number, name: string): void;
  onStep?(step: SweepStep): void;
  /** The checkpoints of the run, in order (index i is step i), once they are read and before any search. */
  onRun?(unit: RunUnit, checkpoints: { x: number; name: string; file: string; model?: number }[]): void;
  /** A checkpoint's search taken from the cache (not searched again, so no onStep). */
  onCached?(step: SweepStep): void;
  isCancelled?(): boolean;
  /** Runs chunks elsewhere (a worker pool); in this thread when absent. */
  runner?(path: PolylinePath, options: SweepOptions): SweepRunner;
}

export interface RunCheckpointResult {
  x: number;
  file: string;
  /** Where its epoch came from. */
  from: string;
  cached: boolean;
}

export interface RunAnalysis {
  root: string;
  unit: RunUnit;
  checkpoints: RunCheckpointResult[];
  skipped: { file: string; reason: string }[];
  sweep: SweepResult;
  loss?: LossSeries;
  lossSeries: LossSeries[];
  lossJumps: LossJump[];
  events: RunEvent[];
  alignment?: Alignment;
  notes: string[];
  stats: { checkpoints: number; searched: number; cached: number; seconds: number };
  cancelled: boolean;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

function medianSpacing(xs: number[]): number {
  const d = xs.slice(1).map((x, i) => x - xs[i]).sort((a, b) => a - b);
  return d.length ? d[d.length >> 1] : 1;
}

interface Loaded {
  c: RunCheckpoint;
  spec: ModelSpec;
  x: number;
  unit: RunUnit;
}

/** The models of one file, in the file's order, as the checkpoints of a run (x = their index). */
async function snapshotsOf(file: string, load: LoadOptions | undefined, skipped: { file: string; reason: string }[], notes: string[]): Promise<RunCheckpoint[]> {
  const name = basename(file);
  try {
    await loadModelFile(file, { ...load, displayName: name, model: undefined });
  } catch (e) {
    if (!(e instanceof ModelChoiceError)) throw e;
    notes.push(`${name} holds ${e.choices.length} models: they are taken in the file's order as the run's snapshots`);
    const out: RunCheckpoint[] = [];
    for (const c of e.choices) {
      if (c.error) skipped.push({ file: `${name} model ${c.index} (${c.label})`, reason: c.error });
      else out.push({ file, name: `${name} model ${c.index} (${c.label})`, x: c.index, unit: 'snapshot', from: 'index', model: c.index });
    }
    return out;
  }
  throw new InputError(`${name}: holds one model; a run is a folder of checkpoints, a ${MANIFEST} manifest, or one file with several models`);
}

export async function analyzeRun(target: string, options: RunOptions, hooks: RunHooks = {}): Promise<RunAnalysis> {
  const started = performance.now();
  const files = await discoverRun(target);
  const skipped = [...files.skipped];
  const notes: string[] = [];
  if (files.snapshots) files.checkpoints = await snapshotsOf(files.snapshots, options.load, skipped, notes);
  if (files.checkpoints.length === 0) throw new InputError(`${target}: no checkpoints found (files like model_100.pt, epoch=3-step=120.ckpt, checkpoint-1500/model.safetensors, or a ${MANIFEST} manifest)`);

  // Read every checkpoint; one that cannot be read is reported and left out, never fatal.
  const loaded: Loaded[] = [];
  let done = 0;
  for (const c of files.checkpoints) {
    if (hooks.isCancelled?.()) break;
    hooks.onCheckpoint?.(++done, files.checkpoints.length, c.name);
    try {
      const l = await loadModelFile(c.file, { ...options.load, displayName: c.name, ...(c.model !== undefined ? { model: c.model } : {}) });
      let x = c.x;
      let unit = c.unit ?? files.unit;
      let from = c.from;
      if (x === undefined) {
        const m = l.metadata ?? {};
        const key = ['epoch', 'step', 'global_step', 'hyper_parameters.epoch'].find((k) => typeof m[k] === 'number' || (typeof m[k] === 'string' && Number.isFinite(Number(m[k]))));
        if (key) {
          x = Number(m[key]);
          unit = key === 'epoch' || key.endsWith('.epoch') ? 'epoch' : 'step';
          from = 'contents';
        }
      }
      if (x === undefined) {
        skipped.push({ file: c.name, reason: 'no epoch or step in its name or contents (list it in a scyfi-run.json manifest with its epoch)' });
        continue;
      }
      loaded.push({ c: { ...c, x, from }, spec: l.model.spec, x, unit: unit ?? 'epoch' });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      skipped.push({ file: c.name, reason: oneLine(e).replace(/^[^:]*: /, '') });
    }
  }
  loaded.sort((a, b) => a.x - b.x);
  // One checkpoint per epoch; the rest must have the first one's architecture and shapes.
  const run: Loaded[] = [];
  for (const l of loaded) {
    const prev = run[run.length - 1];
    if (prev && prev.x === l.x) {
      // Two folders with the same epochs are two runs (lightning_logs/version_0 and version_1):
      // merging them would draw one path through both.
      if (dirname(prev.c.name) !== dirname(l.c.name)) {
        throw new InputError(`${target}: holds more than one run (${prev.c.name} and ${l.c.name} are both at ${l.unit} ${l.x}); open one run's folder, or list its checkpoints in a ${MANIFEST} manifest`);
      }
      skipped.push({ file: l.c.name, reason: `${prev.c.name} is at the same ${l.unit} ${l.x}` });
      continue;
    }
    if (run.length > 0) {
      try {
        polylinePath([run[0].spec, l.spec], [0, 1], [run[0].c.name, l.c.name]);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        skipped.push({ file: l.c.name, reason: `a model of another architecture or shape than ${run[0].c.name} (${oneLine(e).replace(/^[^:]*: /, '')})` });
        continue;
      }
    }
    run.push(l);
  }
  if (run.length < 2) {
    const why = skipped.length ? `; ${skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ')}` : '';
    throw new InputError(`${target}: a run needs at least two checkpoints that can be read, found ${run.length}${why}`);
  }
  const units = new Set(run.map((r) => r.unit));
  const unit = units.size === 1 ? run[0].unit : 'epoch';
  if (units.size > 1) notes.push('the checkpoints name epochs and steps both: their numbers are taken as epochs');
  const path = polylinePath(
    run.map((r) => r.spec),
    run.map((r) => r.x),
    run.map((r) => r.c.name),
    unit,
  );
  hooks.onRun?.(
    unit,
    run.map((r) => ({ x: r.x, name: r.c.name, file: r.c.file, ...(r.c.model !== undefined ? { model: r.c.model } : {}) })),
  );

  // The loss logs, read before the search so that a --loss naming no series fails at once.
  const lossSeries: LossSeries[] = [];
  for (const log of files.logs) {
    try {
      const st = await fs.stat(log);
      if (!st.isFile()) continue;
      lossSeries.push(...parseLossLog(basename(log), await fs.readFile(log)));
    } catch (e) {
      skipped.push({ file: basename(log), reason: oneLine(e).replace(/^[^:]*: /, '') });
    }
  }
  for (const n of new Set(lossSeries.map((s) => s.note).filter((n): n is string => !!n))) notes.push(n);
  const loss = options.loss === undefined ? trainingLoss(lossSeries) : lossSeries.find((s) => s.name === options.loss);
  if (options.loss !== undefined && !loss && lossSeries.length > 0) {
    throw new InputError(`${target}: no loss named "${options.loss}" in the run's logs; they have ${[...new Set(lossSeries.map((s) => `"${s.name}"`))].join(', ')}`);
  }
  // Cached searches are reused; the rest are searched in chunks, each continued from the step
  // before it when that one is known.
  const sweepOptions: SweepOptions = {
    steps: run.length,
    maxOrder: options.maxOrder,
    seed: options.seed,
    outerLoop: options.outerLoop,
    innerLoop: options.innerLoop,
    chunkSize: options.chunkSize,
    continuation: options.continuation,
  };
  checkSweepOptions(sweepOptions);
  const settings = { maxOrder: options.maxOrder, seed: options.seed ?? 0, outerLoop: options.outerLoop, innerLoop: options.innerLoop, continuation: options.continuation !== false };
  const cache = options.cacheDir ? new ResultCache(options.cacheDir) : undefined;
  const hashes = new Map<string, Promise<string>>();
  const hashOf = (file: string) => hashes.get(file) ?? hashes.set(file, fileHash(file)).get(file)!;
  const keys = cache ? await Promise.all(run.map(async (r) => cacheKey(await hashOf(r.c.file), { ...settings, load: options.load ?? {}, model: r.c.model ?? null }))) : [];
  const steps: (SweepStep | undefined)[] = new Array(run.length);
  if (cache) {
    for (let i = 0; i < run.length; i++) {
      const hit = await cache.get(keys[i]);
      if (hit) {
        steps[i] = { index: i, t: path.ts[i], value: path.values[i], cycles: hit.cycles, branches: [], candidates: hit.candidates, seconds: 0, foundBy: hit.foundBy ?? noFinds(), continued: false, cancelled: false };
        hooks.onCached?.(steps[i]!);
      }
    }
  }
  const chunks: Chunk[] = [];
  const size = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  for (let i = 0; i < run.length; ) {
    if (steps[i]) {
      i++;
      continue;
    }
    const from = i;
    while (i < run.length && !steps[i] && i - from < size) i++;
    const before = from > 0 ? steps[from - 1] : undefined;
    chunks.push({ from, to: i - 1, ...(before ? { seeds: before.cycles.map((c) => ({ order: c.order, regions: c.regions })) } : {}) });
  }
  const searched = chunks.reduce((a, c) => a + c.to - c.from + 1, 0);
  let fresh: SweepStep[][];
  if (chunks.length === 0) fresh = [];
  else if (hooks.runner) fresh = await hooks.runner(path, sweepOptions).runChunks(chunks);
  else {
    fresh = [];
    for (const c of chunks) {
      if (hooks.isCancelled?.()) break;
      fresh.push(searchChunk(path, sweepOptions, c, { onStep: hooks.onStep, isCancelled: hooks.isCancelled }));
    }
  }
  for (const s of fresh.flat()) {
    steps[s.index] = s;
    if (cache && !s.cancelled) await cache.put(keys[s.index], { cycles: s.cycles, candidates: s.candidates, foundBy: s.foundBy });
  }
  const sweep = assembleSweep(path, sweepOptions, steps.filter((s): s is SweepStep => !!s), started);

  // The loss jumps and their alignment with the events.
  const lossJumps = loss ? detectJumps(loss, options.jumps) : [];
  const events: RunEvent[] = sweep.events.map((e) => ({ ...e, x: e.value }));
  const range: [number, number] = [path.values[0], path.values[path.values.length - 1]];
  let alignment: Alignment | undefined;
  if (!loss) notes.push('no loss log found (a CSV/TSV with an epoch or step column and a loss column, JSON lines, or TensorBoard events): no loss jumps to align');
  else if (loss.unit !== unit) notes.push(`the loss is logged by ${loss.unit} and the checkpoints by ${unit}: jumps and events are not aligned`);
  else alignment = alignJumps(lossJumps, events, range, options.window ?? 2 * medianSpacing(path.values));

  return {
    root: files.root,
    unit,
    checkpoints: run.map((r, i) => ({ x: r.x, file: r.c.name, from: r.c.from ?? 'name', cached: !!steps[i] && chunks.every((c) => i < c.from || i > c.to) })),
    skipped,
    sweep,
    loss,
    lossSeries,
    lossJumps,
    events,
    alignment,
    notes,
    stats: { checkpoints: run.length, searched, cached: run.length - searched, seconds: (performance.now() - started) / 1000 },
    cancelled: sweep.cancelled,
  };
}
