import { describe, expect, it } from 'vitest';
import type { Mask } from './gray.js';
import { dilate, gridLines, lineMask, smearAcross, thinAcross } from './line-mask.js';

function blank(w: number, h: number): Mask {
  return { width: w, height: h, data: new Uint8Array(w * h) };
}

function fill(m: Mask, x0: number, y0: number, x1: number, y1: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m.data[y * m.width + x] = 1;
}

function count(m: Mask, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) n += m.data[y * m.width + x]!;
  return n;
}

/** The smear as first written: OR of the 2r+1 neighbouring lines, recomputed per pixel. */
function naiveSmear(m: Uint8Array, w: number, h: number, axis: 'h' | 'v', r: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let on = 0;
      for (let d = -r; d <= r && !on; d++) {
        const yy = axis === 'h' ? y + d : y;
        const xx = axis === 'h' ? x : x + d;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) on = m[yy * w + xx]!;
      }
      out[y * w + x] = on;
    }
  }
  return out;
}

describe('dilate', () => {
  it('grows each set pixel into a square of side 2r+1, clipped at the edges', () => {
    const w = 9;
    const h = 7;
    const data = new Uint8Array(w * h);
    data[3 * w + 4] = 1; // the middle
    data[0 * w + 8] = 1; // the top right corner
    const out = dilate({ width: w, height: h, data }, 2);
    const set = (x: number, y: number): boolean => out.data[y * w + x] === 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const nearMiddle = Math.abs(x - 4) <= 2 && Math.abs(y - 3) <= 2;
        const nearCorner = x >= 6 && y <= 2;
        expect(set(x, y)).toBe(nearMiddle || nearCorner);
      }
    }
  });
});

describe('smearAcross', () => {
  it('is the OR over r pixels either side across the axis, for any r', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [w, h] of [
      [17, 9],
      [5, 23],
      [1, 4],
    ] as const) {
      const m = new Uint8Array(w * h).map(() => (rnd() < 0.15 ? 1 : 0));
      for (const axis of ['h', 'v'] as const) {
        for (const r of [1, 2, 3, 30])
          expect(smearAcross(m, w, h, axis, r)).toEqual(naiveSmear(m, w, h, axis, r));
      }
    }
  });
});

describe('lineMask and gridLines', () => {
  // A vertical rule 3 px wide crossed by 41 horizontal rules 5 px thick: a fifth of
  // its length is crossings, as on the 39-row ballot printed with heavy rules.
  const w = 200;
  const h = 420;
  const ink = blank(w, h);
  fill(ink, 100, 0, 103, h);
  for (let k = 0; k < 41; k++) fill(ink, 0, k * 10 + 2, w, k * 10 + 7);

  it('takes a much-crossed rule for text on its own', () => {
    // The crossings are thick across the rule, so the thin mask loses them and they are
    // bridged: too much bridging for a rule.
    const lonely = lineMask(thinAcross(ink, 'v', 6), ink, 'v', 100, 1, 6);
    expect(count(lonely, 100, 0, 103, h)).toBe(0);
  });

  it('finds the rule once the rules it crosses are known', () => {
    const lines = gridLines(ink, ink, 150, 100, 1, 6);
    expect(count(lines.v, 100, 0, 103, h)).toBeGreaterThan(h * 3 * 0.9);
    expect(count(lines.h, 0, 2, w, 7)).toBe(w * 5);
  });

  it('still rejects a row of text joined through its characters', () => {
    // Short horizontal dashes joined by taller blocks: mostly bridging.
    const text = blank(300, 40);
    for (let x = 0; x < 300; x += 10) {
      fill(text, x, 18, x + 3, 20);
      fill(text, x + 3, 10, x + 10, 30);
    }
    const thinH = blank(300, 40);
    for (let x = 0; x < 300; x += 10) fill(thinH, x, 18, x + 3, 20);
    const none = blank(300, 40);
    expect(count(lineMask(thinH, text, 'h', 100, 1, 8, none), 0, 0, 300, 40)).toBe(0);
  });
});

describe('gridLines on rules broken where cells meet', () => {
  // A grid of cells with borders of their own, as HTML's border="1" draws it: each cell a
  // box of its own, so every rule is doubled and broken for `gap` pixels where cells meet.
  const w = 450;
  const h = 300;
  const gap = 5;
  const grid = blank(w, h);
  for (let y = 0; y < h; y += 50) {
    for (let x = 0; x < w; x += 150) {
      const [x0, y0, x1, y1] = [x + 3, y + 3, x + 150 - gap + 3, y + 50 - gap + 3];
      fill(grid, x0, y0, x1, y0 + 2);
      fill(grid, x0, y1 - 2, x1, y1);
      fill(grid, x0, y0, x0 + 2, y1);
      fill(grid, x1 - 2, y0, x1, y1);
    }
  }

  it('loses rules broken at every crossing when only one-pixel gaps are bridged', () => {
    const lines = gridLines(grid, grid, 120, 90, 1, 6);
    expect(count(lines.v, 153, 0, 155, h)).toBe(0);
  });

  it('finds them when gaps as wide as a rule may be thick are bridged', () => {
    const lines = gridLines(grid, grid, 120, 90, 1, 6, 6);
    // The left line of the second column of boxes, all the way down but for the gaps.
    expect(count(lines.v, 153, 0, 155, h)).toBeGreaterThan(2 * h * 0.8);
    // The top line of the third row of boxes, all the way across but for the gaps.
    expect(count(lines.h, 0, 103, w, 105)).toBeGreaterThan(2 * w * 0.8);
  });
});

describe('gridLines on a rule interrupted by a mark', () => {
  // A frame 400 x 300 with rules 3 px thick, and a blob 40 px wide and 20 px high (the
  // vertex of a big tick) sitting on the bottom rule and on the right rule, 60 px before
  // each ends: the parts beyond the blob are far shorter than a rule must be.
  const w = 400;
  const h = 300;
  const grid = blank(w, h);
  fill(grid, 0, 0, w, 3);
  fill(grid, 0, h - 3, w, h);
  fill(grid, 0, 0, 3, h);
  fill(grid, w - 3, 0, w, h);
  fill(grid, w - 100, h - 20, w - 60, h);
  fill(grid, w - 20, h - 100, w, h - 60);

  it('finds no rule beyond the mark: the part left is too short for one', () => {
    const lines = gridLines(grid, grid, 120, 90, 1, 6);
    expect(count(lines.h, w - 60, h - 3, w - 3, h)).toBe(0);
    expect(count(lines.v, w - 3, h - 60, w, h - 3)).toBe(0);
  });

  it('completes the rules with the parts beyond the mark, on the lines of rules found', () => {
    const lines = gridLines(grid, grid, 120, 90, 1, 6);
    const rules = lines.completed();
    // The bottom rule between the blob and the right rule (x 340..397), all 3 px of it.
    expect(count(rules, w - 60, h - 3, w - 3, h)).toBe(57 * 3);
    // The right rule between the blob and the bottom rule (y 240..297).
    expect(count(rules, w - 3, h - 60, w, h - 3)).toBe(57 * 3);
    // The rules found are all there too; the mark is not (but for a few pixels of its edge,
    // bridged as ink crossing a rule is).
    expect(rules.data.every((on, i) => on || (!lines.h.data[i] && !lines.v.data[i]))).toBe(true);
    expect(count(rules, w - 100, h - 20, w - 60, h - 3)).toBeLessThan(40 * 17 * 0.05);
  });

  it('never widens a rule: a stroke drawn alongside one stays out', () => {
    // The right rule steps one pixel left halfway down (a rule a little off the vertical),
    // and a stroke 60 px long (the arm of a big tick) runs down beside its upper half, one
    // pixel of paper away: on a line the rule holds lower down.
    const beside = { ...grid, data: grid.data.slice() };
    fill(beside, w - 4, 150, w - 3, h);
    for (let y = 150; y < h; y++) beside.data[y * w + w - 1] = 0;
    fill(beside, w - 5, 20, w - 4, 80);
    const lines = gridLines(beside, beside, 120, 90, 1, 6);
    expect(count(lines.v, w - 5, 20, w - 4, 80)).toBe(0);
    expect(count(lines.completed(), w - 5, 20, w - 4, 80)).toBe(0);
  });

  it('takes no short run on a line without a rule', () => {
    // A dash as long as the part kept above, in the middle of the frame.
    const dashed = { ...grid, data: grid.data.slice() };
    fill(dashed, 150, 150, 207, 153);
    const rules = gridLines(dashed, dashed, 120, 90, 1, 6).completed();
    expect(count(rules, 100, 140, 300, 160)).toBe(0);
  });
});
