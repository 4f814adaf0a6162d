import { printable } from './text';

/**
 * An error caused by the user's input (a model file, a checkpoint, a CLI argument).
 * Its message is one line, names the source and the problem, and is shown to the user as is;
 * the CLI exits with code 2 for it. Anything else that is thrown is an internal error.
 */
export class InputError extends Error {
  /**
   * @param jsonPath where in a JSON model the problem sits (e.g. ['W', 1, 0]), so editors can
   *   place a diagnostic at the offending key.
   */
  constructor(
    message: string,
    readonly jsonPath?: readonly (string | number)[],
  ) {
    // One line, and nothing a terminal would act on (a name from a file may hold ESC or CR).
    super(printable(message.replace(/\s*\n\s*/g, ' ')));
    this.name = 'InputError';
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/** Thrown by long computations when their cancellation token fires. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
