// An event's parameter value as it is written into a model: events are located to 1e-12 in t, so
// 0.7999999999996363 on a path of length 7.5 is 0.8 within that precision.

/** Events are located to this precision in t (src/core/sweep/locate.ts). */
export const EVENT_T_TOLERANCE = 1e-12;

/** The shortest decimal within `tolerance` of x. */
export function shortestWithin(x: number, tolerance: number): number {
  if (!Number.isFinite(x)) return x;
  for (let digits = 1; digits <= 17; digits++) {
    const y = Number(x.toPrecision(digits));
    if (Math.abs(y - x) <= tolerance) return y;
  }
  return x;
}

/** An event's value, as short as its location allows; `span` is |to − from| of the path (1 on a line between models). */
export function eventValue(value: number, span: number): number {
  return shortestWithin(value, EVENT_T_TOLERANCE * Math.max(Math.abs(span), Number.MIN_VALUE));
}
