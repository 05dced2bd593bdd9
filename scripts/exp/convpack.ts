// DCGAN-64's discriminator convolutions on wasm (batch 64, 4×4, stride 2, 'same'): XNNPACK's convolution with the
// filter unchanged (operator cached) against a new filter each call (as after every Adam step), to size the cost
// of packing filters; and the two gradients (ours: Conv2DBackpropInput, Conv2DBackpropFilter). npx tsx scripts/exp/convpack.ts
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { timeMs as time } from './timing';

async function main() {
  console.log((await initBackend()).device);
  const layers: Array<[number, number, number]> = [
    [64, 3, 64],
    [32, 64, 128],
    [16, 128, 256],
    [8, 256, 512],
  ];
  for (const [size, ci, co] of layers) {
    const x = tf.randomNormal([64, size, size, ci]) as tf.Tensor4D;
    const w = tf.randomNormal([4, 4, ci, co]) as tf.Tensor4D;
    const reps = 5;
    const copy = time(() => tf.add(w, 0).dispose(), reps);
    const same = time(() => tf.conv2d(x, w, 2, 'same').dispose(), reps);
    const fresh =
      time(() => tf.tidy(() => void tf.conv2d(x, tf.add(w, 0) as tf.Tensor4D, 2, 'same')), reps) - copy;
    const dy = tf.randomNormal([64, size / 2, size / 2, co]) as tf.Tensor4D;
    const dx = time(() => tf.conv2dTranspose(dy, w, [64, size, size, ci], 2, 'same').dispose(), reps);
    const dw = time(
      () =>
        tf.tidy(
          () =>
            void tf.grad((f: tf.Tensor) =>
              tf
                .conv2d(x, f as tf.Tensor4D, 2, 'same')
                .mul(dy)
                .sum(),
            )(w),
        ),
      reps,
    );
    const gf = (2 * 64 * (size / 2) ** 2 * 16 * ci * co) / 1e6;
    const f = (ms: number) => `${ms.toFixed(1)} ms (${(gf / ms).toFixed(0)} GF/s)`;
    console.log(
      `${size}×${size}×${ci} → ${co}: filter unchanged ${f(same)}, new filter ${f(fresh)}; ` +
        `input gradient ${f(dx)}; forward + filter gradient ${f(dw)}`,
    );
    dy.dispose();
    tf.dispose([x, w]);
  }
}
main();
