// The trainer (docs/training.md): BPTT with sparse or generalized teacher forcing for plrnn and
// shplrnn, hand-derived gradients, Adam, checkpoints the project's loader reads.
import type { Dataset } from './data';
import { ADAM, TrainSettings } from './trainer';

export { BUILT_IN_DATA, GT16, GT16_MODEL, loadDataset, MORRIS_LECAR, NEURON, neuron, gt16, parseCsv, type Dataset } from './data';
export { layoutOf, lossAndGradient, initialParameters, OBSERVATIONS, TRAIN_ARCHITECTURES, type Forcing, type Layout, type NetworkShape, type Observation, type TrainArchitecture } from './network';
export { LOSS_HEADER, parameterTensors, RunFolder, safetensorsBytes, writeAtomically } from './output';
export { ADAM, Adam, clipScale, runTraining, Trainer, type EpochRecord, type TrainHooks, type TrainOutcome, type TrainSettings } from './trainer';

/** Version of the trainer's file layout, in train.json and every checkpoint's __metadata__. */
export const TRAINER_VERSION = 1;

export interface RunSettings extends TrainSettings {
  saveEvery: number;
}

/** The forcing in words, e.g. "GTF α = 0.1". */
export function describeForcing(s: TrainSettings): string {
  const f = s.forcing;
  return f.kind === 'none' ? 'no forcing (plain BPTT)' : f.kind === 'sparse' ? `sparse teacher forcing τ = ${f.tau}` : `GTF α = ${f.alpha}`;
}

/** train.json: every setting, the data and the conventions, in one object. */
export function trainJson(s: RunSettings, data: Dataset): Record<string, unknown> {
  return {
    scyfi_trainer: TRAINER_VERSION,
    architecture: s.architecture,
    M: s.M,
    ...(s.architecture === 'shplrnn' ? { H: s.H } : {}),
    N: data.N,
    observation: s.observation,
    forcing: s.forcing.kind,
    ...(s.forcing.kind === 'sparse' ? { tau: s.forcing.tau } : s.forcing.kind === 'gtf' ? { alpha: s.forcing.alpha } : {}),
    epochs: s.epochs,
    save_every: s.saveEvery,
    seed: s.seed,
    lr: s.lr,
    seq_len: s.seqLen,
    batch: s.batch,
    batches_per_epoch: s.batchesPerEpoch,
    clip_grad: s.clipGrad ?? null,
    optimizer: { name: 'adam', ...ADAM },
    loss: 'mse of the one-step predictions x̂_1 … x̂_T of each subsequence, before forcing',
    initial_state: s.observation === 'identity' ? 'z_0 = [x_0; 0]' : 'z_0 = B⁺ x_0',
    data: {
      name: data.name,
      description: data.description,
      series: data.series.length,
      lengths: data.lengths,
      ...(data.standardised ? { standardised: data.standardised } : {}),
    },
    files: {
      checkpoints: 'model_<epoch>.safetensors (model_0: the initial parameters), float64, tensors named as the JSON model format keys',
      loss: 'loss.csv: epoch,loss,grad_norm,free_loss (mean batch loss; largest batch gradient norm before clipping; loss without forcing on 64 fixed windows at the epoch\'s end)',
    },
  };
}

/** The string-to-string __metadata__ of every checkpoint (the epoch is added per file). */
export function checkpointMetadata(s: RunSettings, data: Dataset): Record<string, string> {
  const json = trainJson(s, data);
  const out: Record<string, string> = { architecture: s.architecture, scyfi_trainer: String(TRAINER_VERSION) };
  for (const key of ['M', 'H', 'N', 'observation', 'forcing', 'tau', 'alpha', 'epochs', 'save_every', 'seed', 'lr', 'seq_len', 'batch', 'batches_per_epoch', 'clip_grad']) {
    if (json[key] !== undefined) out[key] = json[key] === null ? 'off' : String(json[key]);
  }
  out.data = data.name;
  return out;
}
