import { loadModelFile } from '../core/io/load';
import { findCycles } from '../core/scyfi';
import { InputError } from '../core/errors';
import { intFlag, parseArgs } from './args';
import { formatResult } from './format';
import { modelOptions } from './inspect';

/** Orders searched when --max-order is not given. */
export const DEFAULT_MAX_ORDER = 10;
const LIMIT = 1_000_000_000;

export const FIND_USAGE = 'scyfi find <model> [--max-order K] [--outer N] [--inner N] [--seed S] [--json] [--architecture A] [--P n]';

export async function findCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const args = parseArgs(argv, ['max-order', 'outer', 'inner', 'seed', 'json', 'architecture', 'P'], ['json']);
  if (args.positional.length !== 1) throw new InputError(`find needs exactly one model file: ${FIND_USAGE}`);
  const file = args.positional[0];
  const options = {
    maxOrder: intFlag(args, 'max-order', 1, 1000) ?? DEFAULT_MAX_ORDER,
    outerLoop: intFlag(args, 'outer', 1, LIMIT),
    innerLoop: intFlag(args, 'inner', 1, LIMIT),
    seed: intFlag(args, 'seed', 0, 2 ** 32 - 1),
  };
  const { model } = await loadModelFile(file, modelOptions(args));
  const result = findCycles(model.map, options);
  const modelInfo = { architecture: model.spec.architecture, M: model.map.M, H: model.map.H };
  if (args.flags.has('json')) {
    const { candidates, seconds } = result.stats;
    out(JSON.stringify({ model: modelInfo, cycles: result.cycles, stats: { candidates, seconds } }));
  } else {
    out(formatResult(result, `${file}: ${modelInfo.architecture}, M = ${modelInfo.M}, H = ${modelInfo.H}, orders 1–${options.maxOrder}`, options.maxOrder));
  }
  return 0;
}
