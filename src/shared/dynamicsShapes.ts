// Validators of what the dynamics jobs carry (src/core/dynamics): trajectories, their fates and
// attractors, and basin grids. Each is checked against the engine's type (exactly<T>).
import type { Attractor, BoundedCharacter, DynamicsResult, Fate, KnownCycle, Trajectory } from '../core/dynamics/types';
import type { BasinResult, BasinRow, BasinSlice } from '../core/dynamics/basins';
import { MessageError, bool, dict, exactly, int, intFrom, list, num, numberMatrix, numbers, obj, oneOf, optional, record, str, type Validator } from './validate';

const character = oneOf<BoundedCharacter>(['quasi-periodic', 'chaotic', 'long-period', 'undetermined']);
const indices = list(int);

export const parseKnownCycle: Validator<KnownCycle> = record({ order: intFrom(1), points: numberMatrix });

export const parseFate: Validator<Fate> = (v, what) => {
  const kind = oneOf(['cycle', 'unlisted-cycle', 'bounded', 'diverges'] as const)(obj(v, what).kind, `${what}.kind`);
  if (kind === 'cycle') return { kind, ...record({ cycle: int, order: intFrom(1) })(v, what) };
  if (kind === 'unlisted-cycle') return { kind, ...record({ order: intFrom(1), points: numberMatrix })(v, what) };
  if (kind === 'bounded') return { kind, ...record({ character, lyapunov: num })(v, what) };
  return { kind, ...record({ step: int })(v, what) };
};

export const parseTrajectory = exactly<Trajectory>()(record({ start: numbers, head: numberMatrix, tail: numberMatrix, steps: int, fate: parseFate }));

export const parseAttractor: Validator<Attractor> = (v, what) => {
  const kind = oneOf(['cycle', 'unlisted-cycle', 'bounded', 'diverges'] as const)(obj(v, what).kind, `${what}.kind`);
  if (kind === 'cycle') return { kind, ...record({ cycle: int, order: intFrom(1), trajectories: indices })(v, what) };
  if (kind === 'unlisted-cycle') return { kind, ...record({ order: intFrom(1), points: numberMatrix, trajectories: indices })(v, what) };
  if (kind === 'bounded') return { kind, ...record({ character, lyapunov: num, trajectories: indices, lo: numbers, hi: numbers })(v, what) };
  return { kind, ...record({ trajectories: indices })(v, what) };
};

export const parseDynamicsResult = exactly<DynamicsResult>()(
  record({ trajectories: list(parseTrajectory), attractors: list(parseAttractor), sentence: str, maxSteps: int, skipped: optional(str), cancelled: bool }),
);

/** What a trajectories job is asked: the search's maxOrder and seed, optional counts and starts. */
export const parseSimulateOptions = record({
  maxOrder: intFrom(1),
  seed: optional(int),
  starts: optional(int),
  maxSteps: optional(intFrom(10)),
  lyapunovSteps: optional(intFrom(1)),
  from: optional(numberMatrix),
});

const range: Validator<[number, number]> = (v, what) => {
  const r = numbers(v, what);
  if (r.length !== 2) throw new MessageError(`${what} must be [from, to]`);
  return [r[0], r[1]];
};

export const parseBasinSlice = exactly<BasinSlice>()(record({ x: int, y: int, xRange: range, yRange: range, nx: intFrom(2), ny: intFrom(2), base: numbers }));
export const parseBasinOptions = record({ maxOrder: intFrom(1), maxSteps: optional(intFrom(10)) });
export const parseBasinRow = exactly<BasinRow>()(record({ index: int, y: num, cells: list((v, w) => int(v, w, -3)) }));
export const parseBasinResult = exactly<BasinResult>()(
  record({
    x: record({ coordinate: int, values: numbers }),
    y: record({ coordinate: int, values: numbers }),
    base: numbers,
    rows: list(parseBasinRow),
    counts: dict(int),
    maxSteps: int,
    seconds: num,
    cancelled: bool,
  }),
);
