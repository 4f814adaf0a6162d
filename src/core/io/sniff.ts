import { ByteSource } from './source';
import { findSuperblock } from './hdf5';
import { safetensorsHeaderLength } from './safetensors';

export type SniffedFormat =
  | 'zip' | 'pickle' | 'npy' | 'safetensors' | 'bson' | 'json' | 'git-lfs' | 'hdf5' | 'mat5' | 'mat73' | 'tar' | 'unknown';

/**
 * MATLAB MAT-files: level 5 (v5/v6/v7: a 116-byte text header naming a "MAT-file", version 0x0100
 * at offset 124, endian indicator 'IM' or 'MI' at 126) or v7.3 (an HDF5 file behind a 512-byte
 * header whose text starts "MATLAB 7.3 MAT-file"). Files whose text says "MATLAB 5.0 MAT-file"
 * are level 5 whatever follows, so that a damaged version or indicator gets the reader's message.
 */
function matKind(head: Buffer): 'mat5' | 'mat73' | undefined {
  const text = head.toString('latin1', 0, Math.min(head.length, 116));
  if (text.startsWith('MATLAB 7.3 MAT-file')) return 'mat73';
  if (text.startsWith('MATLAB 5.0 MAT-file')) return 'mat5';
  if (head.length < 128 || !text.includes('MAT-file')) return undefined;
  const indicator = head.toString('latin1', 126, 128);
  if (indicator !== 'IM' && indicator !== 'MI') return undefined;
  const version = indicator === 'IM' ? head.readUInt16LE(124) : head.readUInt16BE(124);
  return version === 0x0100 ? 'mat5' : version === 0x0200 ? 'mat73' : undefined;
}

/** Decides a file's format from its first bytes (the extension is not trusted). */
export function sniff(src: ByteSource): SniffedFormat {
  const head = src.read(0, Math.min(src.size, 128));
  const ascii = head.toString('latin1');
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
  if (ascii.startsWith('\x93NUMPY')) return 'npy';
  if (head.length >= 2 && head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return 'pickle';
  if (ascii.startsWith('version https://git-lfs.github.com/spec/')) return 'git-lfs';
  if (ascii.startsWith('MATLAB 7.3 MAT-file')) return 'mat73';
  if (ascii.startsWith('\x89HDF\r\n\x1a\n') || ascii.startsWith('HDF5-based Julia Data Format')) return 'hdf5';
  const mat = matKind(head);
  if (mat) return mat;
  if (src.size >= 512 && src.read(257, 5).toString('latin1') === 'ustar') return 'tar';
  // BSON: a document whose int32 length is the file's size and which ends with a zero byte.
  if (head.length >= 5 && head.readInt32LE(0) === src.size && src.read(src.size - 1, 1)[0] === 0) return 'bson';
  if (safetensorsHeaderLength(head, src.size) !== undefined) return 'safetensors';
  if (findSuperblock(src) !== undefined) return 'hdf5'; // behind a userblock (512, 1024, … bytes)
  const text = ascii.replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart();
  if (text.startsWith('{') || text.startsWith('//') || text.startsWith('/*') || src.size === 0 || text === '') return 'json';
  return 'unknown';
}
