import { describe, expect, it } from 'vitest';
import { withoutPhantoms } from './table-grid.js';

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
