/**
 * Errors a person can fix: bad flags or options, a dataset or checkpoint that does not fit, a backend that
 * cannot load. Each says what was expected, what came, and what to do; the CLI prints the message without
 * a stack trace and exits with code 2 (src/cli/main.ts). Anything else is a bug or a failure: exit 1.
 */
export class UserError extends Error {
  override name = 'UserError';
}

/** A bad command-line flag or argument. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** Training options that do not fit together, or a run/checkpoint that does not fit them. */
export class TrainConfigError extends UserError {
  override name = 'TrainConfigError';
}
