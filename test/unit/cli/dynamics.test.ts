// `scyfi find` says what trajectories settle on when the list does not show it; `scyfi basins`.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { basinsCommand } from '../../../src/cli/basins';
import { findCommand } from '../../../src/cli/find';

const ROOT = join(__dirname, '..', '..', '..');
const CIRCLE = join(ROOT, 'examples', 'invariant-circle.shplrnn.json');
const BISTABLE = join(ROOT, 'test', 'fixtures', 'dynamics', 'bistable.shplrnn.json');

async function run(command: typeof findCommand, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  assert.equal(await command(args, (s) => lines.push(...s.split('\n'))), 0);
  return lines;
}

describe('scyfi find: where trajectories settle', () => {
  it('an invariant circle: the report ends with the sentence, --json has the attractors', async () => {
    const text = await run(findCommand, CIRCLE);
    assert.equal(text.at(-1), 'Trajectories approach a set that is not a cycle of order ≤ 10: quasi-periodic (largest Lyapunov exponent ≈ 0.000).');
    const [json] = await run(findCommand, CIRCLE, '--json');
    const out = JSON.parse(json) as { attractors: { kind: string; character: string; lyapunov: number; starts: number[][] }[]; attractorSummary: string; simulation: { starts: number; maxSteps: number } };
    assert.equal(out.attractors.length, 1);
    assert.equal(out.attractors[0].kind, 'bounded');
    assert.equal(out.attractors[0].character, 'quasi-periodic');
    assert.equal(out.attractors[0].starts.length, 8);
    assert.equal(out.attractorSummary, text.at(-1));
    assert.deepEqual(out.simulation, { starts: 8, maxSteps: 20000 });
  });

  it('the 16-cycle example searched to order 10 says which order to search', async () => {
    // The example's own "scyfi" block asks for order 16; --max-order 10 overrides it.
    const text = await run(findCommand, join(ROOT, 'examples', 'two-16-cycles.plrnn.json'), '--max-order', '10');
    assert.equal(text.at(-1), 'Trajectories settle on a 16-cycle, above the highest order searched (10): search up to order 16 to list it.');
  });

  it('nothing is added when trajectories settle on listed cycles, or with --no-simulate', async () => {
    const [json] = await run(findCommand, BISTABLE, '--max-order', '2', '--json');
    assert.deepEqual(Object.keys(JSON.parse(json)), ['model', 'cycles', 'stats']);
    const [quiet] = await run(findCommand, CIRCLE, '--no-simulate', '--json');
    assert.deepEqual(Object.keys(JSON.parse(quiet)), ['model', 'cycles', 'stats']);
  });
});

describe('scyfi basins', () => {
  it('--json: a grid of cycle indices; four quadrants around (1, 1) for the bistable model', async () => {
    const [json] = await run(basinsCommand, BISTABLE, '--x', '1', '--y', '2', '--range', '-2:4', '--grid', '6', '--max-order', '1', '--json');
    const out = JSON.parse(json) as { x: { values: number[] }; rows: { y: number; cells: number[] }[]; cycles: { points: number[][] }[]; labels: Record<string, string> };
    assert.equal(out.rows.length, 6);
    for (const row of out.rows)
      row.cells.forEach((c, i) => {
        const p = out.cycles[c].points[0];
        assert.deepEqual(p.map((v) => Math.round(v)), [out.x.values[i] < 1 ? -1 : 3, row.y < 1 ? -1 : 3]);
      });
    assert.match(out.labels['0'], /fixed point/);
  });

  it('--csv: one row per start', async () => {
    const lines = await run(basinsCommand, BISTABLE, '--grid', '3', '--range', '-2:4', '--csv');
    assert.equal(lines[0], 'x,y,z1,z2,label,attractor');
    assert.equal(lines.filter((l) => l !== '').length, 1 + 9);
  });

  it('bad input: one line naming the problem', async () => {
    await assert.rejects(basinsCommand([BISTABLE, '--x', '1', '--y', '1'], () => undefined), /same coordinate z1/);
    await assert.rejects(basinsCommand([BISTABLE, '--x', '3'], () => undefined), /--x must be a coordinate from 1 to 2/);
    await assert.rejects(basinsCommand([BISTABLE, '--range', 'a:b'], () => undefined), /--range/);
  });
});
