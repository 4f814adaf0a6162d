export { findCycles, DEFAULT_SEED, DEFAULT_EXHAUSTIVE_LIMIT } from './search';
export { defaultOuterLoop, defaultInnerLoop } from './defaults';
export { classify, UNIT_CIRCLE_TOL } from './stability';
export { MIN_PIVOT_RTOL, CONSISTENCY_RTOL } from './candidate';
export { POINT_RTOL, VERIFY_RTOL } from './verify';
export { Prng } from './prng';
export * from './types';
