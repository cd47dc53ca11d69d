import { describe, expect, it } from 'vitest';
import { findTables, tableSearch } from './find-tables.js';
import type { Gray } from './gray.js';
import type { Quad } from './homography.js';

/**
 * A 400 x 800 page (darkness, 0 = paper) with a ruled grid of 3 columns and 20 rows, rules
 * `thick` px wide; with `frameless`, the outer border is not drawn (the inner rules still
 * run to where it would be).
 */
function ruledPage(thick: number, frameless = false): Gray {
  const w = 400;
  const h = 800;
  const data = new Uint8Array(w * h);
  const rect = (x0: number, y0: number, x1: number, y1: number): void => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 200;
  };
  const [left, top, right, bottom] = [40, 60, 360, 740];
  for (const x of frameless ? [100, 300] : [left, 100, 300, right]) rect(x, top, x + thick, bottom + thick);
  for (let r = frameless ? 1 : 0; r <= (frameless ? 19 : 20); r++) {
    const y = top + Math.round(((bottom - top) * r) / 20);
    rect(left, y, right + thick, y + thick);
  }
  return { width: w, height: h, data };
}

/** Corners within 4 px of the middle of the outer rules. */
function expectCorners(quad: Quad, thick: number): void {
  const mid = thick / 2;
  const want = [
    [40 + mid, 60 + mid],
    [360 + mid, 60 + mid],
    [360 + mid, 740 + mid],
    [40 + mid, 740 + mid],
  ];
  quad.forEach((p, k) => {
    expect(Math.abs(p[0] - want[k]![0]!)).toBeLessThan(4);
    expect(Math.abs(p[1] - want[k]![1]!)).toBeLessThan(4);
  });
}

describe('findTables', () => {
  it('finds a grid of print-thin rules as it is', () => {
    const found = findTables(tableSearch(ruledPage(2)), 100);
    expect(found).toHaveLength(1);
    expect(found[0]!.wideRules).toBeUndefined();
    expectCorners(found[0]!.quad, 2);
  });

  it('finds a grid whose rules blur has widened, and says so for the reader', () => {
    // 8 px rules on a page this size are wider than a printed rule can be (the search
    // allows 5): a motion-blurred photo of a slip looks like this.
    const found = findTables(tableSearch(ruledPage(8)), 100);
    expect(found).toHaveLength(1);
    expect(found[0]!.wideRules).toBe(true);
    expectCorners(found[0]!.quad, 8);
  });

  it('offers the corners where the inner rules end for a table printed without its outer border', () => {
    // The outermost rules found are inner ones; framed by them alone, the reader would lose
    // the first and last column and row. Where the inner rules end is the second guess.
    const found = findTables(tableSearch(ruledPage(2, true)), 100);
    expect(found).toHaveLength(1);
    const near = (p: readonly [number, number], x: number, y: number): void => {
      expect(Math.abs(p[0] - x)).toBeLessThan(5);
      expect(Math.abs(p[1] - y)).toBeLessThan(5);
    };
    near(found[0]!.quad[0], 101, 95);
    near(found[0]!.otherQuad![0], 40, 60);
    near(found[0]!.otherQuad![2], 362, 742);
    // A framed table has no such second guess.
    expect(findTables(tableSearch(ruledPage(2)), 100)[0]!.otherQuad).toBeUndefined();
  });

  it('finds nothing on a page without rules', () => {
    const page = ruledPage(0);
    expect(findTables(tableSearch(page), 100)).toEqual([]);
  });
});
