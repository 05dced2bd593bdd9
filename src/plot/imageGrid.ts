/**
 * Image grids in the layout of torchvision's `make_grid`: `nrow` images per row, `padding` pixels
 * around and between tiles, then a nearest-neighbour upscale. Also real-vs-fake side by side and
 * latent interpolation strips (one row per pair of endpoints, `steps` images per row).
 *   show(imageGrid(fake, { nrow: 8 }));   // fake: [N, H, W, C] in [-1, 1]
 */
import { hstack, Picture } from './picture';
import { readImageBatch, toByte, type ImageBatch, type TensorLike } from './pixels';

export interface GridOptions {
  /** Images per row (torchvision's `nrow`); default ceil(√N), so grids come out near-square. */
  nrow?: number;
  /** Pixels of padding around and between tiles, before scaling (default 2, as torchvision). */
  padding?: number;
  /** Integer upscale factor; default `auto`: ⌈64 / H⌉ capped at 4, so 28×28 MNIST tiles show at 3×, 32×32 at 2×, 64×64 at 1×. */
  scale?: number | 'auto';
  /** Value of the padding in [-1, 1] (default 1: white lines, which separate dark MNIST tiles). */
  padValue?: number;
}

export interface GridLayout {
  rows: number;
  cols: number;
  /** Grid size in pixels before scaling. */
  width: number;
  height: number;
  /** Top-left corner of tile i (before scaling). */
  origin(i: number): { x: number; y: number };
}

/** Rows/cols and pixel size of a grid of `n` tiles of `tileH`×`tileW` (torchvision's arithmetic). */
export function gridLayout(n: number, tileH: number, tileW: number, nrow?: number, padding = 2): GridLayout {
  assertPositiveInt(n, 'the number of images');
  assertPositiveInt(tileH, 'the tile height');
  assertPositiveInt(tileW, 'the tile width');
  if (!Number.isInteger(padding) || padding < 0) {
    throw new Error(`Expected padding to be a non-negative integer, but got ${padding}.`);
  }
  const perRow = nrow ?? Math.ceil(Math.sqrt(n));
  assertPositiveInt(perRow, 'nrow (images per row)');
  const cols = Math.min(perRow, n);
  const rows = Math.ceil(n / cols);
  return {
    rows,
    cols,
    width: cols * (tileW + padding) + padding,
    height: rows * (tileH + padding) + padding,
    origin: (i) => ({
      x: padding + (i % cols) * (tileW + padding),
      y: padding + Math.floor(i / cols) * (tileH + padding),
    }),
  };
}

/** The `auto` scale: ⌈64 / H⌉, at least 1, at most 4. */
export function autoScale(tileH: number): number {
  return Math.min(4, Math.max(1, Math.ceil(64 / tileH)));
}

/** Tile a batch [N, H, W, C] in [-1, 1] into one picture. */
export function imageGrid(images: TensorLike, options: GridOptions = {}): Picture {
  return gridFromBatch(readImageBatch(images), options);
}

export function gridFromBatch(batch: ImageBatch, options: GridOptions = {}): Picture {
  const padding = options.padding ?? 2;
  const layout = gridLayout(batch.n, batch.height, batch.width, options.nrow, padding);
  const scale =
    options.scale === undefined || options.scale === 'auto' ? autoScale(batch.height) : options.scale;
  assertPositiveInt(scale, 'scale');
  const padValue = options.padValue ?? 1;
  if (!(padValue >= -1 && padValue <= 1))
    throw new Error(`Expected padValue in [-1, 1], but got ${padValue}.`);
  const pad = toByte(padValue);
  const W = layout.width * scale;
  const H = layout.height * scale;
  const out = new Uint8ClampedArray(W * H * 4).fill(pad);
  for (let p = 3; p < out.length; p += 4) out[p] = 255;
  const { height: h, width: w, channels: c, data } = batch;
  for (let i = 0; i < batch.n; i++) {
    const { x: ox, y: oy } = layout.origin(i);
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = base + (y * w + x) * c;
        const r = toByte(data[src]);
        const g = c === 3 ? toByte(data[src + 1]) : r;
        const b = c === 3 ? toByte(data[src + 2]) : r;
        for (let dy = 0; dy < scale; dy++) {
          let dst = (((oy + y) * scale + dy) * W + (ox + x) * scale) * 4;
          for (let dx = 0; dx < scale; dx++, dst += 4) {
            out[dst] = r;
            out[dst + 1] = g;
            out[dst + 2] = b;
          }
        }
      }
    }
  }
  return new Picture({ width: W, height: H, data: out });
}

export interface RealFakeOptions extends GridOptions {
  /** Captions above the two grids (default ['real', 'fake']). */
  captions?: [string, string];
}

/** Real and generated images as two grids side by side, captioned. Both must share H, W, C. */
export function realVsFake(real: TensorLike, fake: TensorLike, options: RealFakeOptions = {}): Picture {
  const r = readImageBatch(real, 'real images');
  const f = readImageBatch(fake, 'fake images');
  if (r.height !== f.height || r.width !== f.width || r.channels !== f.channels) {
    throw new Error(
      `Expected real and fake images of the same [H, W, C], but got real [${r.height}, ${r.width}, ${r.channels}] ` +
        `and fake [${f.height}, ${f.width}, ${f.channels}].`,
    );
  }
  const nrow = options.nrow ?? Math.ceil(Math.sqrt(Math.max(r.n, f.n)));
  const grids = [gridFromBatch(r, { ...options, nrow }), gridFromBatch(f, { ...options, nrow })];
  return hstack(grids, { gap: 16, captions: options.captions ?? ['real', 'fake'] });
}

/**
 * Interpolation strips: images [rows·steps, H, W, C], row-major (row r holds G(z) along one path
 * from z_a to z_b), laid out with `steps` images per row.
 */
export function interpolationStrip(
  images: TensorLike,
  steps: number,
  options: Omit<GridOptions, 'nrow'> = {},
): Picture {
  const batch = readImageBatch(images, 'interpolation images');
  assertPositiveInt(steps, 'steps (images per interpolation path)');
  if (batch.n % steps !== 0) {
    throw new Error(
      `Expected the number of interpolation images to be a multiple of steps = ${steps} ([rows · steps, H, W, C]), ` +
        `but got N = ${batch.n}.`,
    );
  }
  return gridFromBatch(batch, { ...options, nrow: steps });
}

function assertPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`Expected ${what} to be a positive integer, but got ${v}.`);
}
