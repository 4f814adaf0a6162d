// The training loop: random subsequences, the loss and its hand-derived gradient (network.ts),
// optional clipping of the global gradient norm, Adam. Deterministic for a seed.
import { InputError } from '../errors';
import { Prng } from '../scyfi/prng';
import type { Dataset } from './data';
import { Batch, checkShape, Forcing, initialParameters, Layout, layoutOf, lossAndGradient, NetworkShape, Observation, RankError, TrainArchitecture } from './network';

export interface TrainSettings {
  architecture: TrainArchitecture;
  M: number;
  /** shplrnn hidden units (ignored for plrnn). */
  H: number;
  observation: Observation;
  forcing: Forcing;
  epochs: number;
  /** Learning rate of Adam. */
  lr: number;
  /** Predicted steps T per subsequence (each holds T + 1 observations). */
  seqLen: number;
  /** Subsequences per batch. */
  batch: number;
  batchesPerEpoch: number;
  /** Largest global gradient norm; undefined: no clipping. */
  clipGrad?: number;
  seed: number;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** Adam (Kingma & Ba 2015) with bias correction, on the trainable entries of a flat vector. */
export class Adam {
  /** First and second moment estimates. */
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Steps taken. */
  t = 0;

  constructor(
    size: number,
    readonly lr: number,
    private readonly trainable?: Uint8Array,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** θ ← θ − lr m̂ / (√v̂ + ε) for the gradient `scale` · grad. */
  step(theta: Float64Array, grad: Float64Array, scale = 1): void {
    this.t++;
    const { beta1, beta2, eps } = ADAM;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let k = 0; k < theta.length; k++) {
      if (this.trainable && !this.trainable[k]) continue;
      const g = grad[k] * scale;
      this.m[k] = beta1 * this.m[k] + (1 - beta1) * g;
      this.v[k] = beta2 * this.v[k] + (1 - beta2) * g * g;
      theta[k] -= (this.lr * (this.m[k] / c1)) / (Math.sqrt(this.v[k] / c2) + eps);
    }
  }
}

/** The factor that brings a gradient of norm `norm` down to `clip` (1 when it is within, or no clip). */
export function clipScale(norm: number, clip: number | undefined): number {
  return clip !== undefined && norm > clip ? clip / norm : 1;
}

export interface EpochRecord {
  epoch: number;
  /** Mean of the epoch's batch losses (each before its update). */
  loss: number;
  /** Largest global gradient norm of the epoch's batches, before any clipping. */
  gradNorm: number;
  /**
   * The loss without any forcing at the epoch's end, on fixed windows of the data: the same
   * measure whatever the forcing, so runs with and without teacher forcing compare.
   */
  freeLoss: number;
}

/** Windows of the data the free-running loss is measured on (evenly spaced, the same every epoch). */
export const FREE_LOSS_WINDOWS = 64;

export function networkShape(settings: TrainSettings, N: number): NetworkShape {
  return { architecture: settings.architecture, M: settings.M, H: settings.architecture === 'plrnn' ? settings.M : settings.H, N, observation: settings.observation };
}

export class Trainer {
  readonly layout: Layout;
  /** The parameters now (flat; layout.slots say where each tensor is). */
  readonly theta: Float64Array;
  /** Completed epochs. */
  epoch = 0;
  /** The gradient of the last batch, before clipping. */
  readonly grad: Float64Array;
  readonly adam: Adam;
  private readonly sampler: Prng;
  private readonly batchData: Batch;
  /** The fixed windows of the free-running loss. */
  private readonly evalData: Batch;
  /** Start windows per series (length − T), and their running total. */
  private readonly windows: number[];
  private readonly totalWindows: number;

  constructor(
    readonly data: Dataset,
    readonly settings: TrainSettings,
  ) {
    const shape = networkShape(settings, data.N);
    checkShape(shape);
    const T = settings.seqLen;
    this.windows = data.lengths.map((L) => Math.max(0, L - T));
    this.totalWindows = this.windows.reduce((a, b) => a + b, 0);
    if (this.totalWindows === 0) {
      throw new InputError(`--seq-len ${T} needs series of at least ${T + 1} time steps; the longest in ${data.name} has ${Math.max(...data.lengths)}`);
    }
    this.layout = layoutOf(shape);
    // Separate streams: the initialisation does not depend on how batches are drawn.
    this.theta = initialParameters(this.layout, new Prng(settings.seed));
    this.sampler = new Prng((settings.seed ^ 0x5bd1e995) >>> 0);
    this.grad = new Float64Array(this.layout.size);
    this.adam = new Adam(this.layout.size, settings.lr, this.layout.trainable);
    this.batchData = { x: new Float64Array(settings.batch * (T + 1) * data.N), count: settings.batch, T, N: data.N };
    this.evalData = this.evaluationWindows();
  }

  /** Window w of all windows, counted across the series in order. */
  private copyWindow(w: number, into: Float64Array, at: number): void {
    const N = this.data.N;
    let i = 0;
    while (w >= this.windows[i]) w -= this.windows[i++];
    into.set(this.data.series[i].subarray(w * N, w * N + (this.settings.seqLen + 1) * N), at);
  }

  private evaluationWindows(): Batch {
    const { N } = this.data;
    const T = this.settings.seqLen;
    const count = Math.min(FREE_LOSS_WINDOWS, this.totalWindows);
    const x = new Float64Array(count * (T + 1) * N);
    for (let q = 0; q < count; q++) this.copyWindow(Math.floor(((q + 0.5) * this.totalWindows) / count), x, q * (T + 1) * N);
    return { x, count, T, N };
  }

  /** The loss of the parameters now, free-running (no forcing) on the fixed evaluation windows. */
  freeRunningLoss(): number {
    try {
      return lossAndGradient(this.layout, this.theta, this.evalData, { kind: 'none' });
    } catch (e) {
      // B lost rank: the next batch stops the run with the reason; this epoch's value is unknown.
      if (e instanceof RankError) return NaN;
      throw e;
    }
  }

  /** Fills the batch with `batch` subsequences drawn uniformly among all windows of T + 1 steps. */
  private sample(): void {
    const len = (this.settings.seqLen + 1) * this.data.N;
    for (let q = 0; q < this.settings.batch; q++) this.copyWindow(this.sampler.nextInt(this.totalWindows), this.batchData.x, q * len);
  }

  /** One batch: its loss and gradient norm (before clipping), then an Adam step. */
  batchStep(): { loss: number; gradNorm: number } {
    this.sample();
    const loss = lossAndGradient(this.layout, this.theta, this.batchData, this.settings.forcing, this.grad);
    let sq = 0;
    for (let k = 0; k < this.grad.length; k++) sq += this.grad[k] * this.grad[k];
    const gradNorm = Math.sqrt(sq);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) return { loss, gradNorm };
    this.adam.step(this.theta, this.grad, clipScale(gradNorm, this.settings.clipGrad));
    return { loss, gradNorm };
  }
}

export interface TrainHooks {
  /** After every completed epoch, with the parameters at its end. */
  onEpoch(record: EpochRecord, theta: Float64Array): void;
  /** Asked after every batch: true stops the run (the unfinished epoch is dropped). */
  isCancelled(): boolean;
}

export interface TrainOutcome {
  /** done: every epoch ran; cancelled: isCancelled said stop; diverged: see `message`. */
  stopped: 'done' | 'cancelled' | 'diverged';
  /** The last completed epoch: trainer.theta holds the parameters at its end. */
  epoch: number;
  message?: string;
}

/** Milliseconds of computation between two yields to the event loop (where signals arrive). */
const SLICE_MS = 20;

/**
 * Runs the remaining epochs. Every batch ends with a check of `isCancelled`, and the event loop
 * gets a turn at least every SLICE_MS, so a signal handler can stop the run after the batch in
 * progress. An epoch stopped half-way is dropped: the parameters go back to its start, so every
 * epoch reported to onEpoch is complete and trainer.theta is always the end of the last one.
 */
export async function runTraining(trainer: Trainer, hooks: TrainHooks): Promise<TrainOutcome> {
  const { epochs, batchesPerEpoch } = trainer.settings;
  const start = new Float64Array(trainer.theta.length);
  let last = performance.now();
  const pause = async () => {
    if (performance.now() - last < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
  };
  while (trainer.epoch < epochs) {
    start.set(trainer.theta);
    let lossSum = 0;
    let gradMax = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      let r: { loss: number; gradNorm: number };
      try {
        r = trainer.batchStep();
      } catch (e) {
        if (!(e instanceof RankError)) throw e;
        trainer.theta.set(start);
        return { stopped: 'diverged', epoch: trainer.epoch, message: `${e.message} (epoch ${trainer.epoch + 1}, batch ${b + 1})` };
      }
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.gradNorm)) {
        trainer.theta.set(start);
        return {
          stopped: 'diverged',
          epoch: trainer.epoch,
          message: `the ${Number.isFinite(r.loss) ? 'gradient norm' : 'loss'} is ${Number.isFinite(r.loss) ? r.gradNorm : r.loss} in epoch ${trainer.epoch + 1}, batch ${b + 1}: training diverged (a smaller --lr, --clip-grad or forcing may help)`,
        };
      }
      lossSum += r.loss;
      gradMax = Math.max(gradMax, r.gradNorm);
      await pause();
      if (b < batchesPerEpoch - 1 && hooks.isCancelled()) {
        trainer.theta.set(start);
        return { stopped: 'cancelled', epoch: trainer.epoch };
      }
    }
    trainer.epoch++;
    hooks.onEpoch({ epoch: trainer.epoch, loss: lossSum / batchesPerEpoch, gradNorm: gradMax, freeLoss: trainer.freeRunningLoss() }, trainer.theta);
    if (trainer.epoch < epochs && hooks.isCancelled()) return { stopped: 'cancelled', epoch: trainer.epoch };
  }
  return { stopped: 'done', epoch: trainer.epoch };
}
