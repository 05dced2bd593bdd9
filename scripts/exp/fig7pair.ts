// Figure 7 with paired exemplars: the second term's exemplars are not the judge's top 3 but, for each exemplar of
// the first term, the sample nearest to it in pixels among the judge's top K for the second concept, so that
// z̄₁ − z̄₂ keeps the attribute that differs and cancels what the pictures share (hair, skin, background).
// Radford et al. picked by hand, pictures that differ in the attribute. CNN judge (attributeCnn.ts).
// npx tsx scripts/exp/fig7pair.ts RUN_DIR
// Measured 2026-12-07 on runs/faces-dcgan-cpu, banks 7–10 of 2,000: woman with glasses stays without glasses whatever
// the pairing (P(Eyeglasses) ≤ 0.05 with the top 3, or paired within the top 30, 100 or 300 men without glasses);
// smiling man met +0.3 with P(Male) ≥ 0.5 in 3 of 4 banks with the top 3, 3, 2 and 1 of 4 paired within 30, 100, 300.
import * as tf from '@tensorflow/tfjs';
import { fitAttributeCnn } from '../../src/analysis/attributeCnn';
import {
  conceptArithmetic,
  conceptLogProb,
  noiseVariations,
  pixelFeatures,
  sampleBank,
  selectExemplars,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';
import { fig7Setup } from './fig7common';

async function main() {
  const { run, G, data, judge: pix } = await fig7Setup(process.argv.slice(0, 3));
  pix.dispose();
  const cnn = await fitAttributeCnn(data, ['Smiling', 'Male', 'Eyeglasses']);
  const A = cnn.attributes;
  const judgeZ = (z: tf.Tensor2D) =>
    tf.tidy(
      () =>
        cnn
          .predict(pixelFeatures(G.predict(z) as tf.Tensor4D, 1))
          .mean(0)
          .arraySync() as number[],
    );
  for (const seed of [7, 8, 9, 10]) {
    const bank = sampleBank(G, run.models.prior, 2000, seed, { pool: 1 });
    const probs = tf.tidy(() => cnn.predict(bank.features).arraySync());
    const feats = bank.features.arraySync();
    for (const eq of [SMILING_MAN, WOMAN_WITH_GLASSES]) {
      const concepts = eq.terms.map((t) => t.concept);
      const plain = selectExemplars(probs, A, concepts, 3).indices;
      const rows: Array<[string, number[][]]> = [['top 3', plain]];
      for (const K of [30, 100, 300]) {
        const lp1 = conceptLogProb(probs, A, concepts[1]);
        const used = new Set([...plain[0], ...plain[2]]);
        const cand = Array.from(lp1.keys())
          .filter((i) => !used.has(i))
          .sort((a, b) => lp1[b] - lp1[a])
          .slice(0, K);
        const pair = plain[0].map((e) => {
          let best = -1;
          let bd = Infinity;
          for (const c of cand) {
            if (used.has(c)) continue;
            let d = 0;
            for (let j = 0; j < feats[e].length; j++) d += (feats[e][j] - feats[c][j]) ** 2;
            if (d < bd) [bd, best] = [d, c];
          }
          used.add(best);
          return best;
        });
        rows.push([`paired in top ${K}`, [plain[0], pair, plain[2]]]);
      }
      for (const [name, ex] of rows) {
        const { conceptZ, result } = conceptArithmetic(
          bank.z,
          ex,
          eq.terms.map((t) => t.sign),
        );
        const varZ = noiseVariations(result, 8, 0.25, 1);
        const before = judgeZ(conceptZ.slice([2, 0], [1, -1]) as tf.Tensor2D);
        const after = judgeZ(varZ);
        const f = (p: number[]) => A.map((a, j) => `${a} ${p[j].toFixed(2)}`).join(', ');
        console.log(`bank ${seed} ${eq.expected.name}, ${name}: ${f(before)} → ${f(after)}`);
        tf.dispose([conceptZ, result, varZ]);
      }
    }
    bank.dispose();
  }
}
main();
