import { profile, linesFromProfile } from './grid-lines.js';
import { rotate90, type Gray, type Mask } from './gray.js';
import { dilate, threshold } from './line-mask.js';

/** An upright table raster with its ruling found. */
export interface TableGrid {
  readonly dark: Gray;
  /** The table's own ruling (255 = line), upright. */
  readonly lineImg: Gray;
  /** Line pixels grown by a couple of pixels, to subtract from ink. */
  readonly lineMask: Mask;
  /** y of each horizontal line, top to bottom. */
  readonly rows: readonly number[];
  /** x of each vertical line, left to right. */
  readonly cols: readonly number[];
  /** Quarter turns clockwise applied to the warped table to make it upright. */
  readonly turns: number;
}

export function findRuling(dark: Gray, lineImg: Gray, turns: number): TableGrid {
  const { width: w, height: h } = lineImg;
  const rows = linesFromProfile(profile(lineImg.data, w, h, 'h'), w, 0.3).map((l) => l.pos);
  const cols = linesFromProfile(profile(lineImg.data, w, h, 'v'), h, 0.3).map((l) => l.pos);
  const grow = Math.max(2, Math.round(Math.max(w, h) / 600));
  return { dark, lineImg, lineMask: dilate(threshold(lineImg, 128), grow), rows, cols, turns };
}

export function turn(g: TableGrid, quarterTurns: number): TableGrid {
  return findRuling(
    rotate90(g.dark, quarterTurns),
    rotate90(g.lineImg, quarterTurns),
    (g.turns + quarterTurns) % 4,
  );
}

function gaps(p: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < p.length; i++) out.push(p[i]! - p[i - 1]!);
  return out;
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
}

/**
 * A ballot table reads across: rows are short, and the name column is much wider than
 * a row is tall. A table scanned sideways shows the opposite, whatever its layout.
 */
export function isSideways(g: TableGrid): boolean {
  const rg = gaps(g.rows);
  const cg = gaps(g.cols);
  if (rg.length === 0 || cg.length === 0) return false;
  const rowH = median(rg);
  const widest = Math.max(...cg);
  const colW = median(cg);
  const tallest = Math.max(...rg);
  // Upright: widest column >> typical row height. Sideways: tallest "row" >> typical column width.
  return tallest / Math.max(1, colW) > widest / Math.max(1, rowH);
}

export { gaps, median };
