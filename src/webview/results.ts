// The results panel page: keeps the latest run's state (also saved for reloads), renders the
// header, summary, plots, table and parameter links, and streams updates from the host.
import type { Cycle } from '../core/scyfi/types';
import { HostToPanel, parsePanelState, type PanelState, type PanelToHost, type PlotKind } from '../shared/protocol';
import { summarize } from '../shared/summary';
import { clear, h } from './dom';
import { EigenPlot } from './eigenPlot';
import { button, panelFrame, plotCard, renderFrame, restore, startPage } from './frame';
import { renderParams } from './params';
import { StatePlot, type StateProjection } from './statePlot';
import { renderTable, sortedIndices, type SortColumn, type TableView } from './table';
import { themeColors } from './theme';
import { postToHost } from './vscodeApi';
import { BasinsView } from './basins';
import { clickedStart, trajectoryCaption, trajectoryDatasets } from './trajectoryLayer';
import { applyDynamics, isDynamicsMessage } from '../shared/dynamicsState';

interface ViewState extends TableView {
  projection: StateProjection;
}

function send(m: PanelToHost): void {
  postToHost(m);
}

function defaultView(): ViewState {
  return { sort: 'index', descending: false, expanded: [], projection: { kind: 'coords', x: 0, y: 1 } };
}

function restoredView(v: unknown): ViewState {
  const d = defaultView();
  if (typeof v !== 'object' || v === null) return d;
  const o = v as Partial<ViewState>;
  const sorts: SortColumn[] = ['index', 'order', 'spectralRadius', 'stability'];
  const p = o.projection;
  return {
    sort: sorts.includes(o.sort as SortColumn) ? (o.sort as SortColumn) : d.sort,
    descending: o.descending === true,
    expanded: Array.isArray(o.expanded) ? o.expanded.filter((x): x is number => Number.isInteger(x)) : [],
    selected: Number.isInteger(o.selected) ? o.selected : undefined,
    projection:
      p && p.kind === 'pca' ? { kind: 'pca' } : p && p.kind === 'coords' && Number.isInteger(p.x) && Number.isInteger(p.y) ? { kind: 'coords', x: p.x, y: p.y } : d.projection,
  };
}

export function startResults(root: HTMLElement): void {
  const saved = restore(parsePanelState);
  let state: PanelState | undefined = saved.panel;
  let view = restoredView(saved.view);

  // ---- static skeleton
  const rerun = button('Re-run', 'Run the search again on the current file', () => send({ type: 'rerun' }), 'primary');
  const cancel = button('Cancel', 'Stop the search and keep what it found', () => send({ type: 'cancel' }));
  const exportJson = button('Export JSON', 'Save the results as JSON', () => send({ type: 'export', format: 'json' }));
  const exportCsv = button('Export CSV', 'Save the results as CSV (one row per point)', () => send({ type: 'export', format: 'csv' }));
  const basinsView = new BasinsView(() => send({ type: 'basins', ...(view.projection.kind === 'coords' ? { x: view.projection.x, y: view.projection.y } : { x: 0, y: 1 }) }));
  const frame = panelFrame([rerun, cancel, exportJson, exportCsv, basinsView.button]);
  const summary = h('p', { 'data-testid': 'summary', class: 'summary' });

  const stateCanvas = h('canvas', { 'data-testid': 'state-plot', 'aria-label': 'State space: the points of each object found' });
  const eigenCanvas = h('canvas', { 'data-testid': 'eigen-plot', 'aria-label': 'Eigenvalues of the selected object with the unit circle' });
  const projSelect = h('select', { 'aria-label': 'Coordinates shown', class: 'proj' });
  const stateNote = h('p', { class: 'caption muted' });
  const eigenTitle = h('span', {});
  const savePlot = (plot: PlotKind) => send({ type: 'savePng', plot, dataUrl: plot === 'state' ? statePlot.toPng() : eigenPlot.toPng() });
  const stateCard = plotCard('State space', [projSelect], () => savePlot('state'), stateCanvas, '', stateNote);
  const eigenCard = plotCard(eigenTitle, [], () => savePlot('eigen'), eigenCanvas, 'square');
  const plots = h('div', { class: 'plots' }, stateCard, eigenCard);
  const tableHost = h('div', { class: 'table-host' });
  const paramsHost = h('section', { class: 'params-host' });
  const footer = h('footer', { class: 'muted' });

  root.append(...frame.top, summary, plots, basinsView.element, tableHost, paramsHost, footer);

  const statePlot = new StatePlot(stateCanvas, themeColors(), (i) => select(i));
  const eigenPlot = new EigenPlot(eigenCanvas, themeColors());
  statePlot.layer = (toXY) => trajectoryDatasets(state?.dynamics, state?.clicked, toXY, themeColors());
  statePlot.onBackground = (x, y) => {
    const start = clickedStart(view.projection, state?.model?.M ?? 2, x, y, view.selected !== undefined ? state?.cycles[view.selected]?.points[0] : undefined);
    if (start) send({ type: 'simulate', point: start });
  };
  projSelect.addEventListener('change', () => {
    const v = projSelect.value;
    if (v === 'pca') view.projection = { kind: 'pca' };
    else {
      const [x, y] = v.split(',').map(Number);
      view.projection = { kind: 'coords', x, y };
    }
    schedule();
  });

  function select(i: number): void {
    view.selected = i;
    schedule();
  }

  const tableEvents = {
    onSort: (col: SortColumn) => {
      view.descending = view.sort === col ? !view.descending : col === 'spectralRadius';
      view.sort = col;
      schedule();
    },
    onToggle: (i: number) => {
      view.expanded = view.expanded.includes(i) ? view.expanded.filter((x) => x !== i) : [...view.expanded, i];
      schedule();
    },
    onSelect: select,
  };

  function fillProjections(M: number): void {
    const want: string[] = [];
    for (let x = 0; x < M; x++) for (let y = x + 1; y < M; y++) want.push(`${x},${y}`);
    if (M > 2) want.push('pca');
    const have = [...projSelect.options].map((o) => o.value);
    if (have.join('|') !== want.join('|')) {
      clear(projSelect);
      for (const v of want) projSelect.append(h('option', { value: v }, v === 'pca' ? 'PCA of the points (PC1, PC2)' : `z${Number(v.split(',')[0]) + 1} vs z${Number(v.split(',')[1]) + 1}`));
    }
    const p = view.projection;
    const cur = p.kind === 'pca' ? 'pca' : `${p.x},${p.y}`;
    if (!want.includes(cur)) view.projection = { kind: 'coords', x: 0, y: Math.min(1, M - 1) };
    projSelect.value = view.projection.kind === 'pca' ? 'pca' : `${view.projection.x},${view.projection.y}`;
    projSelect.hidden = M <= 2;
  }

  function render(): unknown {
    if (!state) {
      summary.textContent = 'Waiting for results…';
      return { panel: state, view };
    }
    const s = state;
    const m = s.model;
    const colors = themeColors();
    renderFrame(
      frame,
      s,
      s.progress ? `order ${s.progress.order} of ${s.progress.maxOrder} · ${s.cycles.length} found` : '',
      'The search was cancelled: the table shows what it had found until then.',
      () => send({ type: 'rerun' }),
    );
    cancel.hidden = s.status !== 'running';
    exportJson.disabled = exportCsv.disabled = s.cycles.length === 0;

    const cycles = s.cycles;
    // A file that could not be read has no results: the banner says why, and empty plots, an
    // empty table and a "No fixed points or cycles" sentence would only mislead.
    const failed = s.status === 'error' && cycles.length === 0;
    summary.hidden = failed;
    // .plots is a grid: the hidden attribute alone would not hide it.
    plots.style.display = tableHost.style.display = failed ? 'none' : '';
    summary.textContent =
      failed ? '' : s.status === 'running' && cycles.length === 0 ? 'Searching…' : summarize(cycles, s.options?.maxOrder, s.status === 'cancelled') + (s.dynamics?.sentence ? `. ${s.dynamics.sentence}` : '');
    if (view.selected === undefined || view.selected >= cycles.length) view.selected = cycles.length > 0 ? sortedIndices(cycles, view)[0] : undefined;
    view.expanded = view.expanded.filter((i) => i < cycles.length);

    const M = m?.M ?? cycles[0]?.points[0]?.length ?? 2;
    fillProjections(M);
    const note = statePlot.update(cycles, M, view.projection, view.selected, colors);
    stateNote.textContent = (cycles.length > 0 ? `${note ? `${note} ` : ''}Filled: stable; hollow: unstable. Click a point to select its object.` : note) + ` ${trajectoryCaption(s.dynamics, s.clicked, view.projection, M)}`;
    basinsView.render(s, M, colors);
    const sel: Cycle | undefined = view.selected !== undefined ? cycles[view.selected] : undefined;
    eigenTitle.textContent = sel ? `Eigenvalues of #${view.selected! + 1} (${sel.order === 1 ? 'fixed point' : `${sel.order}-cycle`}, ${sel.classification})` : 'Eigenvalues';
    eigenPlot.update(sel, colors);
    renderTable(tableHost, cycles, view, tableEvents);

    clear(paramsHost);
    if (m) {
      paramsHost.append(
        h('h2', {}, 'Parameters'),
        renderParams(
          m,
          (param) => send({ type: 'reveal', param }),
          (param) => send({ type: 'sweep', param }),
        ),
      );
    }
    const o = s.options;
    const st = s.stats;
    footer.textContent = [
      o ? `maxOrder ${o.maxOrder}, outerLoop ${o.outerLoop ?? 'auto'}, innerLoop ${o.innerLoop ?? 'auto'}, seed ${o.seed}` : '',
      st ? `${st.candidates.toLocaleString('en')} candidates in ${st.seconds.toFixed(2)} s` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    return { panel: state, view };
  }

  function apply(m: HostToPanel): void {
    if (m.type === 'reset') {
      const sameModel = state?.uri === m.state.uri;
      state = m.state;
      if (!sameModel) view = defaultView();
      return;
    }
    if (!state) return;
    if (isDynamicsMessage(m)) return applyDynamics(state, m);
    switch (m.type) {
      case 'model':
        state.model = m.model;
        break;
      case 'progress':
        state.progress = { order: m.order, maxOrder: m.maxOrder };
        break;
      case 'cycles':
        for (const c of m.cycles) state.cycles.push(c);
        break;
      case 'finished':
        state = { ...state, status: m.result.cancelled ? 'cancelled' : 'done', cycles: m.result.cycles, stats: m.result.stats, progress: undefined };
        break;
      case 'failed':
        state = { ...state, status: 'error', error: m.message, progress: undefined };
        break;
      case 'stale':
        state.stale = m.stale;
        break;
    }
  }

  const schedule = startPage('results panel', HostToPanel, apply, render);
}
