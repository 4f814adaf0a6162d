import { Cycle, ScyfiResult } from '../core/scyfi/types';

const NUMBER_DIGITS = 6;

export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-4 && a < 1e6 ? String(Number(x.toPrecision(NUMBER_DIGITS))) : x.toExponential(NUMBER_DIGITS - 1);
}

export function formatComplex([re, im]: [number, number]): string {
  if (im === 0) return formatNumber(re);
  return `${formatNumber(re)}${im < 0 ? '−' : '+'}${formatNumber(Math.abs(im))}i`;
}

function vectorText(v: number[]): string {
  return `(${v.map(formatNumber).join(', ')})`;
}

const ORDER_NAMES = ['', 'fixed point', '2-cycle'];

function orderName(order: number): string {
  return ORDER_NAMES[order] ?? `${order}-cycle`;
}

/** "3 fixed points (1 stable), 2 16-cycles (1 stable)". */
export function summarize(cycles: Cycle[]): string {
  if (cycles.length === 0) return 'no fixed points or cycles found';
  const byOrder = new Map<number, Cycle[]>();
  for (const c of cycles) byOrder.set(c.order, [...(byOrder.get(c.order) ?? []), c]);
  return [...byOrder.entries()]
    .sort(([a], [b]) => a - b)
    .map(([order, cs]) => {
      const stable = cs.filter((c) => c.stable).length;
      return `${cs.length} ${orderName(order)}${cs.length === 1 ? '' : 's'} (${stable} stable)`;
    })
    .join(', ');
}

/** The human-readable report of `scyfi find`. */
export function formatResult(result: ScyfiResult, modelLine: string): string {
  const lines = [modelLine, summarize(result.cycles) + (result.cancelled ? ' (cancelled: incomplete)' : ''), ''];
  result.cycles.forEach((c, idx) => {
    lines.push(`#${idx + 1}  order ${c.order}  ${c.classification}  spectral radius ${formatNumber(c.spectralRadius)}`);
    c.points.forEach((p, j) => lines.push(`    z${j + 1} = ${vectorText(p)}  region ${c.regions[j]}`));
    lines.push(`    eigenvalues: ${c.eigenvalues.map(formatComplex).join(', ')}`);
  });
  lines.push('', `${result.stats.candidates} candidates in ${result.stats.seconds.toFixed(3)} s`);
  return lines.join('\n');
}
