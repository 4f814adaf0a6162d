import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { LoadOptions } from '../../../src/core/io/load';
import { itFailsWith, itMapsTo, itReadsTensors } from './fixtureChecks';

const DIR = join(__dirname, '..', '..', 'fixtures', 'checkpoints');

interface Expected {
  format: string;
  tensors: Record<string, { dtype: string; shape: number[]; values: number[] }>;
  model?: Record<string, unknown>;
  error?: string;
  options?: LoadOptions;
  /** A note the loaded model must carry. */
  note?: string;
  /** The file holds exactly these tensors. */
  exact?: boolean;
}

const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected>;

describe('checkpoint fixtures (values as written by PyTorch / NumPy)', () => {
  for (const [file, e] of Object.entries(expected)) {
    if (Object.keys(e.tensors).length > 0) itReadsTensors(DIR, file, e.format, e.tensors, e.exact);
    if (e.model) itMapsTo(DIR, file, e.model, e.format, e.options, e.note);
    if (e.error) itFailsWith(DIR, file, e.error, e.options ? 'without options ' : '');
  }
});
