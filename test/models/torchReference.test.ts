/**
 * The dcgan-64 layers against PyTorch, the reference the issue names: outputs of the tutorial's
 * ConvTranspose2d / Conv2d (k4, s1 p0 and s2 p1) precomputed by fixtures/torch_convs.py, recomputed here
 * with the kernel size, strides and padding read from our built layers. Confirms PyTorch p=1 ≡ tfjs 'same'.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { buildModels, disposeModels } from '../../src/models';

interface Arr {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  x: Arr;
  weight: Arr;
  y: Arr;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'torch-convs.json'), 'utf8')) as {
  cases: Case[];
};
/** Which of our layers each PyTorch layer corresponds to. */
const LAYER: Record<string, ['generator' | 'discriminator', string]> = {
  convT_k4_s1_p0: ['generator', 'g_convT1'],
  convT_k4_s2_p1: ['generator', 'g_convT2'],
  conv_k4_s2_p1: ['discriminator', 'd_conv2'],
  conv_k4_s1_p0: ['discriminator', 'd_conv5'],
};

describe('dcgan-64 layers vs PyTorch', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  for (const c of fixture.cases) {
    it(`${c.name} matches torch.nn (${LAYER[c.name][1]})`, () => {
      const m = buildModels('dcgan-64', { config: { ngf: 2, ndf: 2, latentDim: 4 } });
      try {
        const [net, layerName] = LAYER[c.name];
        const cfg = m[net].getLayer(layerName).getConfig() as {
          kernelSize: number[];
          strides: number[];
          padding: 'same' | 'valid';
          useBias: boolean;
        };
        assert.equal(cfg.useBias, false);
        const transposed = c.name.startsWith('convT');
        // PyTorch ConvTranspose2d weight [in, out, kh, kw], Conv2d [out, in, kh, kw]; tfjs [kh, kw, out|in, in|out].
        const filters = transposed ? c.weight.shape[1] : c.weight.shape[0];
        const args = {
          filters,
          kernelSize: cfg.kernelSize,
          strides: cfg.strides,
          padding: cfg.padding,
          useBias: false,
        };
        const layer = transposed ? tf.layers.conv2dTranspose(args) : tf.layers.conv2d(args);
        const y = tf.tidy(() => {
          const x = tf.transpose(tf.tensor(c.x.data, c.x.shape), [0, 2, 3, 1]); // NCHW -> NHWC
          layer.build(x.shape);
          layer.setWeights([tf.transpose(tf.tensor(c.weight.data, c.weight.shape), [2, 3, 1, 0])]);
          return tf.transpose(layer.apply(x) as tf.Tensor, [0, 3, 1, 2]); // NHWC -> NCHW
        });
        assert.deepEqual(y.shape, c.y.shape);
        const got = y.dataSync();
        let maxErr = 0;
        c.y.data.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(v - got[i]))));
        assert.ok(maxErr < 1e-4, `max |tfjs − torch| = ${maxErr}`);
        y.dispose();
        layer.weights.forEach((w) => w.dispose());
      } finally {
        disposeModels(m);
      }
    });
  }
});
