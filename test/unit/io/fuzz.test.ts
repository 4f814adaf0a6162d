import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { loadModelBytes, readTensorsFromBytes } from '../../../src/core/io/load';

// Seeded mutations of every fixture: bit flips, overwritten length fields, truncations and
// splices. Each mutant must read or end in an InputError; anything else (a RangeError, a hang,
// a crash) fails. The seed makes every run the same.

const DIRS = ['checkpoints', 'mat', 'hdf5'].map((d) => join(__dirname, '..', '..', 'fixtures', d));
const MUTANTS_PER_FIXTURE = Number(process.env.SCYFI_FUZZ_MUTANTS ?? 150);

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x40];

function mutate(buf: Buffer, others: Buffer[], r: () => number): Buffer {
  const int = (n: number) => Math.floor(r() * n);
  const out = Buffer.from(buf);
  switch (int(5)) {
    case 0: {
      const flips = 1 + int(8);
      for (let i = 0; i < flips && out.length > 0; i++) out[int(out.length)] ^= 1 << int(8);
      return out;
    }
    case 1: {
      // Overwrite a run of bytes with "interesting" values: lengths, counts, sizes turn absurd.
      const at = int(out.length);
      const len = 1 + int(8);
      for (let i = at; i < Math.min(out.length, at + len); i++) out[i] = INTERESTING[int(INTERESTING.length)];
      return out;
    }
    case 2:
      return out.subarray(0, int(out.length));
    case 3: {
      const other = others[int(others.length)];
      const from = int(other.length);
      const piece = other.subarray(from, from + 1 + int(256));
      const at = int(out.length);
      return Buffer.concat([out.subarray(0, at), piece, out.subarray(at + (r() < 0.5 ? piece.length : 0))]);
    }
    default: {
      // Cut a range out, or repeat one.
      const a = int(out.length);
      const b = Math.min(out.length, a + 1 + int(64));
      return r() < 0.5 ? Buffer.concat([out.subarray(0, a), out.subarray(b)]) : Buffer.concat([out.subarray(0, b), out.subarray(a)]);
    }
  }
}

function check(bytes: Buffer, name: string, what: string): void {
  for (const run of [() => readTensorsFromBytes(bytes, name, { dataUpTo: 100_000 }), () => loadModelBytes(bytes, name)]) {
    try {
      run();
    } catch (e) {
      if (e instanceof InputError) {
        assert.ok(e.message.length < 2000 && !e.message.includes('\n'), `${what}: message too long or multi-line`);
        continue;
      }
      assert.fail(`${what}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}

describe('fuzzing the readers with mutated fixtures', () => {
  const paths = DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f !== 'expected.json').sort().map((f) => join(dir, f)));
  const files = paths.map((p) => basename(p));
  const bytes = paths.map((p) => readFileSync(p));
  files.forEach((file, k) => {
    const name = basename(file);
    it(`${name}: ${MUTANTS_PER_FIXTURE} mutants read or fail with an InputError`, { timeout: 60_000 }, () => {
      const r = rng(1000 + k);
      for (let i = 0; i < MUTANTS_PER_FIXTURE; i++) {
        const m = mutate(bytes[k], bytes, r);
        check(m, name, `${file} mutant ${i}`);
      }
    });
  });
});
