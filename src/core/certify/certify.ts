import type { Highs } from 'highs';
import { InputError } from '../errors';
import { PiecewiseAffineMap } from '../model/types';
import { stepInto } from '../model/evaluate';
import { normInf } from '../linalg/lu';
import { CandidateSolver, Outcome } from '../scyfi/candidate';
import { buildCycle, CycleStore } from '../scyfi/cycles';
import { layoutOf, packSequence, SequenceSet, unpackSequence, wordsPerRegion } from '../scyfi/sequence';
import { distInf, maxAbs, POINT_RTOL, SCALE_FLOOR, verifyOrbit } from '../scyfi/verify';
import { DEFAULT_SEED } from '../scyfi/search';
import { Cycle } from '../scyfi/types';
import { regionBits } from '../model/evaluate';
import { Box, clipBox, cube, defaultBound, propagateBounds } from './bounds';
import { loadHighs } from './highs';
import { CycleMilp } from './milp';
import { Certificate, CertifiedCycle, CertifyEvents, CertifyOptions, CertifyResult, DEFAULT_CERTIFY_ORDERS_CAP, DegenerateSequence, OrderCertificate, OrderStatus } from './types';

/** Time budget of a certification when CertifyOptions.seconds is not given. */
export const DEFAULT_CERTIFY_SECONDS = 60;
export { DEFAULT_CERTIFY_ORDERS_CAP };
/**
 * A MILP point that the exact solve of its region sequence does not confirm is still a
 * (near-)cycle worth reporting when each ‖f(z_j) − z_{j+1}‖∞ ≤ MILP_POINT_RTOL · max(1, ‖z‖∞):
 * the MILP satisfies its rows to MILP_FEASIBILITY_TOL in absolute terms, hence the floor of 1.
 */
export const MILP_POINT_RTOL = 1e-6;
/** A cycle counts as inside the box when ‖z‖∞ ≤ R · (1 + BOUND_RTOL) for all its points. */
export const BOUND_RTOL = 1e-9;

export function checkCertifyOptions(options: CertifyOptions): void {
  const { orders, maxOrder, bound, seconds } = options;
  if (!Number.isInteger(orders) || orders < 1) throw new InputError(`the certified orders must be a positive integer, got ${orders}`);
  if (!Number.isInteger(maxOrder) || maxOrder < orders) throw new InputError(`the certified orders (${orders}) cannot exceed the searched orders (${maxOrder})`);
  if (bound !== undefined && !(bound > 0 && Number.isFinite(bound))) throw new InputError(`the bound must be a positive finite number, got ${bound}`);
  if (seconds !== undefined && !(seconds > 0)) throw new InputError(`the certification time must be positive, got ${seconds}`);
}

/**
 * Proves that `known` (the search's cycles) holds every cycle of orders 1..options.orders with
 * all points in the box ‖z‖∞ ≤ R, adding those it lacks; see docs/certify.md. Loads HiGHS (once
 * per thread), then computes synchronously; `events.isCancelled` is polled from the solver.
 */
export async function certifyCycles(map: PiecewiseAffineMap, known: readonly Cycle[], options: CertifyOptions, events: CertifyEvents = {}): Promise<CertifyResult> {
  checkCertifyOptions(options);
  const highs = await loadHighs();
  return certifyWith(highs, map, known, options, events);
}

function smallestFirst(a: Cycle, b: Cycle): number {
  if (a.order !== b.order) return a.order - b.order;
  for (let i = 0; i < a.points[0].length; i++) if (a.points[0][i] !== b.points[0][i]) return a.points[0][i] - b.points[0][i];
  return 0;
}

/** The smallest p dividing k with z_{j+p} = z_j (to `rtol` of the orbit's size) for all j; k if none. */
function leastPeriod(orbit: Float64Array, k: number, M: number, rtol: number): number {
  const tol = rtol * Math.max(maxAbs(orbit, 0, k * M), SCALE_FLOOR);
  for (let p = 1; p < k; p++) {
    if (k % p !== 0) continue;
    let periodic = true;
    for (let j = 0; j < k && periodic; j++) periodic = distInf(orbit, j * M, orbit, ((j + p) % k) * M, M) <= tol;
    if (periodic) return p;
  }
  return k;
}

/** True when the k points are an orbit of the map to MILP_POINT_RTOL (see there). */
function approximateOrbit(map: PiecewiseAffineMap, pts: Float64Array, k: number): boolean {
  const M = map.M;
  const tol = MILP_POINT_RTOL * Math.max(1, maxAbs(pts, 0, k * M));
  const fz = new Float64Array(M);
  const uBuf = new Float64Array(map.H);
  for (let j = 0; j < k; j++) {
    stepInto(map, pts, j * M, fz, 0, uBuf);
    if (!(distInf(fz, 0, pts, ((j + 1) % k) * M, M) <= tol)) return false;
  }
  return true;
}

function rows(buf: Float64Array, k: number, M: number): number[][] {
  return Array.from({ length: k }, (_, j) => Array.from(buf.subarray(j * M, (j + 1) * M)));
}

export function certifyWith(highs: Highs, map: PiecewiseAffineMap, known: readonly Cycle[], options: CertifyOptions, events: CertifyEvents = {}): CertifyResult {
  checkCertifyOptions(options);
  const t0 = performance.now();
  const deadline = t0 + (options.seconds ?? DEFAULT_CERTIFY_SECONDS) * 1000;
  const { M } = map;
  const K = options.orders;
  const layout = layoutOf(map);
  const words = wordsPerRegion(regionBits(map));
  const isCancelled = () => events.isCancelled?.() === true;

  let bound: number;
  let boundSource: Certificate['boundSource'];
  let boundDetail: string;
  let box: Box;
  if (options.bound !== undefined) {
    bound = options.bound;
    boundSource = 'user';
    boundDetail = 'given (--bound)';
    box = clipBox(map, cube(M, bound));
  } else {
    const d = defaultBound(map, known.flatMap((c) => c.points), options.seed ?? DEFAULT_SEED);
    ({ bound, source: boundSource, detail: boundDetail, box } = d);
  }
  const within = (c: Cycle) => c.points.every((p) => p.every((x) => Math.abs(x) <= bound * (1 + BOUND_RTOL)));
  const bounds = propagateBounds(map, box);

  const store = new CycleStore(M);
  const cycles: CertifiedCycle[] = [];
  for (const c of known) {
    store.add(Float64Array.from(c.points.flat()), c.order);
    cycles.push({ ...c, foundBy: 'search', withinBound: within(c) });
  }
  const degenerate: DegenerateSequence[] = [];
  const solver = new CandidateSolver(map, K);
  const orders: OrderCertificate[] = [];

  /** Adds a verified orbit the search had missed (solver holds it, solved in `seq`). */
  const addCycle = (orbit: Float64Array, k: number, seq: Int32Array): boolean => {
    if (store.has(orbit, k)) return false;
    store.add(orbit, k);
    const cycle = buildCycle(map, orbit, k, Float64Array.from(solver.product(k)), unpackSequence(seq, k, layout));
    cycles.push({ ...cycle, foundBy: 'certify', withinBound: within(cycle) });
    events.onCycle?.(cycle);
    return true;
  };

  /**
   * What one MILP solution (pattern seq, points pts) is: a cycle (new or known), a lower-order
   * cycle tiled, a degenerate sequence, or a tolerance artifact of the solver. Every case ends
   * with the pattern cut off; see docs/certify.md for why each cut is sound. Returns the count
   * of cycles added.
   */
  const resolve = (seq: Int32Array, pts: Float64Array, k: number): number => {
    const outcome = solver.solve(seq, k);
    if (outcome === Outcome.Consistent) {
      const orbit = Float64Array.from(solver.orbit.subarray(0, k * M));
      const p = leastPeriod(orbit, k, M, POINT_RTOL);
      if (p === k) {
        if (verifyOrbit(map, orbit, k, (j) => normInf(solver.product(j + 1), M))) return addCycle(orbit, k, seq) ? 1 : 0;
      } else {
        // The orbit of a p-cycle: solved again at order p in the first p regions.
        const sub = seq.subarray(0, p * words);
        if (store.has(orbit.subarray(0, p * M), p)) return 0;
        if (solver.solve(sub, p) === Outcome.Consistent && verifyOrbit(map, solver.orbit, p, (j) => normInf(solver.product(j + 1), M))) {
          return addCycle(Float64Array.from(solver.orbit.subarray(0, p * M)), p, sub) ? 1 : 0;
        }
      }
    }
    if (approximateOrbit(map, pts, k)) {
      const p = leastPeriod(pts, k, M, MILP_POINT_RTOL);
      const regions = unpackSequence(seq, k, layout);
      const repeat = p < k && degenerate.some((d) => d.order === p && sameUpToRotation(d.regions, regions.slice(0, p)));
      if (!repeat) degenerate.push({ order: k, regions, points: rows(pts, k, M), reason: outcome === Outcome.Singular ? 'singular' : 'ill-conditioned' });
    }
    return 0;
  };

  let stoppedAs: OrderStatus | undefined;
  for (let k = 1; k <= K; k++) {
    const ts = performance.now();
    const cert: OrderCertificate = { order: k, status: 'proven', seconds: 0, nodes: 0, solves: 0, added: 0 };
    orders.push(cert);
    if (stoppedAs === undefined && isCancelled()) stoppedAs = 'interrupted';
    if (stoppedAs === undefined && performance.now() >= deadline) stoppedAs = 'timeout';
    if (stoppedAs !== undefined) {
      cert.status = stoppedAs;
      continue;
    }
    events.onOrder?.(k, K);
    if (bounds.empty) {
      // No point of the box maps into the box: no cycle of any order lies in it.
      cert.seconds = (performance.now() - ts) / 1000;
      continue;
    }
    let milp: CycleMilp;
    try {
      milp = new CycleMilp(highs, map, k, bounds);
    } catch (e) {
      cert.status = 'failed';
      cert.detail = e instanceof Error ? e.message : String(e);
      cert.seconds = (performance.now() - ts) / 1000;
      continue;
    }
    const cut = new SequenceSet(k, words);
    const cutAll = (seq: Int32Array) => {
      if (cut.add(seq)) cutRotations(milp, seq, k, words);
    };
    try {
      // The listed cycles of orders dividing k, tiled to length k, are cut off before solving
      // when their tiled sequence is nonsingular at order k (then that cycle is its only solution).
      for (const c of cycles) {
        if (k % c.order !== 0) continue;
        const one = packSequence(c.regions, layout);
        if (!one) continue;
        const seq = new Int32Array(k * words);
        for (let j = 0; j < k; j++) for (let w = 0; w < words; w++) seq[j * words + w] = one[(j % c.order) * words + w];
        if (solver.solve(seq, k) !== Outcome.Consistent) continue;
        const orbit = solver.orbit.subarray(0, k * M);
        const tiled = Float64Array.from({ length: k * M }, (_, t) => c.points[Math.floor(t / M) % c.order][t % M]);
        const tol = POINT_RTOL * Math.max(maxAbs(tiled, 0, k * M), SCALE_FLOOR);
        if (distInf(orbit, 0, tiled, 0, k * M) <= tol) cutAll(seq);
      }
      for (;;) {
        const r = milp.solve(deadline, isCancelled);
        cert.nodes += r.nodes;
        cert.solves++;
        if (r.status === 'infeasible') break;
        if (r.status !== 'feasible') {
          cert.status = r.status;
          if (r.detail) cert.detail = r.detail;
          break;
        }
        const seq = milp.pattern();
        if (!cut.add(Int32Array.from(seq))) {
          cert.status = 'failed';
          cert.detail = 'the solver returned a region sequence that was already cut off';
          break;
        }
        cert.added += resolve(seq, milp.points(), k);
        cutRotations(milp, seq, k, words);
      }
    } finally {
      milp.dispose();
    }
    cert.seconds = (performance.now() - ts) / 1000;
    if (cert.status === 'timeout' || cert.status === 'interrupted') stoppedAs = cert.status;
  }
  for (let k = K + 1; k <= options.maxOrder; k++) orders.push({ order: k, status: 'heuristic', seconds: 0, nodes: 0, solves: 0, added: 0 });
  cycles.sort(smallestFirst);
  return {
    cycles,
    certificate: { bound, boundSource, boundDetail, solver: `HiGHS ${highs.version.string}`, orders, degenerate },
  };
}

/** Cuts every distinct rotation of seq. */
function cutRotations(milp: CycleMilp, seq: Int32Array, k: number, words: number): void {
  const seen = new Set<string>();
  const rot = new Int32Array(k * words);
  for (let r = 0; r < k; r++) {
    for (let j = 0; j < k; j++) for (let w = 0; w < words; w++) rot[j * words + w] = seq[((j + r) % k) * words + w];
    const key = rot.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    milp.cut(rot);
  }
}

function sameUpToRotation(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) if (a.every((x, j) => x === b[(j + r) % b.length])) return true;
  return false;
}
