import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { skewAngle, unskew } from './deskew.js';

/** A white page with a ruled table (21 rules across, 4 down) turned `deg` clockwise. */
function ruledPage(deg: number, sideways = false): Gray {
  const w = sideways ? 1400 : 1000;
  const h = sideways ? 1000 : 1400;
  const data = new Uint8Array(w * h).fill(235);
  const t = Math.tan((deg * Math.PI) / 180);
  const ink = (x: number, y: number): void => {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi >= 0 && yi >= 0 && xi < w && yi < h) data[yi * w + xi] = 30;
  };
  const [long, short] = sideways ? [h, w] : [w, h];
  for (let k = 0; k <= 20; k++) {
    const c = 200 + k * 45;
    for (let s = 100; s < long - 100; s++) {
      for (let d = 0; d < 3; d++) {
        if (sideways) ink(c + d - s * t, s);
        else ink(s, c + d + s * t);
      }
    }
  }
  for (const c of [100, 250, 800, long - 100]) {
    for (let s = 200; s < short - 250; s++) {
      for (let d = 0; d < 3; d++) {
        if (sideways) ink(s, c + d + s * t);
        else ink(c + d - s * t, s);
      }
    }
  }
  return { width: w, height: h, data };
}

describe('skewAngle', () => {
  it('measures a scan turned a few degrees either way, upright or sideways', () => {
    for (const deg of [-4.5, -2, 1.3, 3, 5]) {
      expect(Math.abs(skewAngle(ruledPage(deg)) - deg)).toBeLessThan(0.2);
      expect(Math.abs(skewAngle(ruledPage(deg, true)) - deg)).toBeLessThan(0.2);
    }
    expect(Math.abs(skewAngle(ruledPage(0)))).toBeLessThan(0.1);
  });

  it('says 0 for a blank page', () => {
    expect(skewAngle({ width: 500, height: 700, data: new Uint8Array(500 * 700).fill(240) })).toBe(0);
  });
});

describe('unskew', () => {
  it('levels the page and maps its points back to the scan', () => {
    const page = ruledPage(3);
    const r = unskew(page, skewAngle(page))!;
    expect(Math.abs(skewAngle(r.bright))).toBeLessThan(0.15);
    // The centre stays the centre; a point on the canvas maps back inside the scan.
    const [cx, cy] = r.toPage([(r.bright.width - 1) / 2, (r.bright.height - 1) / 2]);
    expect(cx).toBeCloseTo((page.width - 1) / 2, 3);
    expect(cy).toBeCloseTo((page.height - 1) / 2, 3);
    expect(r.bright.width).toBeGreaterThan(page.width);
  });
});
