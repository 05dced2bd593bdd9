/**
 * The raster result of the image functions: a `Picture` holds RGBA pixels and encodes PNG on
 * demand; it can be shown (`show(pic)`) and saved (`saveFigure(pic, path)`).
 * Pictures compose: `hstack([a, b])` puts pictures side by side with a gap.
 */
import { createCanvas, ImageData } from '@napi-rs/canvas';
import { encodePng, type Rgba } from './pixels';

export class Picture {
  readonly kind = 'picture' as const;
  private pngCache: Buffer | undefined;

  constructor(readonly rgba: Rgba) {
    if (rgba.data.length !== rgba.width * rgba.height * 4) {
      throw new Error(
        `Expected ${rgba.width}×${rgba.height}×4 = ${rgba.width * rgba.height * 4} RGBA bytes, but got ${rgba.data.length}.`,
      );
    }
  }

  get width(): number {
    return this.rgba.width;
  }

  get height(): number {
    return this.rgba.height;
  }

  /** The PNG encoding (computed once). */
  get png(): Buffer {
    if (!this.pngCache) this.pngCache = encodePng(this.rgba);
    return this.pngCache;
  }

  toString(): string {
    return `Picture ${this.width}×${this.height} (PNG, ${this.png.length} bytes)`;
  }
}

export interface StackOptions {
  /** Pixels between pictures (default 8). */
  gap?: number;
  /** Background CSS colour (default white). */
  background?: string;
  /** Captions drawn above each picture (same length as the pictures). */
  captions?: string[];
}

/** Put pictures side by side, top-aligned, with optional captions above each. */
export function hstack(pictures: Picture[], options: StackOptions = {}): Picture {
  if (pictures.length === 0) throw new Error('Expected at least one picture to stack, but got none.');
  const gap = options.gap ?? 8;
  const captions = options.captions;
  if (captions && captions.length !== pictures.length) {
    throw new Error(`Expected ${pictures.length} captions (one per picture), but got ${captions.length}.`);
  }
  const captionHeight = captions ? 20 : 0;
  const width = pictures.reduce((s, p) => s + p.width, 0) + gap * (pictures.length - 1);
  const height = Math.max(...pictures.map((p) => p.height)) + captionHeight;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = options.background ?? '#ffffff';
  ctx.fillRect(0, 0, width, height);
  let x = 0;
  pictures.forEach((p, i) => {
    if (captions) {
      ctx.fillStyle = '#222222';
      ctx.font = '13px "DejaVu Sans", "Liberation Sans", sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(captions[i], x + p.width / 2, captionHeight / 2, p.width);
    }
    ctx.putImageData(new ImageData(p.rgba.data, p.width, p.height), x, captionHeight);
    x += p.width + gap;
  });
  const data = ctx.getImageData(0, 0, width, height).data;
  return new Picture({ width, height, data: new Uint8ClampedArray(data) });
}

/** Put pictures of one width one above the other, `gap` white rows between (default 8). */
export function vstack(pictures: Picture[], options: { gap?: number } = {}): Picture {
  if (pictures.length === 0) throw new Error('Expected at least one picture to stack, but got none.');
  const width = pictures[0].width;
  if (pictures.some((p) => p.width !== width)) {
    throw new Error(
      `Expected pictures of one width to stack, but got widths ${pictures.map((p) => p.width).join(', ')}.`,
    );
  }
  const gap = options.gap ?? 8;
  const height = pictures.reduce((s, p) => s + p.height, 0) + gap * (pictures.length - 1);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  let y = 0;
  for (const p of pictures) {
    data.set(p.rgba.data, width * y * 4);
    y += p.height + gap;
  }
  return new Picture({ width, height, data });
}
