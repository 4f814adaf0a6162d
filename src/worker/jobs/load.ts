// Loading what a job names: the model of a file or of an editor's text, and a sweep's path.
import { loadModelFile } from '../../core/io/load';
import { modelFromJsonText } from '../../core/io/json';
import type { Model } from '../../core/model/types';
import { parseParamRef } from '../../core/model/paramRef';
import { entryPath, linePath, type ModelPath } from '../../core/sweep/path';
import type { ModelSource } from '../../shared/shapes';
import type { SweepTarget } from '../../shared/jobs';
import { loadOptions } from './loadOptions';

export interface Loaded {
  model: Model;
  format: string;
  notes: string[];
}

/** The model of a file (any format) or of the unsaved text of a JSON editor. */
export async function loadModel(source: ModelSource, displayName: string, input: { parameterMap?: Record<string, unknown>; model?: number } = {}): Promise<Loaded> {
  if (source.kind === 'text') return { model: modelFromJsonText(source.text, displayName), format: 'json', notes: [] };
  const loaded = await loadModelFile(source.path, loadOptions({ displayName, parameterMap: input.parameterMap, model: input.model }));
  return { model: loaded.model, format: loaded.format, notes: loaded.notes };
}

type LineTarget = Extract<SweepTarget, { kind: 'line' }>;

/** The line from an already loaded first model to the target's second model. */
export async function lineFrom(first: Loaded, input: { displayName: string; parameterMap?: Record<string, unknown> }, t: LineTarget): Promise<ModelPath> {
  const second = await loadModel(t.to, t.toDisplayName, { parameterMap: input.parameterMap });
  return linePath(first.model.spec, second.model.spec, input.displayName, t.toDisplayName);
}

/** A sweep's first model and its path: one entry moved, or the line to a second model. */
export async function loadPath(input: {
  source: ModelSource;
  displayName: string;
  parameterMap?: Record<string, unknown>;
  model?: number;
  target: SweepTarget;
}): Promise<{ first: Loaded; path: ModelPath }> {
  const first = await loadModel(input.source, input.displayName, input);
  const t = input.target;
  return { first, path: t.kind === 'entry' ? entryPath(first.model.spec, parseParamRef(t.ref)!, t.from, t.to) : await lineFrom(first, input, t) };
}
