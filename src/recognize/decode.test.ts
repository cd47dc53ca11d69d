import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode.js';
import { workingScale } from './working-size.js';

describe('workingScale', () => {
  it('shrinks pages and photos of ordinary shape to the working long side', () => {
    expect(workingScale(2480, 3508, 2000)).toBeCloseTo(2000 / 3508); // A4 at 300 dpi
    expect(workingScale(4000, 3000, 2000)).toBeCloseTo(0.5); // a 4:3 photo
    expect(workingScale(1920, 1080, 2000)).toBe(1); // smaller than the working size: kept
  });

  it('lets a strip of slips scanned side by side keep more of its long side', () => {
    // 5:1, three slips in a row: shrunk to 2000 px its short side would be 400 px.
    const s = workingScale(10000, 2000, 2000);
    expect(10000 * s).toBeCloseTo(5000); // 2.5 times the working long side at most
    // 3:1: the long side grows with the aspect ratio over 1.8.
    expect(9000 * workingScale(9000, 3000, 2000)).toBeCloseTo((2000 * 3) / 1.8);
    // Not when asked for a plain long side.
    expect(workingScale(10000, 2000, 2000, false)).toBeCloseTo(0.2);
  });
});

describe('decodeImage', () => {
  it('decodes an elongated scan at the stretched working size', async () => {
    const png = await sharp({ create: { width: 6000, height: 1000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const d = await decodeImage(png, { longSide: 2000, maxPixels: 120_000_000 });
    expect(d.ok).toBe(true);
    if (d.ok) {
      expect(d.bright.width).toBe(5000);
      expect(d.bright.height).toBe(833);
    }
  });
});

describe('decodeImage, EXIF orientation', () => {
  // A small image every pixel of which differs, stored with each of the eight orientations.
  const W = 7;
  const H = 5;
  const pixels = Buffer.alloc(W * H * 3);
  for (let i = 0; i < W * H; i++) pixels.fill(i * 7, i * 3, i * 3 + 3);

  it('turns every orientation upright exactly as libvips does', async () => {
    for (let o = 1; o <= 8; o++) {
      const tiff = await sharp(pixels, { raw: { width: W, height: H, channels: 3 } })
        .withMetadata({ orientation: o })
        .tiff()
        .toBuffer();
      const d = await decodeImage(tiff, { longSide: 2000, maxPixels: 120_000_000 });
      const upright = await sharp(tiff)
        .rotate()
        .extractChannel(0)
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(d.ok, `orientation ${o}`).toBe(true);
      if (!d.ok) continue;
      expect([d.bright.width, d.bright.height], `orientation ${o}`).toEqual([
        upright.info.width,
        upright.info.height,
      ]);
      expect(Buffer.from(d.bright.data).equals(upright.data), `orientation ${o}`).toBe(true);
    }
  });

  it('shrinks a sideways photo to the working size with its sides swapped', async () => {
    const jpeg = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#fff' } })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const d = await decodeImage(jpeg, { longSide: 2000, maxPixels: 120_000_000 });
    expect(d.ok).toBe(true);
    if (d.ok) {
      expect([d.bright.width, d.bright.height]).toEqual([1500, 2000]);
      expect(d.scale).toBeCloseTo(0.5);
      expect([d.originalWidth, d.originalHeight]).toEqual([3000, 4000]);
    }
  });
});

describe('decoding', () => {
  it('keeps no libvips operation cache: every page is decoded once', () => {
    // Importing the decoder turns the cache off (it held up to 50 MB between pages).
    expect(sharp.cache().memory.max).toBe(0);
    expect(sharp.cache().items.max).toBe(0);
  });
});
