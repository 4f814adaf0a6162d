import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../src/core/errors';
import { modelFromSpec, step } from '../../../src/core/model';
import { GT16, GT16_MODEL, gt16, loadDataset, NEURON, neuron, parseCsv } from '../../../src/core/train';
import { neuronRaw } from '../../../src/core/train/data';

describe('train data: gt16', () => {
  const data = gt16();

  it('is the same every time: trajectories of T × 2', () => {
    assert.equal(data.N, 2);
    assert.equal(data.series.length, GT16.trajectories);
    assert.deepEqual(data.lengths, new Array(GT16.trajectories).fill(GT16.length));
    const again = gt16();
    data.series.forEach((s, i) => assert.deepEqual(s, again.series[i]));
  });

  it('lies on the stable 16-cycle of the science.md §4 PLRNN, up to its noise', () => {
    const map = modelFromSpec(GT16_MODEL, 'gt16').map;
    let z: ArrayLike<number> = [0, 0];
    for (let t = 0; t < 3000; t++) z = step(map, z);
    const cycle: number[][] = [];
    for (let t = 0; t < 16; t++) {
      z = step(map, z);
      cycle.push(Array.from(z));
    }
    assert.ok(Math.hypot(step(map, z)[0] - cycle[0][0], step(map, z)[1] - cycle[0][1]) < 1e-9, 'period 16');
    let worst = 0;
    let sq = 0;
    let n = 0;
    for (const s of data.series) {
      for (let t = 0; t < s.length / 2; t++) {
        const d = Math.min(...cycle.map((c) => Math.hypot(s[2 * t] - c[0], s[2 * t + 1] - c[1])));
        worst = Math.max(worst, d);
        sq += d * d;
        n++;
      }
    }
    // Noise of sd 0.01 per coordinate: distances of about 0.014 on average, none near 0.1.
    assert.ok(worst < 6 * GT16.noise, `farthest point ${worst} from the cycle`);
    assert.ok(Math.sqrt(sq / n) < 2 * GT16.noise && Math.sqrt(sq / n) > 0.5 * GT16.noise, `rms distance ${Math.sqrt(sq / n)}`);
  });
});

describe('train data: neuron (Morris–Lecar)', () => {
  it('fires tonically: one spike every 85.3 ms, the same interval throughout', () => {
    const raw = neuronRaw();
    const rows = raw.length / 2;
    assert.equal(rows, NEURON.duration / NEURON.every);
    const spikes: number[] = [];
    for (let r = 1; r < rows; r++) if (raw[2 * (r - 1)] < 0 && raw[2 * r] >= 0) spikes.push(r * NEURON.every);
    const isi = spikes.slice(1).map((t, i) => t - spikes[i]);
    assert.ok(spikes.length >= 22 && spikes.length <= 24, `${spikes.length} spikes`);
    for (const d of isi) assert.ok(Math.abs(d - 85.3) <= NEURON.every, `interval ${d} ms`);
    const V = Array.from({ length: rows }, (_, r) => raw[2 * r]);
    assert.ok(Math.max(...V) > 30 && Math.min(...V) < -45, 'spikes from about −50 mV to above +30 mV');
  });

  it('RK4 with dt = 0.05 ms has converged: halving the step moves no sample by 1e-3 mV', () => {
    const a = neuronRaw();
    const b = neuronRaw({ dt: NEURON.dt / 2 });
    let worst = 0;
    for (let r = 0; r < a.length; r += 2) worst = Math.max(worst, Math.abs(a[r] - b[r]));
    assert.ok(worst < 1e-3, `largest change ${worst} mV`);
  });

  it('is standardised: each column has mean 0 and standard deviation 1', () => {
    const d = neuron();
    const x = d.series[0];
    const rows = x.length / 2;
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let r = 0; r < rows; r++) m += x[2 * r + j];
      m /= rows;
      let v = 0;
      for (let r = 0; r < rows; r++) v += (x[2 * r + j] - m) ** 2;
      assert.ok(Math.abs(m) < 1e-12);
      assert.ok(Math.abs(Math.sqrt(v / rows) - 1) < 1e-12);
    }
    assert.ok(d.standardised!.sd[0] > 20, 'V varies over tens of mV');
  });
});

describe('train data: CSV', () => {
  it('reads columns with or without a header, with any of , ; tab or spaces', () => {
    const a = parseCsv('v,w\n1,2\n3,4\n', 'a.csv');
    assert.equal(a.N, 2);
    assert.deepEqual(Array.from(a.series[0]), [1, 2, 3, 4]);
    assert.match(a.description, /2 rows × 2 columns \(with a header row\)/);
    const b = parseCsv('# comment\n1; 2.5; -3e-1\n\n4\t5\t6\n7 8 9\n', 'b.csv');
    assert.equal(b.N, 3);
    assert.deepEqual(Array.from(b.series[0]), [1, 2.5, -0.3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses bad files with one line naming the line and column', () => {
    assert.throws(() => parseCsv('1,2\n3\n', 'x.csv'), (e: unknown) => e instanceof InputError && /x\.csv: line 2 has 1 columns, the first row 2/.test(e.message));
    assert.throws(() => parseCsv('1,2\n3,abc\n', 'x.csv'), /x\.csv: line 2, column 2: "abc" is not a finite number/);
    assert.throws(() => parseCsv('a,b\n', 'x.csv'), /no rows of numbers/);
    assert.throws(() => parseCsv('1,2\n3,Infinity\n', 'x.csv'), /not a finite number/);
    assert.throws(() => loadDataset('/nonexistent/data.csv'), /no such file/);
  });

  it('loadDataset reads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scyfi-data-'));
    writeFileSync(join(dir, 'd.csv'), 'x,y,z\n1,2,3\n4,5,6\n');
    const d = loadDataset(join(dir, 'd.csv'));
    assert.equal(d.name, 'd.csv');
    assert.equal(d.N, 3);
    assert.deepEqual(d.lengths, [2]);
  });
});
