// Figure 7 with the attribute an equation does not vary held fixed in every concept: does it stop the
// third attribute from confounding the arithmetic? Runs tutorial 03's pipeline (cpu judge, a 2,000-sample
// bank, seed 7) on a trained faces run for each variant. npx tsx scripts/exp/fig7pin.ts runs/03-dcgan-celeba/faces-dcgan
// Measured 2026-12-07 on a local 03 run (2,294 steps, not the committed one), banks 7 / 8, P(attribute) before → after:
// woman with glasses as is: Eyeglasses 0.00 → 0.90 / 0.00 → 0.03; with Smiling −1 pinned: 0.05 → 0.99 / 0.02 → 1.00,
// Male 0.42 / 0.07 (kept). Smiling man as is: Smiling 0.01 → 0.96 / 0.01 → 0.82 but Male 0.74 → 0.01 / 0.99 → 0.35
// and Eyeglasses up to 0.79 / 0.48; with Eyeglasses −1 pinned the glasses stay off (0.00) but Male still falls
// (0.02 / 0.29): in that generator the smile direction carries femaleness, which pinning cannot remove.
import { initBackend } from '../../src/backend';
import { loadCeleba } from '../../src/data/celeba';
import { loadGenerator } from '../../src/train/checkpointModels';
import { samplingGenerator } from '../../src/models';
import {
  fitAttributeClassifier,
  sampleBank,
  vectorArithmetic,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
  type ConceptEquation,
} from '../../src/analysis/vectorArithmetic';

/** `eq` with `extra` added to every concept's attributes (terms and the expected one). */
function pinned(eq: ConceptEquation, extra: Record<string, 1 | -1>): ConceptEquation {
  const pin = (c: ConceptEquation['expected']) => ({ ...c, attributes: { ...c.attributes, ...extra } });
  return { terms: eq.terms.map((t) => ({ ...t, concept: pin(t.concept) })), expected: pin(eq.expected) };
}

async function main() {
  await initBackend();
  const run = loadGenerator(process.argv[2]);
  const G = samplingGenerator(run.models);
  const data = await loadCeleba({ dir: 'data/celeba', size: 32 });
  const judge = fitAttributeClassifier(data, ['Smiling', 'Male', 'Eyeglasses'], {
    trainExamples: 4000,
    heldOutExamples: 2000,
    steps: 300,
    pool: 1,
  });
  const variants: Array<[string, ConceptEquation, number]> = [
    ['smiling man', SMILING_MAN, 0],
    ['smiling man, Eyeglasses −1', pinned(SMILING_MAN, { Eyeglasses: -1 }), 0],
    ['woman with glasses', WOMAN_WITH_GLASSES, 1],
    ['woman with glasses, Smiling −1', pinned(WOMAN_WITH_GLASSES, { Smiling: -1 }), 1],
    ['woman with glasses, Smiling +1', pinned(WOMAN_WITH_GLASSES, { Smiling: 1 }), 1],
  ];
  for (const bankSeed of [7, 8]) {
    const bank = sampleBank(G, run.models.prior, 2000, bankSeed, { pool: 1 });
    for (const [name, eq, seed] of variants) {
      const r = vectorArithmetic(bank, G, judge, eq, { seed, scale: 3 });
      const f = (o: Record<string, number>) =>
        judge.attributes.map((a) => `${a} ${o[a].toFixed(2)}`).join(', ');
      console.log(`bank ${bankSeed} ${name}: before ${f(r.baseline)} → after ${f(r.result)}`);
      r.z.dispose();
    }
    bank.dispose();
  }
  judge.dispose();
}

main();
