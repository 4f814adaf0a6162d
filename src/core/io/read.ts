import { InputError } from '../errors';
import { Architecture } from '../model/types';
import { readBson } from './bson';
import { MatValue, SkippedArray, readMat } from './mat';
import { readHdf5Formats } from './hdf5formats';
import { readNpy, readNpz } from './npy';
import { readSafetensors } from './safetensors';
import { sniff } from './sniff';
import { ByteSource } from './source';
import { Tensor } from './tensor';
import { isLegacyTorch, readTorchLegacy, readTorchZip, type SavedObject, type ScalarValue, type TorchFile } from './torch';
import { ZipArchive } from './zip';

export type TensorFormat = 'torch-zip' | 'torch-legacy' | 'npy' | 'npz' | 'safetensors' | 'bson' | 'mat' | 'jld2' | 'mat73' | 'hdf5';

export interface TensorFile {
  format: TensorFormat;
  /** Every tensor in the file, in file order; values are read only when asked for. */
  tensors: Tensor[];
  /** The architecture the file itself names (Julia BSON struct types), if any. */
  architecture?: Architecture;
  /** Scalars stored beside the tensors (epoch, step, a Lightning checkpoint's hyper_parameters…). */
  metadata?: Record<string, ScalarValue>;
  /**
   * Scalars and strings stored next to the tensors, by the same names (MATLAB .mat files:
   * real 1×1 numeric and logical arrays as numbers, char arrays as strings), for metadata such
   * as an ALRNN's P. Scalars are also in `tensors`, as 1×1 arrays.
   */
  values?: ReadonlyMap<string, MatValue>;
  /** Arrays in the file that were not read, with the reason (MATLAB complex arrays, say). */
  skipped?: readonly SkippedArray[];
  /** Objects pickled whole (torch.save(model)), read through inert stand-ins. */
  objects?: { key: string; object: SavedObject }[];
}

/**
 * A pickled object whose class must run its own code to be rebuilt (its __reduce__ calls a
 * function of its own) names that class in the refusal. Say which, and what to do. (Modules
 * saved whole with torch.save(model) are read: their classes become inert stand-ins.)
 */
function withSaveHint(read: () => TorchFile): TorchFile {
  try {
    return read();
  } catch (e) {
    const m = e instanceof InputError ? /pickle refers to global '([\w.]+\.([A-Z]\w*))'/.exec(e.message) : null;
    if (m) {
      throw new InputError(
        `${(e as InputError).message}; the file holds a ${m[2]} object (class ${m[1]}) that only its own code can rebuild: in the code that trained it, save the weights with torch.save(model.state_dict(), path) (or load the file in Python and save its state_dict())`,
      );
    }
    throw e;
  }
}

/** Reads the tensor directory of a checkpoint of any supported binary format. */
export function readTensorSource(src: ByteSource): TensorFile {
  const kind = sniff(src);
  switch (kind) {
    case 'zip': {
      const zip = new ZipArchive(src);
      if (zip.entries.some((e) => /(^|\/)data\.pkl$/.test(e.name))) return { format: 'torch-zip', ...withSaveHint(() => readTorchZip(zip)) };
      if (zip.entries.length > 0 && zip.entries.every((e) => e.name.endsWith('.npy') || e.name.endsWith('/'))) return { format: 'npz', tensors: readNpz(zip) };
      throw new InputError(`${src.name}: a zip archive that is neither a PyTorch checkpoint (no data.pkl) nor an .npz file`);
    }
    case 'pickle':
      if (!isLegacyTorch(src)) throw new InputError(`${src.name}: a plain pickle file, not a torch.save checkpoint; save the state dict with torch.save`);
      return { format: 'torch-legacy', ...withSaveHint(() => readTorchLegacy(src)) };
    case 'npy':
      return { format: 'npy', tensors: [readNpy(src, src.name.replace(/\.npy$/i, ''))] };
    case 'safetensors':
      return { format: 'safetensors', ...readSafetensors(src) };
    case 'bson':
      return { format: 'bson', ...readBson(src) };
    case 'mat5':
      return { format: 'mat', ...readMat(src) };
    case 'git-lfs':
      throw new InputError(`${src.name}: the file is only a Git LFS pointer; run git lfs pull to fetch the checkpoint`);
    case 'hdf5':
    case 'mat73':
      return readHdf5Formats(src);
    case 'tar':
      throw new InputError(`${src.name}: a tar archive (the torch.save format of PyTorch before 0.4?) is not supported; load and save it again with a current PyTorch`);
    case 'json':
      throw new InputError(`${src.name}: a JSON file, not a checkpoint with tensors`);
    case 'unknown': {
      // A .bson whose declared length is larger than the file: BSON.jl's output cut short.
      const head = src.read(0, Math.min(src.size, 5));
      if (/\.bson$/i.test(src.name) && head.length === 5 && head.readInt32LE(0) > src.size && head[4] >= 0x01 && head[4] <= 0x13) {
        throw new InputError(`${src.name}: a BSON file cut short: it declares ${head.readInt32LE(0)} bytes and has ${src.size}`);
      }
      throw new InputError(
        `${src.name}: unrecognised file format (expected a PyTorch checkpoint, .npy/.npz, safetensors, Julia BSON, a MATLAB .mat file or a JSON model)`,
      );
    }
  }
}
