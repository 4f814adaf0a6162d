// What simulated trajectories settled on, as the JSON of `scyfi find --json` and the results
// panel's Export JSON give it: only when some did not settle on a listed cycle, so that the usual
// output keeps its shape. Each attractor lists the starts that reach it.
import type { DynamicsResult } from './types';

export function attractorsJson(d: DynamicsResult | undefined): Record<string, unknown> {
  if (!d?.sentence) return {};
  const attractors = d.attractors.map(({ trajectories, ...a }) => ({ ...a, starts: trajectories.map((i) => d.trajectories[i].start) }));
  return { attractors, attractorSummary: d.sentence, simulation: { starts: d.trajectories.length, maxSteps: d.maxSteps } };
}
