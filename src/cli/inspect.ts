import { InputError } from '../core/errors';
import { LoadOptions, ModelChoice, ModelChoiceError, ModelFormat, loadModelFile, readTensors } from '../core/io/load';
import { defOf, isArchitecture } from '../core/model/registry';
import { ARCHITECTURES } from '../core/model/types';
import { printable, safeJson } from '../core/text';
import { ParsedArgs, intFlag, parseArgs } from './args';

export const INSPECT_USAGE = 'scyfi inspect <file> [--json] [--architecture A] [--P n] [--model N]';

const FORMAT_NAMES: Record<ModelFormat, string> = {
  json: 'JSON model',
  'torch-zip': 'PyTorch checkpoint (zip)',
  'torch-legacy': 'PyTorch checkpoint (legacy, before 1.6)',
  npy: 'NumPy .npy',
  npz: 'NumPy .npz',
  safetensors: 'safetensors',
  bson: 'Julia BSON',
  mat: 'MATLAB .mat (level 5)',
  jld2: 'JLD2 (Julia)',
  mat73: 'MATLAB v7.3 MAT-file (HDF5)',
  hdf5: 'HDF5',
};

/** Reads --architecture, --P and --model, shared by `inspect` and `find`. */
export function modelOptions(args: ParsedArgs): LoadOptions {
  const options: LoadOptions = {};
  const arch = args.flags.get('architecture');
  if (arch !== undefined) {
    if (!isArchitecture(arch)) {
      throw new InputError(`--architecture must be one of ${ARCHITECTURES.join(', ')}, got ${JSON.stringify(arch)}`);
    }
    options.architecture = arch;
  }
  const P = intFlag(args, 'P', 0, 1_000_000);
  if (P !== undefined) options.P = P;
  const model = intFlag(args, 'model', 0, 1_000_000);
  if (model !== undefined) options.model = model;
  return options;
}

/** The flags modelOptions reads. */
export const MODEL_FLAGS = ['architecture', 'P', 'model'] as const;

/** Rows as aligned columns, indented by two spaces. */
export function table(rows: string[][]): string[] {
  // A loop, not Math.max(...column): spreading 100 000 rows overflows the stack.
  const widths = rows[0].map((_, j) => rows.reduce((w, r) => Math.max(w, r[j].length), 0));
  return rows.map((r) => '  ' + r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd());
}

function choiceLine(c: ModelChoice): string[] {
  return [String(c.index), c.label, c.architecture ?? '?', c.M !== undefined ? `M = ${c.M}, H = ${c.H}` : '', c.error ? `(${c.error.replace(/^[^:]*: /, '')})` : ''];
}

const tensorList = (ts: { name: string; dtype: string; shape: number[] }[]) => ts.map(({ name, dtype, shape }) => ({ name, dtype, shape }));

/** `scyfi inspect`: the tensors of a file and the model (or models) they map to. */
export async function inspectCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['json', ...MODEL_FLAGS], ['json']);
  if (args.positional.length !== 1) throw new InputError(`inspect needs exactly one file: ${INSPECT_USAGE}`);
  const file = args.positional[0];
  const options = modelOptions(args);
  if (args.flags.has('json')) {
    let loaded;
    try {
      loaded = await loadModelFile(file, options);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const listing = await readTensors(file).catch(() => undefined);
      // A file of several models with none chosen: list them, and that is a success.
      if (e instanceof ModelChoiceError) {
        out(safeJson({ model: null, models: e.choices, tensors: tensorList(listing?.tensors ?? []) }));
        return 0;
      }
      // Tensors that do not make a model are what a sidecar map is written from: list them
      // ("model": null), as the text report does, and still fail with the reason.
      if (listing) out(safeJson({ model: null, tensors: tensorList(listing.tensors) }));
      throw e;
    }
    out(
      safeJson({
        model: loaded.model.spec,
        ...(loaded.models ? { models: loaded.models, index: loaded.index } : {}),
        ...(loaded.notes.length ? { notes: loaded.notes } : {}),
        tensors: tensorList(loaded.tensors),
      }),
    );
    return 0;
  }
  let loadedFirst;
  try {
    const listing = await readTensors(file);
    out(`${printable(file)}: ${FORMAT_NAMES[listing.format]}, ${listing.tensors.length} tensor${listing.tensors.length === 1 ? '' : 's'}`);
    if (listing.tensors.length > 0) {
      out(table([['name', 'dtype', 'shape'], ...listing.tensors.map((t) => [printable(t.name), t.dtype, `[${t.shape.join(', ')}]`])]).join('\n'));
    }
  } catch (e) {
    // Not a checkpoint with tensors: a JSON model has none to list.
    if (!(e instanceof InputError) || !/a JSON file/.test(e.message)) throw e;
    loadedFirst = await loadModelFile(file, options);
    out(`${printable(file)}: ${FORMAT_NAMES.json}`);
  }
  let loaded;
  try {
    loaded = loadedFirst ?? (await loadModelFile(file, options));
  } catch (e) {
    if (!(e instanceof ModelChoiceError)) throw e;
    out('');
    out(e.message.replace(/^[^:]*: /, ''));
    // One reason shared by every model (a P or a variant the file does not give) is said once.
    const errors = new Set(e.choices.map((c) => c.error));
    const shared = errors.size === 1 ? [...errors][0] : undefined;
    const rows = e.choices.map((c) => choiceLine(shared ? { ...c, error: undefined } : c));
    out(table([['model', 'in the file', 'architecture', 'size', ''], ...rows]).join('\n'));
    if (shared) out(`every model: ${shared.replace(/^[^:]*: /, '')}`);
    return 0;
  }
  const { spec, map } = loaded.model;
  out('');
  if (loaded.models) {
    out(`${loaded.models.length} models in the file; this is model ${loaded.index} (${printable(loaded.models[loaded.index!].label)}):`);
  }
  out(`model: ${spec.architecture}, M = ${map.M}, H = ${map.H}${loaded.convention ? ` (${loaded.convention === 'map' ? `mapped by ${printable(loaded.sidecarFile ?? 'scyfi.parameterMap')}` : `naming: ${loaded.convention}`})` : ''}`);
  for (const n of loaded.notes) out(`  note: ${printable(n)}`);
  if (loaded.parameters) {
    out(table(Object.entries(loaded.parameters).map(([k, t]) => [k, '←', printable(t)])).join('\n'));
  }
  if (spec.architecture === 'alrnn') out(`  P = ${spec.P}`);
  const set = defOf(spec).options.filter((o) => (spec as unknown as Record<string, unknown>)[o.key] !== undefined);
  for (const o of set) out(`  ${o.key} = ${JSON.stringify((spec as unknown as Record<string, unknown>)[o.key])} (${o.role})`);
  return 0;
}
