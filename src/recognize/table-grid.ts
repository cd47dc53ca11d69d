import { profile, linesFromProfile, type Line } from './grid-lines.js';
import { rotate90, type Gray, type Mask } from './gray.js';
import { dilate, threshold, union } from './line-mask.js';

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
  const found = withoutPhantoms(merged(linesFromProfile(profile(lineImg.data, w, h, 'h'), w, 0.3)));
  const foundCols = merged(linesFromProfile(profile(lineImg.data, w, h, 'v'), h, 0.3)).map((l) => l.pos);
  const { rows, cols } = framed(lineImg, found, foundCols);
  return { dark, lineImg, lineMask: grown(threshold(lineImg, 128)), rows, cols, turns, twins };
}

/** Line pixels grown by a couple of pixels (the fringe of a rule is grey, and the straightening not perfect). */
function grown(lines: Mask): Mask {
  return dilate(lines, Math.max(2, Math.round(Math.max(lines.width, lines.height) / 600)));
}

/**
 * The grid with `rules`, found on the warped table before any turn, added to its line
 * mask: turned as the grid was, grown as its own lines are.
 */
export function withRules(g: TableGrid, rules: Mask): TableGrid {
  const more = grown(rotate90(rules, g.turns));
  return { ...g, lineMask: union(g.lineMask, more) };
}

/**
 * Rows and columns with the outer frame put back where it was not printed (a table
 * without its outer border, as word processors draw one with the border style
 * "hidden"): the inner rules still run to the table's edge, so where the rules of one
 * direction reach well beyond the outermost rule of the other, that edge is a rule too.
 * A framed table's rules end on its frame and gain nothing.
 */
export function framed(
  lineImg: Gray,
  rows: readonly number[],
  cols: readonly number[],
): { rows: number[]; cols: number[] } {
  const outRows = [...rows];
  const outCols = [...cols];
  if (rows.length < 2 || cols.length < 2) return { rows: outRows, cols: outCols };
  // Half a row: less than any column or row of a ballot, more than a rule overshooting its frame.
  const rowH = median(gaps(rows));
  const minCell = Math.max(4, rowH * FRAME_MIN_CELL);
  const across = ruleEnds(lineImg, rows, 'h');
  const down = ruleEnds(lineImg, cols, 'v');
  if (!across || !down) return { rows: outRows, cols: outCols };
  // A border put back makes a cell like the others: a column no wider than the widest
  // found, a row at most a header's height. Rules running to the edge of the raster were
  // cut there by the table's frame (a table partly found), not ended by the table.
  const widest = Math.max(...gaps(cols));
  const [w, h] = [lineImg.width, lineImg.height];
  const side = (gap: number, max: number, end: number, size: number): boolean =>
    gap > minCell && gap <= max && end >= EDGE_CLEAR && end <= size - 1 - EDGE_CLEAR;
  const left = side(cols[0]! - across.start, widest, across.start, w);
  const right = side(across.end - cols[cols.length - 1]!, widest, across.end, w);
  const top = side(rows[0]! - down.start, rowH * FRAME_MAX_ROW, down.start, h);
  const bottom = side(down.end - rows[rows.length - 1]!, rowH * FRAME_MAX_ROW, down.end, h);
  // A border left out is left out all round; one side alone is rather a rule lost to
  // shading or blur, or a table cut by the frame, which other searches and checks handle.
  if ([left, right, top, bottom].filter(Boolean).length < FRAMELESS_SIDES)
    return { rows: outRows, cols: outCols };
  if (left) outCols.unshift(across.start);
  if (right) outCols.push(across.end);
  if (top) outRows.unshift(down.start);
  if (bottom) outRows.push(down.end);
  return { rows: outRows, cols: outCols };
}

/** Sides of a table (of 4) where the rules must run on beyond the outermost rule for it to be frameless. */
export const FRAMELESS_SIDES = 3;

/** A missing border must leave at least this share of a row's height beyond the outermost rule. */
export const FRAME_MIN_CELL = 0.5;
/** The tallest row a border put back may make, in ordinary rows (a header row is taller). */
const FRAME_MAX_ROW = 2.5;
/** Pixels from the edge of the raster within which a rule's end is where the raster cut it. */
const EDGE_CLEAR = 3;

/**
 * Where the rules at `pos` (horizontal for 'h', vertical for 'v') begin and end: the
 * median over the rules of the ends of each one's longest run of line pixels (gaps of a
 * few pixels bridged), counting only rules that run at least half the table.
 */
function ruleEnds(
  lineImg: Gray,
  pos: readonly number[],
  axis: 'h' | 'v',
): { start: number; end: number } | null {
  const { width: w, height: h, data } = lineImg;
  const len = axis === 'h' ? w : h;
  const across = axis === 'h' ? h : w;
  const gapTol = Math.max(3, Math.round(len / 200));
  const starts: number[] = [];
  const ends: number[] = [];
  for (const p of pos) {
    const c = Math.round(p);
    let bestStart = 0;
    let bestEnd = -1;
    let runStart = -1;
    let lastOn = -Infinity;
    for (let t = 0; t < len; t++) {
      let on = false;
      for (let d = -2; d <= 2 && !on; d++) {
        const q = c + d;
        if (q < 0 || q >= across) continue;
        on = (axis === 'h' ? data[q * w + t]! : data[t * w + q]!) > 127;
      }
      if (!on) continue;
      if (t - lastOn > gapTol + 1) runStart = t;
      lastOn = t;
      if (t - runStart > bestEnd - bestStart) {
        bestStart = runStart;
        bestEnd = t;
      }
    }
    if (bestEnd - bestStart >= len * 0.5) {
      starts.push(bestStart);
      ends.push(bestEnd);
    }
  }
  if (starts.length === 0) return null;
  return { start: median(starts), end: median(ends) };
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
