/** Flag parsing shared by the CLI commands: one message style for a bad value, exit code 2 (UsageError). */
import { UsageError } from '../errors';

/**
 * `--name` as an integer in [min, max] (`max` Infinity: no upper bound), or a UsageError naming the flag,
 * the range and what came.
 */
export function intFlag(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `≥ ${min}` : `in ${min}…${max}`;
    throw new UsageError(`Expected --${name} to be an integer ${range}, but got "${raw}".`);
  }
  return v;
}

/** `--name` as a number in [lo, hi), or a UsageError naming the flag, the range and what came. */
export function numFlag(name: string, raw: string, lo: number, hi: number): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < lo || v >= hi) {
    throw new UsageError(`Expected --${name} to be a number in [${lo}, ${hi}), but got "${raw}".`);
  }
  return v;
}

/**
 * `--name` as one of `choices` (compared case-insensitively), or a UsageError listing them and what came.
 */
export function choiceFlag<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  const v = choices.find((c) => c.toLowerCase() === raw.trim().toLowerCase());
  if (v === undefined) {
    throw new UsageError(`Expected --${name} to be one of ${choices.join(', ')}, but got "${raw}".`);
  }
  return v;
}

/*
 * Commander argParsers (the third argument of `.option()`): the value is checked while commander parses, so a
 * bad flag stops the command before it loads anything, with the message above and exit code 2. The default
 * (fourth argument) is given already parsed.
 */

/** argParser: an integer in [min, max] (`max` Infinity: no upper bound). */
export function intArg(name: string, min: number, max = Infinity): (raw: string) => number {
  return (raw) => intFlag(name, raw, min, max);
}

/** argParser: a number in [lo, hi). */
export function numArg(name: string, lo: number, hi: number): (raw: string) => number {
  return (raw) => numFlag(name, raw, lo, hi);
}

/** argParser: one of `choices`. */
export function choiceArg<T extends string>(name: string, choices: readonly T[]): (raw: string) => T {
  return (raw) => choiceFlag(name, raw, choices);
}
