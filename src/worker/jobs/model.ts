// Jobs about one model for the editor's sweep commands: its entries (to choose what to sweep) and
// the model at a value along a sweep's path, written as a JSON model (a step's model, an event's).
import { modelJsonText } from '../../core/io/json';
import { formatParamRef, listEntries, parseParamRef, withEntry } from '../../core/model/paramRef';
import { specAt } from '../../core/sweep/path';
import { validateModelSpec } from '../../core/model/validate';
import { EntriesJob, MAX_LISTED_ENTRIES, ModelAtJob } from '../../shared/jobs';
import { implement } from '../serve';
import { lineFrom, loadModel } from './load';

export const entries = implement(EntriesJob, async (input) => {
  const { model } = await loadModel(input.source, input.displayName, input);
  const all = listEntries(model.spec);
  return {
    architecture: model.spec.architecture,
    entries: all.slice(0, MAX_LISTED_ENTRIES).map((e) => ({ ref: formatParamRef(e.ref), value: e.value })),
    total: all.length,
  };
});

export const modelAt = implement(ModelAtJob, async (input) => {
  const first = await loadModel(input.source, input.displayName, input);
  const t = input.target;
  const moved = t.kind === 'entry' ? withEntry(first.model.spec, parseParamRef(t.ref)!, input.value) : specAt(await lineFrom(first, input, t), input.value);
  const spec = validateModelSpec(moved, `the model at ${input.value}`);
  const head: Record<string, string> = {};
  if (input.schema !== undefined) head.$schema = input.schema;
  if (input.name !== undefined) head.name = input.name;
  return { text: modelJsonText(spec, head), architecture: spec.architecture };
});
