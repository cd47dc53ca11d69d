import { describe, expect, it } from 'vitest';
import { inkRules, straightenTable } from './dewarp.js';
import type { Gray } from './gray.js';

const W = 480;
const H = 360;

/**
 * A ruled table as darkness (ink 200 on paper 0): horizontal rules at `rowsAt`, each
 * bowed by `bow` px at the middle (a sheet not lying flat), vertical rules at `colsAt`.
 */
function table(rowsAt: readonly number[], colsAt: readonly number[], bow: number): Gray {
  const data = new Uint8Array(W * H);
  for (const y0 of rowsAt) {
    for (let x = 20; x < W - 20; x++) {
      const y = Math.round(y0 + bow * Math.sin((Math.PI * x) / W));
      for (let t = 0; t < 2; t++) data[(y + t) * W + x] = 200;
    }
  }
  for (const x0 of colsAt)
    for (let y = 20; y < H - 20; y++) for (let t = 0; t < 2; t++) data[y * W + x0 + t] = 200;
  return { width: W, height: H, data };
}

/** Rows (y) where the horizontal rule nearest `y0` crosses column `x`. */
function ruleRowAt(img: Gray, x: number, y0: number): number {
  let best = -1;
  for (let y = y0 - 8; y <= y0 + 8; y++)
    if (img.data[y * W + x]! >= 100 && (best < 0 || Math.abs(y - y0) < Math.abs(best - y0))) best = y;
  return best;
}

const rows = [40, 80, 120, 160, 200, 240, 280, 320];
const cols = [20, 120, 300, 380, W - 22];

describe('straightenTable', () => {
  it('lays bowed rules straight and says the bend was measured', () => {
    const bent = table(rows, cols, 4);
    const out = straightenTable(bent, inkRules(100, 4), 4);
    expect(out.measured).toBe(true);
    expect(out.img).not.toBe(bent);
    // A rule bowed by 4 px at the middle lies on one row after straightening.
    for (const y0 of [80, 200, 280]) {
      const atMiddle = ruleRowAt(out.img, W / 2, y0 + 4);
      expect(Math.abs(ruleRowAt(out.img, 60, y0 + 4) - atMiddle)).toBeLessThanOrEqual(1);
      expect(Math.abs(ruleRowAt(out.img, W - 60, y0 + 4) - atMiddle)).toBeLessThanOrEqual(1);
    }
  });

  it('leaves a straight table as it is, its bend still measured (none)', () => {
    const flat = table(rows, cols, 0);
    const out = straightenTable(flat, inkRules(100, 4), 4);
    expect(out.img).toBe(flat);
    expect(out.measured).toBe(true);
  });

  it('does not call a bend measured from the frame alone (a curl in the middle would go unseen)', () => {
    const frame = table([40, 320], [20, W - 22], 0);
    expect(straightenTable(frame, inkRules(100, 4), 4).measured).toBe(false);
    // Nor from rules the finder cannot see (too faint for its level).
    const faint = table(rows, cols, 4);
    expect(straightenTable(faint, inkRules(250, 4), 4).measured).toBe(false);
  });
});
