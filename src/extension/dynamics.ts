// What the results panel shows about the dynamics beyond the cycles: trajectories simulated in a
// worker after each run (and from points the user clicks), and basins of attraction on a 2-D slice
// (src/core/dynamics). The panel keeps them in its state (src/shared/dynamicsState.ts).
import * as vscode from 'vscode';
import { defaultSlice } from '../core/dynamics/basins';
import { BasinsJob, TrajectoriesJob } from '../shared/jobs';
import type { DynamicsMessage } from '../shared/dynamicsState';
import type { BasinsState, PanelState, PanelToHost } from '../shared/protocol';
import type { RunOptions } from '../shared/shapes';
import { output } from './output';
import { runJob, type JobRun } from './runner';
import { reportJobError, trackRun } from './running';
import { parameterMap } from './settings';
import { modelSource } from './source';

/** What this module needs of a results panel (ResultsPanel has it). */
export interface DynamicsPanel {
  readonly key: string;
  readonly uri: vscode.Uri;
  readonly extensionUri: vscode.Uri;
  readonly state: PanelState;
  readonly modelIndex: number | undefined;
  /** Applies the message to the panel's state and sends it to the page. */
  showDynamics(m: DynamicsMessage): void;
}

type ResultsPanel = DynamicsPanel;

/** Seeded starts simulated after a run. */
const STARTS = 6;

const simulations = new Map<string, JobRun<unknown>>();

function jobInput(panel: ResultsPanel) {
  return { source: modelSource(panel.uri).source, displayName: panel.state.fileName, parameterMap: parameterMap(panel.uri), model: panel.modelIndex };
}

function known(panel: ResultsPanel) {
  return panel.state.cycles.map((c) => ({ order: c.order, points: c.points }));
}

/** After a run: trajectories from seeded starts, matched against the cycles found; the sentence goes to the summary. */
export async function simulateForPanel(panel: ResultsPanel, options: RunOptions): Promise<void> {
  simulations.get(panel.key)?.cancel();
  // A re-run replaces the panel's state: what this run simulated is then for results no longer shown.
  const shown = panel.state;
  const run = runJob(panel.extensionUri, TrajectoriesJob, { ...jobInput(panel), cycles: known(panel), options: { maxOrder: options.maxOrder, seed: options.seed, starts: STARTS } });
  simulations.set(panel.key, run);
  try {
    const dynamics = await run.done;
    if (simulations.get(panel.key) !== run || dynamics.cancelled || panel.state !== shown) return;
    panel.showDynamics({ type: 'dynamics', dynamics });
    if (dynamics.sentence) output().info(`  ${dynamics.sentence}`);
    if (dynamics.skipped) output().info(`  trajectories ${dynamics.skipped}`);
  } catch (e) {
    // The run itself succeeded: a failed simulation is logged, the panel keeps its results.
    output().error(`  simulating trajectories failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (simulations.get(panel.key) === run) simulations.delete(panel.key);
  }
}

/** The panel's own requests: a trajectory from a clicked point, or basins on a slice. */
export function onDynamicsMessage(panel: ResultsPanel, m: Extract<PanelToHost, { type: 'simulate' | 'basins' }>): void {
  if (m.type === 'simulate') void simulateFrom(panel, m.point);
  else void basinsForPanel(panel, m.x, m.y);
}

async function simulateFrom(panel: ResultsPanel, point: number[]): Promise<void> {
  const maxOrder = panel.state.options?.maxOrder ?? 10;
  try {
    const r = await runJob(panel.extensionUri, TrajectoriesJob, { ...jobInput(panel), cycles: known(panel), options: { maxOrder, seed: panel.state.options?.seed ?? 0, starts: 0, from: [point] } }).done;
    const t = r.trajectories[0];
    if (t) panel.showDynamics({ type: 'trajectory', trajectory: t });
    else if (r.skipped) void vscode.window.showInformationMessage(`SCYFI: trajectory ${r.skipped}.`);
  } catch (e) {
    void vscode.window.showErrorMessage(`SCYFI: could not simulate from (${point.join(', ')}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function basinsForPanel(panel: ResultsPanel, x: number, y: number): Promise<void> {
  const M = panel.state.model?.M;
  if (M === undefined || M < 2) {
    void vscode.window.showInformationMessage('SCYFI: basins need a model of 2 or more coordinates.');
    return;
  }
  const options = { maxOrder: panel.state.options?.maxOrder ?? 10 };
  // The range covers where the simulated trajectories settled too (an invariant circle around a focus).
  const settled = [...(panel.state.dynamics?.trajectories ?? []), ...(panel.state.clicked ?? [])].flatMap((t) => t.tail);
  const slice = defaultSlice({ M }, known(panel), x, y, undefined, settled);
  let state: BasinsState = { status: 'running', x, y, progress: { done: 0, total: slice.ny } };
  const shown = panel.state;
  const show = () => {
    if (panel.state === shown) panel.showDynamics({ type: 'basins', basins: state });
  };
  show();
  let report: ((m: string) => void) | undefined;
  try {
    const result = await trackRun(
      `${panel.key}#basins`,
      `SCYFI basins: ${panel.state.fileName}`,
      () =>
        runJob(panel.extensionUri, BasinsJob, { ...jobInput(panel), cycles: known(panel), slice, options }, {
          onProgress: (p) => {
            state = { ...state, progress: { done: p.done, total: p.total } };
            report?.(`row ${p.done} of ${p.total}`);
            show();
          },
        }),
      (r) => (report = r),
      'simulating…',
    );
    state = { status: result.cancelled ? 'cancelled' : 'done', x, y, result };
  } catch (e) {
    state = { status: 'error', x, y, error: await reportJobError(e, panel.uri, undefined) };
  }
  show();
}
