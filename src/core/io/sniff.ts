import { ByteSource } from './source';
import { findSuperblock } from './hdf5';
import { safetensorsHeaderLength } from './safetensors';

export type SniffedFormat = 'zip' | 'pickle' | 'npy' | 'safetensors' | 'bson' | 'json' | 'git-lfs' | 'hdf5' | 'mat73' | 'tar' | 'unknown';

/** Decides a file's format from its first bytes (the extension is not trusted). */
export function sniff(src: ByteSource): SniffedFormat {
  const head = src.read(0, Math.min(src.size, 64));
  const ascii = head.toString('latin1');
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
  if (ascii.startsWith('\x93NUMPY')) return 'npy';
  if (head.length >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return 'pickle';
  if (ascii.startsWith('version https://git-lfs.github.com/spec/')) return 'git-lfs';
  if (ascii.startsWith('MATLAB 7.3 MAT-file')) return 'mat73';
  if (ascii.startsWith('\x89HDF\r\n\x1a\n') || ascii.startsWith('HDF5-based Julia Data Format')) return 'hdf5';
  if (src.size >= 512 && src.read(257, 5).toString('latin1') === 'ustar') return 'tar';
  // BSON: a document whose int32 length is the file's size and which ends with a zero byte.
  if (head.length >= 5 && head.readInt32LE(0) === src.size && src.read(src.size - 1, 1)[0] === 0) return 'bson';
  if (safetensorsHeaderLength(head, src.size) !== undefined) return 'safetensors';
  if (findSuperblock(src) !== undefined) return 'hdf5'; // behind a userblock (512, 1024, … bytes)
  const text = ascii.replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('//') || text.startsWith('/*') || src.size === 0 || text === '') return 'json';
  return 'unknown';
}
