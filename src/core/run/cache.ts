// Results of one checkpoint's search, cached by the file's content and the search's settings, so
// re-opening a run or adding checkpoints searches only what is new. One small JSON file a key,
// written to a temporary name and renamed, in a folder of the caller's choosing.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Cycle, FoundBySource } from '../scyfi/types';
import { SEARCH_REVISION } from '../scyfi/defaults';

export interface CachedSearch {
  cycles: Cycle[];
  candidates: number;
  foundBy: FoundBySource;
}

const VERSION = 1;

/** SHA-256 of a file's bytes, streamed. */
export function fileHash(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** The key of one checkpoint's search: its content, the settings, and the search's revision. */
export function cacheKey(contentHash: string, settings: unknown): string {
  return createHash('sha256').update(`${VERSION}\n${SEARCH_REVISION}\n${contentHash}\n${JSON.stringify(settings)}`).digest('hex');
}

export class ResultCache {
  constructor(readonly dir: string) {}

  async get(key: string): Promise<CachedSearch | undefined> {
    try {
      const v = JSON.parse(await fs.readFile(join(this.dir, `${key}.json`), 'utf8')) as { version?: number } & CachedSearch;
      return v.version === VERSION && Array.isArray(v.cycles) ? { cycles: v.cycles, candidates: v.candidates, foundBy: v.foundBy } : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, value: CachedSearch): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ version: VERSION, ...value }));
    await fs.rename(tmp, file);
  }
}
