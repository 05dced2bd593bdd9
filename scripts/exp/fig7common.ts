// Shared setup of the Figure 7 probes (fig7bank.ts, fig7dir.ts, fig7cnn.ts): a trained faces run's EMA
// generator, the 32×32 face set and tutorial 03's CPU judge (pixel logistic regression, 4,000 real images
// to fit, 2,000 held out, 300 steps; the third and fourth command-line arguments override the first and last).
import { initBackend } from '../../src/backend';
import { loadCeleba } from '../../src/data/celeba';
import { loadGenerator } from '../../src/train/checkpointModels';
import { samplingGenerator } from '../../src/models';
import * as tf from '@tensorflow/tfjs';
import {
  conceptArithmetic,
  fitAttributeClassifier,
  selectExemplars,
  type ConceptEquation,
} from '../../src/analysis/vectorArithmetic';

export async function fig7Setup(argv: readonly string[] = process.argv) {
  const [runDir, trainExamples = '4000', judgeSteps = '300'] = argv.slice(2);
  if (!runDir)
    throw new Error('Expected a faces run directory as the first argument, e.g. runs/faces-dcgan-cpu.');
  await initBackend();
  const run = loadGenerator(runDir);
  const G = samplingGenerator(run.models);
  const data = await loadCeleba({ dir: 'data/celeba', size: 32 });
  const judge = fitAttributeClassifier(data, ['Smiling', 'Male', 'Eyeglasses'], {
    trainExamples: Number(trainExamples),
    heldOutExamples: 2000,
    steps: Number(judgeSteps),
    pool: 1,
  });
  return { run, G, data, judge };
}

/** `eq` without `attribute` in any concept (the library holds each equation's third attribute fixed). */
export function without(eq: ConceptEquation, attribute: string): ConceptEquation {
  const drop = (c: ConceptEquation['expected']) => ({
    ...c,
    attributes: Object.fromEntries(Object.entries(c.attributes).filter(([a]) => a !== attribute)),
  });
  return { terms: eq.terms.map((t) => ({ ...t, concept: drop(t.concept) })), expected: drop(eq.expected) };
}

/** The equation's exemplars chosen among the bank's rows by `probs`, their mean z per concept and the result z. */
export function equationZ(
  z: tf.Tensor2D,
  probs: number[][],
  attributes: readonly string[],
  eq: ConceptEquation,
  perConcept: number,
): { conceptZ: tf.Tensor2D; result: tf.Tensor1D } {
  const ex = selectExemplars(
    probs,
    attributes,
    eq.terms.map((t) => t.concept),
    perConcept,
  );
  return conceptArithmetic(
    z,
    ex.indices,
    eq.terms.map((t) => t.sign),
  );
}
