// Tiny job kinds for the runner's tests, declared like the real ones (src/shared/jobs.ts) and
// implemented in testWorker.ts, which serves them next to the real 'find' and 'inspect'.
import { jobKind } from '../../../src/shared/jobs';
import { anything, bool, int, record } from '../../../src/shared/validate';

/** Emits 0..n-1 as fast as it can, then ends with n. */
export const CountJob = jobKind({ kind: 'test-count', input: record({ n: int }), item: int, end: int, partial: (items) => items.length });

/** Emits `first` items, waits `ms` (the thread idle, so only the batch timer can send them), ends with `value`. */
export const SleepJob = jobKind({ kind: 'test-sleep', input: record({ ms: int, value: int, first: int }), item: int, end: int });

/** Ends its thread with exit code `code` before it answers. */
export const CrashJob = jobKind({ kind: 'test-crash', input: record({ code: int }), end: int });

/**
 * Spins synchronously, emitting a number about every `everyMs`; stops when cancelled only when
 * `heed` is set. Its partial end counts what it streamed.
 */
export const SpinJob = jobKind({
  kind: 'test-spin',
  input: record({ heed: bool, everyMs: int }),
  item: int,
  end: record({ emitted: int, cancelled: bool }),
  partial: (items) => ({ emitted: items.length, cancelled: true }),
});

/** Like SpinJob ignoring cancellation, but its kind has no partial end. */
export const BlockJob = jobKind({ kind: 'test-block', input: record({}), end: int });

/** What the host expects of 'test-liar': numbers. */
export const LiarJob = jobKind({ kind: 'test-liar', input: record({}), item: int, end: int });
/** What the worker serves as 'test-liar': it emits a string. */
export const LiarWorkerSide = jobKind({ kind: 'test-liar', input: record({}), item: anything, end: int });
