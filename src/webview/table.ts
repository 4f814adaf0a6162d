// The table of objects found: sortable columns, expandable rows (points with their regions),
// virtualised (only the rows in view are in the page, so thousands of objects stay fast), and
// driven by the keyboard (↑ ↓ select, Enter shows the points, Home / End, Page Up / Down).
import type { Cycle } from '../core/scyfi/types';
import { clear, fmt, fmtComplex, fmtPoint, h } from './dom';
import { rowWindow, scrollToRow, sortedIndices, type SortColumn, type TableView } from './resultsModel';

export { sortedIndices };

export type { SortColumn, TableView };

export interface TableEvents {
  onSort(col: SortColumn): void;
  onToggle(index: number): void;
  onSelect(index: number): void;
}

const COLUMNS: Column<SortColumn>[] = [
  { col: 'expand', label: '' },
  { col: 'index', label: '#', sort: 'index' },
  { col: 'order', label: 'Order', sort: 'order', title: 'k: the number of points of the cycle (1 = fixed point)' },
  // Stability and ρ before the wide columns, so a narrow panel still shows them.
  { col: 'stability', label: 'Stability', sort: 'stability' },
  { col: 'spectralRadius', label: 'ρ', sort: 'spectralRadius', title: 'spectral radius: largest |λ|; stable when < 1' },
  { col: 'points', label: 'Points' },
  { col: 'eigenvalues', label: 'Eigenvalues', title: 'of the k-step Jacobian product, largest modulus first' },
];

function badgeKind(c: Cycle): string {
  if (c.stable) return 'stable';
  return /saddle/.test(c.classification) ? 'saddle' : 'unstable';
}

function pointsCell(c: Cycle): HTMLElement {
  const first = fmtPoint(c.points[0] ?? []);
  return h('td', { 'data-col': 'points', class: 'mono' }, first, c.order > 1 ? h('span', { class: 'muted' }, ` + ${c.order - 1} more`) : null);
}

function eigenCell(c: Cycle): HTMLElement {
  const shown = c.eigenvalues.slice(0, 3).flatMap((e, i) => [i > 0 ? ', ' : '', h('span', { class: 'nowrap' }, fmtComplex(e))]);
  const more = c.eigenvalues.length > 3 ? ` … (${c.eigenvalues.length})` : '';
  return h('td', { 'data-col': 'eigenvalues', class: 'mono', title: c.eigenvalues.map(fmtComplex).join(', ') }, ...shown, more);
}

function detailRow(c: Cycle, cols: number): HTMLElement {
  const rows = c.points.map((p, j) =>
    h('tr', {}, h('td', { class: 'muted' }, `z${subscript(j + 1)}`), h('td', { class: 'mono region' }, c.regions[j] ?? ''), h('td', { class: 'mono' }, fmtPoint(p))),
  );
  const inner = h(
    'table',
    { class: 'points' },
    h('thead', {}, h('tr', {}, h('th', {}, 'point'), h('th', { title: "one character per switch: 1 where its input is > 0" }, 'region'), h('th', {}, 'coordinates'))),
    h('tbody', {}, ...rows),
  );
  const eig = h('p', { class: 'mono muted' }, `λ: ${c.eigenvalues.map(fmtComplex).join(', ')}`);
  return h('tr', { class: 'detail' }, h('td', { colspan: cols }, inner, eig));
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}

export interface Column<S extends string> {
  col: string;
  label: string;
  sort?: S;
  title?: string;
}

/** A table's header row: click (or Enter / Space on) a sortable column's title to sort by it. */
export function headerRow<S extends string>(columns: readonly Column<S>[], sort: S, descending: boolean, onSort: (col: S) => void): HTMLTableRowElement {
  return h(
    'tr',
    {},
    ...columns.map((c) => {
      const active = c.sort === sort;
      const th = h(
        'th',
        {
          'data-col': c.col,
          title: c.title,
          class: c.sort ? 'sortable' : undefined,
          'aria-sort': active ? (descending ? 'descending' : 'ascending') : c.sort ? 'none' : undefined,
          tabindex: c.sort ? 0 : undefined,
        },
        c.label,
        active ? h('span', { class: 'arrow' }, descending ? ' ▾' : ' ▴') : null,
      );
      const by = c.sort;
      if (by) {
        th.addEventListener('click', () => onSort(by));
        th.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSort(by);
          }
        });
      }
      return th;
    }),
  );
}

/** Estimated heights (px) before a row has been measured. */
const ROW_HEIGHT = 29;
const DETAIL_LINE = 22;

export interface TableRender {
  cycles: readonly Cycle[];
  /** The indices shown, in the order shown (filtered and sorted). */
  rows: readonly number[];
  view: TableView;
}

/**
 * The table in a scrolling box of its own: a header, spacers for the rows out of view, and the
 * rows in view (with their detail rows when expanded). `render` is cheap whatever the count.
 */
export class VirtualTable {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly thead: HTMLTableSectionElement;
  private readonly tbody: HTMLTableSectionElement;
  /** Heights measured, by object index and whether expanded. */
  private readonly measured = new Map<string, number>();
  private last: TableRender | undefined;
  private headKey = '';

  constructor(private readonly ev: TableEvents) {
    this.thead = h('thead', {});
    this.tbody = h('tbody', {});
    this.table = h('table', { 'data-testid': 'cycles-table', class: 'cycles' }, this.thead, this.tbody);
    this.element = h(
      'div',
      { class: 'cycles-scroll', tabindex: 0, role: 'region', 'aria-label': 'Objects found: ↑ and ↓ select, Enter shows the points of the selected object' },
      this.table,
    );
    this.element.addEventListener('scroll', () => this.redraw());
    this.element.addEventListener('keydown', (e) => this.key(e));
  }

  private heights(r: TableRender): number[] {
    return r.rows.map((i) => {
      const open = r.view.expanded.includes(i);
      return this.measured.get(`${i}:${open}`) ?? ROW_HEIGHT + (open ? DETAIL_LINE * (r.cycles[i].order + 3) : 0);
    });
  }

  render(r: TableRender): void {
    this.last = r;
    const headKey = `${r.view.sort}:${r.view.descending}`;
    if (headKey !== this.headKey || !this.thead.firstChild) {
      this.headKey = headKey;
      clear(this.thead);
      this.thead.append(headerRow(COLUMNS, r.view.sort, r.view.descending, this.ev.onSort));
    }
    this.table.setAttribute('aria-rowcount', String(r.rows.length));
    this.redraw();
  }

  /** Renders the rows in view of the last render (after scrolling, too). */
  private redraw(): void {
    const r = this.last;
    if (!r) return;
    const heights = this.heights(r);
    const viewport = this.element.clientHeight || 480;
    const w = rowWindow(heights, this.element.scrollTop, viewport);
    clear(this.tbody);
    const spacer = (px: number) => {
      const tr = h('tr', { class: 'spacer', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
      tr.style.height = `${px}px`;
      return tr;
    };
    if (w.before > 0) this.tbody.append(spacer(w.before));
    const rendered: [number, boolean, HTMLElement[]][] = [];
    for (let pos = w.start; pos < w.end; pos++) {
      const i = r.rows[pos];
      const open = r.view.expanded.includes(i);
      const els = this.row(r.cycles[i], i, pos, open, r.view.selected === i);
      this.tbody.append(...els);
      rendered.push([i, open, els]);
    }
    if (w.after > 0) this.tbody.append(spacer(w.after));
    // Measured heights make the spacers right the next time.
    let remeasured = false;
    for (const [i, open, els] of rendered) {
      const px = els.reduce((a, el) => a + el.getBoundingClientRect().height, 0);
      const key = `${i}:${open}`;
      if (px > 0 && Math.abs((this.measured.get(key) ?? 0) - px) > 0.5) {
        this.measured.set(key, px);
        remeasured = true;
      }
    }
    // A row asked to be in view: scroll to it with the heights as measured (estimates may be off
    // in a narrow panel where rows wrap), a few rounds at most.
    if (this.pendingReveal !== undefined) {
      const pos = r.rows.indexOf(this.pendingReveal);
      const top = pos < 0 ? this.element.scrollTop : scrollToRow(this.heights(r), pos, this.element.scrollTop, viewport);
      if (Math.abs(top - this.element.scrollTop) > 1 && this.revealRounds++ < 4) {
        this.element.scrollTop = top;
        this.redraw();
        return;
      }
      if (!remeasured || this.revealRounds >= 4) {
        this.pendingReveal = undefined;
        this.revealRounds = 0;
      }
    }
  }

  private pendingReveal: number | undefined;
  private revealRounds = 0;

  private row(c: Cycle, i: number, pos: number, open: boolean, selected: boolean): HTMLElement[] {
    const toggle = h('button', { class: 'icon-button', tabindex: -1, 'aria-expanded': open ? 'true' : 'false', title: open ? 'Hide the points' : 'Show every point and its region' }, open ? '▾' : '▸');
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      this.ev.onToggle(i);
    });
    const kind = badgeKind(c);
    const row = h(
      'tr',
      {
        'data-testid': 'cycle-row',
        'data-order': c.order,
        'data-index': i,
        'aria-rowindex': pos + 1,
        class: selected ? 'selected' : undefined,
        'aria-selected': selected ? 'true' : 'false',
      },
      h('td', { 'data-col': 'expand' }, toggle),
      h('td', { 'data-col': 'index', class: 'muted' }, String(i + 1)),
      h('td', { 'data-col': 'order' }, String(c.order)),
      h('td', { 'data-col': 'stability' }, h('span', { class: `badge ${kind}`, title: c.classification }, c.classification)),
      h('td', { 'data-col': 'spectralRadius', class: 'mono' }, fmt(c.spectralRadius)),
      pointsCell(c),
      eigenCell(c),
    );
    row.addEventListener('click', () => this.ev.onSelect(i));
    return open ? [row, detailRow(c, COLUMNS.length)] : [row];
  }

  /** Scrolls the selected row into view. */
  reveal(index: number): void {
    this.pendingReveal = index;
    this.revealRounds = 0;
    this.redraw();
  }

  private key(e: KeyboardEvent): void {
    const r = this.last;
    if (!r || r.rows.length === 0 || e.target !== this.element) return;
    const pos = r.view.selected === undefined ? -1 : r.rows.indexOf(r.view.selected);
    const page = Math.max(1, Math.floor((this.element.clientHeight || 480) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: pos + 1, ArrowUp: pos - 1, PageDown: pos + page, PageUp: pos - page, Home: 0, End: r.rows.length - 1 };
    if (e.key in moves) {
      const to = r.rows[Math.max(0, Math.min(r.rows.length - 1, moves[e.key]))];
      this.ev.onSelect(to);
      this.reveal(to);
    } else if ((e.key === 'Enter' || e.key === ' ') && r.view.selected !== undefined) this.ev.onToggle(r.view.selected);
    else return;
    e.preventDefault();
  }
}
