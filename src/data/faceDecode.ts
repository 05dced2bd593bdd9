/**
 * One source image → one cache record: the square center crop resized to S×S RGB uint8 with sharp
 * (libvips, Lanczos-3), or the reason it cannot be used. sharp is loaded on first use.
 */
import type SharpFn from 'sharp';

/** A cache record (S×S×3 uint8, row-major) or why the image cannot be used. */
export type DecodedFace = { pixels: Buffer } | { reason: string };

/** sharp, loaded on first use (importing the cache helpers, e.g. from `gan doctor`, stays cheap). */
function sharpModule(): typeof SharpFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('sharp') as typeof SharpFn;
}

/**
 * Decode one image to S×S×3 uint8, or say why it cannot be used. Grayscale and PNG inputs are
 * converted to RGB (alpha flattened on black); images smaller than S×S after the square crop are
 * refused rather than upscaled (`withoutEnlargement`, detected from the output size, which saves
 * a separate metadata call). sharp's `failOn: 'warning'` turns truncated JPEGs into errors.
 * Embedded ICC profiles are ignored: CelebA's JPEGs carry none and the stand-in's is sRGB, and
 * building a colour transform per image would cost ~4 ms, more than the decode itself.
 */
export async function decodeFace(buf: Buffer, size: number): Promise<DecodedFace> {
  try {
    const sharp = sharpModule();
    const { data, info } = await sharp(buf, { failOn: 'warning', ignoreIcc: true, sequentialRead: true })
      .resize(size, size, { fit: 'cover', position: 'centre', kernel: 'lanczos3', withoutEnlargement: true })
      .flatten({ background: { r: 0, g: 0, b: 0 } })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== size || info.height !== size) {
      return {
        reason: `too small: the square crop is ${info.width}×${info.height}, less than ${size}×${size}`,
      };
    }
    if (info.channels !== 3) return { reason: `decoded to ${info.channels} channels, expected 3` };
    return { pixels: data };
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    // A file that starts like a JPEG or PNG but fails is damaged, whatever libvips calls it (a truncated
    // JPEG was reported once in CI as "buffer is not in a known format").
    if (/failOn|premature end|truncat/i.test(msg) || hasImageSignature(buf))
      return { reason: `unreadable: corrupt or truncated image data (${msg})` };
    if (/unsupported image format|not in a known format/i.test(msg))
      return { reason: `unreadable: not an image (${msg})` };
    return { reason: `unreadable: ${msg}` };
  }
}

/** True when `buf` starts with a JPEG (FF D8 FF) or PNG (89 'PNG') signature. */
function hasImageSignature(buf: Buffer): boolean {
  const jpeg = buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
  const png = buf.length >= 4 && buf[0] === 0x89 && buf.toString('latin1', 1, 4) === 'PNG';
  return jpeg || png;
}

/** Turn libvips' operation cache off while preparing (every image is new), then restore it. */
export function withoutSharpCache(): () => void {
  const sharp = sharpModule();
  const before = sharp.cache();
  sharp.cache(false);
  return () => {
    sharp.cache({ memory: before.memory.max, files: before.files.max, items: before.items.max });
  };
}
