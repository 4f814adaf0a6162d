export * from './types';
export { entryPath, linePath, polylinePath, specAt, mapAt, valueAt, tOf, stepTs, pathStepTs, describePath, type ModelPath, type PolylinePath } from './path';
export { runSweep, searchChunk, assembleSweep, chunksOf, stepSeed, checkSweepOptions, pathInfo, DEFAULT_CHUNK_SIZE, type Chunk, type SweepRunner, type StepEvents } from './run';
export { linkSteps, canonicalCycle } from './link';
export { Probe } from './probe';
export { sequenceKey } from './events';
export { runGrid, gridRow, assembleGrid, checkGrid, axisValues, MAX_GRID_CELLS, type Grid, type GridAxis, type GridCell, type GridRow, type GridResult } from './grid';
