/**
 * How pictures travel inside notebook outputs, kept small so committed notebooks stay a few MB:
 * photographs (CelebA grids) go as JPEG when that is far smaller than the PNG, digit grids and
 * charts stay PNG (exact); animations go as an APNG with one shared 256-colour palette (8-bit
 * indexed frames, like a GIF but shown by every notebook renderer), at half resolution (shown at
 * full size) when even that exceeds OUTPUT_ANIMATION_BUDGET. Files on disk keep the exact
 * encodings (`Picture.png`, `Animation.gif`); only the display copy is compacted.
 */
import * as zlib from 'zlib';
import { createCanvas, ImageData } from '@napi-rs/canvas';
import { Animation, apngContainer } from './animation';
import type { Picture } from './picture';

/** JPEG quality for photographic pictures (85: no visible blocking on 64×64 faces). */
export const OUTPUT_JPEG_QUALITY = 85;
/** Use the lossy or palette form only when it is at most this fraction of the exact one. */
export const OUTPUT_COMPACT_RATIO = 0.7;
/**
 * Bytes an animation may take in an output (≈ 0.8 MB once base64-encoded in the notebook): the
 * issue's budget is 3 MB per committed notebook, and the final samples follow at full size.
 */
export const OUTPUT_ANIMATION_BUDGET = 600 * 1024;

export interface OutputImage {
  mime: 'image/png' | 'image/jpeg';
  bytes: Buffer;
}

/** The picture as it goes into an output: its PNG, or a JPEG when that is under half the size. */
export function pictureOutputImage(pic: Picture): OutputImage {
  const png = pic.png;
  if (png.length < 64 * 1024) return { mime: 'image/png', bytes: png };
  const canvas = createCanvas(pic.width, pic.height);
  canvas.getContext('2d').putImageData(new ImageData(pic.rgba.data, pic.width, pic.height), 0, 0);
  const jpeg = canvas.encodeSync('jpeg', OUTPUT_JPEG_QUALITY);
  return jpeg.length <= png.length * OUTPUT_COMPACT_RATIO
    ? { mime: 'image/jpeg', bytes: jpeg }
    : { mime: 'image/png', bytes: png };
}

/**
 * The animation as it goes into an output: its APNG when small, else the palette APNG, else (over
 * OUTPUT_ANIMATION_BUDGET) the palette APNG of the frames at half resolution. Show it at
 * `anim.width × anim.height` whatever the encoded size.
 */
export function animationOutputImage(anim: Animation): OutputImage {
  const apng = anim.apng;
  if (apng.length < 256 * 1024) return { mime: 'image/png', bytes: apng };
  const indexed = encodeIndexedApng(anim);
  const best = indexed.length <= apng.length * OUTPUT_COMPACT_RATIO ? indexed : apng;
  if (best.length <= OUTPUT_ANIMATION_BUDGET || anim.width < 64 || anim.height < 64)
    return { mime: 'image/png', bytes: best };
  const half = encodeIndexedApng(halfSize(anim));
  return { mime: 'image/png', bytes: half.length < best.length ? half : best };
}

/** The animation at half width and height, each pixel the mean of a 2×2 block. */
export function halfSize(anim: Animation): Animation {
  const w = Math.floor(anim.width / 2);
  const h = Math.floor(anim.height / 2);
  const frames = anim.frames.map((f) => {
    const out = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 4; c++) {
          const i = (2 * y * anim.width + 2 * x) * 4 + c;
          const j = i + anim.width * 4;
          out[(y * w + x) * 4 + c] = (f[i] + f[i + 4] + f[j] + f[j + 4] + 2) >> 2;
        }
    return out;
  });
  return new Animation(w, h, frames, anim.delaysMs, anim.loop);
}

// gifenc ships CommonJS without type declarations; this is the part used here.
interface Quantizer {
  quantize(
    rgba: Uint8Array | Uint8ClampedArray,
    maxColors: number,
    options?: { format?: string },
  ): number[][];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gifenc = require('gifenc') as Quantizer;

/** At most this many pixels feed the shared palette (a strided sample of all frames). */
const PALETTE_SAMPLE = 1 << 20;

/**
 * An APNG of colour type 3: one palette (gifenc's quantizer over a sample of every frame) and
 * one byte per pixel, filter None (the PNG spec's advice for palette images).
 */
export function encodeIndexedApng(anim: Animation): Buffer {
  const { width, height, frames } = anim;
  const pixels = width * height;
  const stride = Math.max(1, Math.ceil((pixels * frames.length) / PALETTE_SAMPLE));
  const sample = new Uint8Array(Math.ceil((pixels * frames.length) / stride) * 4);
  let n = 0;
  for (let p = 0; p < pixels * frames.length; p += stride) {
    const f = frames[Math.floor(p / pixels)];
    const o = (p % pixels) * 4;
    sample.set([f[o], f[o + 1], f[o + 2], 255], n * 4);
    n++;
  }
  const palette = gifenc.quantize(sample.subarray(0, n * 4), 256, { format: 'rgb444' });
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((c, i) => plte.set([c[0], c[1], c[2]], i * 3));

  const lut = new Int16Array(1 << 15).fill(-1);
  const deflated = frames.map((rgba) => {
    const index = mapToPalette(rgba, palette, lut);
    // one filter byte (0: none) before each row of palette indices
    const raw = Buffer.alloc(height * (width + 1));
    for (let y = 0; y < height; y++) raw.set(index.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
    return zlib.deflateSync(raw, { level: 9 });
  });
  return apngContainer({
    width,
    height,
    colourType: 3,
    palette: plte,
    frames: deflated,
    delaysMs: anim.delaysMs,
    loop: anim.loop,
  });
}

/**
 * Nearest palette entry per pixel through a 15-bit (5 bits per channel) lookup table filled on
 * demand: ≤ 32768 searches of 256 colours instead of one per pixel (gifenc's applyPalette takes
 * seconds on photographs).
 */
function mapToPalette(rgba: Uint8ClampedArray, palette: number[][], lut: Int16Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let p = 0, o = 0; p < out.length; p++, o += 4) {
    const key = ((rgba[o] >> 3) << 10) | ((rgba[o + 1] >> 3) << 5) | (rgba[o + 2] >> 3);
    let idx = lut[key];
    if (idx < 0) {
      const r = (rgba[o] & 0xf8) | 4;
      const g = (rgba[o + 1] & 0xf8) | 4;
      const b = (rgba[o + 2] & 0xf8) | 4;
      let best = Infinity;
      idx = 0;
      palette.forEach((c, i) => {
        const d = (c[0] - r) ** 2 + (c[1] - g) ** 2 + (c[2] - b) ** 2;
        if (d < best) {
          best = d;
          idx = i;
        }
      });
      lut[key] = idx;
    }
    out[p] = idx;
  }
  return out;
}
