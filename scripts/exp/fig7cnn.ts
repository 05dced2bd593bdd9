// Figure 7 judged by the face-feature CNN (src/metrics/faces.ts, the 40-attribute network behind face-FID)
// instead of the pixel logistic regression: exemplars chosen by it, the result judged by it and by the pixel
// judge. npx tsx scripts/exp/fig7cnn.ts RUN_DIR
// Measured 2026-12-07 on runs/faces-dcgan-cpu (3,000 steps): the CNN is the weaker judge on real held-out faces
// (Smiling 0.632, Male 0.829, Eyeglasses 0.896 against the pixel judge's 0.760 / 0.839 / 0.933), and on the
// same result images the two judges disagree (bank 7 smiling man: CNN Male 0.09, pixel judge 0.61).
import * as tf from '@tensorflow/tfjs';
import { loadFaceNet, toFaceInput } from '../../src/metrics/faces';
import {
  noiseVariations,
  pixelFeatures,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';
import { sampleNoise } from '../../src/train/step';
import { Rng } from '../../src/util/rng';

import { equationZ, fig7Setup } from './fig7common';

async function main() {
  const { run, G, data, judge: pix } = await fig7Setup();
  const A = [...pix.attributes];
  const { model: net, manifest } = loadFaceNet();
  const cols = A.map((a) => manifest.attributes.indexOf(a));
  const cnnP = (imgs: tf.Tensor4D) =>
    tf.tidy(() => {
      const logits = net.predict(toFaceInput(imgs)) as tf.Tensor2D;
      return tf.sigmoid(tf.gather(logits, tf.tensor1d(cols, 'int32'), 1)).arraySync() as number[][];
    });
  // the CNN on the pixel judge's held-out real images
  const real = data.gather(pix.heldOutIndices);
  const rp = cnnP(real);
  real.dispose();
  const vals = data.attributes!;
  const acc = A.map((a, c) => {
    const j = vals.names.indexOf(a);
    let hit = 0;
    pix.heldOutIndices.forEach(
      (idx, i) => (hit += (rp[i][c] > 0.5 ? 1 : -1) === vals.values[idx * vals.names.length + j] ? 1 : 0),
    );
    return `${a} ${(hit / rp.length).toFixed(3)} (pixel judge ${pix.heldOutAccuracy[c].toFixed(3)})`;
  });
  console.log(`CNN held-out accuracy: ${acc.join(', ')}`);
  for (const bankSeed of [7, 8]) {
    const z = sampleNoise(new Rng(bankSeed), 2000, run.models.prior);
    const probs: number[][] = [];
    for (let s = 0; s < 2000; s += 250) {
      const imgs = G.predict(z.slice([s, 0], [250, -1])) as tf.Tensor4D;
      probs.push(...cnnP(imgs));
      imgs.dispose();
    }
    for (const [i, eq] of [SMILING_MAN, WOMAN_WITH_GLASSES].entries()) {
      const { conceptZ, result } = equationZ(z, probs, A, eq, 3);
      const varZ = noiseVariations(result, 8, 0.25, i);
      const after = G.predict(varZ) as tf.Tensor4D;
      const before = G.predict(conceptZ.slice([2, 0], [1, -1])) as tf.Tensor4D;
      const mean = (p: number[][]) =>
        A.map((a, c) => `${a} ${(p.reduce((s, r) => s + r[c], 0) / p.length).toFixed(2)}`).join(', ');
      const pixP = (imgs: tf.Tensor4D) => tf.tidy(() => pix.predict(pixelFeatures(imgs, 1)).arraySync());
      console.log(
        `bank ${bankSeed} ${eq.expected.name}: CNN ${mean(cnnP(before))} → ${mean(cnnP(after))}; pixel judge ${mean(pixP(before))} → ${mean(pixP(after))}`,
      );
      tf.dispose([conceptZ, result, varZ, after, before]);
    }
    z.dispose();
  }
}
main();
