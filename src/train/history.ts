/**
 * A run's `history.jsonl`: one StepRecord per line, appended after each step. A checkpoint remembers how
 * many lines belong to it; on resume the file is cut back to them (a kill may leave later or torn lines).
 */
import * as fs from 'fs';
import { TrainConfigError } from '../errors';
import { writeFileAtomic } from '../util/fsAtomic';

/** The history's file name in a run directory. */
export const HISTORY_FILE = 'history.jsonl';

/** One line of history.jsonl. */
export interface StepRecord {
  /** Steps completed, counting this one (1-based). */
  step: number;
  /** 0-based epoch this step belongs to. */
  epoch: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch, a probability. */
  dReal: number;
  /** Mean D(G(z)) on the fakes, a probability. */
  dFake: number;
  /** Real images consumed per second by this step (batchSize · k / step time). */
  imgPerSec: number;
  /** Wall time of the step in milliseconds. */
  ms: number;
}

/** Append one record. */
export function appendHistory(file: string, record: StepRecord): void {
  fs.appendFileSync(file, JSON.stringify(record) + '\n');
}

/** The first `lines` complete records of history.jsonl (the steps a checkpoint covers). */
export function readHistory(file: string, lines: number): StepRecord[] {
  const records: StepRecord[] = [];
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (records.length >= lines || line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as StepRecord);
      } catch {
        break; // a torn last line from a kill
      }
    }
  }
  if (records.length !== lines) {
    throw new TrainConfigError(
      `${file} has ${records.length} readable records but the checkpoint covers ${lines} steps; the run directory is damaged.`,
    );
  }
  return records;
}

/** Rewrite history.jsonl keeping the first `lines` complete records (drops steps after the checkpoint). */
export function truncateHistory(file: string, lines: number): StepRecord[] {
  const records = readHistory(file, lines);
  writeFileAtomic(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
  return records;
}
