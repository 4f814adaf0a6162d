// Events located exactly on a branch's own functions of t: where its region sequence stops
// being self-consistent (a border collision, or a run-off to infinity), and where det(I − F),
// det(I + F) or a complex pair's modulus − 1 changes sign. Bisection to T_TOL in t.
import { Probe, type ProbeResult } from './probe';

/** Events are located to this width in t (t runs over [0, 1]). */
export const T_TOL = 1e-13;
/** Interior samples before bisecting, so a margin that dips and recovers within a step is not missed. */
const SAMPLES = 8;
const MAX_BISECTIONS = 200;

/** Bisects a sign change of f between a and b (f(a), f(b) of opposite signs, or f(b) = 0). */
export function bisectSign(f: (t: number) => number, a: number, b: number, fa = f(a)): number {
  let lo = a;
  let hi = b;
  let flo = fa;
  for (let i = 0; i < MAX_BISECTIONS && Math.abs(hi - lo) > T_TOL; i++) {
    const mid = (lo + hi) / 2;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (Math.sign(fm) === Math.sign(flo)) {
      lo = mid;
      flo = fm;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Transition {
  /** The last t (within T_TOL) where the sequence's cycle exists, and the first where it does not. */
  inside: ProbeResult;
  outside: ProbeResult;
}

/**
 * Where the cycle of `probe` stops existing between tIn (it exists) and tOut (it does not):
 * the first failing interior sample from tIn, then bisection of "exists".
 */
export function locateTransition(probe: Probe, tIn: number, tOut: number, atIn?: ProbeResult): Transition {
  let inside = atIn ?? probe.at(tIn);
  let outside: ProbeResult | undefined;
  for (let k = 1; k <= SAMPLES; k++) {
    const t = tIn + ((tOut - tIn) * k) / SAMPLES;
    const r = probe.at(t);
    if (!r.exists) {
      outside = r;
      break;
    }
    inside = r;
  }
  outside ??= probe.at(tOut);
  for (let i = 0; i < MAX_BISECTIONS && Math.abs(outside.t - inside.t) > T_TOL; i++) {
    const r = probe.at((inside.t + outside.t) / 2);
    if (r.exists) inside = r;
    else outside = r;
  }
  return { inside, outside };
}
