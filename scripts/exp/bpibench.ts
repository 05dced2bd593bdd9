// Conv2DBackpropInput per layer shape, alone: conv.wat's conv_tiles phase by phase (conv2dBackpropInputOptions.direct)
// against one XNNPACK convolution per phase; wasm, medians of 7 calls after 2, in GFLOP/s.
// npx tsx scripts/exp/bpibench.ts
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { kernelMs } from './timing';
import { conv2dBackpropInputOptions } from '../../src/backend/wasm/conv2dBackpropInput';

// [name, dx shape (the conv's input), filter, stride, pad]: DCGAN layers. G's transposed convolutions run as the
// input gradient of the convolution from G's output to its input.
const LAYERS: Array<
  [string, [number, number, number, number], [number, number, number, number], number, 'same' | 'valid']
> = [
  ['dcgan-64 G1 1→4', [64, 4, 4, 512], [4, 4, 512, 100], 1, 'valid'],
  ['dcgan-64 G2 4→8', [64, 8, 8, 256], [4, 4, 256, 512], 2, 'same'],
  ['dcgan-64 G3 8→16', [64, 16, 16, 128], [4, 4, 128, 256], 2, 'same'],
  ['dcgan-64 G4 16→32', [64, 32, 32, 64], [4, 4, 64, 128], 2, 'same'],
  ['dcgan-64 D2 dx', [64, 32, 32, 64], [4, 4, 64, 128], 2, 'same'],
  ['dcgan-64 D3 dx', [64, 16, 16, 128], [4, 4, 128, 256], 2, 'same'],
  ['dcgan-64 D4 dx', [64, 8, 8, 256], [4, 4, 256, 512], 2, 'same'],
  ['dcgan-64 D5 dx', [64, 4, 4, 512], [4, 4, 512, 1], 1, 'valid'],
  ['dcgan-32 D2 dx', [64, 16, 16, 32], [4, 4, 32, 64], 2, 'same'],
  ['dcgan-28 D2 dx', [64, 14, 14, 16], [4, 4, 16, 32], 2, 'same'],
];

async function main() {
  console.log((await initBackend({ force: 'wasm' })).device, `load ${os.loadavg()[0].toFixed(2)}`);
  for (const [name, xs, ws, s, pad] of LAYERS) {
    const w = tf.randomNormal(ws) as tf.Tensor4D;
    const yShape = tf.conv2d(tf.zeros(xs) as tf.Tensor4D, w, s, pad).shape;
    const dy = tf.randomNormal(yShape) as tf.Tensor4D;
    const flops = 2 * dy.size * ws[0] * ws[1] * ws[2];
    const run = () => tf.conv2dTranspose(dy, w, xs, s, pad);
    const ms: number[] = [];
    for (const direct of [true, false]) {
      conv2dBackpropInputOptions.direct = direct;
      ms.push(kernelMs(run));
    }
    const g = (m: number) => `${m.toFixed(1)} ms (${(flops / m / 1e6).toFixed(0)} GFLOP/s)`;
    console.log(
      `${name.padEnd(18)} direct ${g(ms[0])}; phase convolutions ${g(ms[1])}: ${(ms[1] / ms[0]).toFixed(2)}×`,
    );
    tf.dispose([w, dy]);
  }
  console.log(`load ${os.loadavg()[0].toFixed(2)}`);
}
main();
