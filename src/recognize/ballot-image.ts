import sharp from 'sharp';
import type { Gray } from './gray.js';

/** The straightened ballot for staff: a darkness raster shown as ink on white paper, PNG. */
export async function encodeBallotPng(img: Gray): Promise<Buffer> {
  const inv = Buffer.alloc(img.data.length);
  for (let i = 0; i < inv.length; i++) inv[i] = 255 - img.data[i]!;
  return sharp(inv, { raw: { width: img.width, height: img.height, channels: 1 } })
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
}
