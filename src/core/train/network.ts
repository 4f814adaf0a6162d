// The trainable networks (plrnn and shplrnn with an identity or linear observation), their
// parameters in one flat vector, and the loss of a batch of subsequences with its gradient,
// derived by hand (docs/training.md, "The gradient"). Everything is float64.
import { InputError } from '../errors';
import { eigenvalues, luFactor, luSolve } from '../linalg';
import { Prng } from '../scyfi/prng';

export const TRAIN_ARCHITECTURES = ['plrnn', 'shplrnn'] as const;
export type TrainArchitecture = (typeof TRAIN_ARCHITECTURES)[number];
export const OBSERVATIONS = ['identity', 'linear'] as const;
export type Observation = (typeof OBSERVATIONS)[number];

/**
 * How the data enter the latent state during a forward pass. ẑ_t is the state inferred from the
 * data x_t: with an identity observation x_t on the first N units and z itself on the rest, with
 * a linear one B⁺ x_t (B⁺ the pseudo-inverse of B) on every unit.
 * - none: the data set the initial state only (plain BPTT).
 * - sparse: every τ steps (t = τ, 2τ, …) the state is replaced by ẑ_t (the lab's BPTT_TF code).
 * - gtf: at every step the state becomes (1 − α) z + α ẑ_t (generalized teacher forcing).
 */
export type Forcing = { kind: 'none' } | { kind: 'sparse'; tau: number } | { kind: 'gtf'; alpha: number };

export interface NetworkShape {
  architecture: TrainArchitecture;
  /** Latent units. */
  M: number;
  /** Hidden units of a shplrnn (M for a plrnn, where every unit switches). */
  H: number;
  /** Observed dimensions. */
  N: number;
  observation: Observation;
}

/** One parameter tensor inside the flat vector, named as the JSON model format's key. */
export interface Slot {
  name: string;
  rows: number;
  /** 1 for a vector. */
  cols: number;
  /** True for a vector (saved with shape [rows]). */
  vector: boolean;
  offset: number;
}

export interface Layout {
  shape: NetworkShape;
  slots: Slot[];
  /** Length of the flat parameter vector. */
  size: number;
  /** 1 where an entry is trained, 0 where it is fixed (a plrnn's W diagonal, kept at exactly 0). */
  trainable: Uint8Array;
}

/** The parameters' layout: plrnn A, W, h; shplrnn A, W1, W2, h1, h2; then B for a linear observation. */
export function layoutOf(shape: NetworkShape): Layout {
  const { M, H, N } = shape;
  const defs: [string, number, number, boolean][] =
    shape.architecture === 'plrnn'
      ? [['A', M, 1, true], ['W', M, M, false], ['h', M, 1, true]]
      : [['A', M, 1, true], ['W1', M, H, false], ['W2', H, M, false], ['h1', M, 1, true], ['h2', H, 1, true]];
  if (shape.observation === 'linear') defs.push(['B', N, M, false]);
  const slots: Slot[] = [];
  let offset = 0;
  for (const [name, rows, cols, vector] of defs) {
    slots.push({ name, rows, cols, vector, offset });
    offset += rows * cols;
  }
  const trainable = new Uint8Array(offset).fill(1);
  if (shape.architecture === 'plrnn') {
    const w = slots[1].offset;
    for (let i = 0; i < M; i++) trainable[w + i * M + i] = 0;
  }
  return { shape, slots, size: offset, trainable };
}

export function slotOf(layout: Layout, name: string): Slot {
  const s = layout.slots.find((x) => x.name === name);
  if (!s) throw new Error(`no parameter ${name} in a ${layout.shape.architecture}`);
  return s;
}

/** A standard normal draw (Box–Muller on the seeded generator). */
export function gaussian(rng: Prng): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * A, W of the GTF-shPLRNN and dendPLRNN code's initialisation (Talathi & Vartak 2016): the
 * positive definite (RᵀR / M + I) scaled to a largest eigenvalue of 1, R standard normal; A is
 * its diagonal, W the rest.
 */
function normalizedPositiveDefinite(M: number, rng: Prng): Float64Array {
  const R = Float64Array.from({ length: M * M }, () => gaussian(rng));
  const K = new Float64Array(M * M);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < M; j++) {
      let s = 0;
      for (let k = 0; k < M; k++) s += R[k * M + i] * R[k * M + j];
      K[i * M + j] = s / M + (i === j ? 1 : 0);
    }
  }
  const lambda = Math.max(...eigenvalues(K, M).map(([re]) => Math.abs(re)));
  return K.map((x) => x / lambda);
}

/**
 * Initial parameters, from `rng`: plrnn A, W from a normalised positive definite matrix, h = 0;
 * shplrnn A the same diagonal, W1 ~ U(±1/√H), W2 ~ U(±1/√M), h1 = h2 = 0 (the GTF-shPLRNN
 * code's shallowPLRNN); B (linear observation) ~ N(0, 2/M) (Kaiming, as its Affine model).
 */
export function initialParameters(layout: Layout, rng: Prng): Float64Array {
  const { M, H } = layout.shape;
  const theta = new Float64Array(layout.size);
  const AW = normalizedPositiveDefinite(M, rng);
  const A = slotOf(layout, 'A').offset;
  for (let i = 0; i < M; i++) theta[A + i] = AW[i * M + i];
  if (layout.shape.architecture === 'plrnn') {
    const W = slotOf(layout, 'W').offset;
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) theta[W + i * M + j] = i === j ? 0 : AW[i * M + j];
  } else {
    const W1 = slotOf(layout, 'W1').offset;
    const W2 = slotOf(layout, 'W2').offset;
    for (let k = 0; k < M * H; k++) theta[W1 + k] = rng.uniform(-1, 1) / Math.sqrt(H);
    for (let k = 0; k < H * M; k++) theta[W2 + k] = rng.uniform(-1, 1) / Math.sqrt(M);
  }
  if (layout.shape.observation === 'linear') {
    const B = slotOf(layout, 'B').offset;
    for (let k = 0; k < layout.shape.N * M; k++) theta[B + k] = gaussian(rng) * Math.sqrt(2 / M);
  }
  return theta;
}

/** `count` subsequences of T + 1 observations each (x_0 … x_T), row-major: x[(q (T+1) + t) N + j]. */
export interface Batch {
  x: Float64Array;
  count: number;
  T: number;
  N: number;
}

/** The observation matrix lost rank during training: B⁺ is not defined. */
export class RankError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RankError';
  }
}

/** Row-major product of a (n×m) and b (m×p), or of their transposes as flagged. */
function mul(a: Float64Array, b: Float64Array, n: number, m: number, p: number, ta = false, tb = false): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < m; l++) {
      const x = ta ? a[l * n + i] : a[i * m + l];
      if (x === 0) continue;
      for (let j = 0; j < p; j++) out[i * p + j] += x * (tb ? b[j * m + l] : b[l * p + j]);
    }
  }
  return out;
}

/** K⁻¹ of a symmetric positive definite k×k Gram matrix, or undefined when it is singular. */
function inverse(K: Float64Array, k: number): Float64Array | undefined {
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(K[i * k + i]));
  const lu = Float64Array.from(K);
  const piv = new Int32Array(k);
  if (!(scale > 0) || !luFactor(lu, k, piv, scale * 1e-13)) return undefined;
  const out = new Float64Array(k * k);
  const e = new Float64Array(k);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    e.fill(0);
    e[j] = 1;
    luSolve(lu, k, piv, e, col);
    for (let i = 0; i < k; i++) out[i * k + j] = col[i];
  }
  return out;
}

/** B⁺ (M×N) of B (N×M) of full rank: Bᵀ (B Bᵀ)⁻¹ when N ≤ M, (Bᵀ B)⁻¹ Bᵀ otherwise. */
export function pseudoInverse(B: Float64Array, N: number, M: number): Float64Array {
  if (N <= M) {
    const K = inverse(mul(B, B, N, M, N, false, true), N);
    if (!K) throw new RankError(`the observation matrix B (${N}×${M}) lost rank: its pseudo-inverse, which infers states from the data, is not defined`);
    return mul(B, K, M, N, N, true);
  }
  const K = inverse(mul(B, B, M, N, M, true), M);
  if (!K) throw new RankError(`the observation matrix B (${N}×${M}) lost rank: its pseudo-inverse, which infers states from the data, is not defined`);
  return mul(K, B, M, M, N, false, true);
}

/**
 * Adds to gB (N×M) the gradient that flows into B through B⁺, given G = ∂L/∂B⁺ (M×N):
 * ∂L/∂B = −B⁺ᵀ G B⁺ᵀ + (I − B B⁺) Gᵀ B⁺ B⁺ᵀ + B⁺ᵀ B⁺ Gᵀ (I − B⁺ B) (the derivative of the
 * pseudo-inverse at constant rank, Golub & Pereyra 1973).
 */
function addPseudoInverseGradient(gB: Float64Array, gOffset: number, B: Float64Array, Bp: Float64Array, G: Float64Array, N: number, M: number): void {
  const t1 = mul(mul(Bp, G, N, M, N, true), Bp, N, N, M, false, true); // B⁺ᵀ G B⁺ᵀ
  const BBp = mul(B, Bp, N, M, N); // N×N
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) BBp[i * N + j] = (i === j ? 1 : 0) - BBp[i * N + j];
  const t2 = mul(mul(BBp, G, N, N, M, false, true), mul(Bp, Bp, M, N, M, false, true), N, M, M); // (I − B B⁺) Gᵀ B⁺ B⁺ᵀ
  const BpB = mul(Bp, B, M, N, M); // M×M
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) BpB[i * M + j] = (i === j ? 1 : 0) - BpB[i * M + j];
  const t3 = mul(mul(mul(Bp, Bp, N, M, N, true), G, N, N, M, false, true), BpB, N, M, M); // B⁺ᵀ B⁺ Gᵀ (I − B⁺ B)
  for (let k = 0; k < N * M; k++) gB[gOffset + k] += -t1[k] + t2[k] + t3[k];
}

/**
 * The mean squared error of the one-step predictions x̂_1 … x̂_T of every subsequence of the
 * batch, with the forcing applied, and (when `grad` is given) its gradient with respect to every
 * parameter, written into `grad` (zero where an entry is not trained).
 *
 * Forward pass of one subsequence: z_0 = ẑ_0; for t = 0 … T−1: s = F(z_t), x̂_{t+1} = O s, and
 * z_{t+1} = force(s, ẑ_{t+1}) at step t + 1. The loss compares x̂_{t+1} with x_{t+1}: the
 * prediction made before any forcing. Backward: the same steps in reverse (docs/training.md).
 */
export function lossAndGradient(layout: Layout, theta: Float64Array, batch: Batch, forcing: Forcing, grad?: Float64Array): number {
  const { M, H, N, architecture, observation } = layout.shape;
  const { T, count, x } = batch;
  if (batch.N !== N) throw new Error(`the batch has ${batch.N} observed dimensions, the network ${N}`);
  const plrnn = architecture === 'plrnn';
  const linear = observation === 'linear';
  const oA = slotOf(layout, 'A').offset;
  const oW = plrnn ? slotOf(layout, 'W').offset : 0;
  const oh = plrnn ? slotOf(layout, 'h').offset : 0;
  const oW1 = plrnn ? 0 : slotOf(layout, 'W1').offset;
  const oW2 = plrnn ? 0 : slotOf(layout, 'W2').offset;
  const oh1 = plrnn ? 0 : slotOf(layout, 'h1').offset;
  const oh2 = plrnn ? 0 : slotOf(layout, 'h2').offset;
  const oB = linear ? slotOf(layout, 'B').offset : 0;
  const B = linear ? theta.subarray(oB, oB + N * M) : undefined;
  const Bp = B ? pseudoInverse(B, N, M) : undefined;
  const tau = forcing.kind === 'sparse' ? forcing.tau : 0;
  const alpha = forcing.kind === 'gtf' ? forcing.alpha : 0;
  // Forcing at step t (t ≥ 1): full replacement (sparse), mixing (gtf) or none.
  const forcedAt = (t: number) => (forcing.kind === 'sparse' ? t % tau === 0 : forcing.kind === 'gtf');
  const w = forcing.kind === 'sparse' ? 1 : alpha; // weight of ẑ in the forced state

  const zin = new Float64Array(T * M); // state entering step t, after forcing
  const u = new Float64Array(plrnn ? 0 : T * H); // shplrnn pre-activations W2 z + h2
  const s = new Float64Array(T * M); // F(z_t), before forcing
  const res = new Float64Array(T * N); // x̂_{t+1} − x_{t+1}
  const zhat = new Float64Array(M);
  const gS = new Float64Array(M);
  const gZ = new Float64Array(M);
  const gNext = new Float64Array(M);
  const gU = new Float64Array(H);
  const G = linear ? new Float64Array(M * N) : undefined; // ∂L/∂B⁺
  if (grad) grad.fill(0);
  const c = 2 / (count * T * N);
  let total = 0;

  const xAt = (q: number, t: number) => (q * (T + 1) + t) * N;
  /** ẑ of the linear observation: B⁺ x_t. */
  const inferred = (q: number, t: number) => {
    const xo = xAt(q, t);
    for (let i = 0; i < M; i++) {
      let v = 0;
      for (let j = 0; j < N; j++) v += Bp![i * N + j] * x[xo + j];
      zhat[i] = v;
    }
  };

  for (let q = 0; q < count; q++) {
    // Forward.
    for (let t = 0; t < T; t++) {
      const zo = t * M;
      if (t === 0) {
        if (linear) {
          inferred(q, 0);
          zin.set(zhat, 0);
        } else {
          const xo = xAt(q, 0);
          for (let i = 0; i < M; i++) zin[i] = i < N ? x[xo + i] : 0;
        }
      } else {
        const so = (t - 1) * M;
        if (!forcedAt(t)) {
          for (let i = 0; i < M; i++) zin[zo + i] = s[so + i];
        } else if (linear) {
          inferred(q, t);
          for (let i = 0; i < M; i++) zin[zo + i] = (1 - w) * s[so + i] + w * zhat[i];
        } else {
          const xo = xAt(q, t);
          for (let i = 0; i < M; i++) zin[zo + i] = i < N ? (1 - w) * s[so + i] + w * x[xo + i] : s[so + i];
        }
      }
      const so = t * M;
      if (plrnn) {
        for (let i = 0; i < M; i++) {
          let v = theta[oA + i] * zin[zo + i] + theta[oh + i];
          const r = oW + i * M;
          for (let j = 0; j < M; j++) {
            const zj = zin[zo + j];
            // W's diagonal is not a parameter of a PLRNN: it is 0 by definition.
            if (zj > 0 && j !== i) v += theta[r + j] * zj;
          }
          s[so + i] = v;
        }
      } else {
        const uo = t * H;
        for (let k = 0; k < H; k++) {
          let v = theta[oh2 + k];
          const r = oW2 + k * M;
          for (let j = 0; j < M; j++) v += theta[r + j] * zin[zo + j];
          u[uo + k] = v;
        }
        for (let i = 0; i < M; i++) {
          let v = theta[oA + i] * zin[zo + i] + theta[oh1 + i];
          const r = oW1 + i * H;
          for (let k = 0; k < H; k++) {
            const uk = u[uo + k];
            if (uk > 0) v += theta[r + k] * uk;
          }
          s[so + i] = v;
        }
      }
      const xo = xAt(q, t + 1);
      for (let j = 0; j < N; j++) {
        let pred: number;
        if (linear) {
          pred = 0;
          for (let i = 0; i < M; i++) pred += B![j * M + i] * s[so + i];
        } else {
          pred = s[so + j];
        }
        const e = pred - x[xo + j];
        res[t * N + j] = e;
        total += e * e;
      }
    }
    if (!grad) continue;

    // Backward: gNext is ∂L/∂z_{t+1} (the state entering the next step).
    gNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const so = t * M;
      const zo = t * M;
      // ∂L/∂s through the prediction x̂_{t+1} = O s.
      for (let i = 0; i < M; i++) {
        let v = 0;
        if (linear) for (let j = 0; j < N; j++) v += B![j * M + i] * res[t * N + j];
        else if (i < N) v = res[t * N + i];
        gS[i] = c * v;
      }
      if (linear) {
        for (let j = 0; j < N; j++) {
          const e = c * res[t * N + j];
          if (e !== 0) for (let i = 0; i < M; i++) grad[oB + j * M + i] += e * s[so + i];
        }
      }
      // ∂L/∂s through z_{t+1} = force(s, ẑ_{t+1}).
      if (t + 1 < T) {
        if (!forcedAt(t + 1)) {
          for (let i = 0; i < M; i++) gS[i] += gNext[i];
        } else if (linear) {
          for (let i = 0; i < M; i++) gS[i] += (1 - w) * gNext[i];
          const xo = xAt(q, t + 1);
          for (let i = 0; i < M; i++) {
            const g = w * gNext[i];
            if (g !== 0) for (let j = 0; j < N; j++) G![i * N + j] += g * x[xo + j];
          }
        } else {
          for (let i = 0; i < M; i++) gS[i] += (i < N ? 1 - w : 1) * gNext[i];
        }
      }
      // Through s = F(z_t): the parameters' gradients and ∂L/∂z_t.
      if (plrnn) {
        for (let i = 0; i < M; i++) {
          const g = gS[i];
          grad[oA + i] += g * zin[zo + i];
          grad[oh + i] += g;
          gZ[i] = theta[oA + i] * g;
          if (g === 0) continue;
          const r = oW + i * M;
          for (let j = 0; j < M; j++) {
            const zj = zin[zo + j];
            if (zj > 0 && j !== i) grad[r + j] += g * zj;
          }
        }
        for (let j = 0; j < M; j++) {
          if (!(zin[zo + j] > 0)) continue;
          let v = 0;
          for (let i = 0; i < M; i++) if (i !== j) v += theta[oW + i * M + j] * gS[i];
          gZ[j] += v;
        }
      } else {
        const uo = t * H;
        for (let i = 0; i < M; i++) {
          const g = gS[i];
          grad[oA + i] += g * zin[zo + i];
          grad[oh1 + i] += g;
          gZ[i] = theta[oA + i] * g;
          if (g === 0) continue;
          const r = oW1 + i * H;
          for (let k = 0; k < H; k++) {
            const uk = u[uo + k];
            if (uk > 0) grad[r + k] += g * uk;
          }
        }
        for (let k = 0; k < H; k++) {
          if (!(u[uo + k] > 0)) {
            gU[k] = 0;
            continue;
          }
          let v = 0;
          for (let i = 0; i < M; i++) v += theta[oW1 + i * H + k] * gS[i];
          gU[k] = v;
          grad[oh2 + k] += v;
          if (v === 0) continue;
          const r = oW2 + k * M;
          for (let j = 0; j < M; j++) {
            grad[r + j] += v * zin[zo + j];
            gZ[j] += theta[r + j] * v;
          }
        }
      }
      gNext.set(gZ);
    }
    // z_0 = ẑ_0 = B⁺ x_0 (linear observation): its share of ∂L/∂B⁺.
    if (linear) {
      const xo = xAt(q, 0);
      for (let i = 0; i < M; i++) {
        const g = gNext[i];
        if (g !== 0) for (let j = 0; j < N; j++) G![i * N + j] += g * x[xo + j];
      }
    }
  }
  if (grad && linear) addPseudoInverseGradient(grad, oB, B!, Bp!, G!, N, M);
  if (grad) for (let k = 0; k < layout.size; k++) if (!layout.trainable[k]) grad[k] = 0;
  return total / (count * T * N);
}

/** Checks a network shape before it is built (one line naming the problem). */
export function checkShape(shape: NetworkShape): void {
  const { M, H, N, architecture, observation } = shape;
  if (!Number.isInteger(M) || M < 1) throw new InputError(`M must be a whole number ≥ 1, got ${M}`);
  if (architecture === 'shplrnn' && (!Number.isInteger(H) || H < 1)) throw new InputError(`H must be a whole number ≥ 1, got ${H}`);
  if (observation === 'identity' && M < N) {
    throw new InputError(`an identity observation reads the data off the first N latent units, so M must be at least N = ${N} (the data's dimension), got M = ${M}; use a larger M or --obs linear`);
  }
}
