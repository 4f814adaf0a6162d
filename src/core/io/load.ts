import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors';
import { Model } from '../model';
import { MAX_JSON_BYTES, modelFromJsonText } from './json';

export interface LoadOptions {
  /** Name used in error messages; defaults to the file's base name. */
  displayName?: string;
}

export interface LoadedModel {
  model: Model;
  /** The file format the model was read from. */
  format: 'json';
}

/** Reads a model file of any supported format and validates it. */
export async function loadModelFile(path: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const name = options.displayName ?? basename(path);
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch (e) {
    throw new InputError(`${name}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (size > MAX_JSON_BYTES) throw new InputError(`${name}: the file is ${size} bytes, more than the ${MAX_JSON_BYTES}-byte limit for JSON models`);
  const text = await fs.readFile(path, 'utf8');
  return { model: modelFromJsonText(text, name), format: 'json' };
}
