import bmp from 'bmp-js';

/**
 * BMP → RGB pixels. sharp's prebuilt libvips has no BMP loader and bmp-js (the decoder on npm)
 * assumes the 40-byte BITMAPINFOHEADER: with the V4/V5 headers that current Windows tools write it
 * reads palette and pixels from the wrong offset, and it gets 32-bit BITFIELDS channel order wrong.
 * So 24- and 32-bit images (nearly every scan and screenshot) are read here following the header,
 * and palette/RLE images are handed to bmp-js after rewriting their header to the form it expects.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Three bytes per pixel, top row first. */
  readonly rgb: Buffer;
}

export interface BmpHeader {
  readonly width: number;
  readonly height: number;
}

/** Width and height as declared, for the pixel limit before anything is allocated. Null when not a sane BMP header. */
export function readBmpHeader(data: Buffer): BmpHeader | null {
  if (data.length < 26) return null;
  const dibSize = data.readUInt32LE(14);
  if (dibSize === 12) return { width: data.readUInt16LE(18), height: Math.abs(data.readInt16LE(20)) };
  if (data.length < 54) return null;
  return { width: Math.abs(data.readInt32LE(18)), height: Math.abs(data.readInt32LE(22)) };
}

/** Throws on a malformed or truncated file; the caller turns that into corrupt_file. */
export function decodeBmp(data: Buffer): RgbImage {
  if (data.length < 54) throw new Error('BMP header truncated');
  const pixelOffset = data.readUInt32LE(10);
  const dibSize = data.readUInt32LE(14);
  if (dibSize < 40) return viaBmpJs(data, dibSize);
  const width = data.readInt32LE(18);
  const rawHeight = data.readInt32LE(22);
  const bpp = data.readUInt16LE(28);
  const compression = data.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height === 0) throw new Error(`BMP size ${width}×${rawHeight}`);

  if (!(
    (bpp === 24 && compression === 0) ||
    (bpp === 32 && (compression === 0 || compression === 3 || compression === 6))
  )) {
    return viaBmpJs(data, dibSize);
  }

  const bytesPerPixel = bpp / 8;
  const stride = Math.ceil((width * bytesPerPixel) / 4) * 4;
  if (pixelOffset + stride * height > data.length) throw new Error('BMP pixel data truncated');

  // 32-bit: channel masks live inside a V3+ header, or right after a 40-byte one.
  let masks: [number, number, number] = [0x00ff0000, 0x0000ff00, 0x000000ff];
  if (bpp === 32 && compression !== 0) {
    const at = dibSize >= 52 ? 14 + 40 : 14 + dibSize;
    if (at + 12 > data.length) throw new Error('BMP channel masks missing');
    masks = [data.readUInt32LE(at), data.readUInt32LE(at + 4), data.readUInt32LE(at + 8)];
  }
  const channels = masks.map((m) => {
    if (m === 0) return { shift: 0, max: 0, mask: 0 };
    let shift = 0;
    while (((m >>> shift) & 1) === 0) shift++;
    return { shift, max: (m >>> shift) >>> 0, mask: m >>> 0 };
  });

  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const src = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    let o = y * width * 3;
    for (let x = 0; x < width; x++) {
      const p = src + x * bytesPerPixel;
      if (bpp === 24) {
        rgb[o++] = data[p + 2]!;
        rgb[o++] = data[p + 1]!;
        rgb[o++] = data[p]!;
      } else {
        const v = data.readUInt32LE(p);
        for (const c of channels) {
          rgb[o++] = c.max === 0 ? 0 : Math.round((((v & c.mask) >>> c.shift) * 255) / c.max);
        }
      }
    }
  }
  return { width, height, rgb };
}

/** Palette, RLE and 16-bit images: rewrite the header as a 40-byte one at the usual offsets, then bmp-js. */
function viaBmpJs(data: Buffer, dibSize: number): RgbImage {
  let input = data;
  if (dibSize > 40) {
    const bpp = data.readUInt16LE(28);
    const colors = data.readUInt32LE(46) || (bpp <= 8 ? 1 << bpp : 0);
    const palette = data.subarray(14 + dibSize, 14 + dibSize + colors * 4);
    const pixels = data.subarray(data.readUInt32LE(10));
    const header = Buffer.from(data.subarray(0, 54));
    header.writeUInt32LE(40, 14);
    header.writeUInt32LE(54 + palette.length, 10);
    input = Buffer.concat([header, palette, pixels]);
  }
  const decoded = bmp.decode(input);
  const rgb = Buffer.alloc(decoded.width * decoded.height * 3);
  const src = decoded.data;
  // bmp-js gives A, B, G, R per pixel.
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = src[i + 3] ?? 0;
    rgb[j + 1] = src[i + 2] ?? 0;
    rgb[j + 2] = src[i + 1] ?? 0;
  }
  return { width: decoded.width, height: decoded.height, rgb };
}
