import { promises as fs } from 'node:fs';

const LFS_HEAD = 'version https://git-lfs.github.com/spec/';

/** The oid and size of a Git LFS pointer file, or undefined when the file is not one. */
export async function readLfsPointer(path: string): Promise<{ oid: string; size: number } | undefined> {
  // Never open a FIFO or a device: opening a FIFO blocks until a writer comes. Pointers are small files.
  const st = await fs.stat(path);
  if (!st.isFile() || st.size > 1024) return undefined;
  const fh = await fs.open(path, 'r');
  try {
    const buf = Buffer.alloc(1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8');
    if (!text.startsWith(LFS_HEAD)) return undefined;
    const oid = /^oid (\S+)$/m.exec(text)?.[1] ?? 'unknown';
    const size = Number(/^size (\d+)$/m.exec(text)?.[1] ?? NaN);
    return { oid, size };
  } finally {
    await fh.close();
  }
}
