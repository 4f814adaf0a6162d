import { Architecture } from '../model/types';
import { Hdf5File, readPlainHdf5 } from './hdf5';
import { readJld2 } from './jld2';
import { readMat73 } from './mat73';
import { ByteSource } from './source';
import { Tensor } from './tensor';
import type { ScalarValue } from './torch';

export interface Hdf5Contents {
  format: 'jld2' | 'mat73' | 'hdf5';
  tensors: Tensor[];
  architecture?: Architecture;
  metadata?: Record<string, ScalarValue>;
}

/** JLD2 (its 512-byte text header), MATLAB v7.3 (its MAT header in the userblock) or plain HDF5. */
export function readHdf5Formats(src: ByteSource): Hdf5Contents {
  const head = src.read(0, Math.min(src.size, 128)).toString('latin1');
  const file = new Hdf5File(src);
  if (head.startsWith('MATLAB 7.3 MAT-file') || (head.startsWith('MATLAB') && file.superblock === 512 && head.charCodeAt(124) === 0 && head.charCodeAt(125) === 2)) {
    return { format: 'mat73', ...readMat73(file) };
  }
  if (head.startsWith('HDF5-based Julia Data Format') || head.startsWith('Julia data file (HDF5), version 0.2')) {
    const r = readJld2(file);
    return { format: 'jld2', tensors: r.tensors, architecture: r.architecture, metadata: r.metadata };
  }
  return { format: 'hdf5', tensors: readPlainHdf5(file) };
}
