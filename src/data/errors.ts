/**
 * Errors for bad or missing data: the message says what was expected, what came, which file,
 * and what to do. The CLI prints them without a stack trace (exit code 2).
 */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
