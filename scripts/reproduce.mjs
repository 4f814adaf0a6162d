#!/usr/bin/env node
// The paper's experiment, reproduced with the project's own tools (docs/reproduction.md): train a
// 2-D PLRNN on the gt16 data with plain BPTT and with generalized teacher forcing, from several
// seeds, saving every epoch; then analyse each run with `scyfi run`: its loss jumps, its
// bifurcations, and which jumps follow which. Writes docs/reproduction/results.json.
//
//   node scripts/reproduce.mjs [--out DIR] [--seeds 0,1,...,7] [--quick]
//
// Needs `npm run build` (dist/cli.js). Takes about 25 minutes on 2 cores (32 runs); --quick runs one
// short configuration to check the pipeline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'cli.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const quick = process.argv.includes('--quick');
const out = arg('out', '/tmp/scyfi-reproduce');
const seeds = arg('seeds', quick ? '0' : '0,1,2,3,4,5,6,7').split(',').map(Number);
const MAX_ORDER = 16;

const configs = quick
  ? [{ name: 'plain-lr1e-2', lr: '1e-2', epochs: 60, forcing: [] }]
  : [
      { name: 'plain-lr1e-3', lr: '1e-3', epochs: 1500, forcing: [] },
      { name: 'gtf0.1-lr1e-3', lr: '1e-3', epochs: 1500, forcing: ['--gtf', '0.1'] },
      { name: 'plain-lr1e-2', lr: '1e-2', epochs: 1000, forcing: [] },
      { name: 'gtf0.1-lr1e-2', lr: '1e-2', epochs: 1000, forcing: ['--gtf', '0.1'] },
    ];

function node(args, what) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status}: ${r.stderr.trim()}`);
  return { stdout: r.stdout, seconds: (Date.now() - t0) / 1000 };
}

const results = [];
for (const c of configs) {
  for (const seed of seeds) {
    const dir = join(out, `${c.name}-s${seed}`);
    mkdirSync(dir, { recursive: true });
    // A run already trained to its last epoch in --out is analysed again, not retrained: training
    // is deterministic for its settings.
    const trained = existsSync(join(dir, `model_${c.epochs}.safetensors`)) && readFileSync(join(dir, 'loss.csv'), 'utf8').startsWith('epoch,loss,grad_norm,free_loss');
    const train = trained ? { seconds: 0 } : node(['train', '--data', 'gt16', '--model', 'plrnn', '--M', '2', '--epochs', String(c.epochs), '--save-every', '1', '--seed', String(seed), '--lr', c.lr, ...c.forcing, '--out', dir], `train ${dir}`);
    // The free-running loss: with forcing, the logged loss is the forced one, which is not
    // comparable with a plain run's (docs/training.md).
    const run = node(['run', dir, '--max-order', String(MAX_ORDER), '--loss', 'free_loss', '--cache', join(out, 'cache'), '--json'], `run ${dir}`);
    const r = JSON.parse(run.stdout);
    // The whole report, for plots (scripts/render-run.mjs); too large to commit for every run.
    writeFileSync(join(dir, 'run.json'), run.stdout);
    const loss = r.loss?.points ?? [];
    const gradAround = (x) => Math.max(...loss.filter((p) => Math.abs(p.x - x) <= 2 && typeof p.gradNorm === 'number').map((p) => p.gradNorm), 0);
    const bifurcations = r.events.filter((e) => !(e.kind === 'border-collision' && e.outcome === 'persistence' && !e.stabilityChange));
    results.push({
      config: c.name,
      seed,
      lr: Number(c.lr),
      forcing: c.forcing.length ? `gtf ${c.forcing[1]}` : 'none',
      epochs: c.epochs,
      // The free-running loss at the last epoch.
      finalLoss: loss.length ? loss[loss.length - 1].loss : null,
      jumps: r.lossJumps.map((j) => ({ epoch: j.epoch, until: j.until, factor: j.factor, direction: j.direction, maxGradNorm: gradAround(j.epoch), events: r.alignment?.jumps.find((a) => a.epoch === j.epoch)?.events.map((i) => ({ kind: r.events[i].kind, epoch: r.events[i].epoch, order: r.events[i].order })) ?? [] })),
      bifurcations: bifurcations.map((e) => ({ kind: e.kind, epoch: e.epoch, order: e.order, detail: e.detail })),
      counts: Object.fromEntries(['degenerate-transcritical', 'degenerate-flip', 'neimark-sacker', 'border-collision', 'unclassified'].map((k) => [k, bifurcations.filter((e) => e.kind === k).length])),
      sentence: r.alignment?.sentence ?? null,
      pValue: r.alignment?.pValue ?? null,
      finalCycles: r.checkpoints[r.checkpoints.length - 1].cycles.map((cy) => ({ order: cy.order, stable: cy.stable, classification: cy.classification })),
      seconds: { train: train.seconds, run: run.seconds },
    });
    console.log(`${c.name} seed ${seed}: ${r.alignment?.sentence ?? 'no alignment'} (train ${train.seconds.toFixed(0)} s, run ${run.seconds.toFixed(0)} s)`);
  }
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const doc = { generated: new Date().toISOString(), version, machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() }, maxOrder: MAX_ORDER, results };
const target = quick ? join(out, 'results.json') : join(root, 'docs', 'reproduction', 'results.json');
mkdirSync(join(target, '..'), { recursive: true });
writeFileSync(target, JSON.stringify(doc, null, 1) + '\n');
console.log(`wrote ${target}`);
