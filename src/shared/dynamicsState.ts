// The results panel's dynamics state (trajectories, clicked ones, basins): one reducer for the
// host's copy (ResultsPanel) and the page's (webview/results.ts), so both stay the same.
import type { HostToPanel, PanelState } from './protocol';

/** Trajectories from clicked points kept at most (the oldest go first). */
export const MAX_CLICKED = 20;

export type DynamicsMessage = Extract<HostToPanel, { type: 'dynamics' | 'trajectory' | 'basins' }>;

export function isDynamicsMessage(m: HostToPanel): m is DynamicsMessage {
  return m.type === 'dynamics' || m.type === 'trajectory' || m.type === 'basins';
}

/** Applies a dynamics message to `state` in place. */
export function applyDynamics(state: PanelState, m: DynamicsMessage): void {
  if (m.type === 'dynamics') state.dynamics = m.dynamics;
  else if (m.type === 'trajectory') state.clicked = [...(state.clicked ?? []), m.trajectory].slice(-MAX_CLICKED);
  else state.basins = m.basins;
}
