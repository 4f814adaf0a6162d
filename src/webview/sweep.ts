// The sweep panel page: the bifurcation diagram and the spectral radius of each branch (a 1-D
// sweep) or the 2-D map, the events table, links back to the swept entry, and the exports.
// The state is the host's (src/shared/sweepState.ts applies each message the same way on both sides).
import type { SweepEvent } from '../core/sweep/types';
import { parseSweepPanelState, HostToSweep, type SweepPanelState, type SweepPlotKind, type SweepToHost } from '../shared/protocol';
import { eventValue } from '../shared/settle';
import { applySweepMessage, stepsByIndex } from '../shared/sweepState';
import { clear, fmt, fmtComplex, h } from './dom';
import { actionLink, button, panelFrame, plotCard, renderFrame, orderSwatch, restore, startPage, swatch } from './frame';
import { BifurcationPlot, countColor, EVENT_LABEL, EVENT_NAME, eventLines, MapPlot, mapValues, SpectralPlot, type MapMeasure } from './sweepPlots';
import { diagramSeries, ordinal, orderName, robustRange, type Coordinate, type DiagramPoint } from './sweepSeries';
import { headerRow, type Column } from './table';
import { themeColors, type ThemeColors } from './theme';
import { postToHost } from './vscodeApi';

type EventSort = 'value' | 'kind' | 'order';

interface View {
  coord: Coordinate;
  rhoLog: boolean;
  measure: MapMeasure;
  sort: EventSort;
  descending: boolean;
}

function send(m: SweepToHost): void {
  postToHost(m);
}

function restoredView(v: unknown): View {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<View>;
  return {
    coord: o.coord === 'norm' || (Number.isInteger(o.coord) && (o.coord as number) >= 0) ? (o.coord as Coordinate) : 0,
    rhoLog: o.rhoLog === true,
    measure: o.measure === 'stable' ? 'stable' : 'objects',
    sort: o.sort === 'kind' || o.sort === 'order' ? o.sort : 'value',
    descending: o.descending === true,
  };
}

const EVENT_COLUMNS: Column<EventSort>[] = [
  { col: 'kind', label: 'Event', sort: 'kind' },
  { col: 'value', label: 'Value', sort: 'value', title: 'the swept parameter where it happens (located to 1e-12 in t)' },
  { col: 'order', label: 'Order', sort: 'order' },
  { col: 'branches', label: 'Branches', title: 'the branch that ends or changes first, then the one that starts' },
];

function sortedEvents(events: readonly SweepEvent[], v: View): number[] {
  const key = (e: SweepEvent) => (v.sort === 'value' ? e.value : v.sort === 'order' ? e.order : 0);
  const idx = events.map((_, i) => i);
  idx.sort((a, b) => {
    const d = v.sort === 'kind' ? EVENT_NAME[events[a].kind].localeCompare(EVENT_NAME[events[b].kind]) : key(events[a]) - key(events[b]);
    return (v.descending ? -d : d) || events[a].value - events[b].value;
  });
  return idx;
}

/** "1 degenerate transcritical, 2 degenerate flips". */
function countEvents(events: readonly SweepEvent[]): string {
  const n = new Map<string, number>();
  for (const e of events) n.set(EVENT_NAME[e.kind], (n.get(EVENT_NAME[e.kind]) ?? 0) + 1);
  return [...n].map(([k, c]) => `${c} ${k}${c === 1 ? '' : k.endsWith('s') ? 'es' : 's'}`).join(', ');
}

/** The caption's note on values left outside the range shown. */
function outsideText(n: number, what: string): string {
  return `${n.toLocaleString('en')} ${what} far from the rest (a branch running off to infinity) lie outside the range shown: zoom out (−, Ctrl+wheel) to see them.`;
}

export function startSweep(root: HTMLElement): void {
  const saved = restore(parseSweepPanelState);
  let state: SweepPanelState | undefined = saved.panel;
  let view = restoredView(saved.view);
  /** The keyboard's step cursor on the diagram (an index into the steps drawn). */
  let cursor: number | undefined;

  const rerun = button('Re-run', 'Run the sweep again on the current file', () => send({ type: 'rerun' }), 'primary');
  const cancel = button('Cancel', 'Stop the sweep and keep the steps it finished', () => send({ type: 'cancel' }));
  const exportJson = button('Export JSON', 'Save the whole result as JSON', () => send({ type: 'export', format: 'json' }));
  const exportCsv = button('Export CSV', 'Save as CSV: one row per step and cycle point (per cell for a map)', () => send({ type: 'export', format: 'csv' }));
  const frame = panelFrame([rerun, cancel, exportJson, exportCsv]);
  const summary = h('p', { 'data-testid': 'summary', class: 'summary' });

  const savePlot = (plot: SweepPlotKind) => send({ type: 'savePng', plot, dataUrl: (plot === 'diagram' ? diagram : plot === 'spectral' ? spectral : map).toPng() });
  const resetZoom = () => {
    diagram.resetZoom();
    spectral.resetZoom();
    map.resetZoom();
  };
  const reveal = () => send({ type: 'reveal' });
  const entryLink = h('span', { class: 'entry-link' });

  const coordSelect = h('select', { 'aria-label': 'Coordinate on the vertical axis', 'data-testid': 'coordinate' });
  coordSelect.addEventListener('change', () => {
    view.coord = coordSelect.value === 'norm' ? 'norm' : Number(coordSelect.value);
    schedule();
  });
  const rhoSelect = h('select', { 'aria-label': 'Scale of the spectral radius' }, h('option', { value: 'linear' }, 'linear'), h('option', { value: 'log' }, 'logarithmic'));
  rhoSelect.addEventListener('change', () => {
    view.rhoLog = rhoSelect.value === 'log';
    schedule();
  });
  const measureSelect = h('select', { 'aria-label': 'What the colours count' }, h('option', { value: 'objects' }, 'objects per cell'), h('option', { value: 'stable' }, 'stable objects per cell'));
  measureSelect.addEventListener('change', () => {
    view.measure = measureSelect.value === 'stable' ? 'stable' : 'objects';
    schedule();
  });

  const diagramCanvas = h('canvas', { 'data-testid': 'diagram', tabindex: 0, 'aria-label': 'Bifurcation diagram. Left and right arrows: move between steps; Enter: find the cycles of that step; Shift+arrows: pan; + and −: zoom; 0: reset.' });
  const spectralCanvas = h('canvas', { 'data-testid': 'spectral', tabindex: 0, 'aria-label': 'Spectral radius of each branch against the parameter, with |λ| = 1. Shift+arrows: pan; + and −: zoom; 0: reset.' });
  const mapCanvas = h('canvas', { 'data-testid': 'map', tabindex: 0, 'aria-label': 'Objects per cell of the 2-D map. Shift+arrows: pan; + and −: zoom; 0: reset.' });
  const readout = h('p', { class: 'caption mono readout', 'data-testid': 'readout', 'aria-live': 'polite' });
  const mapReadout = h('p', { class: 'caption mono readout', 'data-testid': 'map-readout', 'aria-live': 'polite' });
  const legend = h('div', { class: 'legend', 'data-testid': 'legend' });
  const mapLegend = h('div', { class: 'legend', 'data-testid': 'map-legend' });
  const diagramNote = h('p', { class: 'caption muted' });
  const spectralNote = h('p', { class: 'caption muted' });

  const diagramCard = plotCard('Bifurcation diagram', [coordSelect, button('Reset zoom', 'Show the whole sweep again (0)', resetZoom)], () => savePlot('diagram'), diagramCanvas, 'tall', readout, legend, diagramNote);
  const spectralCard = plotCard('Spectral radius', [rhoSelect], () => savePlot('spectral'), spectralCanvas, 'tall', spectralNote);
  const plots = h('div', { class: 'plots' }, diagramCard, spectralCard);
  const mapCard = plotCard(
    '2-D map',
    [measureSelect, button('Reset zoom', 'Show the whole map again (0)', resetZoom)],
    () => savePlot('map'),
    mapCanvas,
    'map',
    mapReadout,
    mapLegend,
    h('p', { class: 'caption muted' }, 'Where neighbouring cells differ, a bifurcation curve runs between them. Drag a box or Ctrl+wheel to zoom, Shift+drag to pan.'),
  );
  const eventsHost = h('section', { class: 'events-host' });
  const footer = h('footer', { class: 'muted' });
  root.append(...frame.top, summary, entryLink, plots, mapCard, eventsHost, footer);

  let colors = themeColors();
  let drawnSteps: DiagramPoint[] = [];
  const param = () => {
    const t = state?.target;
    return t?.kind === 'entry' ? t.ref : t?.kind === 'grid' ? t.x.ref : 't';
  };
  const coordLabel = () => (view.coord === 'norm' ? '‖z‖' : `z${view.coord + 1}`);
  const events = () => state?.sweep?.events ?? [];
  const follow = (from: 'diagram' | 'spectral') => (min: number, max: number) => (from === 'diagram' ? spectral : diagram).setXRange(min, max);
  const diagram = new BifurcationPlot(diagramCanvas, colors, {
    onCursor: (at) => {
      readout.textContent = at ? `${param()} = ${fmt(at.x, 6)}, ${coordLabel()} = ${fmt(at.y, 6)}` : cursorText();
    },
    onEvent: () => reveal(),
    onPoint: (step) => send({ type: 'openStep', index: step }),
    onAxisTitle: reveal,
    onView: follow('diagram'),
  });
  const spectral = new SpectralPlot(spectralCanvas, colors, {
    onCursor: (at) => {
      readout.textContent = at ? `${param()} = ${fmt(at.x, 6)}, ρ = ${fmt(at.y, 6)}` : cursorText();
    },
    onEvent: () => reveal(),
    onAxisTitle: reveal,
    onView: follow('spectral'),
  });
  const map = new MapPlot(mapCanvas, colors, {
    onCursor: (at) => {
      mapReadout.textContent = at ? cellText(at.x, at.y) : '';
    },
    onAxisTitle: reveal,
  });

  function cursorText(): string {
    const p = cursor === undefined ? undefined : drawnSteps[cursor];
    if (!p) return '';
    const step = state?.sweep?.steps.find((s) => s.index === p.step);
    const n = step?.cycles.length ?? 0;
    return `step ${p.step}: ${param()} = ${fmt(p.x, 6)}, ${n} object${n === 1 ? '' : 's'} (Enter: find the cycles of this model)`;
  }

  diagramCanvas.addEventListener('keydown', (e) => {
    if (e.shiftKey || drawnSteps.length === 0) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const d = e.key === 'ArrowRight' ? 1 : -1;
      cursor = cursor === undefined ? (d > 0 ? 0 : drawnSteps.length - 1) : Math.min(drawnSteps.length - 1, Math.max(0, cursor + d));
      e.preventDefault();
      schedule();
    } else if (e.key === 'Enter' && cursor !== undefined) {
      e.preventDefault();
      send({ type: 'openStep', index: drawnSteps[cursor].step });
    }
  });
  diagramCanvas.addEventListener('blur', () => {
    cursor = undefined;
    schedule();
  });

  function cellText(x: number, y: number): string {
    const g = state?.grid;
    if (!g) return '';
    const nearest = (vs: number[], v: number) => vs.reduce((best, w, i) => (Math.abs(w - v) < Math.abs(vs[best] - v) ? i : best), 0);
    const i = nearest(g.x.values, x);
    const j = nearest(g.y.values, y);
    const cell = g.rows.find((r) => r.index === j)?.cells[i];
    const where = `${g.x.parameter} = ${fmt(g.x.values[i], 6)}, ${g.y.parameter} = ${fmt(g.y.values[j], 6)}`;
    if (!cell) return `${where}: not searched yet`;
    const orders = Object.keys(cell.counts).map(Number).sort((a, b) => a - b);
    const parts = orders.map((k) => `${cell.counts[k]} ${orderName(k, cell.counts[k] !== 1)}${cell.stable[k] ? ` (${cell.stable[k]} stable)` : ''}`);
    return `${where}: ${parts.length ? parts.join(', ') : 'no objects'}${cell.cancelled ? ' (search cancelled)' : ''}`;
  }

  function fillCoordinates(M: number): void {
    const want = [...Array.from({ length: M }, (_, i) => String(i)), ...(M > 1 ? ['norm'] : [])];
    if ([...coordSelect.options].map((o) => o.value).join('|') !== want.join('|')) {
      clear(coordSelect);
      for (const v of want) coordSelect.append(h('option', { value: v }, v === 'norm' ? '‖z‖ (norm)' : `z${Number(v) + 1}`));
    }
    if (view.coord !== 'norm' && view.coord >= M) view.coord = 0;
    if (view.coord === 'norm' && M === 1) view.coord = 0;
    coordSelect.value = String(view.coord);
    coordSelect.hidden = M <= 1;
  }

  function renderLegend(orders: number[], c: ThemeColors): void {
    clear(legend);
    for (const k of orders) legend.append(h('span', { class: 'legend-item' }, orderSwatch(c, k), orderName(k)));
    legend.append(h('span', { class: 'legend-item' }, swatch(c.foreground, true), 'stable'), h('span', { class: 'legend-item' }, swatch(c.foreground, false), 'unstable'));
    const kinds = [...new Set(events().map((e) => e.kind))];
    for (const k of kinds) legend.append(h('span', { class: 'legend-item' }, h('span', { class: 'marker-label' }, EVENT_LABEL[k]), EVENT_NAME[k]));
  }

  function renderEvents(s: SweepPanelState): void {
    clear(eventsHost);
    const sw = s.sweep;
    if (!sw || s.target.kind === 'grid') return;
    const evs = sw.events;
    eventsHost.append(h('h2', {}, `Events (${evs.length})`));
    if (evs.length === 0) {
      eventsHost.append(h('p', { class: 'muted' }, s.status === 'running' ? 'Events are located when the sweep is done.' : 'No bifurcations between the steps of this sweep.'));
      return;
    }
    const span = s.target.kind === 'entry' ? s.target.to - s.target.from : 1;
    const t = s.target;
    const body = h('tbody', {});
    for (const i of sortedEvents(evs, view)) {
      const ev = evs[i];
      const v = eventValue(ev.value, span);
      const label =
        t.kind === 'entry' ? (s.editable ? `Set ${t.ref} to ${v}` : `Save as JSON model with ${t.ref} = ${v}`) : `Save the model at t = ${v} as JSON`;
      const set = button(label, t.kind === 'entry' && s.editable ? `Change ${t.ref} in the file to ${v} (one edit: Undo takes it back)` : 'Choose where to save the model as a JSON file', () => send({ type: 'setValue', value: v }));
      set.setAttribute('data-testid', 'event-set');
      body.append(
        h(
          'tr',
          { 'data-testid': 'event-row', 'data-kind': ev.kind, title: eventLines(ev).join('\n') },
          h('td', { 'data-col': 'kind' }, h('span', { class: 'marker-label' }, EVENT_LABEL[ev.kind]), ` ${EVENT_NAME[ev.kind]}${ev.outcome ? ` (${ev.outcome})` : ''}`),
          h('td', { 'data-col': 'value', class: 'mono' }, actionLink(fmt(ev.value, 6), t.kind === 'entry' ? `Show ${t.ref} in the file` : 'Open the file', reveal, { 'data-testid': 'event-link' })),
          h('td', { 'data-col': 'order' }, String(ev.order)),
          h('td', { 'data-col': 'branches', class: 'mono' }, ev.branches.join(', ')),
        ),
        // What happens and what to do with it, on a line of their own: a narrow panel keeps the columns above readable.
        h(
          'tr',
          { class: 'event-detail' },
          h(
            'td',
            { colspan: EVENT_COLUMNS.length, 'data-col': 'detail' },
            h('div', { class: 'event-line' }, h('span', {}, ev.detail, ev.eigenvalues.length ? h('span', { class: 'mono' }, ` · λ ${ev.eigenvalues.map(fmtComplex).join(', ')}`) : null), set),
          ),
        ),
      );
    }
    const onSort = (col: EventSort) => {
      view.descending = view.sort === col ? !view.descending : false;
      view.sort = col;
      schedule();
    };
    eventsHost.append(h('div', { class: 'table-host' }, h('table', { 'data-testid': 'events-table', class: 'cycles events' }, h('thead', {}, headerRow(EVENT_COLUMNS, view.sort, view.descending, onSort)), body)));
  }

  function renderSweep(s: SweepPanelState): void {
    const sw = s.sweep!;
    const steps = stepsByIndex(sw);
    const M = s.model?.M ?? steps.find((x) => x.cycles.length)?.cycles[0].points[0].length ?? 1;
    fillCoordinates(M);
    const series = diagramSeries(sw, steps, view.coord);
    drawnSteps = steps
      .filter((x) => series.stride <= 1 || x.index % series.stride === 0)
      .filter((x) => x.cycles.length > 0)
      .map((x) => ({ x: x.value, y: x.cycles[0].points[0] ? (view.coord === 'norm' ? Math.hypot(...x.cycles[0].points[0]) : x.cycles[0].points[0][view.coord]) : NaN, step: x.index }));
    if (cursor !== undefined && cursor >= drawnSteps.length) cursor = undefined;
    const xTitle = s.target.kind === 'entry' ? `${s.target.ref} (click to show it in the file)` : 't: 0 = this model, 1 = the second (click to open the file)';
    const t = s.target;
    // The whole path and a little more, so that the points and markers at its ends are not cut in half.
    const [lo, hi] = t.kind === 'entry' ? [Math.min(t.from, t.to), Math.max(t.from, t.to)] : [0, 1];
    const xRange = { min: lo - (hi - lo) * 0.015, max: hi + (hi - lo) * 0.015 };
    const yRange = robustRange(series.points.flatMap((g) => g.data.map((p) => p.y)));
    const rhoRange = robustRange(series.spectral.flatMap((g) => g.data.map((p) => p.y)));
    diagram.update(series.points, series.lines, sw.events, xTitle, xRange, coordLabel(), yRange, colors, cursor === undefined ? undefined : drawnSteps[cursor]);
    spectral.update(series.spectral, sw.events, xTitle.replace(/ \(click.*\)$/, ''), xRange, view.rhoLog, rhoRange?.max, colors);
    spectralNote.textContent = `Below the dashed line |λ| = 1 a branch is stable.${rhoRange && !view.rhoLog ? ` ${outsideText(rhoRange.outside, 'values')}` : ''}`;
    rhoSelect.value = view.rhoLog ? 'log' : 'linear';
    if (cursor !== undefined) readout.textContent = cursorText();
    renderLegend(series.orders, colors);
    diagramNote.textContent = [
      series.stride > 1 ? `Showing every ${ordinal(series.stride)} step: ${series.drawnPoints.toLocaleString('en')} of ${series.totalPoints.toLocaleString('en')} points.` : '',
      yRange ? outsideText(yRange.outside, 'points') : '',
      'Lines join each branch across steps. Click a point to find the cycles of that step’s model; click a marker or the axis title to show the entry in the file. Drag a box or Ctrl+wheel to zoom, Shift+drag to pan.',
    ]
      .filter(Boolean)
      .join(' ');
    const total = s.options.steps;
    const head = s.pathText ?? (s.target.kind === 'entry' ? `${s.target.ref} from ${s.target.from} to ${s.target.to}` : 'the line between the two models');
    summary.textContent =
      s.status === 'running'
        ? `Sweeping ${head}: ${steps.length} of ${total} steps…`
        : `${head}: ${steps.length === total ? `${total} steps` : `${steps.length} of ${total} steps`}, orders 1–${s.options.maxOrder} · ${sw.branches.length} branch${sw.branches.length === 1 ? '' : 'es'} · ${
            sw.events.length === 0 ? 'no events' : `${sw.events.length} event${sw.events.length === 1 ? '' : 's'} (${countEvents(sw.events)})`
          }`;
    renderEvents(s);
    const st = sw.stats;
    footer.textContent = s.status === 'running' ? '' : `${st.candidates.toLocaleString('en')} candidates in ${st.seconds.toFixed(2)} s · ${st.fullSteps} full searches, ${st.continuedSteps} continued steps · seed ${s.options.seed ?? 0}`;
  }

  function renderMap(s: SweepPanelState): void {
    const g = s.grid!;
    const values = mapValues(g, view.measure);
    const distinct = [...new Set(values.flat().filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
    const rank = new Map(distinct.filter((v) => v !== 0).map((v, i) => [v, i]));
    map.update(g, values, (v) => countColor(colors, v, rank.get(v) ?? 0), colors);
    measureSelect.value = view.measure;
    clear(mapLegend);
    for (const v of distinct) {
      const c = countColor(colors, v, rank.get(v) ?? 0);
      mapLegend.append(h('span', { class: 'legend-item' }, swatch(c.color, true, 'box', c.alpha), `${v} ${view.measure === 'stable' ? 'stable' : v === 1 ? 'object' : 'objects'}`));
    }
    const t = s.target.kind === 'grid' ? s.target : undefined;
    const cells = g.rows.reduce((a, r) => a + r.cells.length, 0);
    summary.textContent = t
      ? `${t.x.ref} × ${t.y.ref} on a ${t.x.n}×${t.y.n} grid, orders 1–${s.options.maxOrder}: ${s.status === 'running' ? `${g.rows.length} of ${t.y.n} rows…` : distinct.length ? `${distinct[0]}–${distinct[distinct.length - 1]} ${view.measure === 'stable' ? 'stable objects' : 'objects'} per cell (${cells.toLocaleString('en')} cells)` : 'no cells'}`
      : '';
    footer.textContent = s.status === 'running' ? '' : `${g.stats.candidates.toLocaleString('en')} candidates in ${g.stats.seconds.toFixed(2)} s · seed ${s.options.seed ?? 0}`;
  }

  function render(): unknown {
    if (!state) {
      summary.textContent = 'Waiting for the sweep…';
      return { panel: state, view };
    }
    const s = state;
    colors = themeColors();
    renderFrame(frame, s, s.progress ? `${s.target.kind === 'grid' ? 'row' : 'step'} ${s.progress.done} of ${s.progress.total}` : '', s.note ?? 'The sweep was cancelled: the plots show the steps it had finished.', () => send({ type: 'rerun' }));
    cancel.hidden = s.status !== 'running';
    const isGrid = s.target.kind === 'grid';
    const failed = s.status === 'error' && !(s.sweep?.steps.length || s.grid?.rows.length);
    exportJson.disabled = exportCsv.disabled = s.status === 'running' || failed;
    plots.style.display = isGrid || failed ? 'none' : '';
    mapCard.style.display = !isGrid || failed ? 'none' : '';
    summary.hidden = failed;
    clear(entryLink);
    const t = s.target;
    entryLink.append(
      t.kind === 'entry'
        ? actionLink(`Show ${t.ref} in ${s.fileName}`, 'Select the swept entry in the model file', reveal, { 'data-testid': 'axis-link' })
        : t.kind === 'grid'
          ? actionLink(`Show ${t.x.ref} in ${s.fileName}`, 'Select the entry on the x axis in the model file', reveal, { 'data-testid': 'axis-link' })
          : actionLink(`Open ${s.fileName}`, 'Open the first model of the line', reveal, { 'data-testid': 'axis-link' }),
    );
    if (failed) {
      clear(eventsHost);
      footer.textContent = '';
    } else if (isGrid && s.grid) renderMap(s);
    else if (s.sweep) renderSweep(s);
    return { panel: state, view };
  }

  function apply(m: HostToSweep): void {
    if (m.type === 'reset') {
      if (state?.uri !== m.state.uri) view = restoredView(undefined);
      state = m.state;
      return;
    }
    if (state) state = applySweepMessage(state, m);
  }

  const schedule = startPage('sweep panel', HostToSweep, apply, render, 1000);
}
