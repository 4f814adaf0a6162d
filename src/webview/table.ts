// The table of objects found: sortable columns, expandable rows (points with their regions).
import type { Cycle } from '../core/scyfi/types';
import { clear, fmt, fmtComplex, fmtPoint, h } from './dom';

export type SortColumn = 'index' | 'order' | 'spectralRadius' | 'stability';
export interface TableView {
  sort: SortColumn;
  descending: boolean;
  expanded: number[];
  selected?: number;
}

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

function sortKey(c: Cycle, i: number, col: SortColumn): number {
  switch (col) {
    case 'index':
      return i;
    case 'order':
      return c.order * 1e6 + i;
    case 'spectralRadius':
      return c.spectralRadius;
    case 'stability':
      return (c.stable ? 0 : /saddle/.test(c.classification) ? 1 : 2) * 1e6 + i;
  }
}

export function sortedIndices(cycles: readonly Cycle[], view: TableView): number[] {
  const idx = cycles.map((_, i) => i);
  idx.sort((a, b) => {
    const d = sortKey(cycles[a], a, view.sort) - sortKey(cycles[b], b, view.sort);
    return (view.descending ? -d : d) || a - b;
  });
  return idx;
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

export function renderTable(host: HTMLElement, cycles: readonly Cycle[], view: TableView, ev: TableEvents): void {
  clear(host);
  const head = headerRow(COLUMNS, view.sort, view.descending, ev.onSort);
  const body = h('tbody', {});
  for (const i of sortedIndices(cycles, view)) {
    const c = cycles[i];
    const open = view.expanded.includes(i);
    const toggle = h('button', { class: 'icon-button', 'aria-expanded': open ? 'true' : 'false', title: open ? 'Hide the points' : 'Show every point and its region' }, open ? '▾' : '▸');
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      ev.onToggle(i);
    });
    const kind = badgeKind(c);
    const row = h(
      'tr',
      { 'data-testid': 'cycle-row', 'data-order': c.order, 'data-index': i, class: view.selected === i ? 'selected' : undefined, 'aria-selected': view.selected === i ? 'true' : 'false' },
      h('td', { 'data-col': 'expand' }, toggle),
      h('td', { 'data-col': 'index', class: 'muted' }, String(i + 1)),
      h('td', { 'data-col': 'order' }, String(c.order)),
      h('td', { 'data-col': 'stability' }, h('span', { class: `badge ${kind}`, title: c.classification }, c.classification)),
      h('td', { 'data-col': 'spectralRadius', class: 'mono' }, fmt(c.spectralRadius)),
      pointsCell(c),
      eigenCell(c),
    );
    row.addEventListener('click', () => ev.onSelect(i));
    body.append(row);
    if (open) body.append(detailRow(c, COLUMNS.length));
  }
  host.append(h('table', { 'data-testid': 'cycles-table', class: 'cycles' }, h('thead', {}, head), body));
}
