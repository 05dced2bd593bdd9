/**
 * CelebA: the stand-in generator, preparation from a folder or a zip (identical caches), the
 * preprocessing against an independent crop-then-resize, attributes and splits, cache reuse and
 * rebuilds, resumable and disk-full preparation, and every bad input the issue lists.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { loadCeleba, parseAttributes, examplesWithAttribute } from '../../src/data/celeba';
import { openCelebaSource } from '../../src/data/celebaSource';
import { cachePaths, decodeFace, prepareCache, type CacheManifest } from '../../src/data/celebaCache';
import {
  generateStandin,
  faceSpec,
  faceAttributes,
  renderFaceJpeg,
  CELEBA_ATTRIBUTES,
  STANDIN_MARKER,
} from '../../src/data/standin';
import { DatasetError } from '../../src/data/errors';
import { inspectDataset } from '../../src/data/inspect';
import { tmpDir, writeZip } from './helpers';

const N = 24;
let standin: string;

/** A fresh copy of the stand-in folder (tests modify their copy). */
function copyStandin(): string {
  const dir = tmpDir('gan-celeba-');
  fs.cpSync(standin, dir, { recursive: true, filter: (src) => !src.includes('gan-cache') });
  return dir;
}

function cacheBytes(dir: string, size = 32): Buffer {
  return fs.readFileSync(cachePaths(path.join(dir, 'gan-cache'), size).data);
}

describe('data/celeba', function () {
  this.timeout(60000);

  before(async () => {
    await initBackend({ force: 'cpu' });
    standin = tmpDir('gan-standin-');
    await generateStandin({ out: standin, count: N, seed: 5 });
    preparedRef = copyStandin();
    await prepareCache(await openCelebaSource(preparedRef), { size: 32 });
  });

  describe('stand-in generator', () => {
    it('writes a CelebA-shaped folder: 178×218 JPEGs, 40 attributes, partition, marker', async () => {
      const imgs = fs.readdirSync(path.join(standin, 'img_align_celeba')).sort();
      assert.equal(imgs.length, N);
      assert.equal(imgs[0], '000001.jpg');
      const meta = await sharp(path.join(standin, 'img_align_celeba', imgs[N - 1])).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['jpeg', 178, 218, 3]);
      const attrs = parseAttributes(
        fs.readFileSync(path.join(standin, 'list_attr_celeba.txt'), 'utf8'),
        'list_attr_celeba.txt',
      );
      assert.deepEqual(attrs.names, [...CELEBA_ATTRIBUTES]);
      assert.equal(attrs.rows.size, N);
      // The file states what was drawn: rows equal the attributes of the face specs.
      const row = attrs.rows.get('000007.jpg')!;
      const expected = faceAttributes(faceSpec(5, 6));
      CELEBA_ATTRIBUTES.forEach((a, j) => assert.equal(row[j], expected[a], a));
      assert.ok(fs.existsSync(path.join(standin, STANDIN_MARKER)));
      assert.match(fs.readFileSync(path.join(standin, 'README.txt'), 'utf8'), /NOT CelebA/);
    });

    it('is deterministic per (seed, index) and varied', async () => {
      const a = await renderFaceJpeg(5, 3);
      assert.ok(a.equals(fs.readFileSync(path.join(standin, 'img_align_celeba', '000004.jpg'))));
      assert.ok(!a.equals(await renderFaceJpeg(6, 3)), 'another seed, another face');
      // Over 400 faces every attribute the generator controls takes both values.
      const counts = new Map<string, number>();
      for (let i = 0; i < 400; i++) {
        const at = faceAttributes(faceSpec(0, i));
        for (const k of CELEBA_ATTRIBUTES) counts.set(k, (counts.get(k) ?? 0) + (at[k] === 1 ? 1 : 0));
      }
      for (const k of [
        'Smiling',
        'Male',
        'Eyeglasses',
        'Black_Hair',
        'Blond_Hair',
        'Bangs',
        'No_Beard',
        'Young',
      ]) {
        const c = counts.get(k)!;
        assert.ok(c > 10 && c < 390, `${k}: ${c} of 400`);
      }
      // Pixel variety: the 24 faces differ from their mean by a clear margin.
      const px = await Promise.all(
        fs.readdirSync(path.join(standin, 'img_align_celeba')).map((f) =>
          sharp(path.join(standin, 'img_align_celeba', f))
            .resize(16, 16)
            .raw()
            .toBuffer(),
        ),
      );
      const mean = new Float64Array(px[0].length);
      for (const p of px) for (let i = 0; i < p.length; i++) mean[i] += p[i] / px.length;
      let dev = 0;
      for (const p of px)
        for (let i = 0; i < p.length; i++) dev += Math.abs(p[i] - mean[i]) / (p.length * px.length);
      assert.ok(dev > 25, `mean absolute deviation ${dev.toFixed(1)} levels`);
    });

    it('rejects bad options', async () => {
      await assert.rejects(
        generateStandin({ out: tmpDir(), count: 0 }),
        /count to be an integer in 1…999999/,
      );
      await assert.rejects(generateStandin({ out: tmpDir(), count: 2, seed: -1 }), /seed ≥ 0/);
    });
  });

  describe('preparation and iteration', () => {
    it('prepares a folder, labels the stand-in, aligns attributes, and iterates [-1, 1] batches', async () => {
      const dir = copyStandin();
      const progress: number[] = [];
      const ds = await loadCeleba({ dir, size: 32, onProgress: (p) => progress.push(p.done) });
      assert.equal(ds.count, N);
      assert.deepEqual(ds.shape, [32, 32, 3]);
      assert.equal(ds.standIn, true);
      assert.match(ds.source, /procedural CelebA stand-in \(not CelebA\)/);
      assert.equal(progress[progress.length - 1], N);
      const smiling = ds.attributes!.names.indexOf('Smiling');
      assert.equal(ds.attributes!.values[5 * 40 + smiling], faceAttributes(faceSpec(5, 5)).Smiling);
      const before = tf.memory().numTensors;
      let n = 0;
      for (const b of ds.batches(8, { seed: 1, epoch: 0 })) {
        assert.deepEqual(b.shape, [8, 32, 32, 3]);
        const [lo, hi] = tf.tidy(() => [b.min().dataSync()[0], b.max().dataSync()[0]]);
        assert.ok(lo >= -1 && hi <= 1 && hi > lo);
        n += 8;
        b.dispose();
      }
      assert.equal(n, N);
      assert.equal(tf.memory().numTensors, before);
    });

    it('finds examples by attribute and gathers them as [-1, 1] tensors', async () => {
      const ds = await loadCeleba({ dir: standinPrepared(), size: 32 });
      const smiling = examplesWithAttribute(ds, 'Smiling');
      const neutral = examplesWithAttribute(ds, 'Smiling', -1);
      assert.equal(smiling.length + neutral.length, N);
      for (const i of smiling) assert.equal(faceSpec(5, i).smiling, true);
      for (const i of neutral) assert.equal(faceSpec(5, i).smiling, false);
      assert.throws(
        () => examplesWithAttribute(ds, 'Smile'),
        /Unknown attribute "Smile"\. Expected one of: 5_o_Clock_Shadow/,
      );
      const g = ds.gather([smiling[0], 3]);
      const t = ds.take(1, 3);
      assert.deepEqual(Array.from(g.dataSync().slice(32 * 32 * 3)), Array.from(t.dataSync()));
      tf.dispose([g, t]);
    });

    it('crops the centre square and resizes like an independent sharp extract + resize', async () => {
      const file = path.join(standin, 'img_align_celeba', '000002.jpg');
      const r = await decodeFace(fs.readFileSync(file), 64);
      assert.ok('pixels' in r);
      const ref = await sharp(file)
        .extract({ left: 0, top: 20, width: 178, height: 178 })
        .resize(64, 64)
        .raw()
        .toBuffer();
      let diff = 0;
      for (let i = 0; i < ref.length; i++) diff += Math.abs(ref[i] - r.pixels[i]);
      assert.ok(diff / ref.length < 3, `mean abs difference ${(diff / ref.length).toFixed(2)} levels`);
      // And not the top square: that would differ clearly.
      const top = await sharp(file)
        .extract({ left: 0, top: 0, width: 178, height: 178 })
        .resize(64, 64)
        .raw()
        .toBuffer();
      let dTop = 0;
      for (let i = 0; i < top.length; i++) dTop += Math.abs(top[i] - r.pixels[i]);
      assert.ok(dTop / top.length > diff / ref.length + 3);
    });

    it('reuses a valid cache, rebuilds when the source changes, keeps sizes apart', async () => {
      const dir = copyStandin();
      const src = await openCelebaSource(dir);
      const first = await prepareCache(src, { size: 32 });
      assert.equal(first.built, true);
      const again = await prepareCache(await openCelebaSource(dir), { size: 32 });
      assert.equal(again.built, false);
      const other = await prepareCache(await openCelebaSource(dir), { size: 64 });
      assert.equal(other.built, true);
      assert.equal(other.manifest.recordBytes, 64 * 64 * 3);
      fs.rmSync(path.join(dir, 'img_align_celeba', '000024.jpg'));
      const changed = await prepareCache(await openCelebaSource(dir), { size: 32 });
      assert.equal(changed.built, true);
      assert.equal(changed.manifest.count, N - 1);
      assert.ok(cacheBytes(dir).equals(cacheBytes(standinPrepared()).subarray(0, (N - 1) * 32 * 32 * 3)));
    });

    it('reads the official zip in place and produces the identical cache', async () => {
      const ref = standinPrepared();
      const dir = tmpDir('gan-zip-');
      const files = fs.readdirSync(path.join(standin, 'img_align_celeba')).sort();
      writeZip(
        path.join(dir, 'img_align_celeba.zip'),
        files.map((f) => ({
          name: `img_align_celeba/${f}`,
          data: fs.readFileSync(path.join(standin, 'img_align_celeba', f)),
        })),
      );
      fs.copyFileSync(path.join(standin, 'list_attr_celeba.txt'), path.join(dir, 'list_attr_celeba.txt'));
      const ds = await loadCeleba({ dir, size: 32 });
      assert.equal(ds.count, N);
      assert.equal(ds.standIn, false, 'no marker next to the zip: not labelled as stand-in');
      assert.ok(cacheBytes(dir).equals(cacheBytes(ref)));
      assert.ok(!fs.existsSync(path.join(dir, 'img_align_celeba')), 'nothing was unzipped');
      // The next load trusts the cache of the same zip (size + mtime) without listing it: prove it by
      // damaging the central directory in place and restoring the mtime.
      const zip = path.join(dir, 'img_align_celeba.zip');
      const st = fs.statSync(zip);
      const bytes = fs.readFileSync(zip);
      bytes.fill(0, bytes.length - 200);
      fs.writeFileSync(zip, bytes);
      fs.utimesSync(zip, st.atime, st.mtime);
      assert.equal((await loadCeleba({ dir, size: 32 })).count, N);
      // A newer zip is listed again (and this damaged one is reported).
      fs.utimesSync(zip, st.atime, new Date(st.mtimeMs + 5000));
      await assert.rejects(loadCeleba({ dir, size: 32 }), /img_align_celeba\.zip: not a readable zip file/);
    });

    it('splits by list_eval_partition.txt', async () => {
      const dir = standinPrepared();
      const parts = await Promise.all(
        (['train', 'valid', 'test', 'all'] as const).map((split) => loadCeleba({ dir, size: 32, split })),
      );
      const [train, valid, test, all] = parts.map((p) => p.count);
      assert.equal(train + valid + test, all);
      assert.ok(train > valid && train > test && valid > 0 && test > 0);
      const r = inspectDataset(parts[2], 'test');
      assert.equal(r.count, test);
      assert.ok(r.min >= -1 && r.max <= 1);
    });
  });

  describe('bad input', () => {
    it('missing or empty folder → says how to get the data or make the stand-in', async () => {
      await assert.rejects(loadCeleba({ dir: '/nonexistent/celeba' }), (e: Error) => {
        assert.ok(e instanceof DatasetError);
        assert.match(
          e.message,
          /does not exist.*mmlab\.ie\.cuhk\.edu\.hk.*npx gan data standin --out \/nonexistent\/celeba/,
        );
        return true;
      });
      const empty = tmpDir();
      await assert.rejects(
        loadCeleba({ dir: empty }),
        /No CelebA images in .*img_align_celeba.*npx gan data standin/,
      );
      fs.mkdirSync(path.join(empty, 'img_align_celeba'));
      fs.writeFileSync(path.join(empty, 'img_align_celeba', 'notes.txt'), 'hello');
      await assert.rejects(
        loadCeleba({ dir: empty }),
        /holds no images .*1 other file\(s\) ignored.*standin/,
      );
    });

    it('skips and reports corrupt, truncated, non-image and tiny files; converts PNG and grayscale', async () => {
      const dir = copyStandin();
      const img = path.join(dir, 'img_align_celeba');
      const good = fs.readFileSync(path.join(img, '000001.jpg'));
      fs.writeFileSync(path.join(img, '100001.jpg'), Buffer.from('this is not a jpeg at all'));
      fs.writeFileSync(path.join(img, '100002.jpg'), good.subarray(0, good.length >> 1));
      fs.writeFileSync(path.join(img, '100003.jpg'), await sharp(good).resize(20, 24).jpeg().toBuffer());
      fs.writeFileSync(path.join(img, '100004.png'), await sharp(good).png().toBuffer());
      fs.writeFileSync(path.join(img, '100005.jpg'), await sharp(good).grayscale().jpeg().toBuffer());
      fs.writeFileSync(path.join(img, 'README.txt'), 'not an image');
      fs.writeFileSync(path.join(img, '100006.jpg'), Buffer.alloc(0));
      const src = await openCelebaSource(dir);
      assert.equal(src.ignored, 1);
      const { manifest } = await prepareCache(src, { size: 32 });
      const reasons = Object.fromEntries(manifest.skipped.map((s) => [s.name, s.reason]));
      assert.deepEqual(Object.keys(reasons).sort(), ['100001.jpg', '100002.jpg', '100003.jpg', '100006.jpg']);
      assert.match(reasons['100001.jpg'], /^unreadable: not an image/);
      assert.match(reasons['100002.jpg'], /^unreadable: corrupt or truncated image data/);
      assert.match(reasons['100003.jpg'], /^too small: .*less than 32×32/);
      assert.equal(manifest.count, N + 2, 'the PNG and the grayscale JPEG are used');
      assert.equal(manifest.ignored, 1);
      // The grayscale image became RGB with equal channels.
      const ds = await loadCeleba({ dir, size: 32 });
      assert.equal(ds.skipped, 4);
      assert.match(ds.source, /attributes unknown \(0\) for 2 image\(s\)/);
      const k4 = manifest.names.indexOf('100004.png');
      assert.deepEqual(
        Array.from(ds.attributes!.values.subarray(k4 * 40, k4 * 40 + 40)),
        new Array(40).fill(0),
      );
      const k = manifest.names.indexOf('100005.jpg');
      const px = ds.gatherUint8([k]);
      for (let i = 0; i < px.length; i += 3) assert.ok(px[i] === px[i + 1] && px[i] === px[i + 2]);
    });

    it('refuses zip-slip entries (absolute paths, ..) without writing anything', async () => {
      const dir = tmpDir('gan-slip-');
      const good = fs.readFileSync(path.join(standin, 'img_align_celeba', '000001.jpg'));
      writeZip(path.join(dir, 'img_align_celeba.zip'), [
        { name: 'img_align_celeba/000001.jpg', data: good },
        { name: '../evil.jpg', data: good },
        { name: '/tmp/abs-evil.jpg', data: good },
        { name: 'img_align_celeba/../../evil2.jpg', data: good },
        { name: 'img_align_celeba/readme.txt', data: Buffer.from('x') },
      ]);
      const src = await openCelebaSource(dir);
      assert.deepEqual(
        src.refused.map((r) => r.name),
        ['../evil.jpg', '/tmp/abs-evil.jpg', 'img_align_celeba/../../evil2.jpg'],
      );
      assert.match(src.refused[1].reason, /absolute path/);
      assert.match(src.refused[0].reason, /invalid relative path/);
      const { manifest } = await prepareCache(src, { size: 32 });
      await src.close();
      assert.equal(manifest.count, 1);
      assert.equal(manifest.refused.length, 3);
      assert.equal(manifest.ignored, 1);
      assert.ok(!fs.existsSync(path.join(path.dirname(dir), 'evil.jpg')));
      assert.ok(!fs.existsSync('/tmp/abs-evil.jpg'));
      assert.deepEqual(fs.readdirSync(dir).sort(), ['gan-cache', 'img_align_celeba.zip']);
    });

    it('a corrupt zip is reported as such', async () => {
      const dir = tmpDir();
      fs.writeFileSync(path.join(dir, 'img_align_celeba.zip'), Buffer.from('PK not really a zip'));
      await assert.rejects(loadCeleba({ dir }), /img_align_celeba\.zip: not a readable zip file/);
    });

    it('interrupted preparation leaves no valid cache and resumes to the identical result', async () => {
      const dir = copyStandin();
      const paths = cachePaths(path.join(dir, 'gan-cache'), 32);
      const controller = new AbortController();
      let writes = 0;
      const writeSync = (fd: number, buf: Uint8Array) => {
        if (++writes === 2) controller.abort();
        return fs.writeSync(fd, buf);
      };
      await assert.rejects(
        prepareCache(await openCelebaSource(dir), {
          size: 32,
          flushEvery: 5,
          signal: controller.signal,
          writeSync,
        }),
        /interrupted at 10\/24 images; run the same command again to resume/,
      );
      assert.ok(!fs.existsSync(paths.manifest) && !fs.existsSync(paths.data), 'never half-valid');
      // A crash in the middle of a write leaves extra bytes: they must be dropped on resume.
      fs.appendFileSync(paths.partial, Buffer.alloc(1000, 7));
      const resumed = await prepareCache(await openCelebaSource(dir), { size: 32 });
      assert.equal(resumed.resumedFrom, 10);
      assert.ok(cacheBytes(dir).equals(cacheBytes(standinPrepared())));
      assert.ok(!fs.existsSync(paths.progress) && !fs.existsSync(paths.partial));
    });

    it('a full disk fails with a clear message, keeps the work, and never leaves a stale manifest', async () => {
      const dir = copyStandin();
      const paths = cachePaths(path.join(dir, 'gan-cache'), 32);
      await prepareCache(await openCelebaSource(dir), { size: 32 });
      // The source changes, and the rebuild runs out of space.
      fs.rmSync(path.join(dir, 'img_align_celeba', '000003.jpg'));
      let writes = 0;
      const writeSync = (fd: number, buf: Uint8Array) => {
        if (++writes === 3) {
          fs.writeSync(fd, buf.subarray(0, 100)); // a partial write, then ENOSPC
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return fs.writeSync(fd, buf);
      };
      await assert.rejects(
        prepareCache(await openCelebaSource(dir), { size: 32, flushEvery: 4, writeSync }),
        /Disk full while writing the CelebA cache .*8 of 23 images safely written.*resumes from image 9/,
      );
      assert.ok(!fs.existsSync(paths.manifest), 'the old manifest is gone');
      await assert.rejects(
        loadCeleba({ dir, size: 32, signal: AbortSignal.abort() }),
        /interrupted at 8\/23/,
        'without a manifest the loader must prepare, not read stale data',
      );
      const done = await prepareCache(await openCelebaSource(dir), { size: 32 });
      assert.equal(done.resumedFrom, 8);
      const m = JSON.parse(fs.readFileSync(paths.manifest, 'utf8')) as CacheManifest;
      assert.equal(m.count, 23);
      const full = cacheBytes(standinPrepared());
      const rb = 32 * 32 * 3;
      assert.ok(cacheBytes(dir).equals(Buffer.concat([full.subarray(0, 2 * rb), full.subarray(3 * rb)])));
    });

    it('one preparer per cache: a live lock is refused, a stale one taken over', async () => {
      const dir = copyStandin();
      const paths = cachePaths(path.join(dir, 'gan-cache'), 32);
      fs.mkdirSync(paths.dir, { recursive: true });
      fs.writeFileSync(paths.lock, String(process.pid));
      await assert.rejects(
        prepareCache(await openCelebaSource(dir), { size: 32 }),
        /Another process \(pid \d+, this one\) is preparing this CelebA cache .*wait for it to finish/,
      );
      assert.ok(!fs.existsSync(paths.partial), 'nothing written while locked');
      fs.writeFileSync(paths.lock, '2147483646'); // no such process
      const r = await prepareCache(await openCelebaSource(dir), { size: 32 });
      assert.equal(r.manifest.count, N);
      assert.ok(!fs.existsSync(paths.lock), 'released');
      // Two preparations started together in one process: one builds, the other is refused.
      fs.rmSync(paths.dir, { recursive: true });
      const results = await Promise.allSettled([
        prepareCache(await openCelebaSource(dir), { size: 32 }),
        prepareCache(await openCelebaSource(dir), { size: 32 }),
      ]);
      assert.deepEqual(results.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
      assert.ok(cacheBytes(dir).equals(cacheBytes(standinPrepared())));
    });

    it('rejects unsupported sizes and splits', async () => {
      await assert.rejects(
        loadCeleba({ dir: standin, size: 48 as 64 }),
        /Unsupported CelebA size 48\. Expected one of: 32, 64, 128/,
      );
      await assert.rejects(
        loadCeleba({ dir: standin, split: 'val' as 'all' }),
        /Expected one of: train, valid, test, all/,
      );
    });
  });
});

let preparedRef: string | undefined;
/** A copy of the stand-in with its 32 px cache, built once: the reference for byte comparisons. */
function standinPrepared(): string {
  if (!preparedRef) throw new Error('the reference cache is built in before()');
  return preparedRef;
}
