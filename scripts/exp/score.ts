// The digit metrics as one short JSON row, the same rounding in every probe.
import type { DigitQuality } from '../../src/metrics/quality';

export const digitRow = (q: DigitQuality) => ({
  conf: +q.confident.toFixed(3),
  cls: q.classesCovered,
  kl: +q.klToUniform.toFixed(3),
  fid: +q.classifierFid.toFixed(1),
});
