import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BoundedInput, BoundedResult, outOfBounds, readBounded } from './bounded';
import { hostileCorpus } from './writers';

// Seeded mutations of every fixture and of the hostile inputs of issue 12 (amplifying pickles,
// zip bombs, huge counts, deep JSON, names with control characters): bit flips, overwritten
// length fields, truncations and splices. Each input (the hostile ones as built, too) must read
// or end in a one-line InputError, within BOUND_MS per read and BOUND_MIB of peak memory;
// anything else (a RangeError, a hang, a crash, running out of memory, a slow or greedy read)
// fails and names the input. They run in a child process with a heap limit (bounded.ts), so a
// failure cannot take the suite down. The seeds make every run the same.

const DIRS = ['checkpoints', 'mat', 'hdf5'].map((d) => join(__dirname, '..', '..', 'fixtures', d));
const MUTANTS_PER_FIXTURE = Number(process.env.SCYFI_FUZZ_MUTANTS ?? 150);
/** CPU time per read (listing with values, model), and peak resident memory above the child's start. */
const BOUND_MS = 3000;
const BOUND_MIB = 1024;

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

describe('fuzzing the readers with mutated fixtures and hostile inputs', () => {
  const paths = DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f !== 'expected.json').sort().map((f) => join(dir, f)));
  const files = paths.map((p) => basename(p));
  const fixtures = paths.map((p) => readFileSync(p));
  const seeds = [
    ...files.map((name, k) => ({ name, bytes: fixtures[k], mutants: MUTANTS_PER_FIXTURE, seed: 1000 + k, hostile: false })),
    ...hostileCorpus().map((h, j) => ({ ...h, seed: 5000 + j, hostile: true })),
  ];
  const results = new Map<string, BoundedResult[]>();

  before(async () => {
    const inputs: (BoundedInput & { seed: string })[] = [];
    for (const s of seeds) {
      if (s.hostile) inputs.push({ name: s.name, bytes: s.bytes, seed: s.name });
      const r = rng(s.seed);
      for (let i = 0; i < s.mutants; i++) inputs.push({ name: `${s.name} mutant ${i}`, bytes: mutate(s.bytes, fixtures, r), seed: s.name });
    }
    const read = await readBounded(inputs, { timeoutMs: 30_000, heapMiB: 1024 });
    read.forEach((r, i) => results.set(inputs[i].seed, [...(results.get(inputs[i].seed) ?? []), r]));
  });

  for (const s of seeds) {
    const what = s.hostile ? `${s.name} (hostile) and ${s.mutants} mutants` : `${s.name}: ${s.mutants} mutants`;
    it(`${what} read or fail with a one-line InputError, within ${BOUND_MS} ms and ${BOUND_MIB} MiB`, () => {
      const mine = results.get(s.name) ?? [];
      assert.equal(mine.length, s.mutants + (s.hostile ? 1 : 0));
      for (const r of mine) assert.equal(outOfBounds(r, BOUND_MS, BOUND_MIB), undefined);
      if (s.hostile) assert.equal(mine[0].outcome, 'input', `${s.name} as built must be refused: ${mine[0].message}`);
    });
  }
});
