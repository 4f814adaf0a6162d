import type { LoadOptions, ParameterMap } from '../../core/io/load';

/** The loader's options for a job that names its file and may carry the scyfi.parameterMap setting. */
export function loadOptions(job: { displayName: string; parameterMap?: Record<string, unknown>; model?: number }): LoadOptions {
  const opts: LoadOptions = { displayName: job.displayName };
  if (job.model !== undefined) opts.model = job.model;
  // The loader checks the map's shape and names the setting in its errors.
  if (job.parameterMap && Object.keys(job.parameterMap).length > 0) opts.parameterMap = job.parameterMap as ParameterMap;
  return opts;
}
