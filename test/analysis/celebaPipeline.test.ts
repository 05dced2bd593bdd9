import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { cacheStats, cropPipelineFigure } from '../../src/analysis/celebaPipeline';
import { loadCeleba } from '../../src/data/celeba';
import { generateStandin } from '../../src/data/standin';

describe('analysis: the CelebA crop/resize pipeline figure', () => {
  let dir: string;
  before(async () => {
    await initBackend({ force: 'cpu' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'celeba-pipeline-'));
    await generateStandin({ out: dir, count: 3 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('shows a 178×218 source, its 178×178 center crop and the cached 64×64 image, labelled as the stand-in', async () => {
    const ds = await loadCeleba({ dir, size: 64 });
    const stats = cacheStats(dir, 64);
    assert.equal(stats.count, 3);
    assert.equal(stats.bytes, 3 * 64 * 64 * 3);
    assert.equal(stats.standIn, true);
    const pic = await cropPipelineFigure(ds, dir, 1);
    // 178 + 16 + 178 + 16 + 64·2, captions 20 px above the tallest (218) panel.
    assert.equal(pic.width, 178 + 16 + 178 + 16 + 128);
    assert.equal(pic.height, 218 + 20);
    await assert.rejects(() => cropPipelineFigure(ds, dir, 3), /index/);
  });
});
