// The results panel page: keeps the latest run's state (also saved for reloads), renders the
// header, summary (per-order counts when there are many orders), filter, plots with their
// legend, the virtualised table and the parameter links, and streams updates from the host.
// Whatever the number of objects, one render stays cheap: the table renders the rows in view,
// the state plot draws a capped number of points and, while a search runs, at most every
// PLOT_INTERVAL_MS.
import type { Cycle } from '../core/scyfi/types';
import { searchClaim } from '../core/certify/summary';
import { HostToPanel, parsePanelState, type PanelState, type PanelToHost, type PlotKind } from '../shared/protocol';
import { deeperOrder } from '../shared/resultsView';
import { compactCount, compactHead, COMPACT_ABOVE_ORDERS, summarize } from '../shared/summary';
import { clear, h } from './dom';
import { EigenPlot } from './eigenPlot';
import { actionLink, button, panelFrame, plotCard, renderFrame, orderSwatch, restore, startPage, swatch } from './frame';
import { renderParams } from './params';
import { effectiveStability, filterIndices, orderCounts, STABILITY_FILTER_TEXT, STABILITY_FILTERS, type ResultsFilter, type StabilityFilter } from './resultsModel';
import { StatePlot, type StateProjection } from './statePlot';
import { sortedIndices, VirtualTable, type SortColumn, type TableView } from './table';
import { themeColors, type ThemeColors } from './theme';
import { postToHost } from './vscodeApi';
import { BasinsView } from './basins';
import { clickedStart, trajectoryCaption, trajectoryDatasets } from './trajectoryLayer';
import { applyDynamics, isDynamicsMessage } from '../shared/dynamicsState';

/** While a search runs, the state plot is redrawn at most this often (the table and counts at every frame). */
const PLOT_INTERVAL_MS = 400;

interface ViewState extends TableView {
  projection: StateProjection;
  filter: ResultsFilter;
}

function send(m: PanelToHost): void {
  postToHost(m);
}

function defaultView(): ViewState {
  return { sort: 'default', descending: false, expanded: [], projection: { kind: 'coords', x: 0, y: 1 }, filter: { order: 'all', stability: 'auto' } };
}

function restoredView(v: unknown): ViewState {
  const d = defaultView();
  if (typeof v !== 'object' || v === null) return d;
  const o = v as Partial<ViewState>;
  const sorts: SortColumn[] = ['default', 'index', 'order', 'spectralRadius', 'stability'];
  const p = o.projection;
  const f = o.filter;
  return {
    sort: sorts.includes(o.sort as SortColumn) ? (o.sort as SortColumn) : d.sort,
    descending: o.descending === true,
    expanded: Array.isArray(o.expanded) ? o.expanded.filter((x): x is number => Number.isInteger(x)) : [],
    selected: Number.isInteger(o.selected) ? o.selected : undefined,
    projection:
      p && p.kind === 'pca' ? { kind: 'pca' } : p && p.kind === 'coords' && Number.isInteger(p.x) && Number.isInteger(p.y) ? { kind: 'coords', x: p.x, y: p.y } : d.projection,
    filter: {
      order: f && Number.isInteger(f.order) ? f.order : 'all',
      stability: f && (STABILITY_FILTERS as readonly string[]).includes(f.stability as string) ? f.stability : 'auto',
    },
  };
}

function orderLabel(k: number): string {
  return k === 1 ? 'fixed points' : `${k}-cycles`;
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
  const summaryText = h('span', { 'data-testid': 'summary' });
  const deeper = h('button', { class: 'primary', 'data-testid': 'deeper', hidden: true });
  deeper.addEventListener('click', () => {
    const k = Number(deeper.dataset.order);
    if (k >= 2) send({ type: 'deeper', maxOrder: k });
  });
  const summary = h('div', { class: 'summary' }, summaryText, ' ', deeper);
  const certificate = h('p', { class: 'certificate', 'data-testid': 'certificate', hidden: true });
  const heuristicText = h('span', {});
  const certifyLink = actionLink('Run it…', 'Search again, then prove with a MILP (HiGHS) that no other cycle of these orders lies in a box ‖z‖∞ ≤ R (you choose R)', () => send({ type: 'certify' }), { 'data-testid': 'certify' });
  const heuristic = h(
    'p',
    { class: 'certificate muted', 'data-testid': 'heuristic-note', hidden: true },
    heuristicText,
    ' ',
    certifyLink,
  );
  const counts = h('div', { class: 'order-counts', 'data-testid': 'order-counts', role: 'group', 'aria-label': 'Objects per order: click one to show only that order' });

  const orderSelect = h('select', { 'aria-label': 'Orders shown', 'data-testid': 'filter-order' });
  const stabilitySelect = h('select', { 'aria-label': 'Stability shown', 'data-testid': 'filter-stability' });
  for (const f of STABILITY_FILTERS) stabilitySelect.append(h('option', { value: f }, STABILITY_FILTER_TEXT[f]));
  const shownText = h('span', { class: 'muted', 'data-testid': 'shown', 'aria-live': 'polite' });
  const filterBar = h('div', { class: 'filter-bar', 'data-testid': 'filter' }, h('span', {}, 'Show'), orderSelect, stabilitySelect, shownText);

  const stateCanvas = h('canvas', { 'data-testid': 'state-plot', 'aria-label': 'State space: the points of each object found' });
  const eigenCanvas = h('canvas', { 'data-testid': 'eigen-plot', 'aria-label': 'Eigenvalues of the selected object with the unit circle: + − zoom, Shift+arrows pan, 0 resets' });
  const projSelect = h('select', { 'aria-label': 'Coordinates shown', class: 'proj' });
  const stateNote = h('p', { class: 'caption muted', 'data-testid': 'state-note' });
  const legend = h('div', { class: 'legend', 'data-testid': 'order-legend' });
  const eigenTitle = h('span', {});
  const savePlot = (plot: PlotKind) => send({ type: 'savePng', plot, dataUrl: plot === 'state' ? statePlot.toPng() : eigenPlot.toPng() });
  const resetState = button('Reset zoom', 'Show every object drawn again (0)', () => statePlot.resetZoom());
  const resetEigen = button('Reset zoom', 'Show every eigenvalue again (0)', () => eigenPlot.resetZoom());
  const stateCard = plotCard('State space', [projSelect, resetState], () => savePlot('state'), stateCanvas, '', legend, stateNote);
  const eigenCard = plotCard(eigenTitle, [resetEigen], () => savePlot('eigen'), eigenCanvas, 'square');
  const plots = h('div', { class: 'plots' }, stateCard, eigenCard);
  const paramsHost = h('section', { class: 'params-host' });
  const footer = h('footer', { class: 'muted' });

  const statePlot = new StatePlot(stateCanvas, themeColors(), (i) => select(i));
  const eigenPlot = new EigenPlot(eigenCanvas, themeColors());
  statePlot.layer = (toXY) => trajectoryDatasets(state?.dynamics, state?.clicked, toXY, themeColors());
  statePlot.onBackground = (x, y) => {
    const start = clickedStart(view.projection, state?.model?.M ?? 2, x, y, view.selected !== undefined ? state?.cycles[view.selected]?.points[0] : undefined);
    if (start) send({ type: 'simulate', point: start });
  };
  const table = new VirtualTable({
    onSort: (col: SortColumn) => {
      view.descending = view.sort === col ? !view.descending : col === 'spectralRadius';
      view.sort = col;
      schedule();
    },
    onToggle: (i: number) => {
      view.expanded = view.expanded.includes(i) ? view.expanded.filter((x) => x !== i) : [...view.expanded, i];
      schedule();
    },
    onSelect: (i: number) => select(i),
  });
  const tableHost = h('div', { class: 'table-host' }, table.element);

  root.append(...frame.top, summary, certificate, heuristic, counts, filterBar, plots, basinsView.element, tableHost, paramsHost, footer);

  projSelect.addEventListener('change', () => {
    const v = projSelect.value;
    if (v === 'pca') view.projection = { kind: 'pca' };
    else {
      const [x, y] = v.split(',').map(Number);
      view.projection = { kind: 'coords', x, y };
    }
    plotDirty = true;
    schedule();
  });
  orderSelect.addEventListener('change', () => setFilter({ order: orderSelect.value === 'all' ? 'all' : Number(orderSelect.value) }));
  stabilitySelect.addEventListener('change', () => setFilter({ stability: stabilitySelect.value as StabilityFilter }));

  function setFilter(f: Partial<ResultsFilter>): void {
    view.filter = { ...view.filter, ...f };
    plotDirty = true;
    schedule();
  }

  function select(i: number): void {
    view.selected = i;
    plotDirty = true;
    schedule();
  }

  // ---- the parts of a render

  function fillProjections(M: number): void {
    const want: string[] = [];
    for (let x = 0; x < M && want.length < 400; x++) for (let y = x + 1; y < M && want.length < 400; y++) want.push(`${x},${y}`);
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

  /** The summary in words, or per order when there are many; the offer to search deeper. */
  function renderSummary(s: PanelState, failed: boolean): void {
    const cycles = s.cycles;
    const byOrder = orderCounts(cycles);
    const compact = byOrder.length > COMPACT_ABOVE_ORDERS;
    summary.hidden = failed;
    summaryText.textContent = failed
      ? ''
      : s.status === 'running' && cycles.length === 0
        ? 'Searching…'
        : compact
          ? `${compactHead(cycles.length, cycles.filter((c) => c.stable).length, byOrder.map((g) => g.order))}${s.status === 'cancelled' ? ' before the search was cancelled' : ''}`
          : summarize(cycles, s.options?.maxOrder, s.status === 'cancelled');
    if (!failed && s.dynamics?.sentence) summaryText.textContent += `. ${s.dynamics.sentence}`;
    const k = deeperOrder(s);
    deeper.hidden = k === undefined;
    if (k !== undefined) {
      deeper.textContent = `Search up to order ${k}`;
      deeper.dataset.order = String(k);
      deeper.title = `Nothing but fixed points up to order ${s.options!.maxOrder}: search cycles up to order ${k}`;
    }
    renderCertificate(s);
    clear(counts);
    counts.hidden = failed || !compact;
    if (compact) {
      for (const g of byOrder) {
        const b = h('button', { class: `count${view.filter.order === g.order ? ' active' : ''}`, 'aria-pressed': view.filter.order === g.order ? 'true' : 'false', 'data-order': g.order, title: `Show only the ${orderLabel(g.order)}` }, orderSwatch(themeColors(), g.order), compactCount(g.order, g.n, g.stable));
        b.addEventListener('click', () => setFilter({ order: view.filter.order === g.order ? 'all' : g.order }));
        counts.append(b);
      }
    }
  }

  /**
   * A certified run: what was proven, in one line, with each order's status in the tooltip.
   * Any other finished run: what its list can claim (searchClaim), with the certified search offered.
   */
  function renderCertificate(s: PanelState): void {
    const c = s.certificate;
    certificate.hidden = !c;
    // Said of every finished search that was not certified: a heuristic's list is not a proof.
    heuristic.hidden = !!c || s.status !== 'done' || !s.options;
    if (!c && s.options) {
      const claim = searchClaim(s.options.maxOrder, s.stats?.orders, 'the certified search');
      heuristicText.textContent = claim.text;
      certifyLink.hidden = !claim.certifyHelps;
    }
    if (!c) return;
    certificate.textContent = `Certified: ${c.summary}`;
    const word: Record<string, string> = { proven: 'proven complete', timeout: 'proof timed out', interrupted: 'proof interrupted', failed: 'the solver failed', heuristic: 'heuristic' };
    certificate.title = c.orders.map((o) => `order ${o.order}: ${word[o.status] ?? o.status}`).join('\n');
  }

  /** The filter's controls and what it keeps; returns the indices kept. */
  function renderFilter(cycles: readonly Cycle[], failed: boolean): number[] {
    const byOrder = orderCounts(cycles);
    if (view.filter.order !== 'all' && !byOrder.some((g) => g.order === view.filter.order) && cycles.length > 0 && state?.status !== 'running') view.filter.order = 'all';
    const want = ['all', ...byOrder.map((g) => String(g.order))];
    const labels = ['all orders', ...byOrder.map((g) => `order ${g.order} (${g.n.toLocaleString('en')})`)];
    const have = [...orderSelect.options].map((o) => `${o.value}=${o.textContent}`);
    if (have.join('|') !== want.map((v, i) => `${v}=${labels[i]}`).join('|')) {
      clear(orderSelect);
      want.forEach((v, i) => orderSelect.append(h('option', { value: v }, labels[i])));
    }
    orderSelect.value = String(view.filter.order);
    const stability = effectiveStability(view.filter, cycles.length);
    stabilitySelect.value = stability;
    const kept = filterIndices(cycles, view.filter);
    shownText.textContent =
      kept.length === cycles.length ? `${cycles.length.toLocaleString('en')} object${cycles.length === 1 ? '' : 's'}` : `${kept.length.toLocaleString('en')} of ${cycles.length.toLocaleString('en')} objects`;
    if (view.filter.stability === 'auto' && stability === 'key') shownText.textContent += ` (many objects: ${STABILITY_FILTER_TEXT.key} first)`;
    filterBar.hidden = failed || cycles.length === 0;
    return kept;
  }

  function renderLegend(orders: number[], c: ThemeColors): void {
    clear(legend);
    for (const k of orders) legend.append(h('span', { class: 'legend-item', 'data-order': k }, orderSwatch(c, k), k === 1 ? 'fixed point' : `order ${k}`));
    if (orders.length > 0) legend.append(h('span', { class: 'legend-item' }, swatch(c.foreground, true), 'stable'), h('span', { class: 'legend-item' }, swatch(c.foreground, false), 'unstable'));
  }

  let lastPlot = 0;
  let plotDirty = true;
  let plotTimer: ReturnType<typeof setTimeout> | undefined;
  let plotShown: readonly Cycle[] | undefined;
  let plotCount = -1;
  let plotDynamics: PanelState['dynamics'];
  let plotClicked: PanelState['clicked'];

  function renderPlots(s: PanelState, kept: number[], M: number, colors: ThemeColors): void {
    const cycles = s.cycles;
    const changed = plotDirty || plotShown !== cycles || plotCount !== cycles.length || plotDynamics !== s.dynamics || plotClicked !== s.clicked;
    if (!changed) return;
    const now = performance.now();
    if (s.status === 'running' && now - lastPlot < PLOT_INTERVAL_MS) {
      // Later, once: the objects streaming in are drawn in steps, not at every batch.
      plotTimer ??= setTimeout(() => {
        plotTimer = undefined;
        schedule();
      }, PLOT_INTERVAL_MS);
      return;
    }
    lastPlot = now;
    plotDirty = false;
    plotShown = cycles;
    plotCount = cycles.length;
    plotDynamics = s.dynamics;
    plotClicked = s.clicked;
    fillProjections(M);
    const note = statePlot.update(cycles, M, view.projection, view.selected, colors, kept);
    stateNote.textContent = cycles.length > 0 ? `${note ? `${note} ` : ''}Filled: stable; hollow: unstable. Click a point (or Tab to the plot, ← →) to select its object; Ctrl+wheel or drag a box to zoom, Shift+drag to pan.` : note;
    const trajectories = trajectoryCaption(s.dynamics, s.clicked, view.projection, M);
    if (trajectories) stateNote.textContent += ` ${trajectories}`;
    renderLegend(statePlot.drawnOrders(), colors);
    const sel: Cycle | undefined = view.selected !== undefined ? cycles[view.selected] : undefined;
    eigenTitle.textContent = sel ? `Eigenvalues of #${view.selected! + 1} (${sel.order === 1 ? 'fixed point' : `${sel.order}-cycle`}, ${sel.classification})` : 'Eigenvalues';
    eigenPlot.update(sel, colors);
  }

  let paramsOf: PanelState['model'] | undefined;
  function renderParamsOnce(s: PanelState): void {
    if (s.model === paramsOf) return;
    paramsOf = s.model;
    clear(paramsHost);
    if (!s.model) return;
    paramsHost.append(
      h('h2', {}, 'Parameters'),
      renderParams(
        s.model,
        (param) => send({ type: 'reveal', param }),
        (param) => send({ type: 'sweep', param }),
      ),
    );
  }

  function renderFooter(s: PanelState): void {
    const o = s.options;
    const st = s.stats;
    const file = s.fromFile?.length ? ` (${s.fromFile.join(', ')} from the file's "scyfi" block)` : '';
    footer.textContent = [
      o ? `maxOrder ${o.maxOrder}, outerLoop ${o.outerLoop ?? 'auto'}, innerLoop ${o.innerLoop ?? 'auto'}, seed ${o.seed}${file}` : '',
      st ? `${st.candidates.toLocaleString('en')} candidates in ${st.seconds.toFixed(2)} s` : '',
    ]
      .filter(Boolean)
      .join(' · ');
  }

  let lastColors = '';
  function render(): unknown {
    if (!state) {
      summaryText.textContent = 'Waiting for results…';
      return { panel: state, view };
    }
    const s = state;
    const colors = themeColors();
    const colorKey = JSON.stringify(colors);
    if (colorKey !== lastColors) {
      lastColors = colorKey;
      plotDirty = true;
    }
    renderFrame(
      frame,
      s,
      s.progress ? `order ${s.progress.order} of ${s.progress.maxOrder} · ${s.cycles.length.toLocaleString('en')} found` : '',
      'The search was cancelled: the table shows what it had found until then.',
      () => send({ type: 'rerun' }),
    );
    cancel.hidden = s.status !== 'running';
    exportJson.disabled = exportCsv.disabled = s.cycles.length === 0;

    const cycles = s.cycles;
    // A file that could not be read has no results: the banner says why, and empty plots, an
    // empty table and a "No fixed points or cycles" sentence would only mislead.
    const failed = s.status === 'error' && cycles.length === 0;
    // .plots is a grid: the hidden attribute alone would not hide it.
    plots.style.display = tableHost.style.display = failed ? 'none' : '';
    renderSummary(s, failed);
    const kept = renderFilter(cycles, failed);
    const rows = sortedIndices(cycles, view, kept);
    if (view.selected === undefined || view.selected >= cycles.length || !kept.includes(view.selected)) {
      const first = rows[0];
      if (first !== view.selected) plotDirty = true;
      view.selected = first;
    }
    view.expanded = view.expanded.filter((i) => i < cycles.length);

    const M = s.model?.M ?? cycles[0]?.points[0]?.length ?? 2;
    renderPlots(s, kept, M, colors);
    basinsView.render(s, M, colors);
    table.render({ cycles, rows, view });
    renderParamsOnce(s);
    renderFooter(s);
    return { panel: state, view };
  }

  function apply(m: HostToPanel): void {
    if (m.type === 'reset') {
      const sameModel = state?.uri === m.state.uri;
      state = m.state;
      if (!sameModel) view = defaultView();
      plotDirty = true;
      return;
    }
    if (!state) return;
    if (isDynamicsMessage(m)) return applyDynamics(state, m);
    switch (m.type) {
      case 'model':
        state.model = m.model;
        if (m.options) state.options = m.options;
        if (m.fromFile) state.fromFile = m.fromFile;
        break;
      case 'progress':
        state.progress = { order: m.order, maxOrder: m.maxOrder };
        break;
      case 'cycles':
        for (const c of m.cycles) state.cycles.push(c);
        break;
      case 'finished':
        state = { ...state, status: m.result.cancelled ? 'cancelled' : 'done', cycles: m.result.cycles, stats: m.result.stats, progress: undefined, runSeconds: m.seconds };
        plotDirty = true;
        break;
      case 'failed':
        state = { ...state, status: 'error', error: m.message, progress: undefined, runSeconds: m.seconds };
        break;
      case 'stale':
        state.stale = m.stale;
        break;
      case 'certificate':
        state.certificate = m.certificate;
        break;
    }
  }

  // A long run saves its state (all the objects) now and then, not at every frame.
  const schedule = startPage('results panel', HostToPanel, apply, render, 1000);
}
