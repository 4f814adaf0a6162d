import { Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../errors';
import { own } from './own';

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

/** Why a path that exists is not a regular file, in words; undefined for a regular file. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'it is a directory, EISDIR';
  if (st.isFIFO()) return 'it is a named pipe (FIFO), not a regular file';
  if (st.isSocket()) return 'it is a socket, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device, not a regular file';
  return 'not a regular file';
}

function openError(name: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why = code !== undefined ? own(READ_ERRORS, code) : undefined;
  return new InputError(`${name}: cannot read the file (${why ? `${why}, ${code}` : (code ?? String(e))})`);
}

/**
 * Opens a regular file for reading without ever blocking: its type is checked before it is
 * opened (openSync on a FIFO waits for a writer forever), and it is opened non-blocking and
 * checked again, in case it was replaced in between. Returns the descriptor and its size.
 */
export function openRegularFile(name: string, path: string): { fd: number; size: number } {
  let fd: number | undefined;
  try {
    const before = statSync(path);
    const why = notRegular(before);
    if (why) throw new InputError(`${name}: cannot read the file (${why})`);
    // O_NONBLOCK: a FIFO swapped in after the stat opens at once instead of hanging (no effect
    // on reads of a regular file). Windows has no such flag and no FIFOs to worry about.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    const whyNow = notRegular(st) ?? (st.ino !== before.ino || st.dev !== before.dev ? 'it changed while it was being opened' : undefined);
    if (whyNow) throw new InputError(`${name}: cannot read the file (${whyNow})`);
    return { fd, size: st.size };
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw openError(name, e);
  }
}

/**
 * The whole of a small regular file, or undefined when there is no such file (ENOENT): for
 * optional files such as a sidecar. Anything else that is wrong with it is an InputError.
 */
export function readOptionalFile(name: string, path: string, maxBytes: number): Buffer | undefined {
  try {
    statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  }
  const opened = openRegularFile(name, path);
  const src = new FileSource(name, opened);
  try {
    if (src.size > maxBytes) throw new InputError(`${name}: a file of ${src.size} bytes is too large (at most ${maxBytes})`);
    return src.read(0, src.size);
  } finally {
    src.close();
  }
}

export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;
  /** `path` is opened here; an already opened regular file (from openRegularFile) is taken over. */
  constructor(
    readonly name: string,
    path: string | { fd: number; size: number },
  ) {
    const opened = typeof path === 'string' ? openRegularFile(name, path) : path;
    this.fd = opened.fd;
    this.size = opened.size;
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
