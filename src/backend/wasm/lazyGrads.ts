/**
 * Gradients only where the tape needs them. Under a gradient tape, tfjs-core 4.22 runs `tf.fused.conv2d`
 * and `tf.fused.matMul` with a linear activation (every tfjs-layers Conv2D and Dense) as one fused
 * kernel whose customGrad computes the gradient of every input eagerly: in a GAN step that is the
 * image gradient of D's first layer in D's update and all of D's weight gradients in G's update,
 * which nothing reads (a third of D's backward convolutions, 2 of 5 in G's first dense layer). While
 * wasm is the backend, those ops under a tape run as tfjs-core's own unfused form (conv2d / matMul,
 * then the bias added), whose gradients are computed only for inputs on a path from the
 * differentiated variables. Outside a tape (sampling, evaluation) nothing changes.
 */
import * as tf from '@tensorflow/tfjs';

type FusedConv2dArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];

let installed = false;

/** Under a tape, on wasm, with no fused activation: the case handled here. */
function unfuse(args: { activation?: string; preluActivationWeights?: unknown }): boolean {
  const depth = (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth;
  return (
    depth > 0 &&
    tf.getBackend() === 'wasm' &&
    (args.activation ?? 'linear') === 'linear' &&
    args.preluActivationWeights == null
  );
}

/** Install the two wrappers (idempotent); returns their names for the backend report. */
export function installLazyGrads(): string[] {
  if (!installed) {
    installed = true;
    const fused = tf.fused as unknown as Record<string, unknown>;
    const conv2d = tf.fused.conv2d;
    const matMul = tf.fused.matMul;
    fused.conv2d = (args: FusedConv2dArgs): tf.Tensor => {
      if (!unfuse(args)) return conv2d(args);
      const { x, filter, strides, pad, dataFormat, dilations, dimRoundingMode, bias } = args;
      const y = tf.conv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
      return bias == null ? y : tf.add(y, bias);
    };
    fused.matMul = (args: FusedMatMulArgs): tf.Tensor => {
      if (!unfuse(args)) return matMul(args);
      const { a, b, transposeA, transposeB, bias } = args;
      const y = tf.matMul(a, b, transposeA, transposeB);
      return bias == null ? y : tf.add(y, bias);
    };
  }
  return ['fused.conv2d', 'fused.matMul'];
}
