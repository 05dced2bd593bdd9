// Figure 7 with the CNN judge (src/analysis/attributeCnn.ts) instead of the pixel logistic regression: its
// held-out accuracy, its top-20 picks on real faces, and the arithmetic on four sample banks, judged by it
// and, as a second opinion, by the pixel judge.
// npx tsx scripts/exp/fig7judge.ts RUN_DIR [EPOCHS WIDTH TRAIN_EXAMPLES]
// Measured 2026-12-07 on runs/faces-dcgan-cpu (defaults: 4 epochs, width 16, 16,000 faces, 67 s): held-out accuracy
// 0.906 / 0.906 / 0.985 (Smiling / Male / Eyeglasses) against the pixel judge's 0.760 / 0.839 / 0.933; top-20 picks
// 20, 20, 20, 17, 20, 20 of 20. Smiling man met +0.3 with P(Male) ≥ 0.5 on banks 7, 8 and 10 of 7–10 with 3
// exemplars (0.00 → 0.98 with Male 0.96 on bank 7, tutorial 03's) and on 9 and 10 with 10; woman with glasses on
// none (P(Eyeglasses) ≤ 0.03).
import * as tf from '@tensorflow/tfjs';
import { fitAttributeCnn } from '../../src/analysis/attributeCnn';
import {
  noiseVariations,
  pixelFeatures,
  sampleBank,
  selectionCheck,
  vectorArithmetic,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';
import { fig7Setup } from './fig7common';

async function main() {
  const { run, G, data, judge: pix } = await fig7Setup(process.argv.slice(0, 3));
  const [epochs = '4', width = '16', trainExamples = '16000'] = process.argv.slice(3);
  const cnn = await fitAttributeCnn(data, pix.attributes, {
    epochs: Number(epochs),
    width: Number(width),
    trainExamples: Number(trainExamples),
    onEpoch: (e, loss, s) => console.log(`epoch ${e + 1}: loss ${loss.toFixed(4)}, ${s.toFixed(0)} s`),
  });
  const acc = (j: typeof cnn) => j.heldOutAccuracy.map((a) => a.toFixed(3)).join(' / ');
  console.log(`held-out accuracy (${cnn.attributes.join(' / ')}): CNN ${acc(cnn)}, pixel ${acc(pix)}`);
  const concepts = [SMILING_MAN, WOMAN_WITH_GLASSES].flatMap((eq) => eq.terms.map((t) => t.concept));
  for (const c of selectionCheck(cnn, data, concepts, 20))
    console.log(`  top-20 ${c.concept}: ${c.correct}/20 (base ${(100 * c.baseRate).toFixed(0)} %)`);
  const f = (o: Record<string, number>) => cnn.attributes.map((a) => `${a} ${o[a].toFixed(2)}`).join(', ');
  for (const bankSeed of [7, 8, 9, 10]) {
    const bank = sampleBank(G, run.models.prior, 2000, bankSeed, { pool: 1 });
    for (const [i, eq] of [SMILING_MAN, WOMAN_WITH_GLASSES].entries())
      for (const perConcept of [3, 10]) {
        const r = vectorArithmetic(bank, G, cnn, eq, { seed: i, scale: 3, perConcept });
        const second = tf.tidy(() => {
          const imgs = G.predict(noiseVariations(r.z, 8, 0.25, i)) as tf.Tensor4D;
          const p = pix.predict(pixelFeatures(imgs, 1)).mean(0).dataSync();
          return Object.fromEntries(pix.attributes.map((a, j) => [a, p[j]]));
        });
        console.log(
          `bank ${bankSeed} ${eq.expected.name} ×${perConcept}: ${f(r.baseline)} → ${f(r.result)} | pixel judge ${f(second)}`,
        );
        r.z.dispose();
      }
    bank.dispose();
  }
}
main();
