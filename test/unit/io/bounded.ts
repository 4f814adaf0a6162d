// Runs the readers on hostile inputs in a child process with a heap limit, a time limit per
// input and a peak-memory measurement (the child's own maxRSS), so that an input that makes them
// grow or spin fails its test, naming the input, instead of exhausting the machine or hanging
// the suite.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BoundedInput {
  name: string;
  bytes: Uint8Array;
}

export interface BoundedResult {
  name: string;
  /** 'ok' read, 'input' an InputError (one line), 'error' anything else thrown, 'timeout', 'crash' (the child died: out of memory). */
  outcome: 'ok' | 'input' | 'error' | 'timeout' | 'crash';
  message: string;
  /** CPU milliseconds of the longer of the two reads (listing with values, model). */
  ms: number;
  /** Peak resident memory of the child above what it had before its first input, in MiB. */
  peakMiB: number;
}

export interface Bounds {
  /** Per input (default 10 s). */
  timeoutMs?: number;
  /** The child's V8 heap limit (default 1024 MiB). */
  heapMiB?: number;
  /** One child per input, so each peak is its own (default: one child for all). */
  separate?: boolean;
}

const CHILD = join(__dirname, 'boundedChild.ts');

/** Runs inputs[from..] in one child until it finishes, times out or dies; returns their results. */
function runChild(dir: string, inputs: BoundedInput[], from: number, to: number, timeoutMs: number, heapMiB: number): Promise<BoundedResult[]> {
  return new Promise((resolve) => {
    const results: BoundedResult[] = [];
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMiB}`, '--expose-gc', '--import', 'tsx', CHILD, dir, String(from), String(to)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let started = performance.now();
    const arm = () => {
      clearTimeout(timer);
      started = performance.now();
      timer = setTimeout(() => {
        results.push({ name: inputs[from + results.length].name, outcome: 'timeout', message: `no answer within ${timeoutMs} ms`, ms: performance.now() - started, peakMiB: NaN });
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    arm();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        results.push({ name: inputs[from + results.length].name, ...(JSON.parse(line) as Omit<BoundedResult, 'name'>) });
        arm();
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const next = from + results.length;
      if (next < to && !(results.length > 0 && results[results.length - 1].outcome === 'timeout')) {
        results.push({ name: inputs[next].name, outcome: 'crash', message: `the reader died (${signal ?? code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`, ms: performance.now() - started, peakMiB: NaN });
      }
      resolve(results);
    });
  });
}

/** Reads each input with readTensorsFromBytes (values of small tensors too) and loadModelBytes. */
export async function readBounded(inputs: BoundedInput[], bounds: Bounds = {}): Promise<BoundedResult[]> {
  const timeoutMs = bounds.timeoutMs ?? 10_000;
  const heapMiB = bounds.heapMiB ?? 1024;
  const dir = mkdtempSync(join(tmpdir(), 'scyfi-bounded-'));
  try {
    inputs.forEach((input, i) => writeFileSync(join(dir, String(i)), input.bytes));
    writeFileSync(join(dir, 'names.json'), JSON.stringify(inputs.map((i) => i.name)));
    const results: BoundedResult[] = [];
    while (results.length < inputs.length) {
      const from = results.length;
      const to = bounds.separate ? from + 1 : inputs.length;
      results.push(...(await runChild(dir, inputs, from, to, timeoutMs, heapMiB)));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why a result is out of bounds (an error other than an InputError, too slow, too big), or undefined. */
export function outOfBounds(r: BoundedResult, maxMs: number, maxPeakMiB: number): string | undefined {
  if (r.outcome === 'error' || r.outcome === 'timeout' || r.outcome === 'crash') return `${r.name}: ${r.outcome}: ${r.message}`;
  if (r.ms > maxMs) return `${r.name}: took ${r.ms.toFixed(0)} ms (bound ${maxMs} ms)`;
  if (r.peakMiB > maxPeakMiB) return `${r.name}: peak memory grew by ${r.peakMiB.toFixed(0)} MiB (bound ${maxPeakMiB} MiB)`;
  return undefined;
}
