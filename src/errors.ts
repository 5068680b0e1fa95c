/**
 * One error hierarchy for sweetspot. Each message states the rule and the offending value; the CLI
 * prints `error.message` on one line and exits non-zero, so messages must stand on their own.
 */
export class SweetspotError extends Error {
  override readonly name: string = 'SweetspotError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A search-space file broke a rule. Message shape: `<file>: <field>: <what was expected>, got <value>`. */
export class SpaceError extends SweetspotError {
  override readonly name = 'SpaceError';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${file}: ${field || '(root)'}: ${expected}`);
  }
}

/** An expression (constraint or balance efficiency) could not be parsed or evaluated. */
export class ExpressionError extends SweetspotError {
  override readonly name = 'ExpressionError';
}

/** Storage-level failures: a missing study, a changed space on resume, a finished trial touched again. */
export class StorageError extends SweetspotError {
  override readonly name: string = 'StorageError';
}

/**
 * A process tried to change a trial it no longer holds: its lease expired and another process
 * recovered the trial. Not a crash: the loop drops the late result with a warning.
 */
export class LeaseLostError extends StorageError {
  override readonly name = 'LeaseLostError';
}

/** A study or trial named on the command line does not exist. */
export class NotFoundError extends SweetspotError {
  override readonly name = 'NotFoundError';
}

/** An objective broke its contract (missing or non-finite metric, bad module). */
export class ObjectiveError extends SweetspotError {
  override readonly name = 'ObjectiveError';
}

/** Training data or options given to the Gaussian process broke a rule (shapes, finiteness, bounds). */
export class GPError extends SweetspotError {
  override readonly name: string = 'GPError';
}

/** A TensorFlow.js backend that was asked for by name could not be loaded. */
export class BackendError extends SweetspotError {
  override readonly name = 'BackendError';
}

/** A command-line option broke a rule. */
export class UsageError extends SweetspotError {
  override readonly name = 'UsageError';
}

/**
 * A command finished its work but must exit with a particular status (a run stopped by a signal:
 * 130/143/129; a run whose trials all failed: 1). The message is printed like any error's.
 */
export class ExitStatus extends SweetspotError {
  override readonly name = 'ExitStatus';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Render any thrown value as one line (no stack), for the CLI and for failed trials. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
