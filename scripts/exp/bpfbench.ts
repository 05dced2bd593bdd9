// Conv2DBackpropFilter per layer shape, alone: conv.wat computed directly (conv2dBackpropFilterOptions.direct),
// with dy packed in blocks of 8 columns (packDyMinRows 0) and as it is, against one XNNPACK convolution with dy as the
// filter; wasm, medians of 7 calls after 2, in GFLOP/s.
// npx tsx scripts/exp/bpfbench.ts
import * as tf from '@tensorflow/tfjs';
import * as os from 'os';
import { initBackend } from '../../src/backend';
import { conv2dBackpropFilterOptions } from '../../src/backend/wasm/conv2dBackpropFilter';

// [name, x shape, co, pad]: 4×4 filters, stride 2 (DCGAN layers; G's transposed layers have the same shapes
// with x and dy swapped in role: their weight gradient takes G's output gradient as x).
const LAYERS: Array<[string, [number, number, number, number], number, 'same' | number]> = [
  ['dcgan-64 D1', [64, 64, 64, 3], 64, 1],
  ['dcgan-64 D2', [64, 32, 32, 64], 128, 1],
  ['dcgan-64 D3', [64, 16, 16, 128], 256, 1],
  ['dcgan-64 D4', [64, 8, 8, 256], 512, 1],
  ['dcgan-32 D1', [64, 32, 32, 3], 32, 1],
  ['dcgan-32 D2', [64, 16, 16, 32], 64, 1],
  ['dcgan-28 D1', [64, 28, 28, 1], 16, 'same'],
  ['dcgan-28 D2', [64, 14, 14, 16], 32, 'same'],
];

function time(f: () => tf.Tensor): number {
  const v: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    const r = f();
    r.dataSync();
    v.push(performance.now() - t0);
    r.dispose();
  }
  return v.slice(2).sort((a, b) => a - b)[3];
}

async function main() {
  console.log((await initBackend({ force: 'wasm' })).device, `load ${os.loadavg()[0].toFixed(2)}`);
  for (const [name, xs, co, pad] of LAYERS) {
    const x = tf.randomNormal(xs) as tf.Tensor4D;
    const w = [4, 4, xs[3], co] as [number, number, number, number];
    const y = tf.conv2d(x, tf.zeros(w) as tf.Tensor4D, 2, pad);
    const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
    const flops = 2 * dy.size * 16 * xs[3];
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 2,
        pad,
        dataFormat: 'NHWC',
        filterShape: w,
      } as never) as tf.Tensor;
    const ms: number[] = [];
    for (const [direct, packDy] of [
      [true, true],
      [true, false],
      [false, false],
    ]) {
      Object.assign(conv2dBackpropFilterOptions, { direct, packDyMinRows: packDy ? 0 : Infinity });
      ms.push(time(run));
    }
    const g = (m: number) => `${m.toFixed(1)} ms (${(flops / m / 1e6).toFixed(0)} GFLOP/s)`;
    console.log(
      `${name} x [${xs}] dy [${dy.shape}]: direct, dy packed ${g(ms[0])}; direct ${g(ms[1])}; ` +
        `convolution ${g(ms[2])}: ${(ms[2] / ms[0]).toFixed(2)}× / ${(ms[2] / ms[1]).toFixed(2)}×`,
    );
    tf.dispose([x, y, dy]);
  }
}
main();
