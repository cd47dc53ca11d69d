import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { framed, twinsMerged, withoutPhantoms } from './table-grid.js';

const line = (pos: number, strength = 1) => ({ pos, strength });

describe('withoutPhantoms', () => {
  it('drops a weak line that splits one row into two half rows', () => {
    const rows = [line(0), line(50), line(100), line(125, 0.4), line(150), line(200), line(250)];
    expect(withoutPhantoms(rows)).toEqual([0, 50, 100, 150, 200, 250]);
  });

  it('keeps a full-strength rule, and rows of one height', () => {
    const even = [0, 50, 100, 150, 200, 250].map((p) => line(p));
    expect(withoutPhantoms(even)).toEqual([0, 50, 100, 150, 200, 250]);
    const strong = [line(0), line(50), line(100), line(125), line(150), line(200), line(250, 0.5)];
    expect(withoutPhantoms(strong)).toContain(125);
  });

  it('keeps a tall row (a wrapped title) and its neighbours', () => {
    const rows = [line(0), line(50), line(100), line(200, 0.5), line(250), line(300)];
    expect(withoutPhantoms(rows)).toEqual([0, 50, 100, 200, 250, 300]);
  });
});

describe('twinsMerged', () => {
  it('makes one rule of each pair of lines drawn a few pixels apart', () => {
    // Separately bordered cells: the bottom of one row and the top of the next.
    const doubled = [line(0), line(44), line(50), line(94), line(100), line(144), line(150), line(194)];
    expect(twinsMerged(doubled, 10).map((l) => l.pos)).toEqual([0, 47, 97, 147, 194]);
  });

  it('keeps lines that are far apart, or close but no closer than their neighbours', () => {
    const even = [0, 50, 100, 150].map((p) => line(p));
    expect(twinsMerged(even, 10)).toEqual(even);
    // Narrow columns side by side (rows of 8 px are still rows when all are 8 px).
    const narrow = [0, 8, 16, 24, 32].map((p) => line(p));
    expect(twinsMerged(narrow, 10)).toEqual(narrow);
    // A close pair beyond the pixel limit stays two lines.
    expect(twinsMerged([line(0), line(100), line(115), line(215)], 10)).toHaveLength(4);
  });
});

describe('framed', () => {
  /** A 300 x 200 line image: horizontal rules at `rows` from x0 to x1, vertical ones at `cols` from y0 to y1. */
  function lines(rows: number[], cols: number[], [x0, x1]: number[], [y0, y1]: number[]): Gray {
    const w = 300;
    const data = new Uint8Array(w * 200);
    for (const y of rows) for (let x = x0!; x <= x1!; x++) data[y * w + x] = 255;
    for (const x of cols) for (let y = y0!; y <= y1!; y++) data[y * w + x] = 255;
    return { width: w, height: 200, data };
  }

  it('puts back the outer border where the inner rules run on beyond the outermost ones', () => {
    // Rows every 30 px from 40 to 160, the border at 10 and 190 not printed; columns at
    // 60, 150, 240 of a table from x 10 to 290.
    const img = lines([40, 70, 100, 130, 160], [60, 150, 240], [10, 290], [10, 190]);
    expect(framed(img, [40, 70, 100, 130, 160], [60, 150, 240])).toEqual({
      rows: [10, 40, 70, 100, 130, 160, 190],
      cols: [10, 60, 150, 240, 290],
    });
  });

  it('leaves a table missing only its top rule as it is (a rule lost to a shaded header)', () => {
    const img = lines([40, 70, 100, 130, 160, 190], [10, 60, 150, 240, 290], [10, 290], [10, 190]);
    const rows = [40, 70, 100, 130, 160, 190];
    const cols = [10, 60, 150, 240, 290];
    expect(framed(img, rows, cols)).toEqual({ rows, cols });
  });

  it('leaves a framed table as it is, and a rule overshooting its frame by a little', () => {
    const img = lines([10, 40, 70, 100, 130, 160, 190], [10, 60, 150, 240, 290], [8, 292], [10, 190]);
    const rows = [10, 40, 70, 100, 130, 160, 190];
    const cols = [10, 60, 150, 240, 290];
    expect(framed(img, rows, cols)).toEqual({ rows, cols });
  });
});
