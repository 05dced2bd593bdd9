/**
 * Checkpoints of a training run in `runs/<name>/`: `latest.json` points at `checkpoints/<id>/`, which
 * holds `manifest.json` (config, step/epoch, RNG state, a table of tensors) and `weights.bin` (G and D
 * weights, both optimizers' moments, the fixed noise; little-endian float32, back to back). A checkpoint
 * is written into a temp directory, fsynced and renamed, and only then does the pointer move (temp file +
 * rename), so a kill at any instant leaves the previous checkpoint loadable. Loading treats every file
 * as untrusted: sizes, JSON structure, tensor table, byte lengths and a SHA-256 are all checked.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { TMP_FILE_PATTERN, writeDirAtomic, writeFileAtomic, writeFileSynced } from '../util/fsAtomic';

export const CHECKPOINT_FORMAT = 'gan-notebooks/checkpoint';
export const CHECKPOINT_VERSION = 1;
const POINTER_FILE = 'latest.json';
const CHECKPOINT_DIR = 'checkpoints';
const MANIFEST_FILE = 'manifest.json';
const WEIGHTS_FILE = 'weights.bin';
/** Refuse manifests larger than this before parsing them (a real one is a few tens of kB). */
const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
/** Refuse weight files larger than this (dcgan-64 with Adam state is ≈ 76 MB). */
const MAX_WEIGHTS_BYTES = 2 * 1024 * 1024 * 1024;
const ID_PATTERN = /^step-\d{9}-[0-9a-z]+$/;

export class CheckpointError extends UserError {
  override name = 'CheckpointError';
}

export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in weights.bin. */
  offset: number;
  byteLength: number;
}

/** Everything in manifest.json. `config` is the run's TrainConfig (src/train/config.ts): what a resume reads back. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  createdAt: string;
  /** Steps completed. */
  step: number;
  /** Epoch the next step belongs to (0-based). */
  epoch: number;
  /** State of the noise RNG after `step` steps. */
  noiseRngState: number;
  /** Adam's t for D and G. */
  dOptimizerStep: number;
  gOptimizerStep: number;
  /** Lines of history.jsonl that belong to this checkpoint (= steps). */
  historyLines: number;
  config: Record<string, unknown>;
  tensors: TensorEntry[];
  weightsBytes: number;
  weightsSha256: string;
}

export type CheckpointState = Omit<
  CheckpointManifest,
  'format' | 'version' | 'createdAt' | 'tensors' | 'weightsBytes' | 'weightsSha256'
>;

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface LoadedCheckpoint {
  /** The checkpoint directory. */
  dir: string;
  manifest: CheckpointManifest;
  /** Tensors by name, in file order. */
  tensors: Map<string, NamedArray>;
}

export function pointerPath(runDir: string): string {
  return path.join(runDir, POINTER_FILE);
}

/** True when `runDir` has a checkpoint pointer (a run was started there). */
export function hasCheckpoint(runDir: string): boolean {
  return fs.existsSync(pointerPath(runDir));
}

/**
 * Write a checkpoint and move the pointer to it; keeps the newest `keep` checkpoints (default 2) and
 * removes temp directories left by killed writers. Returns the checkpoint directory.
 */
export function writeCheckpoint(
  runDir: string,
  state: CheckpointState,
  arrays: NamedArray[],
  keep = 2,
): string {
  const ckptRoot = path.join(runDir, CHECKPOINT_DIR);
  fs.mkdirSync(ckptRoot, { recursive: true });
  const tensors: TensorEntry[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const a of arrays) {
    if (seen.has(a.name)) throw new CheckpointError(`Duplicate tensor name "${a.name}" in checkpoint.`);
    seen.add(a.name);
    const n = a.shape.reduce((x, y) => x * y, 1);
    if (n !== a.data.length) {
      throw new CheckpointError(
        `Tensor "${a.name}": shape [${a.shape}] needs ${n} values, got ${a.data.length}.`,
      );
    }
    tensors.push({ name: a.name, shape: [...a.shape], dtype: 'float32', offset, byteLength: 4 * n });
    offset += 4 * n;
  }
  const weights = Buffer.alloc(offset);
  for (let i = 0; i < arrays.length; i++) {
    const d = arrays[i].data;
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(weights, tensors[i].offset);
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    ...state,
    tensors,
    weightsBytes: offset,
    weightsSha256: crypto.createHash('sha256').update(weights).digest('hex'),
  };
  const id = `step-${String(state.step).padStart(9, '0')}-${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const finalDir = path.join(ckptRoot, id);
  writeDirAtomic(finalDir, (tmpDir) => {
    writeFileSynced(path.join(tmpDir, WEIGHTS_FILE), weights);
    writeFileSynced(path.join(tmpDir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
  });
  writeFileAtomic(
    pointerPath(runDir),
    JSON.stringify({ format: CHECKPOINT_FORMAT, checkpoint: id, step: state.step }) + '\n',
  );
  // Only now is the old checkpoint unreferenced; prune old ones and leftovers of killed writers.
  const dirs = fs.readdirSync(ckptRoot).sort();
  const complete = dirs.filter((d) => ID_PATTERN.test(d) && d !== id);
  for (const d of complete.slice(0, Math.max(0, complete.length - (keep - 1)))) {
    fs.rmSync(path.join(ckptRoot, d), { recursive: true, force: true });
  }
  for (const d of dirs.filter((x) => x.startsWith('.tmp-'))) {
    fs.rmSync(path.join(ckptRoot, d), { recursive: true, force: true });
  }
  // Temp files of atomic writes interrupted by a kill (this run has one writer: this process).
  for (const f of fs.readdirSync(runDir)) {
    if (TMP_FILE_PATTERN.test(f) && !f.includes(`.tmp-${process.pid}-`))
      fs.rmSync(path.join(runDir, f), { force: true });
  }
  return finalDir;
}

function fail(file: string, what: string): never {
  throw new CheckpointError(
    `${file}: ${what}. The checkpoint is damaged or not from this program; ` +
      `delete the run directory or start a new run with another --out.`,
  );
}

function isNonNegInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function readJson(file: string): unknown {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new CheckpointError(`${file} is missing: the checkpoint is incomplete.`);
  }
  if (!st.isFile()) fail(file, 'expected a regular file');
  if (st.size > MAX_MANIFEST_BYTES)
    fail(file, `expected at most ${MAX_MANIFEST_BYTES} bytes, found ${st.size}`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Read the pointer and return the checkpoint directory it names (validated: no path tricks). */
export function latestCheckpointDir(runDir: string): string {
  const file = pointerPath(runDir);
  if (!fs.existsSync(file)) {
    throw new CheckpointError(
      `No checkpoint in ${runDir}: ${POINTER_FILE} is missing. Train first (npx gan train --out ${runDir}).`,
    );
  }
  const p = readJson(file) as Record<string, unknown>;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) fail(file, 'expected a JSON object');
  if (p.format !== CHECKPOINT_FORMAT)
    fail(file, `expected format "${CHECKPOINT_FORMAT}", got ${JSON.stringify(p.format)}`);
  if (typeof p.checkpoint !== 'string' || !ID_PATTERN.test(p.checkpoint)) {
    fail(
      file,
      `expected "checkpoint" to be an id like step-000000012-xxxx, got ${JSON.stringify(p.checkpoint)}`,
    );
  }
  return path.join(runDir, CHECKPOINT_DIR, p.checkpoint);
}

function validateManifest(file: string, m: unknown): CheckpointManifest {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(file, 'expected a JSON object');
  const o = m as Record<string, unknown>;
  if (o.format !== CHECKPOINT_FORMAT)
    fail(file, `expected format "${CHECKPOINT_FORMAT}", got ${JSON.stringify(o.format)}`);
  if (o.version !== CHECKPOINT_VERSION)
    fail(file, `expected version ${CHECKPOINT_VERSION}, got ${JSON.stringify(o.version)}`);
  for (const k of [
    'step',
    'epoch',
    'noiseRngState',
    'dOptimizerStep',
    'gOptimizerStep',
    'historyLines',
    'weightsBytes',
  ] as const) {
    if (!isNonNegInt(o[k]))
      fail(file, `expected "${k}" to be a non-negative integer, got ${JSON.stringify(o[k])}`);
  }
  if ((o.noiseRngState as number) > 0xffffffff) fail(file, 'noiseRngState is not a uint32');
  if ((o.weightsBytes as number) > MAX_WEIGHTS_BYTES)
    fail(file, `weightsBytes ${o.weightsBytes} is implausibly large`);
  if (typeof o.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.weightsSha256)) {
    fail(file, 'expected "weightsSha256" to be 64 hex digits');
  }
  if (typeof o.config !== 'object' || o.config === null || Array.isArray(o.config)) {
    fail(file, 'expected "config" to be an object');
  }
  if (!Array.isArray(o.tensors)) fail(file, 'expected "tensors" to be an array');
  let offset = 0;
  const names = new Set<string>();
  o.tensors.forEach((t: unknown, i: number) => {
    const where = `tensors[${i}]`;
    if (typeof t !== 'object' || t === null) fail(file, `${where}: expected an object`);
    const e = t as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name.length === 0 || e.name.length > 200)
      fail(file, `${where}: bad name`);
    if (names.has(e.name)) fail(file, `${where}: duplicate name "${e.name}"`);
    names.add(e.name);
    if (e.dtype !== 'float32')
      fail(file, `${where} (${e.name}): expected dtype float32, got ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.length > 8 || !e.shape.every((d) => isNonNegInt(d) && d > 0)) {
      fail(
        file,
        `${where} (${e.name}): expected shape to be positive integers, got ${JSON.stringify(e.shape)}`,
      );
    }
    const n = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (e.byteLength !== 4 * n) {
      fail(
        file,
        `${where} (${e.name}): shape [${e.shape}] needs ${4 * n} bytes, byteLength says ${JSON.stringify(e.byteLength)}`,
      );
    }
    if (e.offset !== offset) {
      fail(
        file,
        `${where} (${e.name}): expected offset ${offset} (tensors are back to back), got ${JSON.stringify(e.offset)}`,
      );
    }
    offset += 4 * n;
  });
  if (offset !== o.weightsBytes)
    fail(file, `the tensor table covers ${offset} bytes but weightsBytes is ${o.weightsBytes}`);
  return o as unknown as CheckpointManifest;
}

/** The validated manifest of the checkpoint `latest.json` points at (or `dir`), without the weights. */
export function readManifest(runDir: string, dir = latestCheckpointDir(runDir)): CheckpointManifest {
  const file = path.join(dir, MANIFEST_FILE);
  return validateManifest(file, readJson(file));
}

/** Load and validate the checkpoint `latest.json` points at (or `dir` when given). */
export function loadCheckpoint(runDir: string, dir = latestCheckpointDir(runDir)): LoadedCheckpoint {
  const manifest = readManifest(runDir, dir);
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  let size: number;
  try {
    size = fs.statSync(weightsFile).size;
  } catch {
    throw new CheckpointError(`${weightsFile} is missing: the checkpoint is incomplete.`);
  }
  if (size !== manifest.weightsBytes) {
    fail(weightsFile, `expected ${manifest.weightsBytes} bytes (from manifest.json), found ${size}`);
  }
  const buf = fs.readFileSync(weightsFile);
  const sha = crypto.createHash('sha256').update(buf).digest('hex');
  if (sha !== manifest.weightsSha256) fail(weightsFile, 'SHA-256 does not match manifest.json (corrupted)');
  const tensors = new Map<string, NamedArray>();
  for (const t of manifest.tensors) {
    // Copy into an aligned buffer: Float32Array needs a 4-byte aligned offset.
    const data = new Float32Array(t.byteLength / 4);
    Buffer.from(data.buffer).set(buf.subarray(t.offset, t.offset + t.byteLength));
    if (!data.every(Number.isFinite)) fail(weightsFile, `tensor "${t.name}" holds NaN or Inf`);
    tensors.set(t.name, { name: t.name, shape: t.shape, data });
  }
  return { dir, manifest, tensors };
}
