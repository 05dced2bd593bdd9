// Figure 7 with the CNN judge, woman with glasses: can the generator draw glasses on women, do the concepts'
// mean z keep their attributes, and does any variant of the equation carry glasses over?
// npx tsx scripts/exp/fig7glasses.ts RUN_DIR
// Measured 2026-12-07 on runs/faces-dcgan-cpu (`gan train --recipe faces-dcgan`, 3,000 steps; CNN judge 4 epochs
// on 16,000 faces, held-out accuracy 0.906 / 0.906 / 0.985), banks 2,000 / 5,000 × seeds 7 / 8:
// - the generator draws glasses on 15–16 % of its women and 6–7 % of its men (real: 20 % of each), and smiles on
//   72–75 % of its faces (real: 48–53 %);
// - G(z̄) of the men with glasses keeps the glasses at 3, 10 and 30 exemplars (P(Eyeglasses) 1.00 every time);
//   G(z̄) of 3–30 neutral women often smiles (P(Smiling) up to 0.98): the mean of z lands on smiling faces;
// - woman with glasses never gains glasses: P(Eyeglasses) ≤ 0.05 in all 16 cases (Smiling held or free, 3 or 10
//   exemplars); P(Male) rises instead (up to 0.73). fig7pair.ts: pairing each man without glasses to the nearest
//   (in pixels) man with glasses does not help either (≤ 0.05 on banks 7–10);
// - smiling man: +0.3 with P(Male) ≥ 0.5 in 5 of 8 cases with Eyeglasses held at −1, 6 of 8 with it free.
import * as tf from '@tensorflow/tfjs';
import { fitAttributeCnn } from '../../src/analysis/attributeCnn';
import {
  gatherFeatures,
  pixelFeatures,
  sampleBank,
  vectorArithmetic,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';
import { equationZ, fig7Setup, without } from './fig7common';

/** Glasses and smiles among the rows the judge calls men and women. */
function rates(p: number[][], name: string): void {
  const pc = (s: number[][], j: number) =>
    `${((100 * s.filter((r) => r[j] > 0.5).length) / s.length).toFixed(1)} %`;
  const men = p.filter((r) => r[1] > 0.5);
  const women = p.filter((r) => r[1] <= 0.5);
  console.log(
    `${name}: ${men.length} men (glasses ${pc(men, 2)}, smiling ${pc(men, 0)}), ` +
      `${women.length} women (glasses ${pc(women, 2)}, smiling ${pc(women, 0)})`,
  );
}

async function main() {
  const { run, G, data, judge: pix } = await fig7Setup(process.argv.slice(0, 3));
  pix.dispose();
  const cnn = await fitAttributeCnn(data, ['Smiling', 'Male', 'Eyeglasses']);
  const real = gatherFeatures(data, cnn.heldOutIndices, 1);
  rates(
    tf.tidy(() => cnn.predict(real).arraySync()),
    'real held-out',
  );
  real.dispose();
  const judgeZ = (z: tf.Tensor2D) =>
    tf.tidy(() => cnn.predict(pixelFeatures(G.predict(z) as tf.Tensor4D, 1)).arraySync());
  const f = (o: Record<string, number>) => cnn.attributes.map((a) => `${a} ${o[a].toFixed(2)}`).join(', ');
  for (const [n, seed] of [
    [2000, 7],
    [2000, 8],
    [5000, 7],
    [5000, 8],
  ]) {
    const bank = sampleBank(G, run.models.prior, n, seed, { pool: 1 });
    const probs = tf.tidy(() => cnn.predict(bank.features).arraySync());
    rates(probs, `bank ${n}/${seed}`);
    for (const per of [3, 10, 30]) {
      const { conceptZ, result } = equationZ(bank.z, probs, cnn.attributes, WOMAN_WITH_GLASSES, per);
      const p = judgeZ(conceptZ);
      console.log(
        `  ${per} per concept, G(z̄) [Smiling Male Eyeglasses]: ` +
          WOMAN_WITH_GLASSES.terms
            .map((t, k) => `${t.concept.name} [${p[k].map((v) => v.toFixed(2)).join(' ')}]`)
            .join('; '),
      );
      tf.dispose([conceptZ, result]);
    }
    for (const [name, eq] of [
      ['woman with glasses, Smiling free', without(WOMAN_WITH_GLASSES, 'Smiling')],
      ['woman with glasses', WOMAN_WITH_GLASSES],
      ['smiling man, Eyeglasses free', without(SMILING_MAN, 'Eyeglasses')],
      ['smiling man', SMILING_MAN],
    ] as const)
      for (const perConcept of [3, 10]) {
        const r = vectorArithmetic(bank, G, cnn, eq, { seed: 1, scale: 3, perConcept });
        console.log(`  ${name}, ${perConcept} per concept: ${f(r.baseline)} → ${f(r.result)}`);
        r.z.dispose();
      }
    bank.dispose();
  }
}
main();
