import type { JobImplementation } from '../serve';
import { find } from './find';
import { inspect } from './inspect';
import { entries, modelAt } from './model';
import { run } from './run';
import { grid, gridRowJob, sweep, sweepChunk } from './sweep';

/** Every job kind dist/worker.js runs. */
export const JOBS: readonly JobImplementation[] = [find, inspect, sweep, sweepChunk, grid, gridRowJob, entries, modelAt, run];
