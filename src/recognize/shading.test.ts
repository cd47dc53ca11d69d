import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { extremeFilter, isShaded, withoutShading } from './shading.js';

function naive(
  src: Uint8Array,
  w: number,
  h: number,
  k: number,
  axis: 'x' | 'y',
  op: 'min' | 'max',
): Uint8Array {
  const r = k >> 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = op === 'min' ? 255 : 0;
      for (let d = -r; d <= r; d++) {
        const xx = axis === 'x' ? x + d : x;
        const yy = axis === 'y' ? y + d : y;
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        v = op === 'min' ? Math.min(v, src[yy * w + xx]!) : Math.max(v, src[yy * w + xx]!);
      }
      out[y * w + x] = v;
    }
  }
  return out;
}

/** A white table area with rules 2 px thick every 30 px, the band between the first two rules shaded. */
function shadedTable(shade: number): Gray {
  const w = 200;
  const h = 150;
  const data = new Uint8Array(w * h);
  for (let y = 10; y < 40; y++) for (let x = 10; x < 190; x++) data[y * w + x] = shade;
  for (const y0 of [10, 40, 70, 100, 130]) {
    for (let y = y0; y < y0 + 2; y++) for (let x = 10; x < 190; x++) data[y * w + x] = 220;
  }
  for (const x0 of [10, 60, 188])
    for (let y = 10; y < 132; y++) for (let x = x0; x < x0 + 2; x++) data[y * w + x] = 220;
  return { width: w, height: h, data };
}

describe('extremeFilter', () => {
  it('gives the running minimum and maximum of a naive window, edges included', () => {
    const w = 37;
    const h = 23;
    const src = new Uint8Array(w * h);
    let s = 7;
    for (let i = 0; i < src.length; i++) src[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    for (const k of [1, 3, 5, 9, 15])
      for (const axis of ['x', 'y'] as const)
        for (const op of ['min', 'max'] as const)
          expect(extremeFilter(src, w, h, k, axis, op)).toEqual(naive(src, w, h, k, axis, op));
  });
});

describe('withoutShading', () => {
  it('keeps the rules round a shaded row and drops the shading between them', () => {
    const flat = withoutShading(shadedTable(60), 9);
    const at = (x: number, y: number) => flat.data[y * flat.width + x]!;
    // The shading (60) is gone inside the band, the rules on both sides of it stay dark.
    expect(at(100, 25)).toBe(0);
    expect(at(100, 10)).toBeGreaterThanOrEqual(150);
    expect(at(100, 41)).toBeGreaterThanOrEqual(150);
    expect(at(60, 25)).toBeGreaterThanOrEqual(150);
    // Unshaded rules are untouched.
    expect(at(100, 70)).toBe(220);
  });

  it('tells a shaded table from a plain one', () => {
    expect(isShaded(shadedTable(60), 9, 40)).toBe(true);
    expect(isShaded(shadedTable(0), 9, 40)).toBe(false);
    // Shading lighter than the line level does not count.
    expect(isShaded(shadedTable(30), 9, 40)).toBe(false);
  });
});
