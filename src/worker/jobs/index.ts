import type { JobImplementation } from '../serve';
import { find } from './find';
import { inspect } from './inspect';

/** Every job kind dist/worker.js runs. */
export const JOBS: readonly JobImplementation[] = [find, inspect];
