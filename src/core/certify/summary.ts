import type { OrderStats } from '../scyfi/types';
import { Certificate, DEFAULT_CERTIFY_ORDERS_CAP, OrderStatus } from './types';

function ranges(orders: number[]): string {
  if (orders.length === 1 && orders[0] === 1) return 'fixed points';
  const parts: string[] = [];
  for (let i = 0; i < orders.length; ) {
    let j = i;
    while (j + 1 < orders.length && orders[j + 1] === orders[j] + 1) j++;
    parts.push(i === j ? `${orders[i]}` : `${orders[i]}–${orders[j]}`);
    i = j + 1;
  }
  return `${orders.length === 1 ? 'order' : 'orders'} ${parts.join(', ')}`;
}

function boundText(R: number): string {
  return `‖z‖∞ ≤ ${Number(R.toPrecision(6))}`;
}

/**
 * One line on what a certificate proves, e.g. "complete (proven for orders 1–3 within ‖z‖∞ ≤
 * 250)" or "complete for fixed points within ‖z‖∞ ≤ 250; orders 2–3 not proven in 60 s".
 * `seconds` is the time budget the timeouts ran into.
 */
export function certificateSummary(cert: Certificate, seconds: number): string {
  const by = (s: OrderStatus) => cert.orders.filter((o) => o.status === s).map((o) => o.order);
  const proven = by('proven');
  const certified = cert.orders.filter((o) => o.status !== 'heuristic').map((o) => o.order);
  const within = `within ${boundText(cert.bound)}`;
  const parts: string[] = [];
  if (proven.length === certified.length) parts.push(`complete (proven for ${ranges(proven)} ${within})`);
  else if (proven.length > 0) parts.push(`complete for ${ranges(proven)} ${within}`);
  else parts.push('not proven for any order');
  const timeout = by('timeout');
  if (timeout.length) parts.push(`${ranges(timeout)} not proven in ${Number(seconds.toPrecision(3))} s`);
  const interrupted = by('interrupted');
  if (interrupted.length) parts.push(`${ranges(interrupted)} not proven (interrupted)`);
  for (const o of cert.orders.filter((x) => x.status === 'failed')) parts.push(`${ranges([o.order])} not proven (the solver failed: ${o.detail ?? 'no answer'})`);
  const heuristic = by('heuristic');
  if (heuristic.length) parts.push(`${ranges(heuristic)}: heuristic search only`);
  if (cert.degenerate.length) parts.push(`${cert.degenerate.length} degenerate region sequence${cert.degenerate.length === 1 ? '' : 's'} (cycles that are not isolated) listed apart`);
  return parts.join('; ');
}

/**
 * What a finished search without a certificate can claim, in one sentence. Orders whose every
 * region sequence was solved (OrderStats.enumerated) are complete; the others hold what a
 * heuristic found, which `how` (the certified search; "--certify" in the CLI) can prove complete
 * for orders up to DEFAULT_CERTIFY_ORDERS_CAP. `certifyHelps`: some of those are heuristic.
 */
export function searchClaim(maxOrder: number, orders: readonly OrderStats[] | undefined, how: string): { text: string; certifyHelps: boolean } {
  const enumerated = new Set((orders ?? []).filter((o) => o.enumerated).map((o) => o.order));
  const all = Array.from({ length: maxOrder }, (_, i) => i + 1);
  const heuristic = all.filter((k) => !enumerated.has(k));
  const complete = all.filter((k) => enumerated.has(k));
  if (heuristic.length === 0) return { text: `Complete: every region sequence of ${ranges(complete)} was solved.`, certifyHelps: false };
  const certifiable = all.slice(0, DEFAULT_CERTIFY_ORDERS_CAP);
  const certifyHelps = heuristic.some((k) => k <= DEFAULT_CERTIFY_ORDERS_CAP);
  const head = complete.length
    ? `${capitalized(ranges(complete))} complete (every region sequence solved); ${ranges(heuristic)}: heuristic search, other cycles may exist`
    : 'Heuristic search: other cycles may exist';
  return { text: certifyHelps ? `${head}; ${how} can prove the list complete for ${ranges(certifiable)} within a box.` : `${head}.`, certifyHelps };
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
