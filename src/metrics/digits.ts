/**
 * Digit-quality metrics for generated MNIST: classifier-FID against the held-out real test digits
 * and mode coverage. "Classifier-FID" uses our LeNet's features, not Inception's, so its values are
 * comparable only with each other — never with published Inception-based MNIST FIDs.
 */
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../data/mnist';
import {
  DEFAULT_WEIGHTS,
  extractFeatures,
  extractFeaturesAsync,
  FEATURE_DIM,
  loadClassifier,
  predictClasses,
  predictClassesAsync,
  type WeightsManifest,
} from './classifier';
import { modeCoverage, type Coverage } from './coverage';
import { frechetDistance, meanAndCovariance } from './frechet';

export interface DigitScores {
  classifierFid: number;
  coverage: Coverage;
  n: number;
}

export class DigitMetrics {
  private constructor(
    readonly model: tf.LayersModel,
    readonly manifest: WeightsManifest,
    private readonly realMean: Float64Array,
    private readonly realCov: Float64Array,
    readonly realCount: number,
  ) {}

  /** Load the committed classifier and the real test digits' feature statistics. */
  static async load(options: { weights?: string; real?: tf.Tensor4D } = {}): Promise<DigitMetrics> {
    const { model, manifest } = loadClassifier(options.weights ?? DEFAULT_WEIGHTS);
    let real = options.real;
    let owned = false;
    if (!real) {
      const test = await loadMnist({ split: 'test' });
      real = test.take(test.count);
      owned = true;
    }
    const n = real.shape[0];
    let features: Float32Array;
    try {
      features = await extractFeaturesAsync(model, real);
    } finally {
      if (owned) real.dispose();
    }
    const { mean, cov } = meanAndCovariance(features, n, FEATURE_DIM);
    return new DigitMetrics(model, manifest, mean, cov, n);
  }

  /** Classifier-FID and mode coverage of generated digits [N, 28, 28, 1] in [-1, 1]. Synchronous: cpu/wasm only. */
  score(generated: tf.Tensor4D): DigitScores {
    return this.scores(extractFeatures(this.model, generated), predictClasses(this.model, generated));
  }

  /** `score`, read with `await data()`: works on every backend, WebGPU included. */
  async scoreAsync(generated: tf.Tensor4D): Promise<DigitScores> {
    const features = await extractFeaturesAsync(this.model, generated);
    return this.scores(features, await predictClassesAsync(this.model, generated));
  }

  private scores(features: Float32Array, classes: Int32Array): DigitScores {
    const n = classes.length;
    const g = meanAndCovariance(features, n, FEATURE_DIM);
    return {
      classifierFid: frechetDistance(this.realMean, this.realCov, g.mean, g.cov),
      coverage: modeCoverage(classes),
      n,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}
