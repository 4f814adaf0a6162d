// The 'inspect' job: what the checkpoint viewer shows about a file: its tensors, the model they
// map to, or why either could not be read.
import { promises as fs } from 'node:fs';
import { isInputError } from '../../core/errors';
import { loadModelFile, ModelChoiceError, readTensors } from '../../core/io/load';
import type { CheckpointInfo } from '../../shared/shapes';
import { InspectJob } from '../../shared/jobs';
import { readLfsPointer } from '../lfs';
import { modelInfo } from '../modelInfo';
import { implement } from '../serve';
import { loadOptions } from './loadOptions';

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

export const inspect = implement(InspectJob, async (input): Promise<CheckpointInfo> => {
  const size = (await fs.stat(input.path)).size;
  const lfs = await readLfsPointer(input.path);
  if (lfs) return { format: 'git-lfs', size, lfs, tensors: [] };
  const info: CheckpointInfo = { format: 'unknown', size, tensors: [] };
  try {
    const listing = await readTensors(input.path, { displayName: input.displayName });
    info.format = listing.format;
    info.tensors = listing.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] }));
  } catch (e) {
    if (!isInputError(e)) throw e;
    info.tensorsError = oneLine(e);
  }
  try {
    const loaded = await loadModelFile(input.path, loadOptions(input));
    info.format = loaded.format;
    info.model = modelInfo(loaded.model.spec, loaded.model.map, loaded.format, loaded.notes);
    info.mapping = loaded.parameters;
    info.convention = loaded.convention;
    if (loaded.models) {
      info.models = loaded.models;
      info.index = loaded.index;
    }
  } catch (e) {
    if (!isInputError(e)) throw e;
    if (e instanceof ModelChoiceError) info.models = e.choices;
    else info.modelError = oneLine(e);
  }
  // One message for the file is enough when neither the tensors nor a model could be read.
  if (info.tensorsError && info.modelError === info.tensorsError) info.modelError = undefined;
  return info;
});
