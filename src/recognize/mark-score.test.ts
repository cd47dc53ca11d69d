import { describe, expect, it } from 'vitest';
import type { Gray, Mask } from './gray.js';
import { scoreVoteCells } from './mark-score.js';
import type { Box } from './reading.js';

// Vote cells stacked in one column, 60 px tall, a 5 px rule between each two (the first
// rule at y = 60..64); most tests use two of them.
const W = 100;
const cellsOf = (rows: number): Box[] =>
  Array.from({ length: rows }, (_, r) => ({ x: 0, y: r * 65, width: W, height: 60 }));
const cells = cellsOf(2);

function page(draw: (set: (x: number, y: number) => void) => void, rows = 2): { dark: Gray; lines: Mask } {
  const H = rows * 65;
  const dark = new Uint8Array(W * H);
  const lines = new Uint8Array(W * H);
  for (let r = 0; r < rows - 1; r++) {
    for (let y = r * 65 + 60; y < r * 65 + 65; y++) {
      for (let x = 0; x < W; x++) {
        dark[y * W + x] = 255;
        lines[y * W + x] = 1;
      }
    }
  }
  const set = (x: number, y: number): void => {
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const xx = Math.round(x) + dx;
        const yy = Math.round(y) + dy;
        if (xx >= 0 && xx < W && yy >= 0 && yy < H) dark[yy * W + xx] = 200;
      }
  };
  draw(set);
  return { dark: { width: W, height: H, data: dark }, lines: { width: W, height: H, data: lines } };
}

/** A stroke from (x0, y0) to (x1, y1). */
function line(set: (x: number, y: number) => void, x0: number, y0: number, x1: number, y1: number): void {
  const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
  for (let i = 0; i <= n; i++) set(x0 + ((x1 - x0) * i) / n, y0 + ((y1 - y0) * i) / n);
}

/** A shadow wedge over the left of cell 0, fading from 104 to 100 (just past a mark level of 100). */
function shadowWedge(dark: Gray): void {
  for (let y = 8; y < 52; y++) for (let x = 5; x < 40; x++) dark.data[y * W + x] = 104 - Math.floor(x / 10);
}

describe('scoreVoteCells', () => {
  it('measures the fill of a cell blacked out, on a box at fractional pixel positions', () => {
    const { dark, lines } = page(() => undefined);
    for (let y = 2; y < 58; y++) for (let x = 2; x < 98; x++) dark.data[y * W + x] = 220;
    const boxes: Box[] = [
      { x: 0.4, y: 0.3, width: 99.3, height: 59.6 },
      { x: 0.4, y: 65.2, width: 99.3, height: 59.6 },
    ];
    const s = scoreVoteCells(dark, lines, boxes, 100, 60);
    expect(s.cells[0]!.fill).toBeGreaterThan(0.9);
    expect(s.cells[1]!.fill).toBe(0);
  });

  it('ignores a soft shadow nowhere darker than the mark level by the faint margin', () => {
    const { dark, lines } = page(() => undefined);
    shadowWedge(dark);
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    expect(s.cells[0]!.score).toBe(0);
    expect(s.cells[0]!.strayScore).toBe(0);
  });

  it('counts no mark for a smudge with only a small dark core, but leaves it for a person', () => {
    const { dark, lines } = page(() => undefined);
    shadowWedge(dark);
    // A core of about 4% of the smudge past the faint margin: too little to be a pen stroke.
    for (let y = 28; y < 32; y++) for (let x = 10; x < 25; x++) dark.data[y * W + x] = 120;
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    expect(s.cells[0]!.score).toBe(0);
    expect(s.cells[0]!.strayScore).toBeGreaterThan(0.1);
    // The same shape drawn in ink is counted.
    for (let y = 8; y < 52; y++) for (let x = 5; x < 40; x++) dark.data[y * W + x] = 180;
    expect(scoreVoteCells(dark, lines, cells, 100, 60).cells[0]!.score).toBeGreaterThan(0.1);
  });

  it('gives the tip of a tick that slants over the rule to the tick, not to the next row', () => {
    // A tick in cell 0 whose short stroke dips over the rule at a shallow slant.
    const { dark, lines } = page((set) => {
      line(set, 5, 40, 35, 62); // short stroke, reaching the rule at a shallow slant
      line(set, 35, 62, 42, 74); // its tip over the rule, in the next row
      line(set, 42, 74, 92, 2); // long stroke back up
    });
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    expect(s.cells[0]!.score).toBeGreaterThan(0.05);
    expect(s.cells[1]!.score).toBe(0);
    expect(s.cells[1]!.spillInScore).toBe(0);
  });

  it('sends a tick drawn across the rule, a good part on each side, to a person', () => {
    const { dark, lines } = page((set) => {
      line(set, 10, 30, 40, 95); // down through the rule deep into the next row
      line(set, 40, 95, 90, 20); // and back up into the first
    });
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    // One cell gets the stroke; the other is flagged, not silently empty.
    const [a, b] = s.cells;
    expect(a!.score > 0 ? b!.spillInScore : a!.spillInScore).toBeGreaterThan(0);
  });

  it('does not let two ticks that touch across the rule hide one of them', () => {
    const { dark, lines } = page((set) => {
      line(set, 20, 30, 35, 58); // tick in cell 0 ending at the rule
      line(set, 35, 58, 70, 5);
      line(set, 38, 66, 50, 100); // tick in cell 1 starting at the rule, next to the first one
      line(set, 50, 100, 90, 70);
    });
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    const [a, b] = s.cells;
    // Either both read as marks, or the one not given its stroke is flagged for a person.
    expect(a!.score > 0.03 || a!.spillInScore > 0.015).toBe(true);
    expect(b!.score > 0.03 || b!.spillInScore > 0.015).toBe(true);
  });
});

describe('scoreVoteCells, crossings', () => {
  it('counts only the strokes of the mark, not specks of other ink in its box', () => {
    const { dark, lines } = page((set) => {
      line(set, 20, 15, 30, 50);
      line(set, 30, 50, 85, 12);
      // Two rows of dust under the long arm, inside the tick's box: too small to be strokes.
      for (let x = 48; x <= 82; x += 5) {
        for (const y of [44, 49]) set(x, y);
      }
    });
    const s = scoreVoteCells(dark, lines, cells, 100, 60);
    expect(s.cells[0]!.score).toBeGreaterThan(0.05);
    expect(s.cells[0]!.crossings).toBeGreaterThan(0);
    expect(s.cells[0]!.crossings).toBeLessThanOrEqual(2);
  });

  it('measures the extent of a cell by its largest stroke, so streaks do not add up to a tick', () => {
    const { dark, lines } = page((set) => {
      // Five flat streaks, staggered down and across the cell (a striped photo).
      for (let k = 0; k < 5; k++) line(set, 10 + k * 12, 12 + k * 8, 34 + k * 12, 12 + k * 8);
    });
    const c = scoreVoteCells(dark, lines, cells, 100, 60).cells[0]!;
    expect(c.strokes).toBe(5);
    expect(c.extent).toBeLessThan(0.2);
  });

  it('counts every pass of a zigzag drawn over a tick', () => {
    const { dark, lines } = page((set) => {
      line(set, 20, 15, 30, 50);
      line(set, 30, 50, 85, 12);
      for (let k = 0; k < 6; k++) line(set, 15, 8 + k * 8, 88, 12 + k * 8);
    });
    expect(scoreVoteCells(dark, lines, cells, 100, 60).cells[0]!.crossings).toBeGreaterThanOrEqual(3);
  });
});

describe('scoreVoteCells, ticks touching across a rule', () => {
  // Four vote cells: two rows touching, two holding a tick of the same hand each.
  const cells4 = cellsOf(4);
  const page4 = (draw: (set: (x: number, y: number) => void) => void): { dark: Gray; lines: Mask } =>
    page(draw, 4);

  /** A tick of the size this hand draws, its foot at (x, y). */
  function tick(set: (x: number, y: number) => void, x: number, y: number): void {
    line(set, x - 14, y - 22, x, y);
    line(set, x, y, x + 34, y - 48);
  }

  it('reads both rows when two ticks are drawn into each other across the rule', () => {
    const { dark, lines } = page4((set) => {
      tick(set, 40, 63); // row 0's tick: its foot reaches over the rule into row 1 ...
      tick(set, 44, 120); // ... and touches the top of row 1's tick
      line(set, 43, 62, 46, 72);
      tick(set, 40, 180); // two ticks on their own, rows 2 and 3: the size of one tick
      tick(set, 42, 245);
    });
    const s = scoreVoteCells(dark, lines, cells4, 100, 60);
    const [a, b, c] = s.cells;
    expect(a!.score).toBeGreaterThan(c!.score * 0.6);
    expect(b!.score).toBeGreaterThan(c!.score * 0.6);
    expect(a!.spillInScore).toBe(0);
    expect(b!.spillInScore).toBe(0);
    expect(a!.extent).toBeGreaterThan(0.4);
    expect(b!.extent).toBeGreaterThan(0.4);
  });

  it('still sends one tick drawn across the rule to a person, beside ticks of its size', () => {
    const { dark, lines } = page4((set) => {
      line(set, 10, 30, 40, 95); // one tick, a good part on each side of the rule
      line(set, 40, 95, 90, 20);
      tick(set, 40, 180);
      tick(set, 42, 245);
    });
    const s = scoreVoteCells(dark, lines, cells4, 100, 60);
    const [a, b] = s.cells;
    expect(a!.score > 0 ? b!.spillInScore : a!.spillInScore).toBeGreaterThan(0);
    expect(a!.score > 0 && b!.score > 0).toBe(false);
  });
});
