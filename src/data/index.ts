/**
 * The datasets of the tutorials behind one entry point: `loadDataset('mnist' | 'celeba', options)`
 * returns an ImageDataset (NHWC float32 in [-1, 1], seeded shuffled batches). Re-exports the
 * loaders, the stand-in generator and the contract types.
 */
import { DatasetError } from './errors';
import { loadMnist, type MnistOptions } from './mnist';
import { loadCeleba, type CelebaOptions } from './celeba';
import type { ImageDataset } from './types';

export const DATASET_NAMES = ['mnist', 'celeba'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export type DatasetOptions = MnistOptions | CelebaOptions;

/** Throws a DatasetError listing the valid names when `name` is not one of them. */
export function parseDatasetName(name: string): DatasetName {
  const n = name.trim().toLowerCase();
  if ((DATASET_NAMES as readonly string[]).includes(n)) return n as DatasetName;
  throw new DatasetError(`Unknown dataset "${name}". Expected one of: ${DATASET_NAMES.join(', ')}.`);
}

/** Load a dataset by name (options as for loadMnist / loadCeleba). */
export async function loadDataset(name: 'mnist', options?: MnistOptions): Promise<ImageDataset>;
export async function loadDataset(name: 'celeba', options?: CelebaOptions): Promise<ImageDataset>;
export async function loadDataset(name: string, options?: DatasetOptions): Promise<ImageDataset>;
export async function loadDataset(name: string, options: DatasetOptions = {}): Promise<ImageDataset> {
  switch (parseDatasetName(name)) {
    case 'mnist':
      return loadMnist(options as MnistOptions);
    case 'celeba':
      return loadCeleba(options as CelebaOptions);
  }
}

export * from './types';
export { DatasetError } from './errors';
export { loadMnist, EMBEDDED_SOURCE, EMBEDDED_SPLIT, type MnistOptions, type MnistSplit } from './mnist';
export {
  loadCeleba,
  defaultCelebaDir,
  examplesWithAttribute,
  type CelebaOptions,
  type CelebaSplit,
} from './celeba';
export { generateStandin, CELEBA_ATTRIBUTES, type StandinOptions } from './standin';
export { IdxError } from './idx';
export { CELEBA_SIZES, type CelebaSize, type PrepareProgress } from './celebaCache';
export { inspectDataset, type InspectReport } from './inspect';
export { Uint8Dataset } from './uint8Dataset';
