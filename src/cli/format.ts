import { ScyfiResult } from '../core/scyfi/types';
import { summarize } from '../shared/summary';

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

/** The human-readable report of `scyfi find`. */
export function formatResult(result: ScyfiResult, modelLine: string, maxOrder: number): string {
  const lines = [modelLine, summarize(result.cycles, maxOrder, result.cancelled) + (result.cancelled && result.cycles.length > 0 ? ' (cancelled: incomplete)' : ''), ''];
  result.cycles.forEach((c, idx) => {
    lines.push(`#${idx + 1}  order ${c.order}  ${c.classification}  spectral radius ${formatNumber(c.spectralRadius)}`);
    c.points.forEach((p, j) => lines.push(`    z${j + 1} = ${vectorText(p)}  region ${c.regions[j]}`));
    lines.push(`    eigenvalues: ${c.eigenvalues.map(formatComplex).join(', ')}`);
  });
  lines.push('', `${result.stats.candidates} candidates in ${result.stats.seconds.toFixed(3)} s`);
  return lines.join('\n');
}
