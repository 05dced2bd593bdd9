/**
 * `batchNormalization(args)`: tfjs-layers' BatchNormalization, the same layer (weights, names, config,
 * inference, serialisation), whose training-mode call runs as one fused kernel and one fused gradient
 * where the active backend has them (the wasm training kernels, src/backend/wasm/batchNorm.ts), instead
 * of tf.moments + tf.batchNorm and their ~40-op gradient chain. Same mathematics: batch mean and
 * biased variance, y = (x − μ)·γ/√(σ² + ε) + β, moving averages updated exactly as tfjs-layers does
 * (moving ← moving − (moving − batch)·(1 − momentum)). Other backends, inference, and any layer set-up
 * the kernels do not cover (channels not last, no γ or β) run tfjs-layers' own code.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from '../backend/wasm/batchNorm';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type Kwargs = Record<string, unknown>;
type StockBatchNorm = ReturnType<typeof tf.layers.batchNormalization>;

/** The private fields of tfjs-layers' BatchNormalization that the fused call reads. */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: { read(): tf.Variable };
  beta?: { read(): tf.Variable };
  movingMean: { read(): tf.Variable; write(v: tf.Tensor): void };
  movingVariance: { read(): tf.Variable; write(v: tf.Tensor): void };
}

// tfjs-layers does not export the class itself, only its factory.
const StockBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (
  args?: BatchNormArgs,
) => StockBatchNorm;

/** True where a training call of this layer on `x` can use the fused kernels. */
function fusable(layer: BatchNormInternals, x: tf.Tensor): boolean {
  const axis = layer.axis >= 0 ? layer.axis : layer.axis + x.rank;
  return (
    axis === x.rank - 1 &&
    x.rank >= 2 &&
    x.dtype === 'float32' &&
    layer.gamma != null &&
    layer.beta != null &&
    tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) != null
  );
}

class FusedBatchNormalization extends StockBatchNormalization {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as BatchNormInternals;
    if (!kwargs.training || !fusable(self, x)) return super.call(inputs, kwargs);
    const gamma = (self.gamma as { read(): tf.Variable }).read();
    const beta = (self.beta as { read(): tf.Variable }).read();
    return tf.tidy(() => {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAIN, { x, gamma, beta }, { epsilon: self.epsilon }) as tf.Tensor[];
      const decay = 1 - self.momentum;
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        const orig = variable.read();
        variable.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
      }
      return y;
    });
  }
}

/** A BatchNormalization layer (tfjs-layers' arguments) whose training call is fused where it can be. */
export function batchNormalization(args: BatchNormArgs): StockBatchNorm {
  return new FusedBatchNormalization(args);
}
