// Conv2DBackpropInput on wasm: one XNNPACK convolution per stride phase against GEMM + col2im, per layer
// shape of the project's models (interleaved, medians). Usage: npx tsx scripts/exp/bpi.ts [rounds]
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { conv2dBackpropInputOptions } from '../../src/backend/wasm/conv2dBackpropInput';

// [label, input shape, filter shape, stride]: 'same' padding, batch 64, as in src/models.
const LAYERS: Array<[string, [number, number, number, number], [number, number, number, number], number]> = [
  ['dcgan-28 G 7→14 (full width)', [64, 14, 14, 128], [4, 4, 128, 256], 2],
  ['dcgan-28 D 14→7 dx (full)', [64, 14, 14, 64], [4, 4, 64, 128], 2],
  ['dcgan-64 G 8→16', [64, 16, 16, 256], [4, 4, 256, 512], 2],
  ['dcgan-64 G 16→32', [64, 32, 32, 128], [4, 4, 128, 256], 2],
  ['dcgan-64 G 32→64 (3 ch, col2im)', [64, 64, 64, 3], [4, 4, 3, 64], 2],
  ['quarter dcgan-28 G 7→14', [64, 14, 14, 32], [4, 4, 32, 64], 2],
  ['quarter dcgan-28 D 14→7 dx', [64, 14, 14, 16], [4, 4, 16, 32], 2],
  ['quarter dcgan-28 3×3 at 7×7 (G)', [64, 7, 7, 64], [3, 3, 64, 64], 1],
  ['quarter dcgan-28 3×3 at 7×7 (D)', [64, 7, 7, 32], [3, 3, 32, 32], 1],
];

async function main() {
  await initBackend();
  const rounds = Number(process.argv[2] ?? 5);
  console.log(`load ${os.loadavg()[0].toFixed(2)}`);
  for (const [label, xs, ws, s] of LAYERS) {
    const w = tf.randomNormal(ws) as tf.Tensor4D;
    const yShape = tf.conv2d(tf.zeros(xs) as tf.Tensor4D, w, s, 'same').shape;
    const dy = tf.randomNormal(yShape) as tf.Tensor4D;
    const time = (phases: boolean): number => {
      conv2dBackpropInputOptions.phaseConvs = phases;
      tf.conv2dTranspose(dy, w, xs, s, 'same').dispose();
      const t0 = performance.now();
      const n = 5;
      for (let i = 0; i < n; i++) tf.conv2dTranspose(dy, w, xs, s, 'same').dispose();
      return (performance.now() - t0) / n;
    };
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < rounds; r++) {
      a.push(time(false));
      b.push(time(true));
    }
    const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1];
    console.log(
      `${label.padEnd(34)} GEMM+col2im ${med(a).toFixed(2).padStart(7)} ms  phases ${med(b).toFixed(2).padStart(7)} ms  ${(med(a) / med(b)).toFixed(2)}×`,
    );
    tf.dispose([w, dy]);
  }
  console.log(`load ${os.loadavg()[0].toFixed(2)}`);
}
main();
