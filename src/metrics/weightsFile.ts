/**
 * The weights files of the metric networks (the MNIST classifier, the face-attribute net): `<base>.bin`
 * holds every weight as float32 little-endian, in `model.getWeights()` order, and `<base>.json` the
 * manifest: a format name and version, the name and shape of each weight, and what the caller adds
 * (accuracy, training set, …). Both are written atomically, the bin first.
 *   writeWeightsFile(base, { format, version, weights: weightEntries(model), ...info }, arrays);
 *   const { model, manifest } = loadWeightsFile(base, kind, () => buildClassifier());
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from '../util/fsAtomic';

/** What every weights manifest holds; each network's manifest adds its own fields. */
export interface WeightsFileManifest {
  format: string;
  version: number;
  weights: Array<{ name: string; shape: number[] }>;
}

/** Which weights a file must hold, and how to tell the user to make them. */
export interface WeightsKind {
  format: string;
  version: number;
  /** Names the weights in "… not found" (e.g. `Classifier weights`). */
  label: string;
  /** Appended when the files are missing (e.g. "Train them with `npx gan train-classifier`."). */
  missingHint: string;
  /** Appended when the manifest is not JSON. */
  invalidHint: string;
}

/** The manifest's `weights` list of a model: each weight's name and shape. */
export function weightEntries(model: tf.LayersModel): WeightsFileManifest['weights'] {
  return model.getWeights().map((w, i) => ({ name: model.weights[i].name, shape: w.shape }));
}

/** Write `<base>.bin` (the arrays, concatenated) and `<base>.json` (the manifest), each atomically. */
export function writeWeightsFile(
  base: string,
  manifest: WeightsFileManifest,
  arrays: readonly Float32Array[],
): void {
  const bytes = Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  fs.mkdirSync(path.dirname(base), { recursive: true });
  writeFileAtomic(`${base}.bin`, bytes);
  writeJsonAtomic(`${base}.json`, manifest, 2);
}

/** The manifest of `<base>.json` and the bytes of `<base>.bin`, the format and version checked. */
function readWeightsFile<M extends WeightsFileManifest>(
  base: string,
  kind: WeightsKind,
): { manifest: M; bin: Buffer; jsonFile: string; binFile: string } {
  const jsonFile = `${base}.json`;
  const binFile = `${base}.bin`;
  if (!fs.existsSync(jsonFile) || !fs.existsSync(binFile)) {
    throw new Error(`${kind.label} not found: expected ${jsonFile} and ${binFile}. ${kind.missingHint}`);
  }
  let manifest: M;
  try {
    manifest = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  } catch (e) {
    throw new Error(`${jsonFile}: not valid JSON (${(e as Error).message}). ${kind.invalidHint}`);
  }
  if (
    manifest.format !== kind.format ||
    manifest.version !== kind.version ||
    !Array.isArray(manifest.weights)
  ) {
    throw new Error(
      `${jsonFile}: expected format ${kind.format} v${kind.version}, got ${manifest.format} v${manifest.version}.`,
    );
  }
  return { manifest, bin: fs.readFileSync(binFile), jsonFile, binFile };
}

/** The bin split into one array per weight, each checked against the model's shape and the byte length. */
function splitWeights(
  listed: WeightsFileManifest['weights'],
  expected: readonly number[][],
  bin: Buffer,
  jsonFile: string,
  binFile: string,
): Float32Array[] {
  if (listed.length !== expected.length) {
    throw new Error(
      `${jsonFile}: expected ${expected.length} weight tensors, the file lists ${listed.length}.`,
    );
  }
  let offset = 0;
  const arrays = listed.map((w, i) => {
    if (JSON.stringify(w.shape) !== JSON.stringify(expected[i])) {
      throw new Error(
        `${jsonFile}: weight ${i} (${w.name}) has shape [${w.shape}], the model expects [${expected[i]}].`,
      );
    }
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bin.length)
      throw new Error(`${binFile}: truncated (${bin.length} bytes) at weight ${i} (${w.name}).`);
    const data = new Float32Array(
      bin.buffer.slice(bin.byteOffset + offset, bin.byteOffset + offset + size * 4),
    );
    offset += size * 4;
    return data;
  });
  if (offset !== bin.length) throw new Error(`${binFile}: expected ${offset} bytes, found ${bin.length}.`);
  return arrays;
}

/**
 * Load weights written by `writeWeightsFile` into a fresh `build()` model, validating the manifest,
 * every shape and the byte length; on any error the model is disposed and the error names the file.
 */
export function loadWeightsFile<M extends WeightsFileManifest, T extends tf.LayersModel>(
  base: string,
  kind: WeightsKind,
  build: () => T,
): { model: T; manifest: M } {
  const { manifest, bin, jsonFile, binFile } = readWeightsFile<M>(base, kind);
  const model = build();
  let arrays: Float32Array[];
  try {
    const expected = model.getWeights().map((w) => w.shape);
    arrays = splitWeights(manifest.weights, expected, bin, jsonFile, binFile);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const tensors = arrays.map((a, i) => tf.tensor(a, manifest.weights[i].shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return { model, manifest };
}
