// What the tensors of the public PLRNN code bases mean, beyond their names: the sign of the
// dendPLRNN code's thresholds, its variants (mean-centring, clipped bases, the state clip, the
// variational code's LeakyReLU), and where an ALRNN's P is written. Each rule cites the code it
// follows in docs/checkpoints.md; a file that could mean two models is refused with the choices.
import { InputError } from '../errors';
import type { Hyperparameters, HyperValue } from './hyperparameters';
import type { Tensor } from './tensor';
import type { SavedObject } from './torch';

/** A model the tensors could stand for, when the file does not say which: one line, with the choices. */
export class AmbiguousModelError extends InputError {
  constructor(
    message: string,
    readonly choices: readonly string[],
  ) {
    super(message);
    this.name = 'AmbiguousModelError';
  }
}

export interface CodeBaseContext {
  /** The file's name in messages. */
  source: string;
  /** The file's format (MATLAB files follow other conventions). */
  format?: string;
  /** The checkpoint's base name (P may be in it: lorenz_m20_p2). */
  fileName: string;
  /** The common prefix of the matched tensors, e.g. "latent_model.latent_step.". */
  prefix: string;
  names: ReadonlySet<string>;
  tensor(name: string): Tensor | undefined;
  hypers: Hyperparameters;
  /** Where hyperparameters were looked for, for messages. */
  looked: string;
}

export interface Reading {
  /** The model in the JSON format (still to be validated). */
  spec: Record<string, unknown>;
  /** What was decided and from where, one line each (shown by inspect, find and the editor). */
  notes: string[];
  /** Which code's conventions were applied. */
  convention: string;
}

type DendCode = 'bptt' | 'mtf' | 'chaos' | 'vi';

const DEND_CODE_NAMES: Record<DendCode, string> = {
  bptt: 'the dendPLRNN code (BPTT_TF, DurstewitzLab/dendPLRNN)',
  mtf: 'the MTF code (DurstewitzLab/MTF)',
  chaos: 'the ChaosRNN code (DurstewitzLab/ChaosRNN)',
  vi: 'the variational dendPLRNN code (VI, DurstewitzLab/dendPLRNN)',
};

/** The variational code's nn.LeakyReLU(0.18) (VI/sgvb/generative_model.py L151). */
const VI_LEAK = 0.18;

function hyper(ctx: CodeBaseContext, ...keys: string[]): { value: HyperValue; key: string; source: string } | undefined {
  for (const k of keys) {
    for (const key of [k, `hyper_parameters.${k}`, `hparams.${k}`, `args.${k}`]) {
      if (key in ctx.hypers.values) return { value: ctx.hypers.values[key], key, source: ctx.hypers.sources[key] };
    }
  }
  return undefined;
}

function asFlag(v: HyperValue): boolean | undefined {
  if (v === true || v === 1 || v === '1' || v === 'True' || v === 'true') return true;
  if (v === false || v === 0 || v === '0' || v === 'False' || v === 'false') return false;
  return undefined;
}

/** clip_range: a positive number, or none (None / null / 0). */
function asClip(v: HyperValue): number | null | undefined {
  if (v === null || v === 'None' || v === 'none' || v === 0 || v === false) return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The code base a latent_step.AW checkpoint comes from, from the tensors around it and its hyperparameters. */
function whichDendCode(ctx: CodeBaseContext): DendCode | undefined {
  const { prefix, names } = ctx;
  const root = prefix.endsWith('latent_model.latent_step.')
    ? prefix.slice(0, -'latent_model.latent_step.'.length)
    : prefix.endsWith('latent_step.')
      ? prefix.slice(0, -'latent_step.'.length)
      : undefined;
  if (root === undefined) return hyper(ctx, 'latent_model') ? 'bptt' : undefined;
  const has = (n: string) => names.has(root + n);
  const any = (start: string) => [...names].some((n) => n.startsWith(root + start));
  if (has('latent_step.clipping') || has('observation.B') || has('R_z') || hyper(ctx, 'rec_model')) return 'vi';
  if (prefix.endsWith('latent_model.latent_step.')) return any('E.') || any('D_gaussian.') || any('D_poisson.') || any('D_ordinal.') ? 'mtf' : 'bptt';
  if (has('obs_model.weight')) return 'chaos';
  return hyper(ctx, 'latent_model') ? (hyper(ctx, 'layer_norm') && !hyper(ctx, 'mean_centering') ? 'chaos' : 'bptt') : undefined;
}

function numberMatrix(t: Tensor): number[][] {
  const data = t.read();
  const [r, c] = t.shape.length === 2 ? t.shape : [t.shape[0] ?? 1, 1];
  return Array.from({ length: r }, (_, i) => Array.from(data.subarray(i * c, (i + 1) * c)));
}

/**
 * A checkpoint of the dendPLRNN family of code bases (AW, h, and for bases alphas, thetas):
 * BPTT_TF, MTF and ChaosRNN compute Σ_b α_b relu(n(z) + θ_b), so θ is negated for the JSON
 * format's relu(z − θ); the variant, mean-centring and state clip come from hyperparameters.
 */
export function readDendCode(generic: Record<string, unknown>, ctx: CodeBaseContext): Reading {
  const code = whichDendCode(ctx);
  const bases = generic.alpha !== undefined;
  const tensors = bases ? `${ctx.prefix}AW, h, alphas, thetas` : `${ctx.prefix}AW, h`;
  if (!code) {
    throw new AmbiguousModelError(
      `${ctx.source}: ${tensors} are named like the dendPLRNN code's, but neither the tensors around them nor a hyperparameter file (${ctx.looked}) tell which code wrote them, and the codes differ in the sign of the thresholds and in their variants; put the run's hypers.pkl next to the checkpoint, or give its values in ${ctx.source}.scyfi.json as {"hyperparameters": {"latent_model": ..., "mean_centering": ..., "clip_range": ...}}`,
      ['BPTT_TF', 'MTF', 'ChaosRNN', 'VI'],
    );
  }
  const notes: string[] = [];
  const missing: string[] = [];
  const from = new Set<string>();
  const spec: Record<string, unknown> = { ...generic };

  if (code === 'vi') return readViCode(generic, ctx, bases);

  // The variant: PLRNN_Step, PLRNN_Basis_Step (dendr-PLRNN) or PLRNN_Clipping_Step (clipped-PLRNN).
  const lm = hyper(ctx, 'latent_model');
  let variant: 'PLRNN' | 'dendr-PLRNN' | 'clipped-PLRNN' | undefined;
  if (lm && typeof lm.value === 'string' && ['PLRNN', 'dendr-PLRNN', 'clipped-PLRNN'].includes(lm.value)) {
    variant = lm.value as typeof variant;
    from.add(lm.source);
  } else if (lm) {
    throw new InputError(`${ctx.source}: ${lm.source} says latent_model = ${JSON.stringify(lm.value)}, which is not a PLRNN variant this reader knows (PLRNN, dendr-PLRNN, clipped-PLRNN)`);
  }
  if (!bases) {
    if (variant && variant !== 'PLRNN') throw new InputError(`${ctx.source}: ${lm!.source} says latent_model = ${variant}, but the checkpoint has no alphas and thetas`);
    variant = 'PLRNN';
  } else if (variant === 'PLRNN') {
    notes.push(`latent_model = PLRNN in ${lm!.source}: the code ignores the stored bases, and so does this reading`);
    delete spec.alpha;
    delete spec.H;
  } else if (!variant) {
    missing.push('the variant (latent_model: dendr-PLRNN or clipped-PLRNN have the same tensors)');
  }

  // Mean-centring: mean_centering (BPTT_TF) or layer_norm (MTF, ChaosRNN), z − mean over the units.
  const mc = code === 'bptt' ? hyper(ctx, 'mean_centering', 'layer_norm') : hyper(ctx, 'layer_norm', 'mean_centering');
  const centred = mc ? asFlag(mc.value) : undefined;
  if (centred === undefined) missing.push(`mean-centring (${code === 'bptt' ? 'mean_centering' : 'layer_norm'}: 0 or 1)`);
  else from.add(mc!.source);

  // The state clip: applied by the PLRNN and dendr-PLRNN steps of BPTT_TF and MTF only.
  const clips = (code === 'bptt' || code === 'mtf') && variant !== 'clipped-PLRNN';
  let clip: number | null | undefined = null;
  if (clips && variant !== undefined) {
    const cr = hyper(ctx, 'clip_range');
    clip = cr ? asClip(cr.value) : undefined;
    if (clip === undefined) missing.push('the state clip (clip_range: a number or None)');
    else from.add(cr!.source);
  }

  if (missing.length > 0) {
    const what = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    throw new AmbiguousModelError(
      `${ctx.source}: a checkpoint of ${DEND_CODE_NAMES[code]} (${tensors}), but ${what} ${missing.length === 1 ? 'is' : 'are'} not in the file and no hyperparameter file says so (looked for ${ctx.looked}); put the run's hypers.pkl next to the checkpoint, or give the values in ${ctx.source}.scyfi.json as {"hyperparameters": {"latent_model": "dendr-PLRNN", "${code === 'bptt' ? 'mean_centering' : 'layer_norm'}": 1, "clip_range": 10}}`,
      missing,
    );
  }

  if (variant !== 'PLRNN') {
    // relu(n + θ) in the code (BPTT_TF PLRNN_model.py L236, L254) is relu(n − H) with H = −θ.
    spec.H = (spec.H as number[][]).map((row) => row.map((x) => -x));
    if (variant === 'clipped-PLRNN') spec.basis = 'clipped';
  }
  if (centred) spec.meanCentering = true;
  if (typeof clip === 'number') spec.clip = clip;
  spec.architecture = variant === 'PLRNN' ? 'plrnn' : 'dendplrnn';
  const parts = [
    variant === 'PLRNN' ? undefined : 'thresholds negated (the code computes relu(z + θ))',
    centred ? 'mean-centring on' : 'no mean-centring',
    typeof clip === 'number' ? `state clipped to ±${clip}` : 'no state clip',
  ].filter(Boolean);
  notes.unshift(`read as a ${variant} of ${DEND_CODE_NAMES[code]}: ${parts.join(', ')}${from.size ? ` (from ${[...from].join(', ')})` : ''}`);
  if (ctx.names.has(`${ctx.prefix}C`)) notes.push('the model has external inputs (C): it is analysed with the inputs at zero');
  return { spec, notes, convention: DEND_CODE_NAMES[code] };
}

/**
 * The variational code (VI/sgvb/generative_model.py): LeakyReLU(0.18) everywhere; without bases
 * PLRNN_Step with the state clip; with bases PLRNN_Clipping_Step,
 * Σ_b α_b [φ(z − θ_b) − φ(z − θ_b + κ_b)] with κ = latent_step.clipping, and no clip.
 */
function readViCode(generic: Record<string, unknown>, ctx: CodeBaseContext, bases: boolean): Reading {
  const name = DEND_CODE_NAMES.vi;
  if (!bases) {
    const cr = hyper(ctx, 'clip_range');
    const clip = cr ? asClip(cr.value) : undefined;
    if (clip === undefined) {
      throw new AmbiguousModelError(
        `${ctx.source}: a checkpoint of ${name} (${ctx.prefix}AW, h), but its state clip (clip_range) is not in the file and no hyperparameter file says so (looked for ${ctx.looked}); put the run's hypers.pkl next to it, or give it in ${ctx.source}.scyfi.json as {"hyperparameters": {"clip_range": 10}}`,
        ['clip_range'],
      );
    }
    const spec: Record<string, unknown> = { ...generic, architecture: 'plrnn', leak: VI_LEAK };
    if (clip !== null) spec.clip = clip;
    return { spec, notes: [`read as a PLRNN of ${name}: LeakyReLU(${VI_LEAK}), ${clip !== null ? `state clipped to ±${clip}` : 'no state clip'} (from ${cr!.source})`], convention: name };
  }
  const root = ctx.prefix.slice(0, -'latent_step.'.length);
  const kt = ctx.tensor(`${root}latent_step.clipping`);
  if (!kt) throw new InputError(`${ctx.source}: a checkpoint of ${name} with bases, but without its latent_step.clipping tensor, which its clipped basis needs`);
  const A = generic.A as number[];
  const W = generic.W as number[][];
  const h = generic.h as number[];
  const alpha = generic.alpha as number[];
  const theta = generic.H as number[][];
  const kappa = numberMatrix(kt);
  const M = A.length;
  const nB = alpha.length;
  if (kappa.length !== M || kappa[0].length !== nB) throw new InputError(`${ctx.source}: latent_step.clipping is ${kappa.length}×${kappa[0].length}, expected M×B = ${M}×${nB}`);
  // φ(a) − φ(a + κ) = −ℓκ + (1 − ℓ)[relu(a) − relu(a + κ)] with a = z_m − θ_mb: 2MB switches.
  const H = 2 * M * nB;
  const B = Array.from({ length: M }, () => new Array<number>(H).fill(0));
  const S = Array.from({ length: H }, () => new Array<number>(M).fill(0));
  const s0 = new Array<number>(H).fill(0);
  const c = [...h];
  for (let m = 0; m < M; m++) {
    for (let b = 0; b < nB; b++) {
      const k1 = (m * nB + b) * 2;
      const k2 = k1 + 1;
      S[k1][m] = 1;
      S[k2][m] = 1;
      s0[k1] = -theta[m][b];
      s0[k2] = -theta[m][b] + kappa[m][b];
      for (let i = 0; i < M; i++) {
        B[i][k1] = (1 - VI_LEAK) * alpha[b] * W[i][m];
        B[i][k2] = -(1 - VI_LEAK) * alpha[b] * W[i][m];
        c[i] -= VI_LEAK * alpha[b] * kappa[m][b] * W[i][m];
      }
    }
  }
  const Afull = A.map((a, i) => A.map((_, j) => (i === j ? a : 0)));
  return {
    spec: { architecture: 'pam', A: Afull, B, S, s0, c },
    notes: [`read as the clipped basis step of ${name}: LeakyReLU(${VI_LEAK}), Σ_b α_b [φ(z − θ_b) − φ(z − θ_b + κ_b)] with κ from latent_step.clipping, written out as a piecewise-affine map (${H} switches), no state clip`],
    convention: name,
  };
}

/** P of an ALRNN from a hyperparameter file (pwl_units in the ALRNN and DynaMix code) or the file name (lorenz_m20_p2). */
export function alrnnP(ctx: Pick<CodeBaseContext, 'hypers' | 'fileName'>, M: number): { P: number; note: string } | undefined {
  const h = hyper(ctx as CodeBaseContext, 'pwl_units', 'P', 'architecture.P');
  if (h && typeof h.value === 'number' && Number.isInteger(h.value) && h.value >= 0 && h.value <= M) {
    return { P: h.value, note: `P = ${h.value} from ${h.key} in ${h.source}` };
  }
  const stem = ctx.fileName.replace(/\.[A-Za-z]+$/, '');
  const p = /(?:^|[_.-])p(\d+)(?=$|[_.-])/i.exec(stem);
  const m = /(?:^|[_.-])m(\d+)(?=$|[_.-])/i.exec(stem);
  if (p && m && Number(m[1]) === M && Number(p[1]) <= M) return { P: Number(p[1]), note: `P = ${p[1]} from the file name ${ctx.fileName} (m${M}_p${p[1]})` };
  return undefined;
}

/** Variables the MATLAB PLRNN code bases save beside A, W, h, that tell which code wrote them. */
const MATLAB_THRESHOLD_MARKERS = ['InpVal', 'OutpVal'];
const MATLAB_BIAS_MARKERS = ['C', 'Gamma', 'J', 'beta', 'zInf', 'W0', 'h0', 'Ezi', 'LL', 'min_MSE', 'max_per_corr'];

/**
 * MATLAB files with A, W, h: the PLRNNstsp code (SimPLRNN.m L26) computes A z + W relu(z − h)
 * (h a threshold), while ContPLRNN, the mmPLRNN EM code and reg-PLRNN compute
 * A z + W relu(z) + h (h a bias). Variables saved beside them tell which; otherwise ask.
 */
function matlabPlrnn(generic: Record<string, unknown>, ctx: CodeBaseContext): Reading | undefined {
  const root = ctx.prefix;
  // Beside the model's own variables, or at the top of the file.
  const has = (n: string) => [root, ''].some((r) => ctx.names.has(r + n) || [...ctx.names].some((x) => x.startsWith(`${r}${n}{`) || x.startsWith(`${r}${n}.`)));
  const codeBase = hyper(ctx, 'codeBase')?.value;
  const threshold = codeBase === 'PLRNNstsp' || (codeBase === undefined && MATLAB_THRESHOLD_MARKERS.some(has));
  const bias = codeBase !== undefined ? codeBase !== 'PLRNNstsp' : MATLAB_BIAS_MARKERS.some(has);
  if (threshold && !bias) {
    const h = generic.h as number[];
    return {
      spec: { architecture: 'dendplrnn', A: generic.A, W: generic.W, h: h.map(() => 0), alpha: [1], H: h.map((x) => [x]) },
      notes: [
        `read as a PLRNN of the PLRNNstsp code (DurstewitzLab/PLRNNstsp SimPLRNN.m: A z + W relu(z − h), h a threshold${codeBase ? `, as ${hyper(ctx, 'codeBase')!.source} says` : ', as its InpVal shows'}): written as a dendPLRNN with one basis, alpha = 1 and thresholds H = h`,
      ],
      convention: 'PLRNNstsp (A, W, h: h a threshold)',
    };
  }
  if (bias && !threshold) return undefined;
  throw new AmbiguousModelError(
    `${ctx.source}: a MATLAB PLRNN (${root}A, W, h), but the MATLAB code bases disagree on h: a bias in ContPLRNN, mmPLRNN and reg-PLRNN (A z + W relu(z) + h), a threshold in PLRNNstsp (A z + W relu(z − h)), and nothing in the file tells which; set "codeBase": "ContPLRNN" or "PLRNNstsp" in ${ctx.source}.scyfi.json (or pass --architecture plrnn for h a bias)`,
    ['ContPLRNN', 'PLRNNstsp'],
  );
}

/**
 * A, W, h: a PLRNN (W acting on relu of every unit) or an ALRNN (only the last P units switch)?
 * A W with a zero diagonal is the PLRNN convention; otherwise P must come from somewhere.
 */
export function plainPlrnnOrAlrnn(generic: Record<string, unknown>, ctx: CodeBaseContext): Reading {
  const W = generic.W as number[][];
  const M = Array.isArray(generic.h) ? (generic.h as unknown[]).length : W.length;
  const named = hyper(ctx, 'architecture');
  if (named?.value === 'plrnn') return { spec: { ...generic, architecture: 'plrnn' }, notes: [`read as a PLRNN: architecture = plrnn in ${named.source}`], convention: 'PLRNN (A, W, h)' };
  const found = alrnnP(ctx, M);
  if (found) return { spec: { ...generic, architecture: 'alrnn', P: found.P }, notes: [`read as an ALRNN: ${found.note}`], convention: 'ALRNN (A, W, h)' };
  const zeroDiagonal = Array.isArray(W) && W.every((row, i) => Array.isArray(row) && row[i] === 0);
  if (zeroDiagonal && ctx.format === 'mat') {
    const m = matlabPlrnn(generic, ctx);
    if (m) return m;
  }
  if (zeroDiagonal) return { spec: { ...generic, architecture: 'plrnn' }, notes: [], convention: 'PLRNN (A, W, h)' };
  throw new AmbiguousModelError(
    `${ctx.source}: could be a PLRNN or an ALRNN (${ctx.prefix}A, W, h with a W that has a diagonal): P is not stored and no hyperparameter file names it (looked for ${ctx.looked}); pass --architecture plrnn, or --architecture alrnn --P <n> (CLI), or set "architecture" (and "P") in ${ctx.source}.scyfi.json`,
    ['plrnn', 'alrnn'],
  );
}

/** Hyperparameter keys that name a shallow PLRNN's variant in the code bases. */
const VARIANT_KEYS = ['latent_model', 'model', 'model_type', 'architecture', 'expert_type', 'codeBase'];

function lengthOf(v: unknown): number {
  return Array.isArray(v) ? v.length : -1;
}

/**
 * A, W1, W2, h1, h2: a shallow PLRNN, or a clipped one (W1 [relu(W2 z + h2) − relu(W2 z)])? The
 * tensors are the same. Also reads files that name the hidden layer first (W1 its input
 * weights, h1 its biases, as SCYFI-speedup's data files do), which the shapes make certain.
 */
export function shallowVariant(generic: Record<string, unknown>, ctx: CodeBaseContext, architecture: 'shplrnn' | 'clipped-shplrnn' | undefined): Reading {
  const notes: string[] = [];
  let spec = { ...generic };
  const M = lengthOf(spec.A);
  const W1 = spec.W1 as number[][];
  const W2 = spec.W2 as number[][];
  const H1 = lengthOf(spec.h1);
  const H2 = lengthOf(spec.h2);
  if (Array.isArray(W1) && Array.isArray(W2) && M > 0 && H1 !== M && H2 === M && W1.length === H1 && lengthOf(W1[0]) === M && W2.length === M && lengthOf(W2[0]) === H1) {
    spec = { ...spec, W1: W2, W2: W1, h1: spec.h2, h2: spec.h1 };
    notes.push(`the file names the hidden layer first (its W1 is ${H1}×${M} and h1 has ${H1} entries, as SCYFI-speedup's data files do): read as W2 and h2 of z' = A z + W1 relu(W2 z + h2) + h1`);
  }
  let variant = architecture;
  let from = '';
  if (!variant) {
    if (/clipped/i.test(ctx.prefix) || /clipped/i.test(ctx.fileName)) {
      variant = 'clipped-shplrnn';
      from = 'its name says clipped';
    } else {
      for (const k of VARIANT_KEYS) {
        const h = hyper(ctx, k);
        if (!h || typeof h.value !== 'string') continue;
        if (/clipped/i.test(h.value)) variant = 'clipped-shplrnn';
        else if (/shallow|shplrnn/i.test(h.value)) variant = 'shplrnn';
        else continue;
        from = `${h.key} = ${h.value} in ${h.source}`;
        break;
      }
    }
  }
  if (!variant) {
    throw new AmbiguousModelError(
      `${ctx.source}: could be a shallow PLRNN or a clipped one (${ctx.prefix}A, W1, W2, h1, h2 are the same for both: W1 relu(W2 z + h2) + h1, or W1 [relu(W2 z + h2) − relu(W2 z)] + h1) and nothing says which (looked for ${ctx.looked}); pass --architecture shplrnn or --architecture clipped-shplrnn (CLI), or set "architecture" in ${ctx.source}.scyfi.json`,
      ['shplrnn', 'clipped-shplrnn'],
    );
  }
  if (from) notes.unshift(`read as a ${variant === 'clipped-shplrnn' ? 'clipped ' : ''}shallow PLRNN: ${from}`);
  return { spec: { ...spec, architecture: variant }, notes, convention: 'shPLRNN (A, W1, W2, h1, h2)' };
}

/** The dendPLRNN code's step classes (BPTT_TF/bptt/PLRNN_model.py) and the variant each one is. */
const BPTT_STEP_CLASSES: Record<string, string> = { PLRNN_Step: 'PLRNN', PLRNN_Basis_Step: 'dendr-PLRNN', PLRNN_Clipping_Step: 'clipped-PLRNN' };

/**
 * What a model saved whole (torch.save(model)) says about itself that its tensors cannot: for the
 * dendPLRNN code, the class of its latent step is the variant, the step's clip_range attribute
 * is the state clip, and a step whose norm is an nn.Identity has no mean-centring (a centring
 * step holds a lambda, which cannot be pickled). Keys are named as the code's hypers.pkl names
 * them, under the object's key in the file and under the step's path in the model.
 */
export function hyperparametersOfSavedObjects(objects: readonly { key: string; object: SavedObject }[]): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  const visit = (o: SavedObject, depth: number) => {
    const variant = BPTT_STEP_CLASSES[o.cls.slice(o.cls.lastIndexOf('.') + 1)];
    if (variant && !('latent_model' in out)) {
      out.latent_model = variant;
      if ('clip_range' in o.attributes) out.clip_range = o.attributes.clip_range;
      const norm = o.children.norm;
      if (norm && /\.Identity$/.test(norm.cls)) out.mean_centering = 0;
      return;
    }
    if (depth < 8) for (const c of Object.values(o.children)) visit(c, depth + 1);
  };
  for (const { object } of objects) visit(object, 0);
  return out;
}
