import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors';

/**
 * Random access to the bytes of a file or buffer. Readers take their bytes from here so that a
 * large checkpoint is read piece by piece (positioned reads on a file descriptor), never whole.
 */
export interface ByteSource {
  /** Name used in error messages (the file's base name). */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset`; an InputError if the source is shorter. */
  read(offset: number, length: number): Buffer;
}

/** Largest single read; readers check declared sizes against it before allocating. */
export const MAX_READ_BYTES = 1024 * 1024 * 1024;

function checkRange(src: ByteSource, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new InputError(`${src.name}: invalid offset or length (${offset}, ${length})`);
  }
  if (offset + length > src.size) {
    throw new InputError(`${src.name}: the file is truncated (needs bytes ${offset}–${offset + length}, has ${src.size})`);
  }
  if (length > MAX_READ_BYTES) {
    throw new InputError(`${src.name}: a single piece of ${length} bytes is larger than the ${MAX_READ_BYTES}-byte limit`);
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly buf: Uint8Array,
  ) {
    this.size = buf.length;
  }
  read(offset: number, length: number): Buffer {
    checkRange(this, offset, length);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + offset, length);
  }
}

/** A window [offset, offset + size) of another source, e.g. a stored zip entry. */
export class SliceSource implements ByteSource {
  readonly name: string;
  constructor(
    private readonly base: ByteSource,
    private readonly offset: number,
    readonly size: number,
    name?: string,
  ) {
    this.name = name ?? base.name;
    checkRange(base, offset, 0);
    if (offset + size > base.size) throw new InputError(`${base.name}: the file is truncated (a part of ${size} bytes at ${offset} runs past its end)`);
  }
  read(offset: number, length: number): Buffer {
    checkRange(this, offset, length);
    return this.base.read(this.offset + offset, length);
  }
}

/** Plain words for the errors a user meets when opening a file (the code stays, for searching). */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent of it is not a directory',
  ELOOP: 'too many symbolic links',
};

export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;
  constructor(
    readonly name: string,
    path: string,
  ) {
    try {
      this.fd = openSync(path, 'r');
      const st = fstatSync(this.fd);
      if (st.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'not a regular file' });
      this.size = st.size;
    } catch (e) {
      this.close();
      const code = (e as NodeJS.ErrnoException).code;
      const why = code !== undefined ? READ_ERRORS[code] : undefined;
      throw new InputError(`${name}: cannot read the file (${why ? `${why}, ${code}` : (code ?? String(e))})`);
    }
  }
  read(offset: number, length: number): Buffer {
    checkRange(this, offset, length);
    if (this.fd === undefined) throw new Error('FileSource used after close');
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new InputError(`${this.name}: the file shrank while it was being read`);
      done += n;
    }
    return out;
  }
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
