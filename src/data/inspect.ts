/**
 * `gan data inspect`'s report: count, per-example shape, dtype and min / max / mean of a
 * dataset's [-1, 1] tensors. Computed exactly from a 256-bin histogram of the stored uint8 values
 * (each maps to one float through U8_TO_UNIT), so even 200k CelebA images need no float copy.
 */
import { U8_TO_UNIT, type Uint8Dataset } from './uint8Dataset';

export interface InspectReport {
  dataset: string;
  split: string;
  source: string;
  standIn: boolean;
  count: number;
  shape: number[];
  dtype: 'float32';
  min: number;
  max: number;
  mean: number;
  skipped: number;
}

export function inspectDataset(ds: Uint8Dataset, split: string): InspectReport {
  const hist = ds.histogram();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  for (let v = 0; v < 256; v++) {
    if (hist[v] === 0) continue;
    const f = U8_TO_UNIT[v];
    min = Math.min(min, f);
    max = Math.max(max, f);
    sum += f * hist[v];
    n += hist[v];
  }
  return {
    dataset: ds.name,
    split,
    source: ds.source,
    standIn: ds.standIn,
    count: ds.count,
    shape: [...ds.shape],
    dtype: 'float32',
    min: n > 0 ? min : NaN,
    max: n > 0 ? max : NaN,
    mean: n > 0 ? sum / n : NaN,
    skipped: ds.skipped,
  };
}
