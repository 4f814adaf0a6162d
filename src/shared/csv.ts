// CSV text of the exports: fields quoted only when they must be, eigenvalues as a+bi.
import type { Cycle } from '../core/scyfi/types';
import type { SweepResult } from '../core/sweep/types';
import type { GridResult } from '../core/sweep/grid';

export function csvField(v: string | number | boolean): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: (string | number | boolean)[]): string {
  return fields.map(csvField).join(',');
}

export function complexText([re, im]: [number, number]): string {
  if (im === 0) return String(re);
  return `${re}${im < 0 ? '-' : '+'}${Math.abs(im)}i`;
}

/** The columns of one point of a cycle: its properties, the point's region and coordinates z1 … zM. */
export function cyclePointColumns(M: number): string[] {
  return ['order', 'point', 'stable', 'classification', 'spectral_radius', 'eigenvalues', 'region', ...Array.from({ length: M }, (_, i) => `z${i + 1}`)];
}

/** The fields of point `pi` of `c` (eigenvalues as a+bi separated by spaces). */
export function cyclePointFields(c: Cycle, pi: number): (string | number | boolean)[] {
  return [c.order, pi + 1, c.stable, c.classification, c.spectralRadius, c.eigenvalues.map(complexText).join(' '), c.regions[pi] ?? '', ...c.points[pi]];
}

/**
 * A sweep: one row per step × cycle point — the step, its parameter value (and t), the branch and
 * its object, the point's index in the branch's canonical order, stability, eigenvalues, region, z.
 */
export function sweepCsv(r: SweepResult, M = r.steps.find((s) => s.cycles.length > 0)?.cycles[0].points[0]?.length ?? 0): string {
  const param = r.path.kind === 'entry' ? r.path.parameter : 't';
  const rows = [csvRow(['step', param, 't', 'branch', ...cyclePointColumns(M)])];
  for (const s of r.steps) {
    s.cycles.forEach((c, ci) => c.points.forEach((_, pi) => rows.push(csvRow([s.index, s.value, s.t, s.branches[ci] ?? '', ...cyclePointFields(c, pi)]))));
  }
  return rows.join('\n') + '\n';
}

/** A 2-D map: one row per cell — both entries' values, the objects and the stable ones, then per order. */
export function gridCsv(g: GridResult): string {
  const orders = [...new Set(g.rows.flatMap((r) => r.cells.flatMap((c) => Object.keys(c.counts).map(Number))))].sort((a, b) => a - b);
  const head = [g.x.parameter, g.y.parameter, 'objects', 'stable', ...orders.flatMap((k) => [`order_${k}`, `stable_order_${k}`]), 'complete'];
  const rows = [csvRow(head)];
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  for (const row of g.rows) {
    row.cells.forEach((c, i) => {
      rows.push(csvRow([g.x.values[i], row.y, sum(c.counts), sum(c.stable), ...orders.flatMap((k) => [c.counts[k] ?? 0, c.stable[k] ?? 0]), !c.cancelled]));
    });
  }
  return rows.join('\n') + '\n';
}
