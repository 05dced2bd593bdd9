/**
 * Errors for bad or missing data: the message says what was expected, what came, which file,
 * and what to do. The CLI prints them without a stack trace (exit code 2).
 */
import { UserError } from '../errors';

export class DatasetError extends UserError {
  override name = 'DatasetError';
}
