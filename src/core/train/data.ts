// Training data: the built-in sets gt16 (the 2-D PLRNN of science.md §4 on its stable 16-cycle)
// and neuron (a Morris–Lecar neuron firing tonically), or a CSV file of columns.
// docs/training.md gives the equations, parameters and integration.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors';
import { Prng } from '../scyfi/prng';
import { gaussian } from './network';

export interface Dataset {
  /** gt16, neuron, or the CSV file's base name. */
  name: string;
  /** Observed dimensions. */
  N: number;
  /** One or more trajectories, each lengths[i] × N, row-major. Subsequences never cross them. */
  series: Float64Array[];
  lengths: number[];
  /** What it is, in one line (train.json). */
  description: string;
  /** Means and standard deviations subtracted and divided out, when the series were standardised. */
  standardised?: { mean: number[]; sd: number[] };
}

export const BUILT_IN_DATA = ['gt16', 'neuron'] as const;

/** science.md §4: the 2-D PLRNN with a1 = 0.8377689 has one stable and one saddle 16-cycle. */
export const GT16_MODEL = {
  architecture: 'plrnn' as const,
  A: [0.8377689, 0.96461297],
  W: [
    [0, -0.64375],
    [0.52505308, 0],
  ],
  h: [0.37298253, -0.97931491],
};

/** gt16's construction (fixed: every run trains on the same data). */
export const GT16 = { trajectories: 8, transient: 2000, length: 400, noise: 0.01, seed: 16, box: 3 };

/**
 * gt16: GT16.trajectories trajectories of the ground-truth PLRNN from initial states uniform in
 * [−box, box]², the first `transient` steps dropped, `length` steps kept, plus Gaussian noise of
 * standard deviation `noise` on every value (seeded). Trajectories that start near the saddle
 * 16-cycle linger there for about 1500 steps, hence the long transient. Not standardised: a 2-D PLRNN with an
 * identity observation can fit it exactly (the ground truth itself).
 */
export function gt16(): Dataset {
  const rng = new Prng(GT16.seed);
  const { A, W, h } = GT16_MODEL;
  const series: Float64Array[] = [];
  for (let k = 0; k < GT16.trajectories; k++) {
    let z1 = rng.uniform(-GT16.box, GT16.box);
    let z2 = rng.uniform(-GT16.box, GT16.box);
    const out = new Float64Array(GT16.length * 2);
    for (let t = 0; t < GT16.transient + GT16.length; t++) {
      const n1 = A[0] * z1 + W[0][1] * Math.max(z2, 0) + h[0];
      const n2 = A[1] * z2 + W[1][0] * Math.max(z1, 0) + h[1];
      z1 = n1;
      z2 = n2;
      const i = t - GT16.transient;
      if (i >= 0) {
        out[2 * i] = z1 + GT16.noise * gaussian(rng);
        out[2 * i + 1] = z2 + GT16.noise * gaussian(rng);
      }
    }
    if (!out.every(Number.isFinite)) throw new Error('gt16: a ground-truth trajectory diverged');
    series.push(out);
  }
  return {
    name: 'gt16',
    N: 2,
    series,
    lengths: series.map(() => GT16.length),
    description: `gt16: ${GT16.trajectories} trajectories of the 2-D PLRNN of science.md §4 (a1 = ${A[0]}, its stable 16-cycle), initial states uniform in [−${GT16.box}, ${GT16.box}]², ${GT16.transient} transient steps dropped, ${GT16.length} steps kept, Gaussian noise sd ${GT16.noise} (seed ${GT16.seed})`,
  };
}

/**
 * Morris–Lecar (1981) with the "Hopf" parameters of Rinzel & Ermentrout (1989): C dV/dt = I −
 * gL (V − VL) − gCa m∞(V) (V − VCa) − gK w (V − VK), dw/dt = φ (w∞(V) − w) / τw(V), m∞ = ½ (1 +
 * tanh((V − V1)/V2)), w∞ = ½ (1 + tanh((V − V3)/V4)), τw = 1 / cosh((V − V3)/(2 V4)). Units: mV,
 * ms, µF/cm², mS/cm², µA/cm².
 */
export const MORRIS_LECAR = { C: 20, gCa: 4.4, gK: 8, gL: 2, VCa: 120, VK: -84, VL: -60, V1: -1.2, V2: 18, V3: 2, V4: 30, phi: 0.04, I: 100 };

/** Integration and sampling of `neuron`: RK4 with step dt (ms), from rest, a transient dropped, sampled every `every` ms. */
export const NEURON = { dt: 0.05, V0: -60, transient: 500, duration: 2000, every: 2 };

/** The right-hand side of the Morris–Lecar equations at (V, w). */
export function morrisLecar(V: number, w: number, p = MORRIS_LECAR): [number, number] {
  const m = 0.5 * (1 + Math.tanh((V - p.V1) / p.V2));
  const wInf = 0.5 * (1 + Math.tanh((V - p.V3) / p.V4));
  const tauW = 1 / Math.cosh((V - p.V3) / (2 * p.V4));
  const dV = (p.I - p.gL * (V - p.VL) - p.gCa * m * (V - p.VCa) - p.gK * w * (V - p.VK)) / p.C;
  return [dV, (p.phi * (wInf - w)) / tauW];
}

/** One classical Runge–Kutta step of length dt. */
export function rk4Step(V: number, w: number, dt: number): [number, number] {
  const [a1, b1] = morrisLecar(V, w);
  const [a2, b2] = morrisLecar(V + (dt / 2) * a1, w + (dt / 2) * b1);
  const [a3, b3] = morrisLecar(V + (dt / 2) * a2, w + (dt / 2) * b2);
  const [a4, b4] = morrisLecar(V + dt * a3, w + dt * b3);
  return [V + (dt / 6) * (a1 + 2 * a2 + 2 * a3 + a4), w + (dt / 6) * (b1 + 2 * b2 + 2 * b3 + b4)];
}

/** The raw (V, w) samples of `neuron`, before standardisation: duration / every rows. */
export function neuronRaw(options: Partial<typeof NEURON> = {}): Float64Array {
  const { dt, V0, transient, duration, every } = { ...NEURON, ...options };
  const p = MORRIS_LECAR;
  let V = V0;
  let w = 0.5 * (1 + Math.tanh((V0 - p.V3) / p.V4)); // w∞(V0): at rest
  const stepsPerSample = Math.round(every / dt);
  const skip = Math.round(transient / dt);
  const rows = Math.round(duration / every);
  for (let n = 0; n < skip; n++) [V, w] = rk4Step(V, w, dt);
  const out = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < stepsPerSample; n++) [V, w] = rk4Step(V, w, dt);
    out[2 * r] = V;
    out[2 * r + 1] = w;
  }
  return out;
}

/** Subtracts each column's mean and divides by its standard deviation, in place. */
export function standardise(x: Float64Array, N: number): { mean: number[]; sd: number[] } {
  const rows = x.length / N;
  const mean: number[] = [];
  const sd: number[] = [];
  for (let j = 0; j < N; j++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += x[r * N + j];
    m /= rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (x[r * N + j] - m) ** 2;
    const s = Math.sqrt(v / rows);
    for (let r = 0; r < rows; r++) x[r * N + j] = s > 0 ? (x[r * N + j] - m) / s : 0;
    mean.push(m);
    sd.push(s);
  }
  return { mean, sd };
}

export function neuron(): Dataset {
  const x = neuronRaw();
  const standardised = standardise(x, 2);
  const { dt, transient, duration, every } = NEURON;
  const p = MORRIS_LECAR;
  return {
    name: 'neuron',
    N: 2,
    series: [x],
    lengths: [x.length / 2],
    description: `neuron: Morris–Lecar (Hopf parameters of Rinzel & Ermentrout 1989, I = ${p.I} µA/cm², tonic firing), columns V and w, RK4 with dt = ${dt} ms from rest, ${transient} ms dropped, ${duration} ms sampled every ${every} ms, each column standardised`,
    standardised,
  };
}

/** Largest CSV file read. */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

/**
 * A CSV file of columns, one row per time step: numbers separated by commas (or semicolons, tabs
 * or spaces), an optional header row of names. Blank lines and lines starting with # are skipped.
 * Not standardised.
 */
export function parseCsv(text: string, name: string): Dataset {
  const rows: number[][] = [];
  let N = -1;
  let header = false;
  const lines = text.split(/\r?\n/);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    if (rows.length === 0 && !header && cells.some((c) => c === '' || !Number.isFinite(Number(c)))) {
      header = true;
      N = cells.length;
      continue;
    }
    if (N < 0) N = cells.length;
    if (cells.length !== N) throw new InputError(`${name}: line ${l + 1} has ${cells.length} columns, the first row ${N}`);
    const row = cells.map(Number);
    const bad = cells.findIndex((c, j) => c === '' || !Number.isFinite(row[j]));
    if (bad >= 0) throw new InputError(`${name}: line ${l + 1}, column ${bad + 1}: ${JSON.stringify(cells[bad].slice(0, 40))} is not a finite number`);
    rows.push(row);
  }
  if (rows.length === 0) throw new InputError(`${name}: no rows of numbers`);
  const x = new Float64Array(rows.length * N);
  rows.forEach((r, i) => x.set(r, i * N));
  return { name, N, series: [x], lengths: [rows.length], description: `${name}: ${rows.length} rows × ${N} columns${header ? ' (with a header row)' : ''}, not standardised` };
}

/** gt16, neuron, or the path of a CSV file. */
export function loadDataset(spec: string): Dataset {
  if (spec === 'gt16') return gt16();
  if (spec === 'neuron') return neuron();
  const name = basename(spec);
  let size: number;
  try {
    const st = statSync(spec);
    if (!st.isFile()) throw new InputError(`--data ${name}: not a regular file (give gt16, neuron or a CSV file)`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--data ${JSON.stringify(spec)}: no such file (give gt16, neuron or a CSV file)`);
  }
  if (size > MAX_CSV_BYTES) throw new InputError(`${name}: ${size} bytes, more than the ${MAX_CSV_BYTES}-byte limit for a CSV file`);
  return parseCsv(readFileSync(spec, 'utf8'), name);
}
