// The child of bounded.ts: reads inputs <dir>/<from>..<to - 1> (as a listing with values, then
// as a model) and prints one JSON line per input: the outcome, the longer of the two times and
// the growth of its peak resident memory (maxRSS, a high-water mark) since it started. Times are
// the CPU time of this process (user + system), the work a read does: wall time would also count
// whatever else the machine runs at the moment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors';
import { loadModelBytes, readTensorsFromBytes } from '../../../src/core/io/load';

const [dir, fromText, toText] = process.argv.slice(2);
const names = JSON.parse(readFileSync(join(dir, 'names.json'), 'utf8')) as string[];
const fullGc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
// A full collection before a read when the last one left garbage, so it does not count; not
// always (thousands of small mutants would spend most of their time collecting).
const gc = () => {
  if (process.memoryUsage().heapUsed > 64 * 1024 * 1024) fullGc();
};
fullGc();
const baseKiB = process.resourceUsage().maxRSS;

for (let i = Number(fromText); i < Number(toText); i++) {
  const bytes = readFileSync(join(dir, String(i)));
  const name = names[i];
  let outcome: 'ok' | 'input' | 'error' = 'ok';
  let message = '';
  let ms = 0;
  for (const run of [() => readTensorsFromBytes(bytes, name, { dataUpTo: 100_000 }), () => loadModelBytes(bytes, name)]) {
    gc();
    const t0 = process.cpuUsage();
    try {
      run();
    } catch (e) {
      if (e instanceof InputError && !e.message.includes('\n') && e.message.length < 2000) {
        outcome = 'input';
        message = e.message;
      } else {
        outcome = 'error';
        message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      }
    }
    const used = process.cpuUsage(t0);
    ms = Math.max(ms, (used.user + used.system) / 1000);
    if (outcome === 'error') break;
  }
  process.stdout.write(JSON.stringify({ outcome, message, ms, peakMiB: (process.resourceUsage().maxRSS - baseKiB) / 1024 }) + '\n');
}
