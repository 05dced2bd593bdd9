/**
 * Identity for the wasm backend without a copy: the output shares the input's buffer (refcounted),
 * as the cpu backend does. tfjs buffers are never written in place (variables swap buffers on
 * assign), so sharing is safe; tfjs-backend-wasm 4.22 copies every tensor passed through Identity,
 * which happens hundreds of times per DCGAN step (gradients, clones, layer outputs).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runKernel, type TensorInfo } from './heap';

export function identityShared(args: { inputs: { x: TensorInfo }; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') return runKernel('Identity', backend, { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
