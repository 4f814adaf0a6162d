export { analyzeRun, type RunAnalysis, type RunOptions, type RunHooks } from './analyze';
export { discoverRun, numberInName, MANIFEST, type RunFiles, type RunCheckpoint } from './discover';
export { detectJumps, parseLossLog, parseLossTable, parseLossJsonLines, trainingLoss, DEFAULT_JUMP_THRESHOLD, type LossSeries, type LossJump, type JumpOptions } from './loss';
export { alignJumps, type Alignment, type RunEvent } from './align';
export { readTensorBoardScalars } from './tensorboard';
export { ResultCache, cacheKey, fileHash } from './cache';
