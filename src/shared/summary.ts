import type { Cycle } from '../core/scyfi/types';

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function count(n: number): string {
  return n < WORDS.length ? WORDS[n] : String(n);
}

/**
 * The results in words, e.g. "1 fixed point (0 stable), two 16-cycles (1 stable)".
 * Fixed points are counted in digits, k-cycles in words (so that "two 16-cycles" never reads
 * as "2 16-cycles"). A cancelled search that found nothing does not claim to have searched
 * up to `maxOrder`.
 */
export function summarize(cycles: readonly Cycle[], maxOrder?: number, cancelled = false): string {
  const byOrder = new Map<number, { n: number; stable: number }>();
  for (const c of cycles) {
    const g = byOrder.get(c.order) ?? { n: 0, stable: 0 };
    g.n++;
    if (c.stable) g.stable++;
    byOrder.set(c.order, g);
  }
  if (byOrder.size === 0 && cancelled) return 'No fixed points or cycles found before the search was cancelled';
  if (byOrder.size === 0) return maxOrder ? `No fixed points or cycles up to order ${maxOrder}` : 'No fixed points or cycles';
  if (byOrder.size > COMPACT_ABOVE_ORDERS) {
    const orders = [...byOrder.keys()].sort((a, b) => a - b);
    return `${compactHead(cycles.length, cycles.filter((c) => c.stable).length, orders)}: ${orders.map((k) => compactCount(k, byOrder.get(k)!.n, byOrder.get(k)!.stable)).join(', ')}`;
  }
  const parts: string[] = [];
  for (const order of [...byOrder.keys()].sort((a, b) => a - b)) {
    const { n, stable } = byOrder.get(order)!;
    parts.push(order === 1 ? `${n} fixed point${n === 1 ? '' : 's'} (${stable} stable)` : `${count(n)} ${order}-cycle${n === 1 ? '' : 's'} (${stable} stable)`);
  }
  if (!byOrder.has(1)) parts.unshift('no fixed point');
  return parts.join(', ');
}

/** Results of more orders than this are summed up per order in compact counts ("order 19: 863 (0 stable)"). */
export const COMPACT_ABOVE_ORDERS = 4;

/** "2883 objects of orders 1–20 (3 stable)". */
export function compactHead(n: number, stable: number, orders: readonly number[]): string {
  const range = orders.length === 1 ? `order ${orders[0]}` : `orders ${orders[0]}–${orders[orders.length - 1]}`;
  return `${n.toLocaleString('en')} object${n === 1 ? '' : 's'} of ${range} (${stable} stable)`;
}

/** "order 19: 863 (0 stable)", "fixed points: 2 (0 stable)". */
export function compactCount(order: number, n: number, stable: number): string {
  return `${order === 1 ? 'fixed points' : `order ${order}`}: ${n.toLocaleString('en')} (${stable} stable)`;
}
