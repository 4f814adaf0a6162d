// The search's kernels (src/core/linalg/kernels.ts) in WebAssembly SIMD against the plain loops
// that are their fallback, on the same data in the same run: time per call and the ratio. The
// M³ kernels at H = M, then the sums over H switches at the shapes of shPLRNNs (H ≫ M).
//   node --import tsx bench/kernels.bench.ts [--ms 400]
import { cpus } from 'node:os';
import { KernelArena } from '../src/core/linalg/kernels';
import { Prng } from '../src/core/scyfi/prng';

const msArg = process.argv.indexOf('--ms');
const BUDGET_MS = msArg > 0 ? Number(process.argv[msArg + 1]) : 400;

function spec(M: number, H: number) {
  return {
    prefix: ['f64', 2 * M * M],
    lu: ['f64', M * M],
    work: ['f64', M * M],
    J: ['f64', M * M],
    diag: ['f64', M],
    B: ['f64', M * H],
    active: ['i32', H],
    sel: ['i32', H],
    piv: ['i32', M],
    ST: ['f64', (M + 1) * H],
    Bt: ['f64', H * M],
    Sc: ['f64', H * (M + 1)],
    init: ['f64', M * (M + 1)],
    out: ['f64', M * (M + 1)],
    u: ['f64', H],
    z: ['f64', M],
    bits: ['i32', Math.ceil(H / 32)],
  } as const;
}

type Arena = KernelArena<ReturnType<typeof spec>>;

function filled(M: number, H: number, wasm: boolean): { arena: Arena; nActive: number } {
  const arena = new KernelArena(spec(M, H), wasm);
  const rng = new Prng(5);
  const b = arena.buffers;
  for (const a of [b.prefix, b.J, b.diag, b.B, b.lu, b.ST, b.Bt, b.Sc, b.init, b.u, b.z]) for (let i = 0; i < a.length; i++) a[i] = rng.uniform(-1, 1);
  for (let h = 0; h < H; h++) b.sel[h] = h % M;
  // About half the switches on, as in a typical region.
  let n = 0;
  for (let h = 0; h < H; h++) if (rng.nextFloat() < 0.5) b.active[n++] = h;
  return { arena, nActive: n };
}

/** Median over 5 rounds of the time per call (µs), each round as many calls as fit its budget. */
function timePerCall(run: () => void): number {
  let calls = 1;
  const t0 = performance.now();
  while (performance.now() - t0 < 20) {
    run();
    calls++;
  }
  const perRound = Math.max(1, Math.round((calls * BUDGET_MS) / 5 / 20));
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    for (let i = 0; i < perRound; i++) run();
    rounds.push(((performance.now() - s) * 1000) / perRound);
  }
  return rounds.sort((a, b) => a - b)[2];
}

function switchSums(arena: Arena, M: number, H: number, nActive: number): Record<string, () => void> {
  const b = arena.buffers;
  return {
    'formRegion ([J_d | b_d])': () => arena.formRegion(b.out, b.init, b.Bt, b.Sc, M, b.active, 0, nActive),
    'affineRows (u = S z + s0)': () => arena.affineRows(b.u, 0, b.ST, H, M, b.z, 0),
    'gatherAdd (z += B u_d)': () => arena.gatherAdd(b.z, 0, b.u, 0, b.Bt, M, b.active, 0, nActive),
    'positiveBits (u > 0)': () => arena.positiveBits(b.bits, 0, b.u, 0, H),
    'listActive (the bits on)': () => arena.listActive(b.sel, 0, b.bits, 0, H),
  };
}

function kernels(arena: Arena, M: number, H: number, nActive: number): Record<string, () => void> {
  const b = arena.buffers;
  return {
    'stepSelected (J_d P, PLRNN)': () => arena.stepSelected(b.prefix, M * M, b.prefix, 0, M, H, b.diag, b.B, b.active, 0, nActive, b.sel),
    'multiplyRows (J P, shPLRNN)': () => arena.multiplyRows(b.prefix, M * M, b.J, b.prefix, 0, M),
    luFactor: () => {
      b.work.set(b.lu);
      for (let i = 0; i < M; i++) b.work[i * M + i] += M;
      arena.luFactor(b.work, M, b.piv, 0);
    },
  };
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);
console.log('kernel                        M    H   plain (µs)  wasm (µs)  wasm/plain');
const shapes: [number, number, typeof kernels][] = [
  ...[8, 16, 32, 64].map((M): [number, number, typeof kernels] => [M, M, kernels]),
  ...([[3, 500], [10, 200], [20, 200]] as const).map(([M, H]): [number, number, typeof kernels] => [M, H, switchSums]),
];
for (const [M, H, which] of shapes) {
  const plain = filled(M, H, false);
  const wasm = filled(M, H, true);
  const plainRuns = which(plain.arena, M, H, plain.nActive);
  const wasmRuns = which(wasm.arena, M, H, wasm.nActive);
  for (const name of Object.keys(plainRuns)) {
    const tp = timePerCall(plainRuns[name]);
    const tw = timePerCall(wasmRuns[name]);
    console.log(`${name.padEnd(28)} ${String(M).padStart(3)} ${String(H).padStart(4)}  ${tp.toFixed(2).padStart(10)}  ${tw.toFixed(2).padStart(9)}  ${(tw / tp).toFixed(2).padStart(10)}`);
  }
}
