// Figure 7 exploration: on a trained run's generator, how the exemplar count and rescaling the result z
// to the typical norm √d change what the attribute judge sees. npx tsx scripts/exp/fig7.ts runs/03-dcgan-celeba/faces-dcgan
import * as tf from '@tensorflow/tfjs';
import { equationZ, fig7Setup } from './fig7common';
import {
  sampleBank,
  noiseVariations,
  pixelFeatures,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';

async function main() {
  const { run, G, judge } = await fig7Setup();
  const d = run.models.latentDim;
  const judgeZ = (z: tf.Tensor2D) =>
    tf.tidy(() => judge.predict(pixelFeatures(G.predict(z) as tf.Tensor4D, 1)).arraySync());
  for (const bankSize of [2000, 5000])
    for (const bankSeed of [7, 8]) {
      const bank = sampleBank(G, d, bankSize, bankSeed, { pool: 1 });
      const probs = tf.tidy(() => judge.predict(bank.features).arraySync());
      for (const per of [3, 10, 30])
        for (const renorm of [false, true]) {
          const out: Record<string, unknown> = { bankSize, bankSeed, per, renorm };
          for (const eq of [SMILING_MAN, WOMAN_WITH_GLASSES]) {
            const { conceptZ, result } = equationZ(bank.z, probs, judge.attributes, eq, per);
            const r = renorm
              ? (tf.tidy(() => tf.mul(result, Math.sqrt(d) / tf.norm(result).dataSync()[0])) as tf.Tensor1D)
              : result;
            const varZ = noiseVariations(r, 8, 0.25, 0);
            const after = judgeZ(varZ);
            const base = judgeZ(conceptZ.slice([2, 0], [1, d]) as tf.Tensor2D)[0];
            const mean = (j: number) => after.reduce((s, p) => s + p[j], 0) / after.length;
            const a = judge.attributes;
            out[eq.expected.name] = Object.fromEntries(
              a.map((n, j) => [n, `${base[j].toFixed(2)}→${mean(j).toFixed(2)}`]),
            );
            out[`norm_${eq.expected.name}`] = +tf.norm(result).dataSync()[0].toFixed(1);
            tf.dispose([conceptZ, result, r, varZ]);
          }
          console.log(JSON.stringify(out));
        }
      bank.dispose();
    }
}
main();
