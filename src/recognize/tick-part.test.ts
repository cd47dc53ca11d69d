import { describe, expect, it } from 'vitest';
import type { Mask } from './gray.js';
import { describePart } from './tick-part.js';

/** A 100 x 80 mask with 3 px wide strokes along the given segments. */
function strokes(...segs: [number, number, number, number][]): Mask {
  const w = 100;
  const h = 80;
  const data = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of segs) {
    const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let i = 0; i <= n; i++) {
      const x = Math.round(x0 + ((x1 - x0) * i) / n);
      const y = Math.round(y0 + ((y1 - y0) * i) / n);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) data[(y + dy) * w + x + dx] = 1;
    }
  }
  return { width: w, height: h, data };
}

describe('describePart', () => {
  it('finds a tick bent and in one piece', () => {
    const p = describePart(strokes([26, 41, 40, 63], [40, 63, 74, 15]));
    expect(p.bend).toBeGreaterThan(0.08);
    expect(p.second).toBe(0);
    expect(p.box).toEqual({ x0: 25, y0: 14, x1: 75, y1: 64 });
  });

  it('finds the arm of a tick straight', () => {
    expect(describePart(strokes([40, 63, 74, 15])).bend).toBeLessThan(0.01);
  });

  it('finds the two arms of a tick cut off above its foot in two pieces', () => {
    const p = describePart(strokes([10, 20, 25, 50], [55, 50, 90, 5]));
    expect(p.second).toBeGreaterThan(p.main * 0.3);
  });

  it('describes an empty part as nothing', () => {
    expect(describePart(strokes()).main).toBe(0);
  });
});
