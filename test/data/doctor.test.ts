/**
 * `gan doctor`'s dataset section (findDatasets): what is present, the CelebA cache state per size,
 * the stand-in label, and which MNIST_DIR files are missing — all without reading any image.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findDatasets } from '../../src/cli/doctor';
import { generateStandin } from '../../src/data/standin';
import { openCelebaSource } from '../../src/data/celebaSource';
import { prepareCache } from '../../src/data/celebaCache';
import { MNIST_FILES } from '../../src/data/idx';
import { tmpDir } from './helpers';

describe('cli/doctor: findDatasets', function () {
  this.timeout(30000);

  it('says how to get CelebA when it is absent, and lists missing IDX files', () => {
    const root = tmpDir();
    const mnistDir = tmpDir();
    fs.writeFileSync(path.join(mnistDir, `${MNIST_FILES.train.images}.gz`), '');
    const d = findDatasets(root, { MNIST_DIR: mnistDir });
    const byName = Object.fromEntries(
      d.map((x) => [x.name.split(' ')[0] + (x.name.includes('IDX') ? '-idx' : ''), x]),
    );
    assert.equal(byName.mnist.found, true);
    assert.equal(byName['mnist-idx'].found, false);
    assert.match(
      byName['mnist-idx'].hint!,
      /missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/,
    );
    assert.equal(byName.celeba.found, false);
    assert.match(byName.celeba.hint!, /npx gan data standin --out .*data\/celeba/);
  });

  it('reports the stand-in and its prepared cache', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'data', 'celeba');
    await generateStandin({ out: dir, count: 3, seed: 1 });
    let c = findDatasets(root, {}).find((x) => x.name.startsWith('celeba'))!;
    assert.equal(c.name, 'celeba (procedural STAND-IN, not CelebA)');
    assert.match(c.hint!, /not prepared yet: npx gan data prepare --dataset celeba/);
    await prepareCache(await openCelebaSource(dir), { size: 32 });
    c = findDatasets(root, {}).find((x) => x.name.startsWith('celeba'))!;
    assert.match(c.where!, /img_align_celeba; cache 32 px: 3 images cached \(0 skipped\)/);
    assert.equal(c.hint, undefined);
  });
});
