import { InputError } from '../core/errors';
import { LoadOptions, ModelFormat, loadModelFile, readTensors } from '../core/io/load';
import { isArchitecture } from '../core/model/registry';
import { ARCHITECTURES } from '../core/model/types';
import { printable, safeJson } from '../core/text';
import { ParsedArgs, intFlag, parseArgs } from './args';

export const INSPECT_USAGE = 'scyfi inspect <file> [--json] [--architecture A] [--P n]';

const FORMAT_NAMES: Record<ModelFormat, string> = {
  json: 'JSON model',
  'torch-zip': 'PyTorch checkpoint (zip)',
  'torch-legacy': 'PyTorch checkpoint (legacy, before 1.6)',
  npy: 'NumPy .npy',
  npz: 'NumPy .npz',
  safetensors: 'safetensors',
  bson: 'Julia BSON',
};

/** Reads --architecture and --P, shared by `inspect` and `find`. */
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
  return options;
}

/** Rows as aligned columns, indented by two spaces. */
export function table(rows: string[][]): string[] {
  // A loop, not Math.max(...column): spreading 100 000 rows overflows the stack.
  const widths = rows[0].map((_, j) => rows.reduce((w, r) => Math.max(w, r[j].length), 0));
  return rows.map((r) => '  ' + r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd());
}

/** `scyfi inspect`: the tensors of a file and the model they map to. */
export async function inspectCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['json', 'architecture', 'P'], ['json']);
  if (args.positional.length !== 1) throw new InputError(`inspect needs exactly one file: ${INSPECT_USAGE}`);
  const file = args.positional[0];
  const options = modelOptions(args);
  if (args.flags.has('json')) {
    let loaded;
    try {
      loaded = await loadModelFile(file, options);
    } catch (e) {
      // Tensors that do not make a model are what a sidecar map is written from: list them
      // ("model": null), as the text report does, and still fail with the reason.
      if (!(e instanceof InputError)) throw e;
      const listing = await readTensors(file).catch(() => undefined);
      if (listing) out(safeJson({ model: null, tensors: listing.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })) }));
      throw e;
    }
    out(safeJson({ model: loaded.model.spec, tensors: loaded.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })) }));
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
  const loaded = loadedFirst ?? (await loadModelFile(file, options));
  const { spec, map } = loaded.model;
  out('');
  out(`model: ${spec.architecture}, M = ${map.M}, H = ${map.H}${loaded.convention ? ` (${loaded.convention === 'map' ? `mapped by ${printable(loaded.sidecarFile ?? 'scyfi.parameterMap')}` : `naming: ${loaded.convention}`})` : ''}`);
  if (loaded.parameters) {
    out(table(Object.entries(loaded.parameters).map(([k, t]) => [k, '←', printable(t)])).join('\n'));
  }
  if (spec.architecture === 'alrnn') out(`  P = ${spec.P}`);
  return 0;
}
