// Simulated trajectories on models whose behaviour is known by construction
// (test/fixtures/dynamics/make.py): an invariant circle, a stable cycle, chaos, divergence, a
// linear map for the Lyapunov exponent, and a bistable map for basins.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelFromSpec, type Model } from '../../../src/core/model';
import { findCycles } from '../../../src/core/scyfi';
import {
  BASIN_DIVERGES,
  BASIN_OTHER,
  basinRow,
  LYAPUNOV_ZERO_TOL,
  runBasins,
  simulateDynamics,
  simulateOne,
  stepBudget,
  WORK_PER_TRAJECTORY,
  workPerStep,
  dynamicsSentence,
  type BasinSlice,
} from '../../../src/core/dynamics';
import { Prng } from '../../../src/core/scyfi';
import { skewTent } from '../scyfi/fixtures';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'dynamics');

function fixture(name: string): Model {
  return modelFromSpec(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')), name);
}

function model(spec: unknown): Model {
  return modelFromSpec(spec, 'test');
}

describe('dynamics: an invariant circle (rotation by 0.7 rad, unstable focus inside)', () => {
  const m = fixture('invariant-circle.shplrnn.json');
  const cycles = findCycles(m.map, { maxOrder: 10 }).cycles;
  const r = simulateDynamics(m.map, cycles, { maxOrder: 10 });

  test('SCYFI finds only the unstable focus at the origin', () => {
    assert.equal(cycles.length, 1);
    assert.equal(cycles[0].stable, false);
  });

  test('every trajectory settles on one bounded set that is not a cycle, with λ ≈ 0: quasi-periodic', () => {
    assert.equal(r.attractors.length, 1, JSON.stringify(r.attractors));
    const a = r.attractors[0];
    assert.equal(a.kind, 'bounded');
    if (a.kind !== 'bounded') return;
    assert.equal(a.character, 'quasi-periodic');
    assert.ok(Math.abs(a.lyapunov) < LYAPUNOV_ZERO_TOL / 10, `λ = ${a.lyapunov}`);
    assert.equal(a.trajectories.length, 8);
    // A closed curve around the origin: its box is symmetric and stays away from the focus.
    for (const t of r.trajectories) for (const p of t.tail) assert.ok(Math.hypot(p[0], p[1]) > 1.2 && Math.hypot(p[0], p[1]) < 1.6, `${p}`);
  });

  test('the sentence names it', () => {
    assert.equal(r.sentence, 'Trajectories approach a set that is not a cycle of order ≤ 10: quasi-periodic (largest Lyapunov exponent ≈ 0.000).');
  });

  test('a trajectory from a given point (near the focus) goes out to the same set', () => {
    const one = simulateDynamics(m.map, cycles, { maxOrder: 10, starts: 0, from: [[0.01, 0]] });
    assert.equal(one.trajectories.length, 1);
    assert.equal(one.trajectories[0].fate.kind, 'bounded');
    assert.deepEqual(one.trajectories[0].start, [0.01, 0]);
    assert.match(one.sentence, /^The trajectory approaches a set that is not a cycle of order ≤ 10: quasi-periodic/);
  });
});

describe('dynamics: a stable cycle', () => {
  // The skew tent map with a_r = −2: an unstable fixed point 1/3 and a stable 2-cycle.
  const m = model(skewTent(-2));
  const cycles = findCycles(m.map, { maxOrder: 4 }).cycles;
  const two = cycles.findIndex((c) => c.order === 2 && c.stable);
  const r = simulateDynamics(m.map, cycles, { maxOrder: 4, starts: 6 });

  test('trajectories that stay bounded settle on the listed 2-cycle, and nothing else is said about them', () => {
    assert.ok(two >= 0);
    const onCycle = r.attractors.find((a) => a.kind === 'cycle');
    assert.ok(onCycle && onCycle.kind === 'cycle' && onCycle.cycle === two, JSON.stringify(r.attractors));
    for (const a of r.attractors) assert.ok(a.kind === 'cycle' || a.kind === 'diverges', JSON.stringify(a));
    assert.ok(!/not a cycle/.test(r.sentence), r.sentence);
  });

  test('without the 2-cycle in the list, the trajectory reports a 2-cycle the search did not find, with its points', () => {
    const without = cycles.filter((_, i) => i !== two);
    const r2 = simulateDynamics(m.map, without, { maxOrder: 4, starts: 0, from: [[0.5]] });
    const f = r2.trajectories[0].fate;
    assert.equal(f.kind, 'unlisted-cycle');
    if (f.kind !== 'unlisted-cycle') return;
    assert.equal(f.order, 2);
    const pts = f.points.map((p) => p[0]).sort((a, b) => a - b);
    const want = cycles[two].points.map((p) => p[0]).sort((a, b) => a - b);
    pts.forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-8, `${x} vs ${want[i]}`));
    assert.equal(r2.sentence, 'The trajectory settles on a 2-cycle the search did not find.');
  });
});

describe('dynamics: chaos and divergence', () => {
  test('the tent map z′ = 1 − 1.8|z| is chaotic with λ = log 1.8 (|f′| = 1.8 everywhere)', () => {
    const m = fixture('tent.plrnn.json');
    const cycles = findCycles(m.map, { maxOrder: 10 }).cycles;
    const r = simulateDynamics(m.map, cycles, { maxOrder: 10, starts: 0, from: [[0.1], [0.5], [-0.3]] });
    assert.equal(r.attractors.length, 1, JSON.stringify(r.attractors));
    const a = r.attractors[0];
    assert.ok(a.kind === 'bounded' && a.character === 'chaotic');
    if (a.kind !== 'bounded') return;
    assert.ok(Math.abs(a.lyapunov - Math.log(1.8)) < 1e-9, `λ = ${a.lyapunov}`);
    assert.equal(r.sentence, 'Trajectories approach a set that is not a cycle of order ≤ 10: chaotic (largest Lyapunov exponent ≈ 0.588).');
  });

  test('z′ = 1.5 z + 1 diverges from every start but its fixed point', () => {
    const m = fixture('diverging.plrnn.json');
    const cycles = findCycles(m.map, { maxOrder: 3 }).cycles;
    const r = simulateDynamics(m.map, cycles, { maxOrder: 3, from: [[-2]] });
    const seeded = r.trajectories.slice(0, 8);
    for (const t of seeded) assert.equal(t.fate.kind, 'diverges');
    assert.deepEqual(r.trajectories[8].fate, { kind: 'cycle', cycle: 0, order: 1 });
    assert.equal(r.sentence, '8 of 9 trajectories diverge.');
  });

  test('a slow linear escape (eigenvalue 1, a drift) is divergence, not a bounded set', () => {
    const m = model({ architecture: 'plrnn', A: [1], W: [[0]], h: [0.01] });
    const r = simulateDynamics(m.map, [], { maxOrder: 2, starts: 2 });
    for (const t of r.trajectories) assert.equal(t.fate.kind, 'diverges', JSON.stringify(t.fate));
  });
});

describe('dynamics: the largest Lyapunov exponent of a linear map is log of its spectral radius', () => {
  // A non-normal matrix (eigenvalues 1.2 and 0.5, a large off-diagonal): ‖A v‖/‖v‖ is not 1.2 step
  // by step, only on average. Written as a pam whose one ReLU has B = 0; the divergence bound is
  // lifted so that the whole window is measured.
  const pam = (A: number[][]) => model({ architecture: 'pam', A, B: [[0], [0]], S: [[1, 0]], s0: [0], c: [0, 0] });

  test('non-normal, eigenvalues 1.2 and 0.5: λ ≈ log 1.2 within 1e-3 over 2000 steps', () => {
    const m = pam([
      [0.5, 3],
      [0, 1.2],
    ]);
    const t = simulateOne(m.map, [1, 1], [], { maxOrder: 1, steps: 2000, lyapunovSteps: 2000, divergeAt: Infinity }, new Prng(2));
    assert.equal(t.fate.kind, 'bounded');
    if (t.fate.kind === 'bounded') assert.ok(Math.abs(t.fate.lyapunov - Math.log(1.2)) < 1e-3, `λ = ${t.fate.lyapunov}`);
  });

  test('a contracting linear map falls onto its fixed point (periodic), not a bounded set', () => {
    const m = pam([
      [0.8, 3],
      [0, 0.5],
    ]);
    const t = simulateOne(m.map, [1e-3, 1e-3], [], { maxOrder: 1, steps: 20_000, lyapunovSteps: 10_000, divergeAt: 1e6 }, new Prng(1));
    assert.equal(t.fate.kind, 'unlisted-cycle');
  });

  test('an expanding rotation-scaling (ρ = 1.1) has λ = log 1.1 to 1e-12 before it diverges', () => {
    const c = Math.cos(1);
    const s = Math.sin(1);
    const mm = pam([
      [1.1 * c, -1.1 * s],
      [1.1 * s, 1.1 * c],
    ]);
    const t = simulateOne(mm.map, [1, 0], [], { maxOrder: 1, steps: 100, lyapunovSteps: 100, divergeAt: Infinity }, new Prng(3));
    assert.equal(t.fate.kind, 'bounded');
    if (t.fate.kind === 'bounded') assert.ok(Math.abs(t.fate.lyapunov - Math.log(1.1)) < 1e-12, `${t.fate.lyapunov}`);
  });
});

describe('dynamics: basins of a bistable model (four stable fixed points, boundaries at z1 = 1 and z2 = 1)', () => {
  const m = fixture('bistable.shplrnn.json');
  const cycles = findCycles(m.map, { maxOrder: 2 }).cycles;
  const idx = (x: number, y: number) => cycles.findIndex((c) => c.order === 1 && Math.abs(c.points[0][0] - x) < 1e-9 && Math.abs(c.points[0][1] - y) < 1e-9);
  const slice: BasinSlice = { x: 0, y: 1, xRange: [-2.05, 4.05], yRange: [-2.05, 4.05], nx: 25, ny: 25, base: [0, 0] };
  const r = runBasins(m.map, cycles, slice, { maxOrder: 2 });

  test('each start goes to the fixed point of its quadrant around (1, 1)', () => {
    assert.equal(r.rows.length, 25);
    for (const row of r.rows) {
      row.cells.forEach((cell, i) => {
        const x = r.x.values[i];
        const y = row.y;
        const want = idx(x < 1 ? -1 : 3, y < 1 ? -1 : 3);
        assert.equal(cell, want, `start (${x}, ${y})`);
      });
    }
    assert.equal(Object.keys(r.counts).length, 4);
    assert.equal(r.cancelled, false);
  });

  test('a row computed alone equals the same row of the whole grid', () => {
    assert.deepEqual(basinRow(m.map, cycles, slice, { maxOrder: 2 }, 7), r.rows[7]);
  });

  test('starts that diverge or reach no listed cycle are labelled so', () => {
    const d = fixture('invariant-circle.shplrnn.json');
    const dc = findCycles(d.map, { maxOrder: 4 }).cycles;
    const row = basinRow(d.map, dc, { x: 0, y: 1, xRange: [-2, 2], yRange: [0.5, 1], nx: 5, ny: 2, base: [0, 0] }, { maxOrder: 4 }, 0);
    assert.deepEqual(row.cells, [BASIN_OTHER, BASIN_OTHER, BASIN_OTHER, BASIN_OTHER, BASIN_OTHER]);
    const lin = model({ architecture: 'pam', A: [[1.5, 0], [0, 1.5]], B: [[0], [0]], S: [[1, 0]], s0: [0], c: [0, 0] });
    const row2 = basinRow(lin.map, [], { x: 0, y: 1, xRange: [1, 2], yRange: [1, 2], nx: 3, ny: 2, base: [0, 0] }, { maxOrder: 1 }, 1);
    assert.deepEqual(row2.cells, [BASIN_DIVERGES, BASIN_DIVERGES, BASIN_DIVERGES]);
  });

  test('bad slices are refused with one line', () => {
    assert.throws(() => runBasins(m.map, cycles, { ...slice, y: 0 }, { maxOrder: 2 }), /same coordinate z1/);
    assert.throws(() => runBasins(m.map, cycles, { ...slice, x: 5 }, { maxOrder: 2 }), /z1 … z2/);
    assert.throws(() => runBasins(m.map, cycles, { ...slice, nx: 5000, ny: 5000 }, { maxOrder: 2 }), /limit/);
  });
});

describe('dynamics: determinism and bounds', () => {
  test('the same seed gives the same trajectories; each start does not depend on the others', () => {
    const m = fixture('invariant-circle.shplrnn.json');
    const a = simulateDynamics(m.map, [], { maxOrder: 3, seed: 5, starts: 4, maxSteps: 2000 });
    const b = simulateDynamics(m.map, [], { maxOrder: 3, seed: 5, starts: 4, maxSteps: 2000 });
    assert.deepEqual(a, b);
    const c = simulateDynamics(m.map, [], { maxOrder: 3, seed: 6, starts: 4, maxSteps: 2000 });
    assert.notDeepEqual(a.trajectories[0].start, c.trajectories[0].start);
  });

  test('the steps of a trajectory are cut by the work bound; a model too big for it is not simulated, and says why', () => {
    const mid = { M: 50, H: 100 };
    const n = stepBudget(mid, 20_000);
    assert.ok(n * workPerStep(mid) <= WORK_PER_TRAJECTORY && n < 20_000 && n >= 1000, `${n}`);
    const big = modelFromSpec({ architecture: 'plrnn', A: new Array(400).fill(0.5), W: Array.from({ length: 400 }, () => new Array(400).fill(0)), h: new Array(400).fill(0) }, 'big');
    const r = simulateDynamics(big.map, [], { maxOrder: 2 });
    assert.equal(r.trajectories.length, 0);
    assert.match(r.skipped ?? '', /^not simulated: M = 400, H = 400 allow only \d+ steps per trajectory within the bound of 1e\+8 multiply-adds/);
    assert.throws(() => runBasins(big.map, [], { x: 0, y: 1, xRange: [0, 1], yRange: [0, 1], nx: 2, ny: 2, base: new Array(400).fill(0) }, { maxOrder: 1 }), /basins: M = 400/);
  });

  test('cancelling stops at once and says so', () => {
    const m = fixture('invariant-circle.shplrnn.json');
    const r = simulateDynamics(m.map, [], { maxOrder: 3 }, () => true);
    assert.equal(r.cancelled, true);
    assert.equal(r.trajectories.length, 0);
  });

  test('the sentence is empty when every trajectory ends on a listed cycle', () => {
    assert.equal(dynamicsSentence([{ kind: 'cycle', cycle: 0, order: 1, trajectories: [0, 1] }], 10), '');
  });
});
