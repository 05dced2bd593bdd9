/** An in-memory face set for the analysis tests: uint8 images of `shape` with CelebA-style ±1 attributes. */
import { MemoryStore, Uint8Dataset } from '../../src/data/uint8Dataset';

export function attributedDataset(
  name: string,
  shape: [number, number, number],
  data: Uint8Array,
  attributes: { names: string[]; values: Int8Array },
): Uint8Dataset {
  return new Uint8Dataset({
    name,
    source: 'test',
    standIn: true,
    shape,
    store: new MemoryStore(data, shape[0] * shape[1] * shape[2]),
    attributes,
  });
}
