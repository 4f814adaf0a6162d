/**
 * Seed robustness of the default search (issue 9, part 2): on seeded random models of every
 * architecture (M = 3..10, orders 1..4), every cycle that any of SEEDS seeds finds must be found
 * by each seed with the default loops. The reference of a model is the union of what the seeds
 * find, plus, with --certify, the cycles the certified mode (src/core/certify, HiGHS) adds within
 * its box: a cycle no seed finds is then counted as missed by every seed.
 *
 *   node --import tsx bench/completeness.bench.ts [--models N] [--seeds S] [--certify] [--arch a,b] [--patience N|Infinity]
 *
 * N models per architecture (default 40), S seeds (default 20). Prints, per architecture, the
 * cycles of the reference, the (model, seed, cycle) misses, the models with a miss, and time.
 */
import { cpus, loadavg } from 'node:os';
import { buildMap } from '../src/core/model';
import { PiecewiseAffineMap } from '../src/core/model/types';
import { Cycle, findCycles, ScyfiOptions } from '../src/core/scyfi';
import { certifyWith, loadHighs } from '../src/core/certify';
import { sameCycle } from '../test/unit/scyfi/exhaustive';
import { completenessGenerators, completenessRng } from '../test/unit/scyfi/randomModels';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const MODELS = Number(arg('models', '40'));
const SEEDS = Number(arg('seeds', '20'));
const CERTIFY = process.argv.includes('--certify');
/** --patience N (or Infinity: the engine before the chain-patience rule); default: the engine's default. */
const PATIENCE = process.argv.includes('--patience') ? Number(arg('patience', '')) : undefined;
const K = 4;

const arches = arg('arch', Object.keys(completenessGenerators).join(',')).split(',');

function key(c: Cycle): string {
  return `${c.order}`;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`${MODELS} models per architecture, ${SEEDS} seeds each, orders 1–${K}, default loops${PATIENCE !== undefined ? `, chainPatience ${PATIENCE}` : ''}${CERTIFY ? ', reference completed by the certified mode' : ''}`);
  const highs = CERTIFY ? await loadHighs() : undefined;
  let allMisses = 0;
  for (const arch of arches) {
    const rng = completenessRng(arch);
    let cycles = 0;
    let misses = 0;
    let modelsMissed = 0;
    let certAdded = 0;
    let searchSeconds = 0;
    let candidates = 0;
    const t0 = performance.now();
    const worst: string[] = [];
    const missedModels: string[] = [];
    for (let i = 0; i < MODELS; i++) {
      const spec = completenessGenerators[arch](rng, i);
      const map: PiecewiseAffineMap = buildMap(spec);
      const runs: Cycle[][] = [];
      for (let s = 0; s < SEEDS; s++) {
        const options: ScyfiOptions = { maxOrder: K, seed: s, ...(PATIENCE !== undefined ? { chainPatience: PATIENCE } : {}) };
        const r = findCycles(map, options);
        searchSeconds += r.stats.seconds;
        candidates += r.stats.candidates;
        runs.push(r.cycles);
      }
      const ref: Cycle[] = [];
      for (const run of runs) for (const c of run) if (!ref.some((r) => r.order === c.order && sameCycle(r.points, c.points))) ref.push(c);
      if (highs) {
        const res = certifyWith(highs, map, ref, { orders: K, maxOrder: K, seconds: 20 });
        for (const c of res.cycles) {
          if (c.foundBy === 'certify' && c.withinBound && !ref.some((r) => r.order === c.order && sameCycle(r.points, c.points))) {
            ref.push(c);
            certAdded++;
          }
        }
      }
      cycles += ref.length;
      let missedHere = 0;
      for (let s = 0; s < SEEDS; s++) {
        for (const c of ref) {
          if (!runs[s].some((g) => g.order === c.order && sameCycle(g.points, c.points))) {
            missedHere++;
            if (worst.length < 12) worst.push(`model ${i} (M=${map.M}, H=${map.H}) seed ${s}: missed a ${key(c)}-cycle`);
          }
        }
      }
      misses += missedHere;
      if (missedHere > 0) {
        modelsMissed++;
        missedModels.push(`#${i}: ${missedHere}`);
      }
    }
    allMisses += misses;
    const wall = (performance.now() - t0) / 1000;
    console.log(
      `${arch.padEnd(16)} ${String(cycles).padStart(5)} cycles  misses ${String(misses).padStart(4)} of ${cycles * SEEDS} (model, seed, cycle)  ` +
        `models with a miss ${modelsMissed}/${MODELS}${CERTIFY ? `  added by certify ${certAdded}` : ''}  candidates ${candidates}  search ${searchSeconds.toFixed(1)} s, wall ${wall.toFixed(1)} s`,
    );
    if (missedModels.length) console.log(`    misses per model: ${missedModels.join(', ')}`);
    for (const w of worst) console.log(`    ${w}`);
  }
  console.log(`total misses: ${allMisses}`);
}

void main();
