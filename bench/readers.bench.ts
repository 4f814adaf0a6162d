// Checkpoint readers: a ~500 MB PyTorch zip checkpoint (one large dummy storage next to a small
// PLRNN) is written to the temp directory, then read in a fresh process so that its peak RSS
// shows the large storage is never loaded. Also: reading the small fixtures.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadModelBytes, loadModelFile, readTensors } from '../src/core/io/load';
import { float32Bytes, torchStateDictPickle, writeStoredZip } from '../test/unit/io/writers';

const BIG_ELEMENTS = 125_000_000; // float32: 500 MB
const CHUNK = 16 * 1024 * 1024;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

function writeBigCheckpoint(path: string): void {
  const M = 8;
  const small = {
    A: float32Bytes(Array.from({ length: M }, (_, i) => 0.1 * i)),
    W: float32Bytes(Array.from({ length: M * M }, (_, i) => (i % (M + 1) === 0 ? 0 : 0.01 * i))),
    h: float32Bytes(Array.from({ length: M }, () => 0.5)),
  };
  const pickle = torchStateDictPickle([
    { name: 'encoder.big', storageKey: '0', storageType: 'FloatStorage', storageNumel: BIG_ELEMENTS, offset: 0, shape: [BIG_ELEMENTS / 1000, 1000], stride: [1000, 1] },
    { name: 'latent.A', storageKey: '1', storageType: 'FloatStorage', storageNumel: M, offset: 0, shape: [M], stride: [1] },
    { name: 'latent.W', storageKey: '2', storageType: 'FloatStorage', storageNumel: M * M, offset: 0, shape: [M, M], stride: [M, 1] },
    { name: 'latent.h', storageKey: '3', storageType: 'FloatStorage', storageNumel: M, offset: 0, shape: [M], stride: [1] },
  ]);
  const pattern = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i += 4) pattern.writeFloatLE((i % 4096) / 4096, i);
  const bigChunks = function* () {
    let left = BIG_ELEMENTS * 4;
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      yield pattern.subarray(0, n);
      left -= n;
    }
  };
  const one = (b: Uint8Array) => () => [b];
  writeStoredZip(path, [
    { name: 'bench/data.pkl', size: pickle.length, chunks: one(pickle) },
    { name: 'bench/data/0', size: BIG_ELEMENTS * 4, chunks: bigChunks },
    { name: 'bench/data/1', size: small.A.length, chunks: one(small.A) },
    { name: 'bench/data/2', size: small.W.length, chunks: one(small.W) },
    { name: 'bench/data/3', size: small.h.length, chunks: one(small.h) },
    { name: 'bench/version', size: 2, chunks: one(Buffer.from('3\n')) },
  ]);
}

async function readPhase(path: string): Promise<void> {
  const before = process.memoryUsage();
  const t0 = process.hrtime.bigint();
  const listing = await readTensors(path);
  const t1 = process.hrtime.bigint();
  const loaded = await loadModelFile(path);
  const t2 = process.hrtime.bigint();
  const after = process.memoryUsage();
  const report = {
    tensors: listing.tensors.length,
    architecture: loaded.model.spec.architecture,
    M: loaded.model.map.M,
    listMs: Number(t1 - t0) / 1e6,
    loadMs: Number(t2 - t1) / 1e6,
    rssBefore: before.rss,
    rssAfter: after.rss,
    heapUsedAfter: after.heapUsed,
    externalAfter: after.external + after.arrayBuffers,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(JSON.stringify(report));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--read') return readPhase(process.argv[3]);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${mb(totalmem())} MB RAM, node ${process.version}`);

  const path = join(tmpdir(), `scyfi-bench-${process.pid}.pt`);
  try {
    const w0 = Date.now();
    writeBigCheckpoint(path);
    const size = statSync(path).size;
    console.log(`wrote ${path}: ${mb(size)} MB (stored zip; 1 storage of ${mb(BIG_ELEMENTS * 4)} MB + an 8-unit PLRNN) in ${((Date.now() - w0) / 1000).toFixed(1)} s`);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--read', path], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`read phase failed: ${r.stderr}`);
      runs.push(JSON.parse(r.stdout));
    }
    const best = runs.reduce((a, b) => (a.loadMs < b.loadMs ? a : b));
    console.log(`read: ${best.tensors} tensors listed in ${best.listMs.toFixed(1)} ms; model (${best.architecture}, M = ${best.M}) loaded in ${best.loadMs.toFixed(1)} ms (best of 3)`);
    console.log(`memory of the reading process: peak RSS ${mb(best.maxRss)} MB (${mb(best.rssBefore)} MB before reading, ${mb(best.rssAfter)} MB after); heap used ${mb(best.heapUsedAfter)} MB; buffers ${mb(best.externalAfter)} MB`);
    console.log(`peak RSS / file size: ${(best.maxRss / size).toFixed(3)}`);
  } finally {
    rmSync(path, { force: true });
  }

  const dir = join(__dirname, '..', 'test', 'fixtures', 'checkpoints');
  for (const f of ['plrnn_zip.pt', 'shplrnn_nested_legacy.pt', 'shplrnn_deflated.npz', 'shplrnn.safetensors', 'shplrnn.bson']) {
    const bytes = readFileSync(join(dir, f));
    const n = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) loadModelBytes(bytes, f);
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    console.log(`${f.padEnd(26)} ${String(bytes.length).padStart(6)} bytes: ${us.toFixed(1)} µs per load (read, map, validate, reduce)`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
