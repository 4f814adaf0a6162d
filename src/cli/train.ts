// `scyfi train`: trains a plrnn or shplrnn on gt16, neuron or a CSV file, writing checkpoints,
// loss.csv and train.json into --out (docs/training.md).
import { InputError } from '../core/errors';
import { printable } from '../core/text';
import { checkpointMetadata, describeForcing, loadDataset, OBSERVATIONS, RunFolder, runTraining, Trainer, trainJson, TRAIN_ARCHITECTURES, type Forcing, type Observation, type RunSettings, type TrainArchitecture } from '../core/train';
import { intFlag, parseArgs, type ParsedArgs } from './args';
import { SIGNAL_EXIT } from './find';

export const TRAIN_USAGE =
  'scyfi train --data gt16|neuron|<csv> --model plrnn|shplrnn --M m [--H h] [--tau t | --gtf a] --epochs n --save-every s --seed x --out <folder> [--lr l] [--seq-len T] [--batch b] [--batches-per-epoch k] [--obs identity|linear] [--clip-grad g] [--progress]';

export const TRAIN_DEFAULTS = { model: 'plrnn', epochs: 100, saveEvery: 10, seed: 0, lr: 1e-3, seqLen: 50, batch: 16, batchesPerEpoch: 10, obs: 'identity' } as const;

const LIMIT = 1_000_000_000;

/** A positive finite number flag, or undefined when absent. */
function positiveFlag(args: ParsedArgs, name: string, max = Infinity): number | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new InputError(`--${name} must be a number above 0${max < Infinity ? ` and at most ${max}` : ''}, got ${JSON.stringify(v)}`);
  return n;
}

function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) throw new InputError(`--${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function stringFlag(args: ParsedArgs, name: string): string {
  const v = args.flags.get(name);
  if (typeof v !== 'string' || v === '') throw new InputError(`--${name} is missing: ${TRAIN_USAGE}`);
  return v;
}

/** The settings of a run from the command line (one-line errors). */
export function trainSettings(args: ParsedArgs): RunSettings {
  const architecture = choiceFlag<TrainArchitecture>(args, 'model', TRAIN_ARCHITECTURES, TRAIN_DEFAULTS.model);
  const M = intFlag(args, 'M', 1, 4096);
  if (M === undefined) throw new InputError(`--M (the number of latent units) is missing: ${TRAIN_USAGE}`);
  const Hflag = intFlag(args, 'H', 1, 65536);
  if (architecture === 'shplrnn' && Hflag === undefined) throw new InputError('--H (the number of hidden units) is missing: a shplrnn needs it');
  if (architecture === 'plrnn' && Hflag !== undefined) throw new InputError('--H is for a shplrnn; a plrnn has no hidden layer (its M units switch)');
  const tau = intFlag(args, 'tau', 1, LIMIT);
  const alpha = positiveFlag(args, 'gtf', 1);
  if (tau !== undefined && alpha !== undefined) throw new InputError('give --tau (sparse teacher forcing) or --gtf (generalized teacher forcing), not both');
  const forcing: Forcing = tau !== undefined ? { kind: 'sparse', tau } : alpha !== undefined ? { kind: 'gtf', alpha } : { kind: 'none' };
  const epochs = intFlag(args, 'epochs', 1, LIMIT) ?? TRAIN_DEFAULTS.epochs;
  return {
    architecture,
    M,
    H: Hflag ?? M,
    observation: choiceFlag<Observation>(args, 'obs', OBSERVATIONS, TRAIN_DEFAULTS.obs),
    forcing,
    epochs,
    saveEvery: intFlag(args, 'save-every', 1, LIMIT) ?? TRAIN_DEFAULTS.saveEvery,
    seed: intFlag(args, 'seed', 0, 2 ** 32 - 1) ?? TRAIN_DEFAULTS.seed,
    lr: positiveFlag(args, 'lr') ?? TRAIN_DEFAULTS.lr,
    seqLen: intFlag(args, 'seq-len', 1, 1_000_000) ?? TRAIN_DEFAULTS.seqLen,
    batch: intFlag(args, 'batch', 1, 1_000_000) ?? TRAIN_DEFAULTS.batch,
    batchesPerEpoch: intFlag(args, 'batches-per-epoch', 1, LIMIT) ?? TRAIN_DEFAULTS.batchesPerEpoch,
    clipGrad: positiveFlag(args, 'clip-grad'),
  };
}

const FLAGS = ['data', 'model', 'M', 'H', 'tau', 'gtf', 'epochs', 'save-every', 'seed', 'out', 'lr', 'seq-len', 'batch', 'batches-per-epoch', 'obs', 'clip-grad', 'progress'];

function fmt(x: number): string {
  return x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(4) : x.toExponential(3);
}

/**
 * `scyfi train`. SIGINT (Ctrl-C) and SIGTERM stop the run after the batch in progress: the last
 * completed epoch is saved (if it was not yet), loss.csv holds every completed epoch, and the
 * exit code is 130 or 143. A second signal ends the process at once; every file written so far
 * stays valid, since each is renamed into place only when complete.
 */
export async function trainCommand(argv: string[], out: (s: string) => void, progress?: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, FLAGS, ['progress']);
  if (args.positional.length > 0) throw new InputError(`train takes no file argument (${printable(args.positional[0])}); the data come with --data: ${TRAIN_USAGE}`);
  const dataSpec = stringFlag(args, 'data');
  const dir = stringFlag(args, 'out');
  const settings = trainSettings(args);
  const data = loadDataset(dataSpec);
  const trainer = new Trainer(data, settings);
  const folder = new RunFolder(dir, trainer.layout, checkpointMetadata(settings, data), trainJson(settings, data));
  const report = progress ?? (args.flags.has('progress') ? (s: string) => process.stderr.write(`${s}\n`) : undefined);

  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy) {
      process.stderr.write(`\nscyfi: ${signal} again: stopped at once (the checkpoints written so far are complete)\n`);
      process.exit(SIGNAL_EXIT[signal]);
    }
    stoppedBy = signal;
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  let first: number | undefined;
  let lastLoss = NaN;
  let shownAt = -Infinity;
  let outcome;
  try {
    folder.writeCheckpoint(0, trainer.theta);
    outcome = await runTraining(trainer, {
      onEpoch(r, theta) {
        folder.appendLoss(r.epoch, r.loss, r.gradNorm, r.freeLoss);
        if (r.epoch % settings.saveEvery === 0 || r.epoch === settings.epochs) folder.writeCheckpoint(r.epoch, theta);
        first ??= r.loss;
        lastLoss = r.loss;
        const now = performance.now();
        if (report && (r.epoch === 1 || now - shownAt > 250 || r.epoch === settings.epochs)) {
          shownAt = now;
          report(`epoch ${r.epoch} of ${settings.epochs} · loss ${fmt(r.loss)} · gradient norm ${fmt(r.gradNorm)}`);
        }
      },
      isCancelled: () => stoppedBy !== undefined,
    });
    // The parameters at the end of the last completed epoch, if that epoch was not saved yet.
    if (outcome.epoch > 0 && !folder.written.includes(outcome.epoch)) folder.writeCheckpoint(outcome.epoch, trainer.theta);
  } finally {
    folder.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  const saved = `${folder.written.length} checkpoint${folder.written.length === 1 ? '' : 's'} (model_0 … model_${folder.written[folder.written.length - 1]}.safetensors)`;
  if (outcome.stopped === 'diverged') throw new InputError(`${outcome.message}; ${saved}, loss.csv and train.json are in ${dir}`);
  const what = `${settings.architecture} (M = ${settings.M}${settings.architecture === 'shplrnn' ? `, H = ${settings.H}` : ''}, ${settings.observation} observation, ${describeForcing(settings)}) on ${data.name}`;
  const losses = outcome.epoch > 0 ? `: loss ${fmt(first!)} → ${fmt(lastLoss)}` : '';
  if (outcome.stopped === 'cancelled' && stoppedBy) {
    out(`${printable(what)}: interrupted by ${stoppedBy} after epoch ${outcome.epoch} of ${settings.epochs}${losses}; ${saved} in ${printable(dir)}`);
    return SIGNAL_EXIT[stoppedBy];
  }
  out(`${printable(what)}: ${outcome.epoch} epochs${losses}; ${saved} in ${printable(dir)}`);
  return 0;
}
