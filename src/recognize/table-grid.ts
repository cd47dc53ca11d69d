import { profile, linesFromProfile, type Line } from './grid-lines.js';
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
  /** Pairs of lines drawn close together were taken as one rule (see `twinsMerged`). */
  readonly twins: boolean;
}

/**
 * Rows and columns of a table from its line image. With `twins`, a pair of lines drawn
 * close together is one rule (see `twinsMerged`).
 */
export function findRuling(dark: Gray, lineImg: Gray, turns: number, twins = false): TableGrid {
  const { width: w, height: h } = lineImg;
  const merged = (lines: Line[]): Line[] => (twins ? twinsMerged(lines, twinGap(lineImg)) : lines);
  const rows = withoutPhantoms(merged(linesFromProfile(profile(lineImg.data, w, h, 'h'), w, 0.3)));
  const cols = merged(linesFromProfile(profile(lineImg.data, w, h, 'v'), h, 0.3)).map((l) => l.pos);
  const grow = Math.max(2, Math.round(Math.max(w, h) / 600));
  return { dark, lineImg, lineMask: dilate(threshold(lineImg, 128), grow), rows, cols, turns, twins };
}

/** A gap between two lines under this share of the gaps beside it makes them twins (see `twinsMerged`). */
const TWIN_SHARE = 0.35;

/** The widest gap between the two lines of a rule drawn twice, for a table of this size. */
function twinGap(img: { width: number; height: number }): number {
  return Math.max(6, Math.round(Math.max(img.width, img.height) / 80));
}

/**
 * Lines i and i + 1 of `pos` (sorted) are twins: their gap is at most `maxGap` pixels and
 * a small share of the gaps on either side of them, which no row or column of a ballot is.
 */
function twinsAt(pos: readonly number[], i: number, maxGap: number): boolean {
  const gap = pos[i + 1]! - pos[i]!;
  const before = i > 0 ? pos[i]! - pos[i - 1]! : Infinity;
  const after = i + 2 < pos.length ? pos[i + 2]! - pos[i + 1]! : Infinity;
  const beside = Math.min(before, after);
  return gap <= maxGap && Number.isFinite(beside) && gap < beside * TWIN_SHARE;
}

/**
 * One rule for each pair of lines drawn close together: cells with borders of their own
 * (HTML's border="1", a table drawn as separate boxes) put two lines a few pixels apart
 * on every rule (see `twinsAt`).
 */
export function twinsMerged(lines: readonly Line[], maxGap: number): Line[] {
  const out = [...lines];
  const pos = out.map((l) => l.pos);
  for (let i = 0; i + 1 < out.length; i++) {
    if (!twinsAt(pos, i, maxGap)) continue;
    const a = out[i]!;
    const b = out[i + 1]!;
    const one = { pos: (a.pos + b.pos) / 2, strength: Math.max(a.strength, b.strength) };
    out.splice(i, 2, one);
    pos.splice(i, 2, one.pos);
  }
  return out;
}

/** Pairs of rows and of columns of a grid that look like one rule drawn twice (see `twinsAt`). */
export function twinRules(g: TableGrid): number {
  const maxGap = twinGap(g.lineImg);
  let n = 0;
  for (const pos of [g.rows, g.cols])
    for (let i = 0; i + 1 < pos.length; i++) if (twinsAt(pos, i, maxGap)) n++;
  return n;
}

/**
 * Drop a weaker "rule" that splits one row into two short ones: a line of text, a
 * photocopy streak or a fold taken for a rule. Rows of a ballot table are of one height
 * (a title that wraps makes a row taller, never shorter), so a line with a short row on
 * both sides that together make about one ordinary row is not a rule.
 */
export function withoutPhantoms(lines: readonly Line[]): number[] {
  const kept = [...lines];
  for (let pass = 0; pass < 3; pass++) {
    const gapsNow = gaps(kept.map((l) => l.pos));
    if (gapsNow.length < 4) break;
    const typical = median(gapsNow);
    const strengths = [...kept.map((l) => l.strength)].sort((a, b) => a - b);
    const midStrength = strengths[Math.floor(strengths.length / 2)]!;
    let dropped = false;
    for (let i = 1; i < kept.length - 1; i++) {
      const above = kept[i]!.pos - kept[i - 1]!.pos;
      const below = kept[i + 1]!.pos - kept[i]!.pos;
      if (
        above < typical * 0.65 &&
        below < typical * 0.65 &&
        Math.abs(above + below - typical) < typical * 0.3 &&
        kept[i]!.strength < midStrength
      ) {
        kept.splice(i, 1);
        dropped = true;
        break;
      }
    }
    if (!dropped) break;
  }
  return kept.map((l) => l.pos);
}

export function turn(g: TableGrid, quarterTurns: number): TableGrid {
  return findRuling(
    rotate90(g.dark, quarterTurns),
    rotate90(g.lineImg, quarterTurns),
    (g.turns + quarterTurns) % 4,
    g.twins,
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
