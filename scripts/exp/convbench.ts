// Conv2D per layer shape, alone: conv.wat's conv_tiles (conv2dOptions.direct) against the stock XNNPACK
// convolution; wasm, medians of 7 calls after 2, in GFLOP/s. npx tsx scripts/exp/convbench.ts
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { kernelMs } from './timing';
import { conv2dOptions } from '../../src/backend/wasm/conv2d';

// [name, x, filter, stride, pad]: D's convolutions, and the input gradients of G's transposed ones (a convolution
// of G's output gradient with G's filter).
const LAYERS: Array<
  [string, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid']
> = [
  ['dcgan-64 D1', [64, 64, 64, 3], [4, 4, 3, 64], 2, 'same'],
  ['dcgan-64 D2', [64, 32, 32, 64], [4, 4, 64, 128], 2, 'same'],
  ['dcgan-64 D3', [64, 16, 16, 128], [4, 4, 128, 256], 2, 'same'],
  ['dcgan-64 D4', [64, 8, 8, 256], [4, 4, 256, 512], 2, 'same'],
  ['dcgan-64 G5 dx', [64, 64, 64, 3], [4, 4, 3, 64], 2, 'same'],
  ['dcgan-64 G2 dx', [64, 8, 8, 256], [4, 4, 256, 512], 2, 'same'],
  ['dcgan-64 G1 dx', [64, 4, 4, 512], [4, 4, 512, 100], 1, 'valid'],
  ['dcgan-32 D2', [64, 16, 16, 32], [4, 4, 32, 64], 2, 'same'],
  ['dcgan-28 D2', [64, 14, 14, 16], [4, 4, 16, 32], 2, 'same'],
];

async function main() {
  console.log((await initBackend({ force: 'wasm' })).device, `load ${os.loadavg()[0].toFixed(2)}`);
  for (const [name, xs, ws, s, pad] of [LAYERS[0], ...LAYERS]) {
    const x = tf.randomNormal(xs) as tf.Tensor4D;
    const w = tf.randomNormal(ws) as tf.Tensor4D;
    const run = () => tf.conv2d(x, w, s, pad);
    const y = run();
    const flops = 2 * y.size * ws[0] * ws[1] * ws[2];
    const ms: number[] = [];
    for (const direct of [true, false]) {
      conv2dOptions.direct = direct;
      ms.push(kernelMs(run));
    }
    const g = (m: number) => `${m.toFixed(1)} ms (${(flops / m / 1e6).toFixed(0)} GFLOP/s)`;
    console.log(`${name.padEnd(16)} direct ${g(ms[0])}; XNNPACK ${g(ms[1])}: ${(ms[1] / ms[0]).toFixed(2)}×`);
    tf.dispose([x, w, y]);
  }
  console.log(`load ${os.loadavg()[0].toFixed(2)}`);
}
main();
