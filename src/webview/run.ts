// The run panel page: on one epoch (or step) axis the loss with its jumps (and the gradient norm),
// the bifurcation diagram and the spectral radius of each branch, the events marked on all three
// and linked to the jumps after them; the alignment's sentence and tables, the checkpoints (each
// a link to its file), the two checkpoints around an event side by side with the entries that
// changed most, and the skipped files. The state is the host's (src/shared/runState.ts).
import type { Cycle } from '../core/scyfi/types';
import { HostToRun, parseRunPanelState, type RunPanelState, type RunPlotKind, type RunToHost } from '../shared/protocol';
import { placeOf, type RunReport } from '../shared/runReport';
import { applyRunMessage, checkpointPlaces, eventsBeforeJump, extent, jumpsAfterEvent, relativeChange, runAsSweep, thinCurve, wasSearched } from '../shared/runState';
import { clear, fmt, h } from './dom';
import { actionLink, button, panelFrame, plotCard, renderFrame, orderSwatch, restore, startPage, swatch } from './frame';
import { LossPlot, type JumpMark } from './runPlots';
import { BifurcationPlot, EVENT_LABEL, EVENT_NAME, eventLines, SpectralPlot } from './sweepPlots';
import { diagramSeries, orderName, robustRange, type Coordinate } from './sweepSeries';
import { themeColors, type ThemeColors } from './theme';
import { postToHost } from './vscodeApi';

/** Widths (px) of the y axes, left and right (the gradient norm's), so that the three plots line up. */
const AXIS_LEFT = 64;
const AXIS_RIGHT = 64;

interface View {
  coord: Coordinate;
  /** The event selected (its jumps are emphasised). */
  selected?: number;
}

function send(m: RunToHost): void {
  postToHost(m);
}

function restoredView(v: unknown): View {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<View>;
  return {
    coord: o.coord === 'norm' || (Number.isInteger(o.coord) && (o.coord as number) >= 0) ? (o.coord as Coordinate) : 0,
    selected: Number.isInteger(o.selected) ? o.selected : undefined,
  };
}

function table(testid: string, head: string[], rows: HTMLTableRowElement[]): HTMLElement {
  return h('div', { class: 'table-host' }, h('table', { class: 'cycles events', 'data-testid': testid }, h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))), h('tbody', {}, ...rows)));
}

function objectLine(c: Cycle): string {
  return `${orderName(c.order, false)}, ${c.stable ? 'stable' : 'unstable'}, ρ = ${fmt(c.spectralRadius, 4)} (${c.classification})`;
}

export function startRun(root: HTMLElement): void {
  const saved = restore(parseRunPanelState);
  let state: RunPanelState | undefined = saved.panel;
  let view = restoredView(saved.view);
  /** The event under the mouse: it and its jumps are emphasised while it is there. */
  let hovered: number | undefined;

  const rerun = button('Re-run', 'Analyse the run again (new checkpoints are searched, the rest comes from the cache)', () => send({ type: 'rerun' }), 'primary');
  const cancel = button('Cancel', 'Stop the analysis and keep the checkpoints it has searched', () => send({ type: 'cancel' }));
  const exportJson = button('Export JSON', 'Save the whole analysis as JSON (as scyfi run --json prints it)', () => send({ type: 'export', format: 'json' }));
  const exportCsv = button('Export CSV', 'Save as CSV: one row per checkpoint and cycle point', () => send({ type: 'export', format: 'csv' }));
  const frame = panelFrame([rerun, cancel, exportJson, exportCsv]);
  const summary = h('p', { 'data-testid': 'summary', class: 'summary' });
  const sentence = h('p', { 'data-testid': 'sentence', class: 'summary' });

  const savePlot = (plot: RunPlotKind) => send({ type: 'savePng', plot, dataUrl: (plot === 'loss' ? loss : plot === 'diagram' ? diagram : spectral).toPng() });
  const resetZoom = () => [loss, diagram, spectral].forEach((p) => p.resetZoom());
  const coordSelect = h('select', { 'aria-label': 'Coordinate on the vertical axis', 'data-testid': 'coordinate' });
  coordSelect.addEventListener('change', () => {
    view.coord = coordSelect.value === 'norm' ? 'norm' : Number(coordSelect.value);
    schedule();
  });
  const nav = 'Shift+arrows: pan; + and −: zoom; 0: reset.';
  const lossCanvas = h('canvas', { 'data-testid': 'loss', tabindex: 0, 'aria-label': `Training loss (log scale) with its jumps and the events. ${nav}` });
  const diagramCanvas = h('canvas', { 'data-testid': 'diagram', tabindex: 0, 'aria-label': `Bifurcation diagram against the run's axis: click a point to open its checkpoint. ${nav}` });
  const spectralCanvas = h('canvas', { 'data-testid': 'spectral', tabindex: 0, 'aria-label': `Spectral radius of each branch. ${nav}` });
  const readout = h('p', { class: 'caption mono readout', 'data-testid': 'readout', 'aria-live': 'polite' });
  const legend = h('div', { class: 'legend', 'data-testid': 'legend' });
  const lossNote = h('p', { class: 'caption muted' });
  const plots = h(
    'div',
    { class: 'run-plots' },
    plotCard('Loss', [button('Reset zoom', 'Show the whole run again (0)', resetZoom)], () => savePlot('loss'), lossCanvas, 'run-plot', lossNote),
    plotCard('Bifurcation diagram', [coordSelect], () => savePlot('diagram'), diagramCanvas, 'run-plot', readout, legend),
    plotCard('Spectral radius', [], () => savePlot('spectral'), spectralCanvas, 'run-plot', h('p', { class: 'caption muted' }, 'Below the dashed line |λ| = 1 a branch is stable.')),
  );
  const alignmentHost = h('section', { 'data-testid': 'alignment' });
  const comparisonHost = h('section', { 'data-testid': 'comparison' });
  const eventsHost = h('section', {});
  const checkpointsHost = h('section', {});
  const skippedHost = h('section', { 'data-testid': 'skipped' });
  const footer = h('footer', { class: 'muted' });
  root.append(...frame.top, summary, sentence, plots, alignmentHost, eventsHost, comparisonHost, checkpointsHost, skippedHost, footer);

  let colors = themeColors();
  const unit = () => state?.report?.unit ?? state?.unit ?? 'epoch';
  const follow = (from: 'loss' | 'diagram' | 'spectral') => (min: number, max: number) => {
    for (const [name, p] of [['loss', loss], ['diagram', diagram], ['spectral', spectral]] as const) if (name !== from) p.setXRange(min, max);
  };
  const openEvent = (i: number) => {
    view.selected = i;
    send({ type: 'compareEvent', event: i });
    schedule();
  };
  const openCheckpoint = (i: number) => send({ type: 'openCheckpoint', index: i });
  const markerHint = 'Click: compare the checkpoints on either side';
  const onEventHover = (i: number | undefined) => {
    hovered = i;
    highlight();
  };
  const loss = new LossPlot(lossCanvas, colors, {
    onCursor: (at) => (readout.textContent = at ? `${unit()} ${fmt(at.x, 6)}, loss ${fmt(at.y, 6)}` : ''),
    onEvent: openEvent,
    onEventHover,
    markerHint,
    onView: follow('loss'),
  });
  const diagram = new BifurcationPlot(diagramCanvas, colors, {
    onCursor: (at) => (readout.textContent = at ? `${unit()} ${fmt(at.x, 6)}, ${view.coord === 'norm' ? '‖z‖' : `z${view.coord + 1}`} = ${fmt(at.y, 6)}` : ''),
    onEvent: openEvent,
    onEventHover,
    markerHint,
    onPoint: openCheckpoint,
    onView: follow('diagram'),
  });
  const spectral = new SpectralPlot(spectralCanvas, colors, {
    onCursor: (at) => (readout.textContent = at ? `${unit()} ${fmt(at.x, 6)}, ρ = ${fmt(at.y, 6)}` : ''),
    onEvent: openEvent,
    onEventHover,
    markerHint,
    onView: follow('spectral'),
  });

  // One x axis: the y axes take the same width on the left, and the gradient norm's room on the right.
  for (const p of [loss, diagram, spectral]) p.alignAxes(AXIS_LEFT, AXIS_RIGHT);

  /** The event hovered (else the one selected), and the jumps after it. */
  function highlight(): void {
    const r = state?.report;
    const e = hovered ?? view.selected;
    const events = new Set(e === undefined ? [] : [e]);
    const jumps = new Set(r && e !== undefined ? jumpsAfterEvent(r, e) : []);
    for (const p of [loss, diagram, spectral]) p.setHighlight(events);
    loss.setJumpHighlight(jumps);
    for (const row of root.querySelectorAll<HTMLElement>('[data-event]')) row.classList.toggle('lit', events.has(Number(row.dataset.event)));
    for (const row of root.querySelectorAll<HTMLElement>('[data-jump]')) row.classList.toggle('lit', jumps.has(Number(row.dataset.jump)));
  }

  function fillCoordinates(M: number): void {
    const want = [...Array.from({ length: M }, (_, i) => String(i)), ...(M > 1 ? ['norm'] : [])];
    if ([...coordSelect.options].map((o) => o.value).join('|') !== want.join('|')) {
      clear(coordSelect);
      for (const v of want) coordSelect.append(h('option', { value: v }, v === 'norm' ? '‖z‖ (norm)' : `z${Number(v) + 1}`));
    }
    if ((view.coord !== 'norm' && view.coord >= M) || (view.coord === 'norm' && M === 1)) view.coord = 0;
    coordSelect.value = String(view.coord);
    coordSelect.hidden = M <= 1;
  }

  function renderLegend(orders: number[], r: RunReport | undefined, c: ThemeColors): void {
    clear(legend);
    for (const k of orders) legend.append(h('span', { class: 'legend-item' }, orderSwatch(c, k), orderName(k)));
    legend.append(h('span', { class: 'legend-item' }, swatch(c.foreground, true), 'stable'), h('span', { class: 'legend-item' }, swatch(c.foreground, false), 'unstable'));
    for (const k of [...new Set((r?.events ?? []).map((e) => e.kind))]) legend.append(h('span', { class: 'legend-item' }, h('span', { class: 'marker-label' }, EVENT_LABEL[k]), EVENT_NAME[k]));
    if (r?.lossJumps.length) legend.append(h('span', { class: 'legend-item' }, h('span', { class: 'jump-mark', 'aria-hidden': 'true' }, '▲'), 'loss jump'));
  }

  function renderPlots(s: RunPanelState): void {
    const r = s.report;
    const sw = runAsSweep(s);
    const places = checkpointPlaces(s);
    const M = sw.steps.find((x) => x.cycles.length)?.cycles[0].points[0].length ?? 1;
    fillCoordinates(M);
    const u = unit();
    const { min: lo, max: hi } = extent([...places, ...(r?.loss?.points.map((p) => p.x) ?? [])]);
    const pad = (hi - lo || 1) * 0.015;
    const xRange = { min: lo - pad, max: hi + pad };
    const series = diagramSeries(sw, sw.steps, view.coord);
    const yRange = robustRange(series.points.flatMap((g) => g.data.map((p) => p.y)));
    diagram.update(series.points, series.lines, sw.events, `${u} (click a point to open its checkpoint)`, xRange, view.coord === 'norm' ? '‖z‖' : `z${view.coord + 1}`, yRange, colors);
    const rho = robustRange(series.spectral.flatMap((g) => g.data.map((p) => p.y)));
    spectral.update(series.spectral, sw.events, u, xRange, false, rho?.max, colors);
    const pts = r?.loss?.points ?? [];
    const lossAtX = (x: number) => pts.reduce((b, p) => (Math.abs(p.x - x) < Math.abs(b.x - x) ? p : b), pts[0])?.loss ?? NaN;
    const jumps: JumpMark[] = (r?.lossJumps ?? []).map((j, k) => {
      const x = placeOf(j, r!.unit);
      const before = eventsBeforeJump(r!, k);
      return {
        x,
        from: j.from,
        until: j.until,
        factor: j.factor,
        loss: lossAtX(x),
        text: `jump ${k + 1} at ${u} ${fmt(x, 6)}: loss ×${fmt(j.factor, 3)} ${j.direction}${before.length ? `, after event ${before.map((e) => `#${e + 1}`).join(', ')}` : ', no event before it'}`,
      };
    });
    const grad = pts.filter((p) => p.gradNorm !== undefined).map((p) => ({ x: p.x, y: p.gradNorm! }));
    loss.update(
      thinCurve(pts.map((p) => ({ x: p.x, y: p.loss }))),
      grad.length ? thinCurve(grad) : undefined,
      jumps,
      sw.events,
      u,
      xRange,
      r?.loss ? `${r.loss.name} (log scale)` : 'loss',
      colors,
    );
    lossNote.textContent = r
      ? r.loss
        ? `${r.loss.name} from ${r.loss.source}${grad.length ? ', with the gradient norm (dashed, right axis)' : ''}. Shaded: the loss jumps; dashed lines: the bifurcations (hover one to see the jumps after it, click it to compare the checkpoints around it). Drag a box or Ctrl+wheel to zoom, Shift+drag to pan.`
        : 'No loss log in this run: only the bifurcations are shown.'
      : 'The loss is read when the analysis ends.';
    renderLegend(series.orders, r, colors);
    highlight();
  }

  function renderAlignment(r: RunReport): void {
    clear(alignmentHost);
    const u = r.unit;
    alignmentHost.append(h('h2', {}, `Loss jumps (${r.lossJumps.length})`));
    if (r.alignment) alignmentHost.append(h('p', { class: 'muted' }, `An event counts for a jump when it lies at most ${fmt(r.alignment.window, 4)} ${u}s before it; p-value: how often as many jumps would follow one of the same number of events placed at random over the run (permutation test): p = ${fmt(r.alignment.pValue, 3)}.`));
    if (r.lossJumps.length === 0) return;
    const rows = r.lossJumps.map((j, k) => {
      const before = eventsBeforeJump(r, k);
      const x = placeOf(j, u);
      return h(
        'tr',
        { 'data-jump': String(k), 'data-testid': 'jump-row' },
        h('td', {}, `${k + 1}`),
        h('td', { class: 'mono' }, j.until > x ? `${fmt(x, 6)}–${fmt(j.until, 6)}` : fmt(x, 6)),
        h('td', { class: 'mono' }, `×${fmt(j.factor, 3)} ${j.direction}`),
        h('td', {}, ...(before.length ? before.flatMap((e, n) => [n ? ', ' : '', actionLink(`#${e + 1} ${EVENT_NAME[r.events[e].kind]}`, 'Compare the checkpoints around this event', () => openEvent(e))]) : ['–'])),
      );
    });
    alignmentHost.append(table('jumps-table', ['Jump', u, 'Loss', 'After events'], rows));
  }

  function renderEvents(r: RunReport | undefined): void {
    clear(eventsHost);
    if (!r) return;
    const u = r.unit;
    eventsHost.append(h('h2', {}, `Events (${r.events.length})`));
    if (r.events.length === 0) {
      eventsHost.append(h('p', { class: 'muted' }, 'No bifurcations between the checkpoints of this run.'));
      return;
    }
    const rows = r.events.map((e, i) => {
      const j = r.alignment?.followedBy[i];
      return h(
        'tr',
        { 'data-event': String(i), 'data-testid': 'event-row', 'data-kind': e.kind, title: eventLines(e).join('\n') },
        h('td', {}, `#${i + 1}`),
        h('td', { class: 'mono' }, actionLink(fmt(placeOf(e, u), 6), 'Compare the checkpoints on either side of this event', () => openEvent(i), { 'data-testid': 'event-link' })),
        h('td', {}, h('span', { class: 'marker-label' }, EVENT_LABEL[e.kind]), ` ${EVENT_NAME[e.kind]}${e.outcome ? ` (${e.outcome})` : ''}`),
        h('td', {}, j === null || j === undefined ? '–' : `jump ${j + 1} at ${fmt(placeOf(r.lossJumps[j], u), 6)}`),
        h('td', { class: 'detail' }, e.detail),
      );
    });
    eventsHost.append(table('events-table', ['#', u, 'Kind', 'Jump after', 'What happens'], rows));
  }

  function renderComparison(s: RunPanelState, r: RunReport | undefined): void {
    clear(comparisonHost);
    const c = s.comparison;
    if (!c || !r || !r.checkpoints[c.before] || !r.checkpoints[c.after] || !r.events[c.event]) return;
    const u = r.unit;
    const e = r.events[c.event];
    comparisonHost.append(h('h2', {}, `Around event #${c.event + 1}: ${EVENT_NAME[e.kind]} at ${u} ${fmt(placeOf(e, u), 6)}`));
    const side = (i: number) => {
      const cp = r.checkpoints[i];
      return h(
        'div',
        { class: 'card compare-side', 'data-testid': 'compare-side' },
        h('h3', {}, actionLink(`${u} ${fmt(placeOf(cp, u), 6)}: ${cp.file}`, 'Open this checkpoint', () => openCheckpoint(i), { 'data-testid': 'checkpoint-link' })),
        cp.cycles.length ? h('ul', {}, ...cp.cycles.map((cy, k) => h('li', {}, `${cp.branches[k] ? `${cp.branches[k]}: ` : ''}${objectLine(cy)}`))) : h('p', { class: 'muted' }, 'no objects found'),
      );
    };
    comparisonHost.append(h('div', { class: 'compare' }, side(c.before), side(c.after)));
    if (c.error) comparisonHost.append(h('p', { class: 'banner error' }, c.error));
    else if (c.changes.length === 0) comparisonHost.append(h('p', { class: 'muted' }, 'No entry differs between the two checkpoints.'));
    else {
      const rows = c.changes.map((ch) =>
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, actionLink(ch.ref, `Show ${ch.ref} in ${r.checkpoints[c.after].file}`, () => send({ type: 'revealParameter', index: c.after, param: ch.ref }), { 'data-testid': 'param-link' })),
          h('td', { class: 'mono' }, fmt(ch.from, 6)),
          h('td', { class: 'mono' }, fmt(ch.to, 6)),
          h('td', { class: 'mono' }, fmt(ch.to - ch.from, 4)),
          h('td', { class: 'mono' }, `${fmt(100 * relativeChange(ch), 3)} %`),
        ),
      );
      comparisonHost.append(h('p', { class: 'muted' }, `The ${c.changes.length} of ${c.total} entries that changed most between the two checkpoints (largest |Δ| first; relative to the larger magnitude):`));
      comparisonHost.append(table('changes-table', ['Entry', 'Before', 'After', 'Δ', 'Relative'], rows));
    }
  }

  function renderCheckpoints(s: RunPanelState, r: RunReport | undefined): void {
    clear(checkpointsHost);
    const u = unit();
    const listed = r ? r.checkpoints.map((c) => ({ x: placeOf(c, r.unit), name: c.file, cycles: c.cycles as Cycle[] | undefined, cached: c.cached })) : (s.checkpoints ?? []).map((c) => ({ x: c.x, name: c.name, cycles: undefined as Cycle[] | undefined, cached: false }));
    if (!r) for (const st of s.steps) if (listed[st.index]) listed[st.index].cycles = st.cycles;
    if (listed.length === 0) return;
    checkpointsHost.append(h('h2', {}, `Checkpoints (${listed.length})`));
    const rows = listed.map((c, i) =>
      h(
        'tr',
        {},
        h('td', { class: 'mono' }, actionLink(fmt(c.x, 6), `Open ${c.name}`, () => openCheckpoint(i), { 'data-testid': 'checkpoint-link' })),
        h('td', { class: 'mono' }, c.name),
        h('td', {}, c.cycles && wasSearched(s, i) ? `${c.cycles.length} (${c.cycles.filter((y) => y.stable).length} stable)` : s.status === 'running' ? '…' : 'not searched'),
        h('td', { class: 'muted' }, c.cached ? 'cache' : ''),
      ),
    );
    checkpointsHost.append(table('checkpoints-table', [u, 'File', 'Objects', ''], rows));
  }

  function renderSkipped(r: RunReport | undefined): void {
    clear(skippedHost);
    if (!r?.skipped.length) return;
    skippedHost.append(h('h2', {}, `Skipped (${r.skipped.length})`), h('ul', { class: 'notes' }, ...r.skipped.map((k) => h('li', {}, h('span', { class: 'mono' }, k.file), `: ${k.reason}`))));
  }

  function render(): unknown {
    if (!state) {
      summary.textContent = 'Waiting for the run…';
      return { panel: state, view };
    }
    const s = state;
    colors = themeColors();
    const p = s.progress;
    renderFrame(frame, { fileName: s.fileName, status: s.status, error: s.error, stale: s.stale }, p ? `${p.phase === 'reading' ? 'reading' : 'searching'} checkpoint ${p.done} of ${p.total}` : '', 'The analysis was cancelled: the plots show the checkpoints it had searched.', () => send({ type: 'rerun' }), 'Files of the run changed after this analysis. ');
    const r = s.report;
    for (const n of r?.notes ?? []) frame.notes.append(h('li', {}, n));
    frame.notes.hidden = !r?.notes.length;
    cancel.hidden = s.status !== 'running';
    exportJson.disabled = exportCsv.disabled = !r;
    const failed = s.status === 'error' && !r && s.steps.length === 0;
    plots.style.display = failed ? 'none' : '';
    const u = unit();
    const n = checkpointPlaces(s).length;
    if (r) {
      const xs = r.checkpoints.map((c) => placeOf(c, u));
      summary.textContent = `${r.checkpoints.length} checkpoints from ${u} ${fmt(xs[0], 6)} to ${fmt(xs[xs.length - 1], 6)}, orders 1–${s.options.maxOrder}${r.skipped.length ? `, ${r.skipped.length} skipped` : ''} · ${r.branches.length} branch${r.branches.length === 1 ? '' : 'es'} · ${r.events.length} event${r.events.length === 1 ? '' : 's'} · ${r.lossJumps.length} loss jump${r.lossJumps.length === 1 ? '' : 's'}${r.cancelled ? ' (cancelled: incomplete)' : ''}`;
      sentence.textContent = r.alignment?.sentence ?? '';
      sentence.hidden = !r.alignment;
    } else {
      summary.textContent = failed ? '' : n ? `Analysing ${n} checkpoints: ${s.steps.length} searched…` : 'Reading the checkpoints…';
      sentence.hidden = true;
    }
    if (!failed) renderPlots(s);
    if (r) renderAlignment(r);
    else clear(alignmentHost);
    renderEvents(r);
    renderComparison(s, r);
    renderCheckpoints(s, r);
    renderSkipped(r);
    highlight();
    footer.textContent = r ? `${r.stats.candidates.toLocaleString('en')} candidates; ${r.stats.searched} checkpoints searched, ${r.stats.cached} from the cache; ${r.stats.seconds.toFixed(2)} s · seed ${s.options.seed ?? 0}` : '';
    return { panel: state, view };
  }

  function apply(m: HostToRun): void {
    if (m.type === 'reset') {
      if (state?.uri !== m.state.uri) view = restoredView(undefined);
      if (m.state.status === 'running') view.selected = undefined;
      state = m.state;
      return;
    }
    if (state) state = applyRunMessage(state, m);
  }

  const schedule = startPage('run panel', HostToRun, apply, render, 1000);
}
