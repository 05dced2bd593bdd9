/** Flag parsing shared by the CLI commands: one message style for a bad value, exit code 2 (UsageError). */
import { UsageError } from '../errors';

/** `--name` as an integer in [min, max], or a UsageError naming the flag, the range and what came. */
export function intFlag(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`Expected --${name} to be an integer in ${min}…${max}, but got "${raw}".`);
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
