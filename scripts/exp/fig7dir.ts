// Figure 7, smiling man: how much of the smile vector lies along the generator's male direction in z, and
// does projecting that part out (Shen et al. 2020, InterFaceGAN's conditional manipulation) keep the man?
// Also adds a random vector of the smile vector's norm, and half the smile vector. npx tsx scripts/exp/fig7dir.ts RUN_DIR
// Measured 2026-12-07 on runs/faces-dcgan-cpu (3,000 steps), banks 7 / 8, 3 exemplars per concept: the smile
// vector is nearly orthogonal to the male direction (cos 0.14 / 0.03), projecting that part out changes little
// (Male 0.60 / 0.00 against 0.56 / 0.00), while a random vector of the same norm keeps the man (Male 0.98 /
// 1.00): the smile vector itself turns the judge's reading female, not the size of the move.
import * as tf from '@tensorflow/tfjs';
import {
  noiseVariations,
  pixelFeatures,
  sampleBank,
  SMILING_MAN,
  WOMAN_WITH_GLASSES,
} from '../../src/analysis/vectorArithmetic';

import { equationZ, fig7Setup } from './fig7common';

async function main() {
  const { run, G, judge } = await fig7Setup();
  const A = judge.attributes;
  const judgeZ = (z: tf.Tensor2D) =>
    tf.tidy(() => judge.predict(pixelFeatures(G.predict(z) as tf.Tensor4D, 1)).arraySync());
  for (const bankSeed of [7, 8]) {
    const bank = sampleBank(G, run.models.prior, 2000, bankSeed, { pool: 1 });
    const probs = tf.tidy(() => judge.predict(bank.features).arraySync());
    const zs = bank.z.arraySync();
    const d = zs[0].length;
    /** mean z of rows with P(a) > 0.5 minus mean z of the others, as a unit vector. */
    const direction = (a: string) => {
      const j = A.indexOf(a);
      const pos = new Float64Array(d),
        neg = new Float64Array(d);
      let np = 0,
        nn = 0;
      zs.forEach((z, i) => {
        const t = probs[i][j] > 0.5 ? pos : neg;
        if (probs[i][j] > 0.5) np++;
        else nn++;
        z.forEach((v, k) => (t[k] += v));
      });
      const v = Array.from(pos, (p, k) => p / np - neg[k] / nn);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const dirs = Object.fromEntries(A.map((a) => [a, direction(a)]));
    for (const [eq, kept, moved] of [
      [SMILING_MAN, 'Male', 'Smiling'],
      [WOMAN_WITH_GLASSES, 'Male', 'Eyeglasses'],
    ] as const) {
      for (const per of [3, 10]) {
        const { conceptZ, result } = equationZ(bank.z, probs, A, eq, per);
        const cz = conceptZ.arraySync();
        const v = cz[0].map((x, k) => x - cz[1][k]);
        const m = dirs[kept];
        const dot = v.reduce((s, x, k) => s + x * m[k], 0);
        const vn = Math.hypot(...v);
        const proj = v.map((x, k) => x - dot * m[k]);
        const out: Record<string, string> = {};
        let seed = 11;
        const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
        const rv = v.map(() => rnd() + rnd() + rnd());
        const rn = Math.hypot(...rv);
        const random = rv.map((x) => (x * vn) / rn);
        const half = v.map((x) => x / 2);
        for (const [name, vec] of [
          ['plain', v],
          ['projected', proj],
          ['random, same norm', random],
          ['half', half],
        ] as const) {
          const r = tf.tensor1d(cz[2].map((x, k) => x + vec[k]));
          const varZ = noiseVariations(r, 8, 0.25, 0);
          const after = judgeZ(varZ);
          const mean = (a: string) => after.reduce((s, p) => s + p[A.indexOf(a)], 0) / after.length;
          out[name] = `${moved} ${mean(moved).toFixed(2)} ${kept} ${mean(kept).toFixed(2)}`;
          tf.dispose([r, varZ]);
        }
        console.log(
          `bank ${bankSeed} ${eq.expected.name} ×${per}: cos(v, ${kept} dir) ${(dot / vn).toFixed(2)}, |v| ${vn.toFixed(1)}; ${JSON.stringify(out)}`,
        );
        tf.dispose([conceptZ, result]);
      }
    }
    bank.dispose();
  }
}
main();
