import { InputError } from '../errors';
import type { TensorRole } from '../model/architecture';
import { architectureDef, TENSOR_NAMINGS, tensorFamily } from '../model/registry';
import { ARCHITECTURES, Architecture } from '../model/types';
import { type CodeBaseContext, plainPlrnnOrAlrnn, readDendCode, alrnnP, shallowVariant } from './codebases';
import { emptyHyperparameters, type Hyperparameters } from './hyperparameters';
import { elementCount, Tensor, TensorInfo } from './tensor';

/**
 * A hand-made mapping from the JSON model's keys to tensor names: the sidecar file
 * `<checkpoint>.scyfi.json` and the `scyfi.parameterMap` setting both have this form.
 */
export interface ParameterMap {
  architecture?: Architecture;
  /** JSON model key (A, W, h, W1, W2, h1, h2, alpha, H, or AW for a combined A+W) → tensor name. */
  map?: Record<string, string>;
  /** ALRNN's number of switching units. */
  P?: number;
  /** Hyperparameters of the training run in its own names (e.g. latent_model, mean_centering, clip_range). */
  hyperparameters?: Record<string, unknown>;
  /** Which model of a file that holds several (as scyfi inspect lists them). */
  model?: number;
  /** Options of the JSON model format to add to a hand-mapped model (clip, meanCentering, leak, basis). */
  options?: Record<string, unknown>;
  /** Which code base's conventions a file follows, where its tensors fit two (e.g. "PLRNNstsp"). */
  codeBase?: string;
}

export interface MappingOptions {
  architecture?: Architecture;
  /** The architecture the file names (Julia struct types); explicit choices win over it. */
  hint?: Architecture;
  P?: number;
  /** Highest precedence first: e.g. [sidecar, setting]. */
  maps?: { source: string; value: ParameterMap }[];
  /** The run's hyperparameters (files beside the checkpoint, the sidecar's, the file's own). */
  hypers?: Hyperparameters;
  /** Where hyperparameters were looked for, in words (for messages). */
  looked?: string;
  /** The checkpoint's base name (an ALRNN's P may be in it). */
  fileName?: string;
  /** The file's format (MATLAB files follow other conventions). */
  format?: string;
}

export interface MappedModel {
  /** The model in the JSON model format, still to be validated. */
  spec: Record<string, unknown>;
  /** JSON model key → the tensor it was read from. */
  parameters: Record<string, string>;
  /** Which naming convention matched (or "map" for a hand-made one). */
  convention: string;
  /** What was decided about the model beyond the names, and from where (one line each). */
  notes: string[];
}

/** One model a file holds: mapped, or the reason it cannot be (e.g. a missing P). */
export interface ModelCandidate {
  /** e.g. "experts.3" for the fourth expert of a mixture; "" for a file's only model. */
  label: string;
  mapped?: MappedModel;
  error?: InputError;
}

export interface MappedFile {
  /** Every model in the file (one for most files). */
  models: ModelCandidate[];
  /** About the file as a whole, e.g. "a DynaMix mixture of 10 experts …". */
  notes: string[];
}

type Role = TensorRole;

const MAX_LISTED = 40;

/** Keys a hand-made map may name: every real-valued parameter of the format, and AW. */
const MAP_KEYS: string[] = [
  ...new Set(ARCHITECTURES.flatMap((a) => architectureDef(a).parameters.filter((p) => p.kind !== 'count').map((p) => p.key))),
  'AW',
];

export function describeTensors(tensors: readonly TensorInfo[]): string {
  if (tensors.length === 0) return 'the file holds no tensors';
  const shown = tensors.slice(0, MAX_LISTED).map((t) => `${t.name} [${t.shape.join('×')}] ${t.dtype}`);
  const more = tensors.length > MAX_LISTED ? `, … (${tensors.length - MAX_LISTED} more)` : '';
  return `tensors found: ${shown.join(', ')}${more}`;
}

function toNested(t: Tensor): number[] | number[][] | number {
  const data = t.read();
  if (t.shape.length === 0) return data[0];
  if (t.shape.length === 1) return Array.from(data);
  if (t.shape.length === 2) {
    const [r, c] = t.shape;
    const rows: number[][] = [];
    for (let i = 0; i < r; i++) rows.push(Array.from(data.subarray(i * c, (i + 1) * c)));
    return rows;
  }
  throw new InputError(`tensor '${t.name}' has ${t.shape.length} dimensions; a model parameter has 1 or 2`);
}

function isMatrix(v: unknown): v is number[][] {
  return Array.isArray(v) && Array.isArray(v[0]);
}

/** A vector stored as an M×1 or 1×M matrix, or a diagonal matrix, as the vector it stands for. */
function asVector(v: unknown, takeDiagonal: boolean): unknown {
  if (!isMatrix(v)) return v;
  if (v.length === 1) return v[0];
  if (v.every((row) => row.length === 1)) return v.map((row) => row[0]);
  if (takeDiagonal && v.every((row) => row.length === v.length) && v.every((row, i) => row.every((x, j) => i === j || x === 0))) {
    return v.map((row, i) => row[i]);
  }
  return v;
}

function zeroDiagonal(m: unknown): unknown {
  return isMatrix(m) ? m.map((row, i) => row.map((x, j) => (i === j ? 0 : x))) : m;
}

function transpose(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}

/** Turns the tensors found under the roles of a convention into the JSON model format. */
function buildSpec(architecture: Architecture, found: Partial<Record<Role, Tensor>>, P: number | undefined, source: string): Record<string, unknown> {
  const spec: Record<string, unknown> = { architecture };
  const val = (r: Role) => {
    const t = found[r];
    if (!t) return undefined;
    try {
      return toNested(t);
    } catch (e) {
      if (e instanceof InputError && !e.message.startsWith(source)) throw new InputError(`${source}: ${e.message}`);
      throw e;
    }
  };
  const AW = val('AW');
  if (AW !== undefined) {
    if (!isMatrix(AW) || AW.some((row) => row.length !== AW.length)) throw new InputError(`${source}: ${found.AW!.name} must be a square M×M matrix (A on its diagonal, W off it)`);
    spec.A = AW.map((row, i) => row[i]);
    spec.W = zeroDiagonal(AW);
  }
  const A = val('A');
  if (A !== undefined) spec.A = asVector(A, true);
  if (spec.A !== undefined && architecture !== 'plrnn') spec.A = asVector(spec.A, true);
  const W = val('W');
  if (W !== undefined) spec.W = W;
  const Wreg = val('Wreg');
  if (Wreg !== undefined) spec.W = zeroDiagonal(Wreg);
  for (const r of ['h', 'h1', 'h2', 'alpha'] as const) {
    const v = val(r);
    if (v !== undefined) spec[r] = asVector(v, false);
  }
  for (const r of ['W1', 'W2'] as const) {
    const v = val(r);
    if (v !== undefined) spec[r] = v;
  }
  for (const r of ['B', 'S'] as const) {
    const v = val(r);
    if (v !== undefined) spec[r] = v;
  }
  for (const r of ['s0', 'c'] as const) {
    const v = val(r);
    if (v !== undefined) spec[r] = asVector(v, false);
  }
  const H = val('H');
  if (H !== undefined) {
    // θ is M×B; code that stores it B×M is recognised by the sizes of A and alpha.
    const M = Array.isArray(spec.h) ? spec.h.length : -1;
    const B = Array.isArray(spec.alpha) ? spec.alpha.length : -1;
    if (isMatrix(H) && H.length === B && H[0].length === M && M !== B) spec.H = transpose(H);
    else if (!isMatrix(H) && Array.isArray(H) && B === 1) spec.H = H.map((x) => [x]);
    else spec.H = H;
  }
  if (architecture === 'alrnn') {
    if (P === undefined) {
      throw new InputError(`${source}: this is an ALRNN (A, W, h), but its number of switching units P is not in the file; pass --P <n> (CLI), or put "P" in the sidecar file or the scyfi.parameterMap setting`);
    }
    spec.P = P;
  }
  return spec;
}

function matchLeaf(name: string, leaf: string): string | undefined {
  if (name === leaf) return '';
  if (name.endsWith('.' + leaf)) return name.slice(0, name.length - leaf.length);
  return undefined;
}

/** Ranks candidate prefixes: the model itself before optimizer state, EMA copies and the like. */
function prefixRank(prefix: string): number[] {
  const penalty = /(^|\.)(optim|optimizer|ema|swa|teacher|best|old|prev)/i.test(prefix) ? 1 : 0;
  return [penalty, prefix.split('.').length, prefix.length];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** `experts.3.` → { base: "experts", index: 3 }; also `{3}.` and `(3).` (MATLAB cells and struct arrays). */
function indexedPrefix(prefix: string): { base: string; index: number } | undefined {
  const m = /^(.*?)(?:(?:^|\.)(\d+)|\{(\d+)\}|\((\d+)\))\.$/.exec(prefix);
  if (!m) return undefined;
  return { base: m[1], index: Number(m[2] ?? m[3] ?? m[4]) };
}

function parametersOf(found: Partial<Record<Role, Tensor>>): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [role, t] of Object.entries(found) as [Role, Tensor][]) parameters[role === 'Wreg' ? 'W' : role] = t.name;
  return parameters;
}

function candidate(label: string, f: () => MappedModel): ModelCandidate {
  try {
    return { label, mapped: f() };
  } catch (e) {
    if (e instanceof InputError) return { label, error: e };
    throw e;
  }
}

/**
 * Maps the tensors of a checkpoint to the models of the PLRNN family they hold (not yet
 * validated): by a hand-made map when one is given, else by the first naming convention whose
 * tensors are all there, with the conventions of the code base that wrote them.
 */
export function mapTensors(tensors: Tensor[], source: string, options: MappingOptions = {}): MappedFile {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const names = new Set(byName.keys());
  const maps = options.maps ?? [];
  const hypers = options.hypers ?? emptyHyperparameters();
  const looked = options.looked ?? 'no files';
  const fileName = options.fileName ?? source;
  // A map without "map" still gives the architecture and P (e.g. {"architecture": "alrnn", "P": 4}).
  const mapArchitecture = maps.find((m) => m.value.architecture)?.value.architecture;
  const P = options.P ?? maps.find((m) => m.value.P !== undefined)?.value.P;
  const explicit = maps.find((m) => m.value.map && Object.keys(m.value.map).length > 0);
  if (explicit) {
    const { source: mapSource, value } = explicit;
    const architecture = options.architecture ?? value.architecture ?? mapArchitecture ?? options.hint;
    if (!architecture) throw new InputError(`${mapSource}: a parameter map needs "architecture" (one of ${ARCHITECTURES.join(', ')})`);
    const found: Partial<Record<Role, Tensor>> = {};
    const parameters: Record<string, string> = {};
    for (const [key, tensorName] of Object.entries(value.map!)) {
      if (!MAP_KEYS.includes(key)) {
        throw new InputError(`${mapSource}: map key '${key}' is not a model parameter (${MAP_KEYS.join(', ')})`);
      }
      const t = byName.get(tensorName);
      if (!t) throw new InputError(`${mapSource}: map.${key} names tensor '${tensorName}', which ${source} does not have; ${describeTensors(tensors)}`);
      found[key as Role] = t;
      parameters[key] = tensorName;
    }
    const spec = { ...buildSpec(architecture, found, options.P ?? value.P ?? P, source), ...(value.options ?? {}) };
    return { models: [{ label: '', mapped: { spec, parameters, convention: 'map', notes: [`mapped by ${mapSource}`] } }], notes: [] };
  }

  const wanted = options.architecture ?? mapArchitecture ?? options.hint;
  const hinted = wanted ?? (tensors.some((t) => /alrnn/i.test(t.name)) ? 'alrnn' : P !== undefined ? 'alrnn' : undefined);
  const userChose = options.architecture ?? mapArchitecture;
  for (const conv of TENSOR_NAMINGS) {
    if (wanted && tensorFamily(wanted) !== conv.architecture) continue;
    const groups = new Map<string, Partial<Record<Role, Tensor>>>();
    for (const t of tensors) {
      for (const [role, leaves] of Object.entries(conv.roles) as [Role, readonly string[]][]) {
        for (const leaf of leaves) {
          const prefix = matchLeaf(t.name, leaf);
          if (prefix === undefined) continue;
          const g = groups.get(prefix) ?? {};
          g[role] ??= t;
          groups.set(prefix, g);
        }
      }
    }
    const complete = [...groups.entries()].filter(([, g]) => Object.keys(conv.roles).every((r) => g[r as Role]));
    if (complete.length === 0) continue;

    const mapOne = (prefix: string, found: Partial<Record<Role, Tensor>>, architectureOverride?: Architecture): MappedModel => {
      // The continuous-time-PLRNN code keeps its Lux parameters under cont_model (src/models/cont_alrnn.jl).
      if (/(^|\.)cont_model\.$/.test(prefix)) {
        throw new InputError(
          `${source}: ${prefix}A, W, h are the parameters of a continuous-time PLRNN (the continuous-time-PLRNN code's dz/dt = A z + W φ(z) + h, an ODE, not a map): SCYFI finds the fixed points and cycles of maps z' = f(z), so it does not read this model as one`,
        );
      }
      let architecture = architectureOverride ?? wanted ?? conv.architecture;
      if (!wanted && !architectureOverride && conv.architecture === 'plrnn' && hinted === 'alrnn' && !found.AW) architecture = 'alrnn';
      const parameters = parametersOf(found);
      const ctx: CodeBaseContext = { source, format: options.format, fileName, prefix, names, tensor: (n) => byName.get(n), hypers, looked };
      if (architecture === 'alrnn' && P === undefined) {
        // P may be in a hyperparameter file or the file name.
        const M = found.A ? found.A.shape[0] : 0;
        const p = alrnnP(ctx, M);
        if (p) return { spec: buildSpec('alrnn', found, p.P, source), parameters, convention: conv.id, notes: [`read as an ALRNN: ${p.note}`] };
      }
      const generic = buildSpec(architecture, found, P, source);
      if (conv.codeBase === 'dendplrnn-code' && !userChose) {
        const r = readDendCode(generic, ctx);
        return { spec: r.spec, parameters, convention: `${conv.id}; ${r.convention}`, notes: r.notes };
      }
      if (conv.codeBase === 'plain-plrnn' && !wanted && architecture === 'plrnn') {
        const r = plainPlrnnOrAlrnn(generic, ctx);
        return { spec: r.spec, parameters, convention: r.convention, notes: r.notes };
      }
      if (conv.codeBase === 'shallow-plrnn') {
        const chosen = architectureOverride ?? wanted;
        const r = shallowVariant(generic, ctx, chosen === 'shplrnn' || chosen === 'clipped-shplrnn' ? chosen : undefined);
        return { spec: r.spec, parameters, convention: r.convention, notes: r.notes };
      }
      return { spec: generic, parameters, convention: conv.id, notes: [] };
    };

    // Models at indexed prefixes (experts.0., experts.1., … or snapshots{1}.) are a list of models.
    const families = new Map<string, { index: number; prefix: string; found: Partial<Record<Role, Tensor>> }[]>();
    for (const [prefix, found] of complete) {
      const ix = indexedPrefix(prefix);
      if (!ix) continue;
      families.set(ix.base, [...(families.get(ix.base) ?? []), { index: ix.index, prefix, found }]);
    }
    // Members whose tensors are empty hold no model (a struct array's unused elements).
    for (const [base, f] of families) families.set(base, f.filter((m) => !Object.values(m.found).some((t) => t && elementCount(t.shape, t.name) === 0)));
    const family = [...families.entries()].filter(([, f]) => f.length >= 2).sort((a, b) => b[1].length - a[1].length)[0];
    if (family) {
      const [base, members] = family;
      members.sort((a, b) => a.index - b.index);
      const mixture = mixtureOf(base, names, hypers, conv.architecture);
      return {
        models: members.map((m) => candidate(m.prefix.slice(0, -1), () => mapOne(m.prefix, m.found, mixture?.architecture))).map((c) => withNote(c, mixture?.note)),
        notes: [mixture?.fileNote ?? `${members.length} models under ${base || 'the top level'} (${members[0].prefix.slice(0, -1)} … ${members[members.length - 1].prefix.slice(0, -1)}): each is a model of its own`],
      };
    }
    complete.sort((a, b) => compareRank(prefixRank(a[0]), prefixRank(b[0])));
    const nonEmpty = complete.filter(([, g]) => !Object.values(g).some((t) => t && elementCount(t.shape, t.name) === 0));
    const [prefix, found] = nonEmpty[0] ?? complete[0];
    const stacked = stackedModels(found, source);
    if (stacked) {
      return {
        models: stacked.map((f, i) => candidate(`[${i}]`, () => mapOne(prefix, f))),
        notes: [`${stacked.length} models stacked along the first dimension of ${Object.values(found).filter((t) => t && t.shape.length === 3).map((t) => t!.name).join(', ')}: each is a model of its own`],
      };
    }
    const only = mapOne(prefix, found);
    return { models: [{ label: '', mapped: only }], notes: [] };
  }
  const what = wanted ? `no ${wanted} parameters recognised` : 'no PLRNN-family parameters recognised';
  throw new InputError(
    `${source}: ${what}; ${describeTensors(tensors)}. Name them in a sidecar file ${source}.scyfi.json ({"architecture": "...", "map": {"A": "<tensor name>", ...}}) or the scyfi.parameterMap setting`,
  );
}

/** Tensors of 3 dimensions with one first size N: N models, each with slice i of them and the other tensors shared. */
function stackedModels(found: Partial<Record<Role, Tensor>>, source: string): Partial<Record<Role, Tensor>>[] | undefined {
  const stacked = Object.values(found).filter((t): t is Tensor => !!t && t.shape.length === 3);
  if (stacked.length === 0) return undefined;
  const N = stacked[0].shape[0];
  const other = stacked.find((t) => t.shape[0] !== N);
  if (other) throw new InputError(`${source}: ${stacked[0].name} stacks ${N} models but ${other.name} ${other.shape[0]}: their first dimensions must agree`);
  const cache = new Map<Tensor, Float64Array>();
  const slice = (t: Tensor, i: number): Tensor => {
    const size = t.shape[1] * t.shape[2];
    return {
      name: `${t.name}[${i}]`,
      dtype: t.dtype,
      shape: t.shape.slice(1),
      read: () => {
        let all = cache.get(t);
        if (!all) cache.set(t, (all = t.read()));
        return all.subarray(i * size, (i + 1) * size);
      },
    };
  };
  return Array.from({ length: N }, (_, i) => {
    const f: Partial<Record<Role, Tensor>> = {};
    for (const [role, t] of Object.entries(found) as [Role, Tensor][]) f[role] = t.shape.length === 3 ? slice(t, i) : t;
    return f;
  });
}

function withNote(c: ModelCandidate, note: string | undefined): ModelCandidate {
  if (note && c.mapped) c.mapped.notes.push(note);
  return c;
}

/**
 * A DynaMix mixture of experts (DynaMix-python src/dynamix/model/dynamix.py): experts.{j} are
 * ALRNNs (almost_linear_rnn, the last P units switch) or clipped shPLRNNs, mixed by a softmax
 * gate of the state, so the whole map is not piecewise affine: each expert is analysed alone.
 */
function mixtureOf(base: string, names: ReadonlySet<string>, hypers: Hyperparameters, naming: Architecture): { architecture?: Architecture; note: string; fileNote: string } | undefined {
  const root = base === '' ? '' : base.endsWith('experts') ? base.slice(0, -'experts'.length) : undefined;
  if (root === undefined || ![...names].some((n) => n.startsWith(`${root}gating_network.`))) return undefined;
  const count = [...names].filter((n) => n.startsWith(`${root}experts.`) && /\.A$/.test(n)).length;
  const type = hypers.values.expert_type ?? hypers.values['architecture.expert_type'];
  const architecture: Architecture | undefined = naming === 'plrnn' ? 'alrnn' : naming === 'shplrnn' ? 'clipped-shplrnn' : undefined;
  const typeNote = typeof type === 'string' ? `, expert_type ${type}` : '';
  return {
    architecture,
    note: `an expert of a DynaMix mixture of ${count} experts${typeNote}: the gated mixture is not a piecewise-affine map, so each expert is analysed on its own`,
    fileNote: `a DynaMix mixture of ${count} experts: their softmax gating of the state makes the mixture itself not a piecewise-affine map, so each expert is a model of its own`,
  };
}
