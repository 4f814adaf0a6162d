export * from './types';
export { simulateDynamics, dynamicsSentence, groupAttractors, modelScale, stepBudget, workPerStep, formatLyapunov, seededStarts } from './simulate';
export { simulateOne, characterOf, matchCycle, LYAPUNOV_FLOOR } from './trajectory';
export { tangentStep, tangentBuffers } from './tangent';
export * from './basins';
