// Decisions about a results panel's run that the host and the page share: whether to offer a
// deeper search, and whether saving the file re-runs the search.
import type { PanelState } from './protocol';

/** Highest order a search is offered up to (the setting's maximum). */
export const MAX_OFFERED_ORDER = 200;

/**
 * The order to offer "Search up to order 2K" with: when a finished search up to K found
 * nothing but fixed points (or nothing at all). Undefined otherwise.
 */
export function deeperOrder(s: Pick<PanelState, 'status' | 'options' | 'cycles'>): number | undefined {
  if (s.status !== 'done' || !s.options) return undefined;
  const K = s.options.maxOrder;
  if (K >= MAX_OFFERED_ORDER || s.cycles.some((c) => c.order > 1)) return undefined;
  return Math.min(2 * K, MAX_OFFERED_ORDER);
}

/**
 * Whether saving the panel's file re-runs its search: the file changed since the run, the run
 * ended by itself (done, or failed on the file) and took less than `limitSeconds` (0: never).
 * A cancelled run was stopped on purpose, a running one is still going.
 */
export function shouldRerunOnSave(s: Pick<PanelState, 'status' | 'stale' | 'runSeconds'>, limitSeconds: number): boolean {
  if (!(limitSeconds > 0) || !s.stale) return false;
  if (s.status !== 'done' && s.status !== 'error') return false;
  return s.runSeconds !== undefined && s.runSeconds < limitSeconds;
}
