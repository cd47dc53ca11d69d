import sharp from 'sharp';
import { orient, type Gray } from './gray.js';
import { workingScale } from './working-size.js';

// Every page is decoded once: libvips' cache of operations (50 MB by default) would only
// hold memory that the next, different page cannot use.
sharp.cache(false);

export type DecodeResult =
  | {
      readonly ok: true;
      readonly bright: Gray;
      readonly scale: number;
      readonly originalWidth: number;
      readonly originalHeight: number;
    }
  | {
      readonly ok: false;
      readonly reason: 'corrupt_file' | 'too_large' | 'decompression_bomb' | 'unsupported_format';
      readonly detail: string;
    };

export interface DecodeOptions {
  /** Long side of the working raster; larger images are shrunk to it, smaller ones are kept. */
  readonly longSide: number;
  readonly maxPixels: number;
  /** Let an elongated image keep a longer long side (see `workingScale`); default true. */
  readonly stretch?: boolean;
}

/**
 * Decode encoded image bytes into a brightness raster where ink of any colour is dark:
 * the minimum of R, G and B keeps blue and red ink and pencil visible, where a
 * luminance conversion would make red ink nearly as bright as paper.
 * EXIF orientation is applied, so a phone photo taken sideways arrives upright.
 */
export async function decodeImage(bytes: Buffer, opts: DecodeOptions): Promise<DecodeResult> {
  let meta: { width?: number | undefined; height?: number | undefined; orientation?: number | undefined };
  try {
    meta = await sharp(bytes, { limitInputPixels: opts.maxPixels, failOn: 'none' }).metadata();
  } catch (err) {
    const msg = (err as Error).message;
    if (/unsupported image format/i.test(msg))
      return { ok: false, reason: 'unsupported_format', detail: msg };
    return { ok: false, reason: 'corrupt_file', detail: msg };
  }
  const w0 = meta.width ?? 0;
  const h0 = meta.height ?? 0;
  if (w0 <= 0 || h0 <= 0) return { ok: false, reason: 'corrupt_file', detail: 'image has no size' };
  if (w0 * h0 > opts.maxPixels) {
    return {
      ok: false,
      reason: 'decompression_bomb',
      detail: `${w0}x${h0} exceeds ${opts.maxPixels} pixels`,
    };
  }
  // EXIF orientations 5..8 swap width and height.
  const orientation = meta.orientation ?? 1;
  const swapped = orientation >= 5;
  const w = swapped ? h0 : w0;
  const h = swapped ? w0 : h0;
  const scale = workingScale(w, h, opts.longSide, opts.stretch ?? true);
  try {
    // Decoded as stored and turned upright afterwards (see `orient`): the size asked of
    // libvips is the stored one.
    let pipe = sharp(bytes, { limitInputPixels: opts.maxPixels, failOn: 'none' });
    if (scale < 1) {
      pipe = pipe.resize({
        width: Math.max(1, Math.round(w0 * scale)),
        height: Math.max(1, Math.round(h0 * scale)),
        fit: 'fill',
        kernel: 'linear',
      });
    }
    const { data, info } = await pipe
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const n = info.width * info.height;
    const ch = info.channels;
    const out = new Uint8Array(n);
    if (ch >= 3) {
      for (let i = 0, j = 0; i < n; i++, j += ch) {
        const r = data[j]!;
        const g = data[j + 1]!;
        const b = data[j + 2]!;
        out[i] = r < g ? (r < b ? r : b) : g < b ? g : b;
      }
    } else {
      for (let i = 0, j = 0; i < n; i++, j += ch) out[i] = data[j]!;
    }
    const bright = orient({ width: info.width, height: info.height, data: out }, orientation);
    return {
      ok: true,
      bright,
      scale: bright.width / w,
      originalWidth: w,
      originalHeight: h,
    };
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: (err as Error).message };
  }
}
