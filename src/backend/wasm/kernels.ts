/**
 * Registers the fast training kernels on the wasm backend: a missing Conv2DBackpropFilter, and
 * overrides for Conv2D, Conv2DBackpropInput, BatchMatMul, leading-axis Sum and Mean, Tile, Transpose of the last
 * two axes, Identity, Add, LeakyRelu, Greater against a scalar and Select; training-mode batch norm and its gradient as two kernels
 * of ours (src/backend/wasm/batchNorm.ts, called by src/models/batchNorm.ts); and the unfused form of
 * fused conv2d / matMul under a gradient tape (src/backend/wasm/lazyGrads.ts). Called by the ladder's activation
 * hook (src/backend/wasm/index.ts) when wasm is chosen; other backends are untouched.
 */
import * as tf from '@tensorflow/tfjs';
import { addFast, greaterFast, leakyReluFast, selectFast } from './activation';
import { batchMatMulFast } from './batchMatMul';
import {
  BATCH_NORM_GRAD,
  BATCH_NORM_TRAIN,
  batchNormGradFast,
  batchNormTrainFast,
  registerBatchNormGradient,
} from './batchNorm';
import { conv2dFast } from './conv2d';
import { conv2dBackpropFilterFast } from './conv2dBackpropFilter';
import { conv2dBackpropInputFast } from './conv2dBackpropInput';
import { captureOriginal } from './heap';
import { installLazyGrads } from './lazyGrads';
import { identityShared } from './identity';
import { meanFast, sumFast } from './reduce';
import { tileFast } from './tile';
import { transposeFast } from './transpose';

/** The kernels this module installs, by tfjs kernel name. */
export const TRAINING_KERNELS: Readonly<Record<string, tf.KernelFunc>> = {
  Add: addFast as unknown as tf.KernelFunc,
  BatchMatMul: batchMatMulFast as unknown as tf.KernelFunc,
  Conv2D: conv2dFast as unknown as tf.KernelFunc,
  Conv2DBackpropFilter: conv2dBackpropFilterFast as unknown as tf.KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInputFast as unknown as tf.KernelFunc,
  Tile: tileFast as unknown as tf.KernelFunc,
  Transpose: transposeFast as unknown as tf.KernelFunc,
  Sum: sumFast as unknown as tf.KernelFunc,
  Mean: meanFast as unknown as tf.KernelFunc,
  Identity: identityShared as unknown as tf.KernelFunc,
  LeakyRelu: leakyReluFast as unknown as tf.KernelFunc,
  Greater: greaterFast as unknown as tf.KernelFunc,
  Select: selectFast as unknown as tf.KernelFunc,
  [BATCH_NORM_TRAIN]: batchNormTrainFast as unknown as tf.KernelFunc,
  [BATCH_NORM_GRAD]: batchNormGradFast as unknown as tf.KernelFunc,
};

/** Kernels of the stock wasm backend ours call into; captured before any override. */
const USED_ORIGINALS = [
  'Add',
  'BatchMatMul',
  'Conv2D',
  'Transpose',
  'Slice',
  'Sum',
  'Mean',
  'Identity',
  'LeakyRelu',
  'Greater',
  'Select',
];

let installed = false;

/** Install the kernels (idempotent). Returns their names for the backend report. */
export function registerTrainingKernels(): string[] {
  if (!installed) {
    for (const name of USED_ORIGINALS) captureOriginal(name);
    for (const [kernelName, kernelFunc] of Object.entries(TRAINING_KERNELS)) {
      if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
    registerBatchNormGradient();
    installLazyGrads();
    installed = true;
  }
  return Object.keys(TRAINING_KERNELS);
}

/** True once `registerTrainingKernels` ran. */
export function trainingKernelsInstalled(): boolean {
  return installed;
}
