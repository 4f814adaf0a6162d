import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../../src/core/errors';
import { buildMap, validateModelSpec, type ModelSpec } from '../../../src/core/model';
import { findCycles, Prng, SearchContext } from '../../../src/core/scyfi';
import { assembleSweep, chunksOf, entryPath, linePath, pathStepTs, polylinePath, runSweep, searchChunk, specAt, stepSeed, tOf, valueAt, type SweepResult } from '../../../src/core/sweep';
import { sameCycle } from '../scyfi/exhaustive';
import { skewTent, thirdSystem } from '../scyfi/fixtures';
import { randomAlrnn, randomDendPlrnn, randomPlrnn, randomShplrnn } from '../scyfi/randomModels';

const spec = (v: unknown) => validateModelSpec(v, 'test');

function eventsOf(r: SweepResult, kind: string) {
  return r.events.filter((e) => e.kind === kind);
}

function branchCycles(r: SweepResult, id: string) {
  const b = r.branches.find((x) => x.id === id)!;
  return b.steps.map((s, n) => ({ value: r.steps[s].value, cycle: r.steps[s].cycles[b.cycles[n]] }));
}

describe('sweeps: the skew tent map, a_r from 1.5 down to −6 (science.md §4)', async () => {
  // W[0][0] = a_r − 0.2 from 1.3 to −6.2.
  const r = await runSweep(entryPath(spec(skewTent(1.5)), { name: 'W', index: [0, 0] }, 1.3, -6.2), { steps: 76, maxOrder: 4 });
  const ar = (w: number) => w + 0.2;

  test('the fixed point comes in from infinity at a_r = 1 (degenerate transcritical), located within 1e-9', () => {
    const dtb = eventsOf(r, 'degenerate-transcritical').filter((e) => e.order === 1);
    assert.equal(dtb.length, 1, JSON.stringify(r.events.map((e) => e.detail)));
    assert.ok(Math.abs(ar(dtb[0].value) - 1) <= 1e-9, `${ar(dtb[0].value)}`);
  });

  test('it loses stability at a_r = −1 (degenerate flip), where the 2-cycle is born', () => {
    const dfb = eventsOf(r, 'degenerate-flip').filter((e) => e.order === 1);
    assert.equal(dfb.length, 1);
    assert.ok(Math.abs(ar(dfb[0].value) + 1) <= 1e-9, `${ar(dfb[0].value)}`);
    const [fp, two] = dfb[0].branches.map((id) => r.branches.find((b) => b.id === id)!);
    assert.equal(fp.order, 1);
    assert.equal(two?.order, 2, 'the 2-cycle is the second branch of the event');
    assert.equal(dfb[0].stabilityChange, true);
  });

  test('the fixed point 1/(1 − a_r) and the 2-cycle follow their closed forms along their branches', () => {
    const fpBranch = r.branches.find((b) => b.order === 1)!;
    for (const { value, cycle } of branchCycles(r, fpBranch.id)) {
      const a = ar(value);
      assert.ok(Math.abs(cycle.points[0][0] - 1 / (1 - a)) <= 1e-12 * (1 + Math.abs(1 / (1 - a))));
      if (Math.abs(Math.abs(a) - 1) > 1e-9) assert.equal(cycle.stable, Math.abs(a) < 1, `a_r = ${a}`);
    }
    const twoBranch = r.branches.find((b) => b.order === 2)!;
    const seen = branchCycles(r, twoBranch.id);
    assert.ok(seen.length >= 40, `${seen.length} steps`);
    for (const { value, cycle } of seen) {
      const a = ar(value);
      const den = 1 - 0.2 * a;
      const pts = cycle.points.map((p) => p[0]).sort((x, y) => x - y);
      assert.ok(Math.abs(pts[0] - (a + 1) / den) <= 1e-12 && Math.abs(pts[1] - 1.2 / den) <= 1e-12, `a_r = ${a}: ${pts}`);
      assert.ok(Math.abs(cycle.eigenvalues[0][0] - 0.2 * a) <= 1e-12);
      assert.ok(a <= -1 + 1e-12, `the 2-cycle exists only for a_r ≤ −1 (a_r = ${a})`);
    }
  });

  test('the 2-cycle loses stability at a_r = −5 (degenerate flip), located within 1e-9', () => {
    const dfb = eventsOf(r, 'degenerate-flip').filter((e) => e.order === 2);
    assert.equal(dfb.length, 1);
    assert.ok(Math.abs(ar(dfb[0].value) + 5) <= 1e-9, `${ar(dfb[0].value)}`);
    assert.equal(dfb[0].stabilityChange, true);
  });

  test('every event lies inside the range, in order, and names existing branches', () => {
    const ids = new Set(r.branches.map((b) => b.id));
    let last = -Infinity;
    for (const e of r.events) {
      assert.ok(e.t >= 0 && e.t <= 1 && e.t >= last);
      last = e.t;
      for (const id of e.branches) assert.ok(ids.has(id), id);
      assert.ok(e.detail.length > 0);
    }
    assert.equal(r.steps.length, 76);
    assert.equal(r.cancelled, false);
  });
});

describe('sweeps: the third 2-D system, a_l from 0.5 down to −0.6 (the line between two models)', async () => {
  const from = spec(thirdSystem(0.5));
  const to = spec(thirdSystem(-0.6));
  const r = await runSweep(linePath(from, to, 'a_l = 0.5', 'a_l = −0.6'), { steps: 56, maxOrder: 2 });
  const al = (t: number) => 0.5 - 1.1 * t;
  // The 2-cycle in regions 11 → 01: z2 = J11 z1 + h, z1 = J01 z2 + h with J11 = A + W, J01 = A.
  const closedForm = (a: number) => {
    const J11 = [
      [-1.5, 0.8],
      [0.5, 0.2],
    ];
    const J01 = [
      [a, 0.8],
      [-0.4, 0.2],
    ];
    const F = J01.map((row) => [0, 1].map((j) => row[0] * J11[0][j] + row[1] * J11[1][j]));
    const h = [0.214, 0];
    const rhs = [J01[0][0] * h[0] + J01[0][1] * h[1] + h[0], J01[1][0] * h[0] + J01[1][1] * h[1] + h[1]];
    const m = [
      [1 - F[0][0], -F[0][1]],
      [-F[1][0], 1 - F[1][1]],
    ];
    const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const z1 = [(rhs[0] * m[1][1] - m[0][1] * rhs[1]) / det, (m[0][0] * rhs[1] - m[1][0] * rhs[0]) / det];
    const z2 = [J11[0][0] * z1[0] + J11[0][1] * z1[1] + h[0], J11[1][0] * z1[0] + J11[1][1] * z1[1] + h[1]];
    return { z1, z2, det };
  };

  test('the fixed point (0.107, 0.066875) never moves', () => {
    for (const s of r.steps) {
      const fps = s.cycles.filter((c) => c.order === 1);
      assert.equal(fps.length, 1, `t = ${s.t}`);
      assert.ok(Math.abs(fps[0].points[0][0] - 0.107) <= 1e-12 && Math.abs(fps[0].points[0][1] - 0.066875) <= 1e-12);
    }
  });

  test('the 2-cycle follows its closed form along its branch', () => {
    const two = r.branches.filter((b) => b.order === 2);
    assert.equal(two.length, 1, JSON.stringify(r.branches));
    for (const { value, cycle } of branchCycles(r, two[0].id)) {
      const { z1, z2 } = closedForm(al(value));
      const p = cycle.points.find((q) => q[0] > 0)!;
      const q = cycle.points.find((x) => x[0] <= 0)!;
      for (const [got, want] of [
        [p, z1],
        [q, z2],
      ]) {
        assert.ok(Math.abs(got[0] - want[0]) <= 1e-10 * (1 + Math.abs(want[0])) && Math.abs(got[1] - want[1]) <= 1e-10 * (1 + Math.abs(want[1])), `a_l = ${al(value)}: ${got} vs ${want}`);
      }
    }
  });

  test('it runs off to infinity where det(I − J01 J11) = 0, a_l = −41/85, located within 1e-9', () => {
    // det(I − F) = 0.656 + 1.36 a_l.
    const exact = -0.656 / 1.36;
    assert.ok(Math.abs(closedForm(exact).det) < 1e-12);
    const dtb = eventsOf(r, 'degenerate-transcritical').filter((e) => e.order === 2);
    assert.equal(dtb.length, 1, JSON.stringify(r.events.map((e) => e.detail)));
    assert.ok(Math.abs(al(dtb[0].t) - exact) <= 1e-9, `${al(dtb[0].t)} vs ${exact}`);
    assert.match(dtb[0].detail, /runs off to infinity/);
  });
});

describe('sweeps: continuation', () => {
  const models: [string, ModelSpec][] = [];
  const rng = new Prng(0x5eed);
  for (let i = 0; i < 3; i++) {
    // Sizes where orders 3–4 are searched heuristically (more than 2^12 region sequences).
    models.push([`plrnn ${i}`, randomPlrnn(rng, 4)]);
    models.push([`shplrnn ${i}`, randomShplrnn(rng, 2, 5)]);
    models.push([`clipped-shplrnn ${i}`, randomShplrnn(rng, 2, 4, true)]);
    models.push([`alrnn ${i}`, randomAlrnn(rng, 5, 4)]);
    models.push([`dendplrnn ${i}`, randomDendPlrnn(rng, 2, 2)]);
  }

  test('never loses a cycle that a fresh search at that step finds (random models of every architecture)', async () => {
    let total = 0;
    let fromSeeds = 0;
    for (const [name, s] of models) {
      const h = 'h' in s ? 'h' : 'h1';
      const base = (s as unknown as Record<string, number[]>)[h][0];
      const path = entryPath(s, { name: h, index: [0] }, base - 0.6, base + 0.6);
      const continued = await runSweep(path, { steps: 13, maxOrder: 4, seed: 4 });
      for (const step of continued.steps) {
        const fresh = findCycles(buildMap(specAt(path, step.t)), { maxOrder: 4, seed: 11 });
        for (const c of fresh.cycles) {
          assert.ok(
            step.cycles.some((d) => d.order === c.order && sameCycle(d.points, c.points)),
            `${name}, step ${step.index}: continuation lost the ${c.order}-cycle ${JSON.stringify(c.points)}`,
          );
          total++;
        }
      }
      assert.ok(continued.stats.continuedSteps > 0 && continued.stats.fullSteps === 1);
      fromSeeds += continued.stats.foundBy.seed;
    }
    assert.ok(total >= 100, `only ${total} cycles compared`);
    // Small orders are enumerated whole; the larger ones come from the previous step's cycles.
    assert.ok(fromSeeds > 0, 'seeds found nothing');
  });

  test('the first step searches with the plain outer loop, not the small-model factor of a single search', async () => {
    const s = randomPlrnn(new Prng(21), 4);
    const path = entryPath(s, { name: 'h', index: [0] }, s.h[0] - 0.1, s.h[0] + 0.1);
    const r = await runSweep(path, { steps: 3, maxOrder: 4, seed: 2 });
    const map = buildMap(specAt(path, r.steps[0].t));
    // A sweep's searches share one context, made from the sweep's seed.
    const plain = findCycles(map, { maxOrder: 4, seed: stepSeed(2, 0), outerLoopScale: 1 }, {}, new SearchContext(map, 4, 2));
    const single = findCycles(map, { maxOrder: 4, seed: stepSeed(2, 0) }, {}, new SearchContext(map, 4, 2));
    assert.equal(r.steps[0].candidates, plain.stats.candidates);
    assert.ok(single.stats.candidates > plain.stats.candidates, `${single.stats.candidates} ≤ ${plain.stats.candidates}`);
  });

  test('results do not depend on how the chunks are scheduled (workers finish in any order)', async () => {
    const path = entryPath(spec(skewTent(1.5)), { name: 'W', index: [0, 0] }, 1.3, -6.2);
    const options = { steps: 40, maxOrder: 3, chunkSize: 7 };
    const inOrder = await runSweep(path, options);
    const chunks = chunksOf(options.steps, options.chunkSize);
    const started = performance.now();
    const shuffled = [...chunks].reverse().flatMap((c) => searchChunk(path, options, c));
    const outOfOrder = assembleSweep(path, options, shuffled, started);
    const strip = (x: SweepResult) => JSON.stringify({ ...x, stats: undefined, steps: x.steps.map((s) => ({ ...s, seconds: 0 })) });
    assert.equal(strip(outOfOrder), strip(inOrder));
  });

  test('cancelling keeps the finished steps', async () => {
    let seen = 0;
    const path = entryPath(spec(skewTent(1.5)), { name: 'W', index: [0, 0] }, 1.3, -6.2);
    const r = await runSweep(path, { steps: 50, maxOrder: 3 }, { onStep: () => seen++, isCancelled: () => seen >= 10 });
    assert.equal(r.cancelled, true);
    assert.ok(r.steps.length >= 10 && r.steps.length < 50);
    assert.deepEqual(
      r.steps.map((s) => s.index),
      r.steps.map((_, i) => i),
    );
  });
});

const oneLine = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'));

describe('sweeps: bad input is one line', () => {
  const m = spec(skewTent(0.5));
  test('entries that do not exist, empty ranges, too few steps, models of other shapes', async () => {
    oneLine(() => entryPath(m, { name: 'W', index: [5, 0] }, 0, 1), /W\[5\]\[0\] is not an entry of W, which is 1×1/);
    oneLine(() => entryPath(m, { name: 'W', index: [0, 0] }, 1, 1), /range of W\[0\]\[0\] is empty/);
    oneLine(() => entryPath(m, { name: 'W', index: [0, 0] }, 0, Infinity), /two finite numbers/);
    await assert.rejects(runSweep(entryPath(m, { name: 'W', index: [0, 0] }, 0, 1), { steps: 1, maxOrder: 1 }), /steps must be a whole number from 2/);
    oneLine(() => linePath(m, spec(thirdSystem(0.1))), /A is 2×2 but 1 in the first model/);
    oneLine(() => linePath(m, spec({ architecture: 'shplrnn', A: [0.5], W1: [[1]], W2: [[1]], h1: [0], h2: [0] })), /a shplrnn model and the first model a plrnn model/);
  });
});

describe('sweeps: the polyline through a run of models', () => {
  const specs = [0.5, 0.2, -0.3, -0.6].map((a) => spec(thirdSystem(a)));
  const path = polylinePath(specs, [0, 10, 30, 40], ['e0', 'e10', 'e30', 'e40']);
  test('t is the epoch scaled to [0, 1]; each model sits at its own epoch', () => {
    assert.deepEqual(path.ts, [0, 0.25, 0.75, 1]);
    for (let i = 0; i < 4; i++) assert.deepEqual(specAt(path, path.ts[i]), specs[i]);
  });
  test('between two models every parameter moves on their straight line; valueAt and tOf invert each other', () => {
    const m = specAt(path, 0.5) as { A: number[][] };
    assert.ok(Math.abs(m.A[0][0] - (0.2 + 0.5 * (-0.3 - 0.2))) < 1e-15);
    for (const v of [0, 3, 10, 17.5, 30, 39, 40]) assert.ok(Math.abs(valueAt(path, tOf(path, v)) - v) < 1e-12, String(v));
  });
  test('its steps are its models, and its events fall between them at their epochs', async () => {
    assert.throws(() => pathStepTs(path, 5), /a run of 4 models is searched at 4 steps, not 5/);
    const r = await runSweep(path, { steps: 4, maxOrder: 2 });
    const dtb = eventsOf(r, 'degenerate-transcritical');
    assert.equal(dtb.length, 1);
    // a_l = −41/85 between −0.3 (epoch 30) and −0.6 (epoch 40).
    assert.ok(Math.abs(dtb[0].value - (30 + ((-0.656 / 1.36 + 0.3) / -0.3) * 10)) < 1e-9, String(dtb[0].value));
  });
  test('epochs must increase and models must share a shape', () => {
    oneLine(() => polylinePath(specs.slice(0, 2), [5, 5], ['a', 'b']), /b: its epoch 5 does not come after 5 of a/);
    oneLine(() => polylinePath([specs[0], spec(skewTent(0.5))], [0, 1], ['a', 'b']), /A is/);
  });
});
