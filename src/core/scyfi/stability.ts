import { eigenvalues } from '../linalg/eigen';

/** An eigenvalue counts as on the unit circle (non-hyperbolic) when ||λ| − 1| ≤ this. */
export const UNIT_CIRCLE_TOL = 1e-9;
/** An eigenvalue counts as complex when |Im λ| > this · max(|λ|, 1e-300). */
export const COMPLEX_RTOL = 1e-12;

export interface Stability {
  eigenvalues: [number, number][];
  spectralRadius: number;
  stable: boolean;
  classification: string;
}

/**
 * Stability of a cycle from the eigenvalues of its k-step Jacobian F.
 *
 * The rule:
 * - "non-hyperbolic" if some ||λ| − 1| ≤ UNIT_CIRCLE_TOL (linearisation decides nothing);
 * - otherwise "stable" if all |λ| < 1, "unstable" if all |λ| > 1, "saddle" if mixed;
 * - the kind comes from the dominant eigenvalue (largest modulus; for a saddle that is an
 *   unstable one): complex → "focus", real negative → "node (flip)" (orbits alternate sides),
 *   real positive → "node". For saddles: "saddle", "saddle (flip)", "saddle focus".
 * `stable` is true iff all |λ| < 1 (a non-hyperbolic cycle is never reported stable).
 */
export function classify(F: Float64Array, n: number): Stability {
  const eig = eigenvalues(F, n);
  const mods = eig.map(([re, im]) => Math.hypot(re, im));
  const spectralRadius = mods.length > 0 ? mods[0] : 0;
  const nonHyperbolic = mods.some((r) => Math.abs(r - 1) <= UNIT_CIRCLE_TOL);
  const nUnstable = mods.filter((r) => r > 1).length;
  const stable = nUnstable === 0 && !nonHyperbolic;
  const [re, im] = eig[0] ?? [0, 0];
  const complex = Math.abs(im) > COMPLEX_RTOL * Math.max(spectralRadius, 1e-300);
  const flip = !complex && re < 0;
  let classification: string;
  if (nonHyperbolic) classification = 'non-hyperbolic';
  else if (nUnstable === 0) classification = complex ? 'stable focus' : flip ? 'stable node (flip)' : 'stable node';
  else if (nUnstable === n) classification = complex ? 'unstable focus' : flip ? 'unstable node (flip)' : 'unstable node';
  else classification = complex ? 'saddle focus' : flip ? 'saddle (flip)' : 'saddle';
  return { eigenvalues: eig, spectralRadius, stable, classification };
}
