/**
 * What every rung of the backend ladder shares: the rung names, the loader contract, the error a person
 * can act on, and turning a failed native load into a diagnosis. The ladder itself is src/backend/index.ts.
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';

/** Names accepted by `GAN_BACKEND` and `--backend`, fastest first (the ladder's order). */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Aliases people type: the tfjs backend names themselves. */
const ALIASES: Record<string, BackendName> = {
  tensorflow: 'tfjs-node-gpu',
  'tensorflow-gpu': 'tfjs-node-gpu',
  gpu: 'tfjs-node-gpu',
  node: 'tfjs-node',
  'tensorflow-cpu': 'tfjs-node',
};

/** What a rung's loader returns when it succeeds. */
export interface RungResult {
  device: string;
  gpu: boolean;
  details?: Record<string, string | number | boolean>;
}

/**
 * A rung of the ladder: tries to load and activate its backend; throws an Error whose message
 * explains why not (the message becomes the `skipped` entry). Injectable for tests.
 */
export type RungLoader = (context: RungContext) => Promise<RungResult>;

/** What a rung is told about how it was reached. */
export interface RungContext {
  /** True when GAN_BACKEND / `force` named this rung; false when the ladder is choosing. */
  forced: boolean;
}

export class BackendError extends UserError {
  override name = 'BackendError';
}

/** Parse a backend name from GAN_BACKEND / --backend; throws listing the valid names. */
export function parseBackendName(raw: string): BackendName {
  const name = raw.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  if (name in ALIASES) return ALIASES[name];
  throw new BackendError(
    `Unknown backend "${raw}". Expected one of: ${BACKEND_NAMES.join(', ')} ` +
      `(set GAN_BACKEND or --backend to one of these, or leave it unset to let the ladder choose).`,
  );
}

/**
 * Turn a native-library load failure into a diagnosis that names the cause and the fix.
 * tfjs-node-gpu 4.x binds libtensorflow 2.9.1, built for CUDA 11.2 and cuDNN 8.1.
 */
export function diagnoseLoadError(pkg: string, err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const first = msg.split('\n')[0];
  if (
    /Cannot find module '(@tensorflow\/tfjs-node(-gpu)?|webgpu|@tensorflow\/tfjs-backend-webgpu)'/.test(msg)
  ) {
    return 'not installed';
  }
  const cuda = /(libcudart\.so[.\d]*|libcublas\w*\.so[.\d]*|libcufft\.so[.\d]*|libcusolver\.so[.\d]*)/.exec(
    msg,
  );
  if (cuda) {
    return (
      `${cuda[1]} not found — ${pkg} 4.x needs CUDA 11.2 and cuDNN 8.1 (CUDA 12 alone is not enough). ` +
      `Install the CUDA 11.x runtime libraries (or use GAN_BACKEND=webgpu, which needs only a Vulkan driver).`
    );
  }
  const cudnn = /(libcudnn\w*\.so[.\d]*)/.exec(msg);
  if (cudnn) {
    return `${cudnn[1]} not found — ${pkg} 4.x needs cuDNN 8.1 for CUDA 11.2. Install cuDNN 8 and add it to LD_LIBRARY_PATH.`;
  }
  if (/driver version is insufficient|CUDA driver version/i.test(msg)) {
    return `NVIDIA driver too old for CUDA 11.2 (needs ≥ 460): update the driver. (${first})`;
  }
  if (/libtensorflow|tfjs_binding\.node|napi-v\d/.test(msg)) {
    return (
      `${pkg}: installed but its native library is missing (its install step downloads libtensorflow, ` +
      `which failed or was skipped). Re-run \`npm rebuild ${pkg === 'tfjs-node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'}\` with internet access.`
    );
  }
  return first;
}

/** `AMD EPYC …, 2 cores`: the CPU as the report names it. */
export function cpuDescription(): string {
  const cpus = os.cpus();
  const model = cpus.length > 0 ? cpus[0].model.trim() : 'unknown CPU';
  return `${model}, ${cpus.length} cores`;
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Make `name` the active tfjs backend, or throw. */
export async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}
