import heicDecode from 'heic-decode';
import sharp, { type Metadata } from 'sharp';
import type { Limits } from '../config/schema.js';
import { decodeBmp, readBmpHeader } from './bmp.js';
import type { PagesResult } from './extract-result.js';
import type { Page } from './page.js';
import type { ImageFormat } from './sniff.js';

/**
 * Raster attachments → image pages. Only headers are read for the formats sharp decodes itself,
 * so a 12 MP phone photo passes through without a decode; the recognizer decodes it once, with EXIF
 * orientation (which is why JPEG bytes are never re-encoded here).
 *
 * Corruption found here: unreadable headers, truncated PNGs (no IEND), broken TIFF pages, BMP and
 * HEIC that fail to decode. A JPEG truncated mid-scan has a good header and is left for the
 * recognizer, whose full decode fails (sharp's default failOn) and marks the page unreadable.
 */
export async function extractImage(data: Buffer, format: ImageFormat, limits: Limits): Promise<PagesResult> {
  switch (format) {
    case 'bmp':
      return extractBmp(data, limits);
    case 'heic':
      return extractHeic(data, limits);
    case 'tiff':
      return extractTiff(data, limits);
    case 'jpeg':
    case 'png':
    case 'gif':
    case 'webp':
    case 'avif':
      return passThrough(data, format, limits);
    default: {
      const never: never = format;
      throw new Error(`unhandled image format ${String(never)}`);
    }
  }
}

type Header = { ok: true; width: number; height: number; pages: number } | Exclude<PagesResult, { ok: true }>;

async function readHeader(data: Buffer, limits: Limits): Promise<Header> {
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (err) {
    return {
      ok: false,
      reason: 'corrupt_file',
      detail: `image header unreadable: ${(err as Error).message}`,
    };
  }
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) return { ok: false, reason: 'corrupt_file', detail: 'image has no size' };
  const bomb = checkPixels(width, height, limits);
  if (bomb) return bomb;
  return { ok: true, width, height, pages: meta.pages ?? 1 };
}

function checkPixels(
  width: number,
  height: number,
  limits: Limits,
): Exclude<PagesResult, { ok: true }> | null {
  if (width * height > limits.maxImagePixels) {
    return {
      ok: false,
      reason: 'decompression_bomb',
      detail: `image declares ${width}×${height} pixels, limit ${limits.maxImagePixels}`,
    };
  }
  return null;
}

async function passThrough(data: Buffer, format: ImageFormat, limits: Limits): Promise<PagesResult> {
  const header = await readHeader(data, limits);
  if (!header.ok) return header;
  if (format === 'png' && !hasPngEnd(data)) {
    return { ok: false, reason: 'corrupt_file', detail: 'PNG is truncated (no IEND chunk)' };
  }
  // Animated GIF/WebP: sharp decodes the first frame by default, and a ballot is one still picture.
  return { ok: true, pages: [{ source: 'image', pageNo: 1, image: data }] };
}

function hasPngEnd(data: Buffer): boolean {
  return data.subarray(Math.max(0, data.length - 64)).includes('IEND');
}

/** Multi-page TIFF (fax-style scans of several ballots): every page becomes a PNG page. */
async function extractTiff(data: Buffer, limits: Limits): Promise<PagesResult> {
  const header = await readHeader(data, limits);
  if (!header.ok) return header;
  if (header.pages > limits.maxPagesPerAttachment) {
    return {
      ok: false,
      reason: 'too_many_parts',
      detail: `TIFF has ${header.pages} pages, limit ${limits.maxPagesPerAttachment}`,
    };
  }
  if (header.pages === 1) return { ok: true, pages: [{ source: 'image', pageNo: 1, image: data }] };
  const pages: Page[] = [];
  for (let i = 0; i < header.pages; i++) {
    try {
      // Each page declares its own size, so the pixel limit is applied again per page by sharp.
      const image = await sharp(data, { page: i, limitInputPixels: limits.maxImagePixels })
        .png({ compressionLevel: 3 })
        .toBuffer();
      pages.push({ source: 'image', pageNo: i + 1, image });
    } catch (err) {
      const msg = (err as Error).message;
      if (/pixel limit/i.test(msg)) {
        return { ok: false, reason: 'decompression_bomb', detail: `TIFF page ${i + 1}: ${msg}` };
      }
      return { ok: false, reason: 'corrupt_file', detail: `TIFF page ${i + 1}: ${msg}` };
    }
  }
  return { ok: true, pages };
}

/** BMP is decoded in bmp.ts (sharp has no BMP loader) and re-encoded as PNG. */
async function extractBmp(data: Buffer, limits: Limits): Promise<PagesResult> {
  // Header first: decoding allocates width×height×3 before looking at the pixel data.
  const header = readBmpHeader(data);
  if (!header || header.width === 0 || header.height === 0) {
    return { ok: false, reason: 'corrupt_file', detail: 'BMP has no usable header' };
  }
  const bomb = checkPixels(header.width, header.height, limits);
  if (bomb) return bomb;
  try {
    const { width, height, rgb } = decodeBmp(data);
    const image = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png({ compressionLevel: 3 })
      .toBuffer();
    return { ok: true, pages: [{ source: 'image', pageNo: 1, image }] };
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: `BMP does not decode: ${(err as Error).message}` };
  }
}

/** iPhone photos. heic-decode (libheif in WebAssembly) applies the rotation stored in the file. */
async function extractHeic(data: Buffer, limits: Limits): Promise<PagesResult> {
  let images: Awaited<ReturnType<typeof heicDecode.all>>;
  try {
    images = await heicDecode.all({ buffer: data });
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: `HEIC does not parse: ${(err as Error).message}` };
  }
  try {
    const first = images[0];
    if (!first) return { ok: false, reason: 'corrupt_file', detail: 'HEIC holds no image' };
    const bomb = checkPixels(first.width, first.height, limits);
    if (bomb) return bomb;
    // Only the primary image: the others in an iPhone HEIC are thumbnails or depth maps.
    const decoded = await first.decode();
    const image = await sharp(
      Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength),
      {
        raw: { width: decoded.width, height: decoded.height, channels: 4 },
      },
    )
      .png({ compressionLevel: 3 })
      .toBuffer();
    return { ok: true, pages: [{ source: 'image', pageNo: 1, image }] };
  } catch (err) {
    return { ok: false, reason: 'corrupt_file', detail: `HEIC does not decode: ${(err as Error).message}` };
  } finally {
    images.dispose();
  }
}
