import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { sheetBlobs } from './page-region.js';

const W = 480;
const H = 640;

/** White page (255) with a block [x0,x1) x [y0,y1) painted by `paint(x, y)`. */
function page(x0: number, y0: number, x1: number, y1: number, paint: (x: number, y: number) => number): Gray {
  const data = new Uint8Array(W * H).fill(255);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * W + x] = paint(x, y);
  return { width: W, height: H, data };
}

/** Share of the blocks of [x0,x1) x [y0,y1) (page pixels) that the first sheet covers. */
function covered(img: Gray, x0: number, y0: number, x1: number, y1: number): number {
  const [sheet] = sheetBlobs(img);
  if (!sheet) return 0;
  const { mask, factor: f } = sheet;
  let on = 0;
  let n = 0;
  for (let by = Math.ceil(y0 / f); by < Math.floor(y1 / f); by++) {
    for (let bx = Math.ceil(x0 / f); bx < Math.floor(x1 / f) && bx < mask.width; bx++) {
      on += mask.data[by * mask.width + bx]!;
      n++;
    }
  }
  return on / n;
}

describe('sheetBlobs', () => {
  it('keeps a ruled table cut by the right edge of a scan inside the paper', () => {
    // Rules every 5 px both ways: every 8 px block averages grey but holds white paper.
    const img = page(120, 100, W, 540, (x, y) => (x % 5 === 0 || y % 5 === 0 ? 20 : 255));
    expect(covered(img, 120, 100, W, 540)).toBe(1);
  });

  it('leaves a dark desk reaching the border outside the sheet', () => {
    // The same place as the table above, but a flat mid-grey: no paper shows through.
    const img = page(120, 100, W, 540, () => 90);
    expect(covered(img, 120, 100, W, 540)).toBe(0);
  });
});
