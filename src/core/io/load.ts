import { basename } from 'node:path';
import { InputError } from '../errors';
import { ARCHITECTURES, Architecture, isArchitecture, Model, modelFromSpec } from '../model';
import { MAX_JSON_BYTES, modelFromJsonText, parseJsonText } from './json';
import { MappingOptions, ParameterMap, mapTensors } from './mapping';
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

/** Builds the model of a checkpoint whose bytes are in `src` (any binary format). */
function modelFromSource(src: ByteSource, options: LoadOptions, maps: MappingOptions['maps']): LoadedModel {
  const file = readTensorSource(src);
  const mapped = mapTensors(file.tensors, src.name, { architecture: options.architecture, hint: file.architecture, P: options.P, maps });
  let model: Model;
  try {
    model = modelFromSpec(mapped.spec, src.name);
  } catch (e) {
    const key = e instanceof InputError ? e.jsonPath?.[0] : undefined;
    if (e instanceof InputError && typeof key === 'string' && mapped.parameters[key]) {
      throw new InputError(`${e.message} (read from tensor '${mapped.parameters[key]}')`, e.jsonPath);
    }
    throw e;
  }
  return {
    model,
    format: file.format,
    tensors: file.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    parameters: mapped.parameters,
    convention: mapped.convention,
  };
}

function optionMaps(options: LoadOptions, sidecar?: { source: string; value: ParameterMap }): MappingOptions['maps'] {
  const maps: NonNullable<MappingOptions['maps']> = [];
  if (sidecar) maps.push(sidecar);
  if (options.parameterMap) maps.push({ source: 'scyfi.parameterMap', value: checkParameterMap(options.parameterMap, 'scyfi.parameterMap') });
  return maps;
}

/** Reads a model file of any supported format (sniffed from its content) and validates it. */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const name = options.displayName ?? basename(path);
  const src = new FileSource(name, path);
  try {
    if (sniff(src) === 'json') {
      if (src.size > MAX_JSON_BYTES) throw new InputError(`${name}: the file is ${src.size} bytes, more than the ${MAX_JSON_BYTES}-byte limit for JSON models`);
      const text = src.read(0, src.size).toString('utf8');
      return { model: modelFromJsonText(text, name), format: 'json', tensors: [] };
    }
    const sidecar = options.sidecar === false ? undefined : await readSidecar(path, name);
    const loaded = modelFromSource(src, options, optionMaps(options, sidecar));
    if (sidecar && loaded.convention === 'map') loaded.sidecarFile = sidecar.source;
    return loaded;
  } finally {
    src.close();
  }
}

/** The same as loadModelFile for bytes already in memory (an unsaved editor buffer, tests). */
export function loadModelBytes(bytes: Uint8Array, name: string, options: LoadOptions = {}): LoadedModel {
  const src = new BufferSource(name, bytes);
  if (sniff(src) === 'json') return { model: modelFromJsonText(Buffer.from(bytes).toString('utf8'), name), format: 'json', tensors: [] };
  return modelFromSource(src, options, optionMaps(options));
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
