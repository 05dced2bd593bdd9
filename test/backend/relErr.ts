/** Shared by the wasm kernel tests. */
import { strict as assert } from 'assert';

/** max |a − b| / max(1e-3, max |a|): a relative error that tolerates exact zeros. */
export function relErr(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  assert.equal(got.length, ref.length, 'output sizes differ');
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ref[i] - got[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}
