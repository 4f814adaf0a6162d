export { certifyCycles, certifyWith, checkCertifyOptions, DEFAULT_CERTIFY_SECONDS, DEFAULT_CERTIFY_ORDERS_CAP, MILP_POINT_RTOL, BOUND_RTOL } from './certify';
export { absorbingBound, defaultBound, propagateBounds, SIM_MARGIN, PROPAGATION_RTOL, type Box, type PropagatedBounds } from './bounds';
export { MILP_FEASIBILITY_TOL } from './milp';
export { loadHighs } from './highs';
export * from './types';
export { certificateSummary } from './summary';
