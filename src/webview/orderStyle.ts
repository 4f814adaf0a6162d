// How an order is drawn: a series colour, and a marker shape and line dash for each round of
// the colours, so that orders k and k + 6 (the theme has six chart colours) are told apart.

/** Chart.js point styles that can be filled (stable) or hollow (unstable). */
export const ORDER_SHAPES = ['circle', 'rect', 'triangle', 'rectRot'] as const;
export type OrderShape = (typeof ORDER_SHAPES)[number];
const DASHES: readonly number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];
/** The legend swatch (frame.ts swatch, media/panel.css) of each marker shape. */
export const SWATCH_SHAPE: Record<OrderShape, 'dot' | 'square' | 'triangle' | 'diamond'> = { circle: 'dot', rect: 'square', triangle: 'triangle', rectRot: 'diamond' };

export interface OrderStyle {
  color: string;
  shape: OrderShape;
  /** Chart.js borderDash of the order's lines. */
  dash: number[];
}

/** Distinct for orders 1 to series colours × 4 (24 with the theme's six). */
export function orderStyle(colors: { readonly series: readonly string[] }, order: number): OrderStyle {
  const n = colors.series.length;
  const round = Math.floor((order - 1) / n);
  return { color: colors.series[(order - 1) % n], shape: ORDER_SHAPES[round % ORDER_SHAPES.length], dash: DASHES[round % DASHES.length] };
}
