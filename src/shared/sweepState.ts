import { noFinds } from '../core/scyfi/types';
// The state of a sweep panel and how each message from the host changes it. The host keeps the
// same state (it applies each message before sending it), so a page that reloads or reconnects
// gets exactly what the page it replaces had.
import { axisValues } from '../core/sweep/grid';
import { parseParamRef } from '../core/model/paramRef';
import type { SweepResult } from '../core/sweep/types';
import type { GridResult } from '../core/sweep/grid';
import type { HostToSweep, SweepPanelState } from './protocol';


/** A 1-D sweep before its first step: the path it runs along, no steps yet. */
export function emptySweep(s: SweepPanelState): SweepResult {
  const t = s.target;
  return {
    path: t.kind === 'entry' ? { kind: 'entry', parameter: t.ref, from: t.from, to: t.to } : { kind: 'line', from: s.fileName, to: t.kind === 'line' ? t.toName : '' },
    values: [],
    steps: [],
    branches: [],
    events: [],
    stats: { candidates: 0, seconds: 0, foundBy: noFinds(), continuedSteps: 0, fullSteps: 0 },
    cancelled: false,
  };
}

/** A 2-D map before its first row. */
export function emptyGrid(s: SweepPanelState): GridResult | undefined {
  const t = s.target;
  if (t.kind !== 'grid') return undefined;
  const axis = (a: typeof t.x) => ({ parameter: a.ref, values: axisValues({ ref: parseParamRef(a.ref)!, from: a.from, to: a.to, n: a.n }) });
  return { x: axis(t.x), y: axis(t.y), rows: [], stats: { candidates: 0, seconds: 0 }, cancelled: false };
}

/** A new run of the same sweep: what it asks for is kept, its results are not. */
export function beginRun(s: SweepPanelState, options = s.options): SweepPanelState {
  const next: SweepPanelState = { uri: s.uri, fileName: s.fileName, modelIndex: s.modelIndex, status: 'running', target: s.target, options, editable: s.editable, model: s.model, pathText: s.pathText };
  if (s.target.kind === 'grid') next.grid = emptyGrid(next);
  else next.sweep = emptySweep(next);
  return next;
}

/**
 * Applies one message. Streamed steps and rows are appended in place (a long sweep sends
 * thousands), so the state returned may be the one given.
 */
export function applySweepMessage(s: SweepPanelState, m: HostToSweep): SweepPanelState {
  switch (m.type) {
    case 'reset':
      return m.state;
    case 'model':
      return { ...s, model: m.model, pathText: m.pathText ?? s.pathText };
    case 'progress':
      return { ...s, progress: { done: m.done, total: m.total } };
    case 'steps': {
      const sweep = s.sweep ?? emptySweep(s);
      for (const step of m.steps) sweep.steps.push(step);
      return { ...s, sweep };
    }
    case 'rows': {
      const grid = s.grid ?? emptyGrid(s);
      if (!grid) return s;
      for (const row of m.rows) grid.rows.push(row);
      return { ...s, grid };
    }
    case 'finished': {
      // A worker that did not stop in time ends with its streamed steps only: keep the path known.
      const r = m.result;
      const sweep = r.values.length === 0 ? { ...r, path: (s.sweep ?? emptySweep(s)).path } : r;
      return { ...s, status: r.cancelled ? 'cancelled' : 'done', sweep, progress: undefined };
    }
    case 'gridFinished':
      return { ...s, status: m.result.cancelled ? 'cancelled' : 'done', grid: m.result, progress: undefined };
    case 'failed':
      return { ...s, status: 'error', error: m.message, progress: undefined };
    case 'stale':
      return { ...s, stale: m.stale };
  }
}

/** The steps by index (chunks finish in any order while a sweep runs). */
export function stepsByIndex(r: SweepResult): SweepResult['steps'] {
  const steps = r.steps;
  for (let i = 1; i < steps.length; i++) if (steps[i - 1].index > steps[i].index) return [...steps].sort((a, b) => a.index - b.index);
  return steps;
}
