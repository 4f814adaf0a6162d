import { basename } from 'node:path';
import { InputError } from '../errors';
import { quoteName } from '../text';
import { ARCHITECTURES, Architecture, isArchitecture, Model, modelFromSpec } from '../model';
import { MAX_JSON_BYTES, modelFromJsonText, parseJsonText } from './json';
import { addHyperparameters, emptyHyperparameters, findHyperparameters, HYPERPARAMETER_FILES, mergeHyperparameters, type Hyperparameters } from './hyperparameters';
import { hyperparametersOfSavedObjects } from './codebases';
import { MappedModel, MappingOptions, ModelCandidate, ParameterMap, mapTensors } from './mapping';
import { TensorFormat, readTensorSource } from './read';
import { sniff } from './sniff';
import { BufferSource, ByteSource, FileSource, readOptionalFile } from './source';
import { MAX_ELEMENTS, TensorInfo, elementCount } from './tensor';

export type ModelFormat = 'json' | TensorFormat;
export type { TensorFormat } from './read';
export type { ParameterMap } from './mapping';
export type { TensorInfo, DType } from './tensor';

export interface LoadOptions {
  /** Name used in error messages; defaults to the file's base name. */
  displayName?: string;
  /** The architecture, when the file cannot tell (CLI --architecture). */
  architecture?: Architecture;
  /** ALRNN's number of switching units (CLI --P). */
  P?: number;
  /** A hand-made mapping (the scyfi.parameterMap setting); the sidecar file wins over it. */
  parameterMap?: ParameterMap;
  /** Whether to read `<file>.scyfi.json` next to the file (default true). */
  sidecar?: boolean;
  /** Which model of a file that holds several (index as `scyfi inspect` lists them; CLI --model). */
  model?: number;
  /** Hyperparameters of the training run, in its own names; they win over files beside the checkpoint. */
  hyperparameters?: Record<string, unknown>;
  /** Whether to look for the run's hyperparameter files beside the checkpoint (default true). */
  findHyperparameterFiles?: boolean;
}

/** One of the models a file holds, as listed for the user. */
export interface ModelChoice {
  index: number;
  /** Where it sits in the file, e.g. "experts.3". */
  label: string;
  architecture?: string;
  M?: number;
  H?: number;
  /** Why it cannot be analysed as it stands (one line). */
  error?: string;
}

/** A file with several models, and no choice of one: the message lists them. */
export class ModelChoiceError extends InputError {
  constructor(
    message: string,
    readonly choices: ModelChoice[],
  ) {
    super(message);
    this.name = 'ModelChoiceError';
  }
}

export interface LoadedModel {
  model: Model;
  /** The file format the model was read from. */
  format: ModelFormat;
  /** Every tensor of a checkpoint (empty for JSON). */
  tensors: TensorInfo[];
  /** JSON model key → the tensor it was read from (checkpoints only). */
  parameters?: Record<string, string>;
  /** The naming convention that matched, or "map" for a sidecar / setting. */
  convention?: string;
  /** The sidecar file used, if any. */
  sidecarFile?: string;
  /** What was decided beyond the tensor names and from where (hyperparameter files, P, variants), one line each. */
  notes: string[];
  /** Every model of a file that holds several; `index` is the one loaded. */
  models?: ModelChoice[];
  index?: number;
  /** Hyperparameter files read beside the checkpoint. */
  hyperparameterFiles?: string[];
  /** Scalars the file stores beside its tensors (epoch, step, hyperparameters), by name. */
  metadata?: Record<string, string | number | boolean | null>;
}

function checkParameterMap(value: unknown, source: string): ParameterMap {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${source}: a parameter map must be a JSON object`);
  const v = value as Record<string, unknown>;
  const out: ParameterMap = {};
  if (v.architecture !== undefined) {
    if (!isArchitecture(v.architecture)) {
      throw new InputError(`${source}: architecture ${JSON.stringify(v.architecture)} is not one of ${ARCHITECTURES.join(', ')}`);
    }
    out.architecture = v.architecture;
  }
  if (v.map !== undefined) {
    if (typeof v.map !== 'object' || v.map === null || Array.isArray(v.map) || Object.values(v.map).some((x) => typeof x !== 'string')) {
      throw new InputError(`${source}: "map" must be an object of parameter → tensor name strings`);
    }
    out.map = v.map as Record<string, string>;
  }
  if (v.P !== undefined) {
    if (typeof v.P !== 'number' || !Number.isInteger(v.P) || v.P < 0) throw new InputError(`${source}: "P" must be a whole number of switching units`);
    out.P = v.P;
  }
  for (const key of ['hyperparameters', 'options'] as const) {
    if (v[key] === undefined) continue;
    if (typeof v[key] !== 'object' || v[key] === null || Array.isArray(v[key])) throw new InputError(`${source}: "${key}" must be a JSON object`);
    out[key] = v[key] as Record<string, unknown>;
  }
  if (v.codeBase !== undefined) {
    if (typeof v.codeBase !== 'string') throw new InputError(`${source}: "codeBase" must be the name of a code base, e.g. "PLRNNstsp"`);
    out.codeBase = v.codeBase;
  }
  if (v.model !== undefined) {
    if (typeof v.model !== 'number' || !Number.isInteger(v.model) || v.model < 0) throw new InputError(`${source}: "model" must be the index of a model in the file (0, 1, …)`);
    out.model = v.model;
  }
  return out;
}

async function readSidecar(path: string, name: string): Promise<{ source: string; value: ParameterMap } | undefined> {
  const source = `${name}.scyfi.json`;
  // Checked to be a regular file before it is opened: a FIFO would block the read forever.
  const bytes = readOptionalFile(source, `${path}.scyfi.json`, 1024 * 1024);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  return { source, value: checkParameterMap(parseJsonText(text, source), source) };
}

const LOOKED = `${HYPERPARAMETER_FILES.slice(0, 5).join(", ")} and others beside the file and one folder up`;

function validated(mapped: MappedModel, name: string): Model {
  try {
    return modelFromSpec(mapped.spec, name);
  } catch (e) {
    const key = e instanceof InputError ? e.jsonPath?.[0] : undefined;
    if (e instanceof InputError && typeof key === 'string' && mapped.parameters[key]) {
      throw new InputError(`${e.message} (read from tensor '${mapped.parameters[key]}')`, e.jsonPath);
    }
    throw e;
  }
}

function choiceOf(c: ModelCandidate, index: number, name: string): ModelChoice {
  if (!c.mapped) return { index, label: c.label, error: c.error?.message };
  try {
    const m = validated(c.mapped, name);
    return { index, label: c.label, architecture: m.spec.architecture, M: m.map.M, H: m.map.H };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { index, label: c.label, architecture: String(c.mapped.spec.architecture), error: e.message };
  }
}

/** torch.save(model): which class the file held, and that none of its code ran. */
function wholeObjectNote(classes: string[] | undefined, name: string): string[] {
  if (!classes?.length) return [];
  return [`${name} holds a whole ${quoteName(classes[0])} object (torch.save(model)), not a state dict: its parameters are read from its module tree, as state_dict() names them; none of its code is run`];
}

interface SourceContext {
  maps: MappingOptions['maps'];
  /** The user's hyperparameters (options, sidecar, setting): they win over everything else. */
  userHypers: Hyperparameters;
  /** Read from files beside the checkpoint. */
  fileHypers: Hyperparameters;
  hyperFiles: string[];
  problems: string[];
  fileName: string;
  looked: string;
}

/** Builds the model of a checkpoint whose bytes are in `src` (any binary format). */
function modelFromSource(src: ByteSource, options: LoadOptions, ctx: SourceContext): LoadedModel {
  const file = readTensorSource(src);
  // The checkpoint's own scalars (a Lightning checkpoint's hyper_parameters) come after the
  // user's values and before the files beside it.
  const hypers = emptyHyperparameters();
  addHyperparameters(hypers, ctx.userHypers);
  if (file.metadata) mergeHyperparameters(hypers, file.metadata, src.name);
  if (file.objects) mergeHyperparameters(hypers, hyperparametersOfSavedObjects(file.objects), `${src.name} (the saved ${file.objects[0].object.cls.split('.').pop()} object)`);
  if (file.values) mergeHyperparameters(hypers, Object.fromEntries(file.values), src.name);
  addHyperparameters(hypers, ctx.fileHypers);
  const mapped = mapTensors(file.tensors, src.name, {
    architecture: options.architecture,
    hint: file.architecture,
    P: options.P,
    maps: ctx.maps,
    hypers,
    looked: ctx.looked,
    fileName: ctx.fileName,
    format: file.format,
  });
  const tensors = file.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape }));
  const chosen = options.model ?? ctx.maps?.find((m) => m.value.model !== undefined)?.value.model;
  let index = 0;
  let models: ModelChoice[] | undefined;
  if (mapped.models.length > 1) {
    models = mapped.models.map((c, i) => choiceOf(c, i, src.name));
    if (chosen === undefined) {
      throw new ModelChoiceError(
        `${src.name}: ${mapped.notes[0] ?? `the file holds ${models.length} models`}; choose one of the ${models.length} (${models.map((m) => `${m.index}: ${m.label}`).slice(0, 12).join(', ')}${models.length > 12 ? ', …' : ''}) with --model N (CLI), "model" in ${src.name}.scyfi.json, or in the checkpoint viewer`,
        models,
      );
    }
    index = chosen;
  }
  if (chosen !== undefined && (chosen < 0 || chosen >= mapped.models.length)) {
    throw new InputError(`${src.name}: there is no model ${chosen}: the file holds ${mapped.models.length === 1 ? 'one model (0)' : `${mapped.models.length} models (0–${mapped.models.length - 1})`}`);
  }
  const c = mapped.models[index];
  if (!c.mapped) throw c.error!;
  const model = validated(c.mapped, src.name);
  return {
    model,
    format: file.format,
    tensors,
    parameters: c.mapped.parameters,
    convention: c.mapped.convention,
    // A file of several models says so in its error; once one is chosen, its own notes say enough.
    notes: [...ctx.problems, ...wholeObjectNote(file.objects?.map((o) => o.object.cls), src.name), ...(models ? [] : mapped.notes), ...c.mapped.notes],
    models,
    index: models ? index : undefined,
    hyperparameterFiles: ctx.hyperFiles.length ? ctx.hyperFiles : undefined,
    metadata: { ...(file.metadata ?? {}), ...Object.fromEntries(file.values ?? []) },
  };
}

function optionMaps(options: LoadOptions, sidecar?: { source: string; value: ParameterMap }): MappingOptions['maps'] {
  const maps: NonNullable<MappingOptions['maps']> = [];
  if (sidecar) maps.push(sidecar);
  if (options.parameterMap) maps.push({ source: 'scyfi.parameterMap', value: checkParameterMap(options.parameterMap, 'scyfi.parameterMap') });
  return maps;
}

function userHyperparameters(options: LoadOptions, maps: MappingOptions['maps']): Hyperparameters {
  const h = emptyHyperparameters();
  if (options.hyperparameters) mergeHyperparameters(h, options.hyperparameters, 'the options');
  for (const m of maps ?? []) {
    if (m.value.hyperparameters) mergeHyperparameters(h, m.value.hyperparameters, m.source);
    if (m.value.codeBase) mergeHyperparameters(h, { codeBase: m.value.codeBase }, m.source);
  }
  return h;
}

/** Reads a model file of any supported format (sniffed from its content) and validates it. */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const name = options.displayName ?? basename(path);
  const src = new FileSource(name, path);
  try {
    if (sniff(src) === 'json') {
      if (src.size > MAX_JSON_BYTES) throw new InputError(`${name}: the file is ${src.size} bytes, more than the ${MAX_JSON_BYTES}-byte limit for JSON models`);
      const text = src.read(0, src.size).toString('utf8');
      return { model: modelFromJsonText(text, name), format: 'json', tensors: [], notes: [] };
    }
    const sidecar = options.sidecar === false ? undefined : await readSidecar(path, name);
    const maps = optionMaps(options, sidecar);
    const found = options.findHyperparameterFiles === false ? undefined : await findHyperparameters(path);
    const loaded = modelFromSource(src, options, {
      maps,
      userHypers: userHyperparameters(options, maps),
      fileHypers: found?.hypers ?? emptyHyperparameters(),
      hyperFiles: found?.files ?? [],
      problems: found?.problems ?? [],
      fileName: basename(path),
      looked: LOOKED,
    });
    if (sidecar && loaded.convention === 'map') loaded.sidecarFile = sidecar.source;
    return loaded;
  } finally {
    src.close();
  }
}

/** The same as loadModelFile for bytes already in memory (an unsaved editor buffer, tests): no files beside it are read. */
export function loadModelBytes(bytes: Uint8Array, name: string, options: LoadOptions = {}): LoadedModel {
  const src = new BufferSource(name, bytes);
  if (sniff(src) === 'json') return { model: modelFromJsonText(Buffer.from(bytes).toString('utf8'), name), format: 'json', tensors: [], notes: [] };
  const maps = optionMaps(options);
  return modelFromSource(src, options, {
    maps,
    userHypers: userHyperparameters(options, maps),
    fileHypers: emptyHyperparameters(),
    hyperFiles: [],
    problems: [],
    fileName: name,
    looked: 'no files (the bytes were given without their folder)',
  });
}

export interface TensorListing {
  format: TensorFormat;
  tensors: (TensorInfo & { data?: Float64Array })[];
}

export interface ReadTensorsOptions {
  /** Also read the values of tensors with at most this many elements (default: none). */
  dataUpTo?: number;
  displayName?: string;
}

function listing(src: ByteSource, options: ReadTensorsOptions): TensorListing {
  const file = readTensorSource(src);
  const limit = Math.min(options.dataUpTo ?? 0, MAX_ELEMENTS);
  return {
    format: file.format,
    tensors: file.tensors.map((t) => {
      const info: TensorInfo & { data?: Float64Array } = { name: t.name, dtype: t.dtype, shape: t.shape };
      if (elementCount(t.shape, t.name) <= limit) info.data = t.read();
      return info;
    }),
  };
}

/** Lists the tensors of a checkpoint (for the read-only viewer), optionally with small tensors' values. */
export async function readTensors(path: string, options: ReadTensorsOptions = {}): Promise<TensorListing> {
  const src = new FileSource(options.displayName ?? basename(path), path);
  try {
    return listing(src, options);
  } finally {
    src.close();
  }
}

export function readTensorsFromBytes(bytes: Uint8Array, name: string, options: ReadTensorsOptions = {}): TensorListing {
  return listing(new BufferSource(name, bytes), options);
}
