/**
 * Animations of the fixed-noise grids across epochs, in two encodings of the same frames:
 * APNG (the PNG spec's animation extension, W3C PNG 3rd ed.) for notebook outputs, because it
 * travels as image/png, which every notebook renderer shows (nbconvert and GitHub show no
 * image/gif outputs) and browsers animate; and GIF via gifenc (mattdesl/gifenc, one 256-colour
 * palette per frame, exact for grayscale) for files. `gifInfo` / `apngInfo` parse both for tests.
 *   show(animateGrids(view.sampleFrames, { captions: epochs.map((e) => `epoch ${e}`) }));
 */
import { createCanvas, ImageData } from '@napi-rs/canvas';
import * as zlib from 'zlib';
import { imageGrid, type GridOptions } from './imageGrid';
import { Picture } from './picture';
import type { TensorLike } from './pixels';

interface GifEncoderStream {
  writeFrame(
    index: Uint8Array,
    width: number,
    height: number,
    opts: { palette: number[][]; delay: number; repeat: number },
  ): void;
  finish(): void;
  bytes(): Uint8Array;
}
interface GifencModule {
  GIFEncoder(): GifEncoderStream;
  quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number): number[][];
  applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: number[][]): Uint8Array;
}
// gifenc ships CommonJS without type declarations; the interface above is the part we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gifenc = require('gifenc') as GifencModule;

/** Frames (RGBA, all the same size) with per-frame delays; encodes to GIF and APNG on demand. */
export class Animation {
  readonly kind = 'animation' as const;
  private gifCache: Uint8Array | undefined;
  private apngCache: Buffer | undefined;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly frames: readonly Uint8ClampedArray[],
    readonly delaysMs: readonly number[],
    /** Loop forever (true) or play once. */
    readonly loop = true,
  ) {
    if (frames.length === 0) throw new Error('Expected at least one animation frame, but got none.');
    if (delaysMs.length !== frames.length) {
      throw new Error(`Expected one delay per frame (${frames.length}), but got ${delaysMs.length}.`);
    }
    frames.forEach((f, i) => {
      if (f.length !== width * height * 4) {
        throw new Error(
          `Expected frame ${i} to hold ${width}×${height} RGBA pixels, but it has ${f.length} bytes.`,
        );
      }
    });
  }

  /** GIF89a bytes (gifenc). */
  get gif(): Uint8Array {
    if (!this.gifCache) {
      const gif = gifenc.GIFEncoder();
      this.frames.forEach((rgba, i) => {
        const palette = gifenc.quantize(rgba, 256);
        gif.writeFrame(gifenc.applyPalette(rgba, palette), this.width, this.height, {
          palette,
          delay: this.delaysMs[i],
          repeat: this.loop ? 0 : -1,
        });
      });
      gif.finish();
      this.gifCache = gif.bytes();
    }
    return this.gifCache;
  }

  /** Animated PNG bytes; viewers without APNG support show the first frame. */
  get apng(): Buffer {
    if (!this.apngCache)
      this.apngCache = encodeApng(this.width, this.height, this.frames, this.delaysMs, this.loop);
    return this.apngCache;
  }

  toString(): string {
    return `Animation ${this.width}×${this.height}, ${this.frames.length} frames`;
  }
}

export interface AnimationOptions {
  /** Milliseconds per frame (default 500). */
  delayMs?: number;
  /** Extra milliseconds on the last frame, so the loop pauses on the final result (default 1500). */
  holdLastMs?: number;
  /** Loop forever (default true); false plays once. */
  loop?: boolean;
  /** One caption per frame, drawn in a band above it (e.g. `epoch 3`). */
  captions?: string[];
  /** Grid options when frames are tensors. */
  grid?: GridOptions;
}

/** Animate frames (pictures, or [N, H, W, C] tensors made into grids), e.g. one per epoch. */
export function animateGrids(
  frames: ReadonlyArray<Picture | TensorLike>,
  options: AnimationOptions = {},
): Animation {
  if (frames.length === 0) {
    throw new Error(
      'Expected at least one frame (a Picture or an [N, H, W, C] tensor in [-1, 1]), but got none.',
    );
  }
  const pictures = frames.map((f) => (f instanceof Picture ? f : imageGrid(f, options.grid)));
  const { width, height } = pictures[0];
  pictures.forEach((p, i) => {
    if (p.width !== width || p.height !== height) {
      throw new Error(
        `Expected every frame to be ${width}×${height} like frame 0, but frame ${i} is ${p.width}×${p.height} ` +
          '(use the same number of images and grid options for each epoch).',
      );
    }
  });
  const captions = options.captions;
  if (captions && captions.length !== pictures.length) {
    throw new Error(`Expected ${pictures.length} captions (one per frame), but got ${captions.length}.`);
  }
  const delayMs = options.delayMs ?? 500;
  const holdLastMs = options.holdLastMs ?? 1500;
  const band = captions ? 20 : 0;
  const rgba = pictures.map((p, i) => (captions ? withCaption(p, captions[i], band) : p.rgba.data));
  const delays = pictures.map((_, i) => delayMs + (i === pictures.length - 1 ? holdLastMs : 0));
  return new Animation(width, height + band, rgba, delays, options.loop ?? true);
}

function withCaption(p: Picture, caption: string, band: number): Uint8ClampedArray {
  const canvas = createCanvas(p.width, p.height + band);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, p.width, band);
  ctx.fillStyle = '#222222';
  ctx.font = '13px "DejaVu Sans", "Liberation Sans", sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(caption, p.width / 2, band / 2, p.width);
  ctx.putImageData(new ImageData(p.rgba.data, p.width, p.height), 0, band);
  return new Uint8ClampedArray(ctx.getImageData(0, 0, p.width, p.height + band).data);
}

export interface GifInfo {
  width: number;
  height: number;
  frames: number;
  /** Per-frame delays in ms (from the graphic control extensions). */
  delaysMs: number[];
  /** NETSCAPE2.0 loop count (0 = forever), or undefined when the GIF plays once. */
  loopCount: number | undefined;
}

/** Parse a GIF's block structure: size, frame count, delays and loop count. */
export function gifInfo(bytes: Uint8Array): GifInfo {
  const sig = String.fromCharCode(...bytes.subarray(0, 6));
  if (sig !== 'GIF89a' && sig !== 'GIF87a')
    throw new Error(`Expected a GIF (GIF89a header), but got "${sig}".`);
  const width = bytes[6] | (bytes[7] << 8);
  const height = bytes[8] | (bytes[9] << 8);
  let pos = 13;
  if (bytes[10] & 0x80) pos += 3 * (1 << ((bytes[10] & 7) + 1));
  const delaysMs: number[] = [];
  let frames = 0;
  let loopCount: number | undefined;
  const skipSubBlocks = (): void => {
    while (pos < bytes.length && bytes[pos] !== 0) pos += bytes[pos] + 1;
    pos++;
  };
  while (pos < bytes.length) {
    const b = bytes[pos++];
    if (b === 0x3b) return { width, height, frames, delaysMs, loopCount };
    if (b === 0x21) {
      const label = bytes[pos++];
      if (label === 0xf9) delaysMs.push((bytes[pos + 2] | (bytes[pos + 3] << 8)) * 10);
      if (label === 0xff && String.fromCharCode(...bytes.subarray(pos + 1, pos + 12)) === 'NETSCAPE2.0') {
        loopCount = bytes[pos + 14] | (bytes[pos + 15] << 8);
      }
      skipSubBlocks();
    } else if (b === 0x2c) {
      frames++;
      const flags = bytes[pos + 8];
      pos += 9;
      if (flags & 0x80) pos += 3 * (1 << ((flags & 7) + 1));
      pos++; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`Malformed GIF: unexpected block 0x${b.toString(16)} at byte ${pos - 1}.`);
    }
  }
  throw new Error('Malformed GIF: no trailer (0x3B); the file is truncated.');
}

// ---------------------------------------------------------------------------------------------
// APNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGB scanlines with the Up filter (grid rows repeat after upscaling, so they compress to ~0). */
function deflateFrame(rgba: Uint8ClampedArray, width: number, height: number): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const prev = new Uint8Array(stride);
  const row = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      row[x * 3] = rgba[s];
      row[x * 3 + 1] = rgba[s + 1];
      row[x * 3 + 2] = rgba[s + 2];
    }
    const o = y * (stride + 1);
    raw[o] = 2; // filter type Up
    for (let i = 0; i < stride; i++) raw[o + 1 + i] = (row[i] - prev[i]) & 0xff;
    prev.set(row);
  }
  return zlib.deflateSync(raw, { level: 9 });
}

/** Encode RGBA frames (alpha ignored: frames are opaque) as an APNG that loops (or plays once). */
export function encodeApng(
  width: number,
  height: number,
  frames: readonly Uint8ClampedArray[],
  delaysMs: readonly number[],
  loop = true,
): Buffer {
  return apngContainer({
    width,
    height,
    colourType: 2, // RGB
    frames: frames.map((rgba) => deflateFrame(rgba, width, height)),
    delaysMs,
    loop,
  });
}

/**
 * The APNG container around frames already filtered and deflated: signature, IHDR, acTL, PLTE (colour
 * type 3), then per frame fcTL + IDAT (first) or fdAT, and IEND. Shared by the RGB and the palette encoder.
 */
export function apngContainer(o: {
  width: number;
  height: number;
  /** 2: RGB; 3: palette (then `palette` holds the RGB triples). */
  colourType: 2 | 3;
  palette?: Uint8Array;
  frames: readonly Uint8Array[];
  delaysMs: readonly number[];
  loop: boolean;
}): Buffer {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = o.colourType;
  parts.push(chunk('IHDR', ihdr));
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(o.frames.length, 0);
  actl.writeUInt32BE(o.loop ? 0 : 1, 4);
  parts.push(chunk('acTL', actl));
  if (o.palette) parts.push(chunk('PLTE', o.palette));
  let seq = 0;
  o.frames.forEach((data, i) => {
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(seq++, 0);
    fctl.writeUInt32BE(o.width, 4);
    fctl.writeUInt32BE(o.height, 8);
    // x/y offsets 0; delay as a fraction of a second: delayMs / 1000 (capped to 16 bits).
    fctl.writeUInt16BE(Math.min(65535, Math.round(o.delaysMs[i])), 20);
    fctl.writeUInt16BE(1000, 22);
    fctl[24] = 0; // dispose: none
    fctl[25] = 0; // blend: source
    parts.push(chunk('fcTL', fctl));
    if (i === 0) {
      parts.push(chunk('IDAT', data));
    } else {
      const fdat = Buffer.alloc(4 + data.length);
      fdat.writeUInt32BE(seq++, 0);
      fdat.set(data, 4);
      parts.push(chunk('fdAT', fdat));
    }
  });
  parts.push(chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

export interface ApngInfo {
  width: number;
  height: number;
  /** Frame count declared in acTL. */
  frames: number;
  /** fcTL chunks found (equals `frames` in a valid file). */
  frameControls: number;
  /** acTL num_plays (0 = forever). */
  plays: number;
  delaysMs: number[];
}

/** Parse an APNG's chunks (checking every CRC): size, frame count, plays and delays. */
export function apngInfo(bytes: Uint8Array): ApngInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || b.readUInt32BE(0) !== 0x89504e47)
    throw new Error('Expected a PNG file (\\x89PNG signature).');
  let pos = 8;
  const info: ApngInfo = { width: 0, height: 0, frames: 0, frameControls: 0, plays: 0, delaysMs: [] };
  let sawActl = false;
  while (pos + 12 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('ascii', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + len);
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== b.readUInt32BE(pos + 8 + len)) {
      throw new Error(`Corrupt PNG: bad CRC in the ${type} chunk at byte ${pos}.`);
    }
    if (type === 'IHDR') {
      info.width = data.readUInt32BE(0);
      info.height = data.readUInt32BE(4);
    } else if (type === 'acTL') {
      sawActl = true;
      info.frames = data.readUInt32BE(0);
      info.plays = data.readUInt32BE(4);
    } else if (type === 'fcTL') {
      info.frameControls++;
      const den = data.readUInt16BE(22) || 100;
      info.delaysMs.push((data.readUInt16BE(20) / den) * 1000);
    } else if (type === 'IEND') {
      if (!sawActl) throw new Error('Expected an animated PNG (acTL chunk), but this is a still PNG.');
      return info;
    }
    pos += 12 + len;
  }
  throw new Error('Corrupt PNG: no IEND chunk; the file is truncated.');
}
