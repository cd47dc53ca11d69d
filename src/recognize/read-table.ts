import type { Election } from '../election/election.js';
import type { ReviewReason } from '../election/reasons.js';
import { withoutBanding } from './banding.js';
import { encodeBallotPng } from './ballot-image.js';
import { inkRules, straightenTable } from './dewarp.js';
import { MIN_AUTO_CONFIDENCE, tableConfidence, unsureAsAWhole } from './confidence.js';
import { maskToGray, type TableCandidate } from './find-tables.js';
import { ridgeMask } from './line-filter.js';
import { gridLines, thinAcross, threshold, union, type GridLines } from './line-mask.js';
import { nearRules, textLines } from './rule-continuity.js';
import { crop, type Gray, type Mask } from './gray.js';
import { warp, type Point } from './homography.js';
import { matchKind } from './kind-match.js';
import { guessLayout, type Half } from './layout.js';
import { innerBox, scoreVoteColumns } from './mark-score.js';
import { widestScale, type SerialReader } from './ocr.js';
import { inOrder, onBlankPaper, serialsBySpan } from './serial-strip.js';
import type { BallotReading, Box, ItemReading } from './reading.js';
import {
  highestSerial,
  mapRows,
  onlyMisreads,
  orderConfirmed,
  rulingPlacesRows,
  sliverRows,
  type RowMap,
  type SerialCell,
} from './row-map.js';
import {
  findRuling,
  gaps,
  isSideways,
  median,
  turn,
  twinRules,
  withRules,
  type TableGrid,
} from './table-grid.js';
import { decide, decisionMargin, pageThresholds, tickLike } from './thresholds.js';
import { faintLineLevel, ruleDarkness } from './rule-level.js';
import { isShaded, withoutShading } from './shading.js';

export interface TableContext {
  readonly election: Election;
  readonly digits: SerialReader;
  /** Ink level (darkness 0..255) for printed text and lines on this page. */
  readonly textLevel: number;
  /** Lower level for ruling: thin grey table lines must still be found. */
  readonly lineLevel: number;
  /** Lower ink level for marks, so light pencil still counts. */
  readonly markLevel: number;
  /** Page quality 0..1 (contrast, sharpness). */
  readonly quality: number;
  /** Darkness of bare paper on this page (grain, shading), which no threshold may reach. */
  readonly paperNoise: number;
  /**
   * The page's edges are the paper's, the whole sheet in view (`Rectified.paperEdges`): a
   * table reaching them is not cut off by the frame.
   */
  readonly paperEdges: boolean;
}

export type TableResult =
  { readonly ok: true; readonly ballot: BallotReading } | { readonly ok: false; readonly why: string };

const MARGIN = 8;

/**
 * Shading this much of the line level is looked for: a grey header row near the level
 * already breaks the rules round it into noise where the threshold cuts through it.
 */
const SHADING_SHARE_OF_LINE = 0.7;

/** Pairs of lines drawn close together at which a table is taken for one of separately bordered cells. */
const TWIN_RULES = 2;
/**
 * Occupancy margin (see `guessLayout`) at which the table is clearly the right way up:
 * its serial column holds ink in far more rows than its vote column.
 */
const CLEAR_ORIENTATION = 0.5;
/** How much wider than the widest rule a rule smeared by camera shake is looked for. */
const SMEAR_SCALE = 3;
/**
 * Rules one way, none the other, at which a table is looked for as smeared: the smallest
 * ballot has 5 rows (a header and 4 items in each half); a few stray lines of text or a
 * sheet's edge found without any crossing rule are no table worth the search.
 */
const SMEAR_MIN_RULES = 5;
/**
 * Height of a serial strip (the inner serial cell) under which its digits are read again,
 * enlarged to about this height, when the first read found fewer than half of them.
 * Tesseract reads digits best at some 20–40 px; the digits of a small row at working
 * size are 10–15 px high, blurred together on a phone photo. Only strips that failed pay
 * for the second call (on the generated set, serials read on the pages that failed went
 * from 158 to 220 right).
 */
const SMALL_STRIP = 64;
const MAX_ENLARGE = 3;

function dist(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function cellBox(g: TableGrid, r: number, c: number): Box {
  const y0 = g.rows[r]!;
  const y1 = g.rows[r + 1]!;
  const x0 = g.cols[c]!;
  const x1 = g.cols[c + 1]!;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Ink fraction of the inner cell, table lines excluded. */
function cellInk(g: TableGrid, b: Box, level: number): number {
  const ib = innerBox(b, 0.12);
  const { width: w } = g.dark;
  let n = 0;
  const x0 = Math.round(ib.x);
  const y0 = Math.round(ib.y);
  const x1 = Math.round(ib.x + ib.width);
  const y1 = Math.round(ib.y + ib.height);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      if (g.dark.data[i]! >= level && !g.lineMask.data[i]) n++;
    }
  }
  return n / Math.max(1, (x1 - x0) * (y1 - y0));
}

interface Analysis {
  readonly grid: TableGrid;
  readonly halves: readonly Half[];
  readonly rowMap: RowMap;
  readonly orientationMargin: number;
  readonly sharedColumn: boolean;
}

async function readSerials(g: TableGrid, halves: readonly Half[], ctx: TableContext): Promise<SerialCell[]> {
  const cells: SerialCell[] = [];
  const rowCount = g.rows.length - 1;
  for (let h = 0; h < halves.length; h++) {
    const c = halves[h]!.serial;
    // Stack the serial cells (lines wiped) into one strip, a blank gap between rows,
    // and read it in one OCR call: much faster than a call per cell.
    const parts: { row: number; img: Gray; ink: boolean }[] = [];
    for (let r = 0; r < rowCount; r++) {
      const b = cellBox(g, r, c);
      const ink = cellInk(g, b, ctx.markLevel) > 0.003;
      const ib = innerBox(b, 0.1);
      const ox = Math.max(0, Math.round(ib.x));
      const oy = Math.max(0, Math.round(ib.y));
      const full = crop(g.dark, ox, oy, ib.width, ib.height);
      // Wipe residues of ruling inside the crop, then keep only the columns holding ink
      // (a serial is a narrow thing in a wide cell; a shorter strip reads faster).
      let minX = full.width;
      let maxX = -1;
      for (let y = 0; y < full.height; y++) {
        for (let x = 0; x < full.width; x++) {
          const i = y * full.width + x;
          if (g.lineMask.data[(oy + y) * g.dark.width + ox + x]) full.data[i] = 0;
          else if (full.data[i]! >= ctx.markLevel) {
            if (x < minX) minX = x;
            if (x > maxX) maxX = x;
          }
        }
      }
      const pad = Math.round(full.height * 0.25);
      const img =
        maxX < 0
          ? crop(full, 0, 0, Math.min(full.width, full.height), full.height)
          : crop(full, minX - pad, 0, maxX - minX + 1 + 2 * pad, full.height);
      parts.push({ row: r, img: onBlankPaper(img), ink });
    }
    // One line of text: the cells side by side, a blank gap between them.
    const height = Math.max(1, ...parts.map((p) => p.img.height));
    const gap = Math.max(16, Math.round(height * 1.5));
    const width = parts.reduce((s, p) => s + p.img.width + gap, gap);
    const strip = new Uint8Array(width * height);
    const spans: { row: number; x0: number; x1: number }[] = [];
    let x = gap;
    for (const p of parts) {
      const top = Math.floor((height - p.img.height) / 2);
      for (let yy = 0; yy < p.img.height; yy++) {
        strip.set(p.img.data.subarray(yy * p.img.width, (yy + 1) * p.img.width), (top + yy) * width + x);
      }
      spans.push({ row: p.row, x0: x, x1: x + p.img.width });
      x += p.img.width + gap;
    }
    const whole: Gray = { width, height, data: strip };
    let read = serialsBySpan(await ctx.digits.words(whole), spans, gap);
    // Small digits (a slip photographed from afar, a table in a corner of the picture) are
    // often read only in part, or not at all: read them again, enlarged, and keep the read
    // with more numbers in order (more numbers with a misread among them would lower the
    // agreement of a reading the first read already placed).
    const inked = parts.filter((p) => p.ink).length;
    const enlarge = Math.min(MAX_ENLARGE, Math.ceil(SMALL_STRIP / height), widestScale(width));
    if (read.size < inked * 0.5 && enlarge >= 2) {
      const again = serialsBySpan(await ctx.digits.words(whole, enlarge), spans, gap);
      if (inOrder(again) > inOrder(read)) read = again;
    }
    for (const p of parts) cells.push({ half: h, row: p.row, hasInk: p.ink, ocr: read.get(p.row) ?? null });
  }
  return cells;
}

async function analyse(g0: TableGrid, ctx: TableContext): Promise<Analysis | { why: string }> {
  let g = g0;
  if (g.rows.length < 3 || g.cols.length < 3)
    return { why: `only ${g.rows.length} x ${g.cols.length} ruling lines` };
  if (isSideways(g)) g = turn(g, 1);
  if (g.rows.length < 3 || g.cols.length < 3) return { why: 'ruling lost after turning' };
  const layoutOf = (grid: TableGrid) => {
    const widths = gaps(grid.cols);
    const occupied: boolean[][] = [];
    for (let r = 0; r < grid.rows.length - 1; r++) {
      occupied.push(widths.map((_, c) => cellInk(grid, cellBox(grid, r, c), ctx.markLevel) > 0.006));
    }
    return guessLayout(widths, occupied);
  };
  let layout = layoutOf(g);
  if (!layout) return { why: 'no name column between a serial and a vote column' };
  if (layout.upsideDown) {
    g = turn(g, 2);
    const again = layoutOf(g);
    if (!again) return { why: 'layout lost after turning' };
    layout = { ...again, orientationMargin: layout.orientationMargin };
  }
  const itemCounts = ctx.election.ballots.map((b) => b.items.length);
  const rowMap = mapRows(await readSerials(g, layout.halves, ctx), layout.halves.length, itemCounts);
  // Occupancy can be fooled (a vote column full of marks); OCR of the serials is the
  // second witness. If it reads the other way up much better, believe it. A table whose
  // occupancy clearly says which way is up is not read the other way too: that costs an
  // OCR call per half, and on the generated set it never won for such a table (142
  // tables, 0 won; the 2 it won were below the margin). Too few reads there leave the
  // row order unconfirmed, which a person then checks.
  if (
    layout.orientationMargin < CLEAR_ORIENTATION &&
    (rowMap.read === 0 || rowMap.agreeing / Math.max(1, rowMap.read) < 0.5)
  ) {
    const flipped = turn(g, 2);
    const fl = layoutOf(flipped);
    if (fl) {
      const fm = mapRows(await readSerials(flipped, fl.halves, ctx), fl.halves.length, itemCounts);
      if (fm.agreeing > rowMap.agreeing + 2 && fm.agreeing >= fm.read * 0.6) {
        return {
          grid: flipped,
          halves: fl.halves,
          rowMap: fm,
          orientationMargin: 0,
          sharedColumn: fl.sharedColumn,
        };
      }
    }
  }
  return {
    grid: g,
    halves: layout.halves,
    rowMap,
    orientationMargin: layout.orientationMargin,
    sharedColumn: layout.sharedColumn,
  };
}

/**
 * The ridge search's lines and grid without the lines it joined from text (see
 * `lineInk`), and without the runs along text that made no line at all: rows first,
 * then columns along the rows left, then rows again along the columns left, so that one
 * line of text across the table does not make every rule of the other direction look
 * broken.
 */
function withoutTextRidges(
  lines: GridLines,
  grid: TableGrid,
  maxThick: number,
  floor: number,
): { lines: GridLines; grid: TableGrid } {
  const reach = Math.max(2, Math.round(maxThick / 2));
  const { dark } = grid;
  const kept = (all: readonly number[], drop: readonly number[]): number[] =>
    all.filter((p) => !drop.includes(p));
  const rows0 = textLines(dark, 'h', grid.rows, grid.cols, reach, floor);
  const cols = kept(grid.cols, textLines(dark, 'v', grid.cols, kept(grid.rows, rows0), reach, floor));
  const rows = kept(grid.rows, textLines(dark, 'h', grid.rows, cols, reach, floor));
  const h = nearRules(lines.h, rows, [], maxThick);
  const v = nearRules(lines.v, [], cols, maxThick);
  const cleaned: GridLines = { h, v, completed: () => nearRules(lines.completed(), rows, cols, maxThick) };
  return { lines: cleaned, grid: findRuling(dark, maskToGray(union(h, v)), 0, grid.twins) };
}

/**
 * Rows, columns, halves and ballot kind of a straightened table. The ruling is found
 * first from the ink threshold; when that gives no readable ballot, from the ink less
 * any shading (a grey header row merges with the rules round it, see `withoutShading`),
 * from the ink again at a level measured from the table's own rules if they are fainter
 * than the page's line level (hairlines of a high-resolution scan, which the threshold
 * breaks into dashes), from ridges, which find a rule by its contrast with the paper
 * beside it (a blurred table, where the threshold loses rules or merges them with text;
 * lines the ridges joined from text are dropped, see `withoutTextRidges`),
 * from the ink with gaps along a rule bridged if the ink gave too few rules (dashed or
 * dotted rules), if an earlier search saw rules drawn twice, from the ink with rules
 * broken where cells meet (cells with borders of their own, see `twinsMerged`), and last,
 * if a search found rules one way and none the other, from ridges several rules wide
 * across the missing direction (camera shake smears rules across its direction into wide
 * pale bands, and leaves those along it sharp).
 */
async function tableStructure(
  warped: Gray,
  w: number,
  h: number,
  maxThick: number,
  ctx: TableContext,
): Promise<Structure | { why: string }> {
  let why = '';
  let fallback: Structure | null = null;
  // Some search saw rules drawn twice (cells with borders of their own): worth the 'broken' one.
  let drawnTwice = false;
  // Wider than any rule, so that the top-hat keeps rules whole (see `withoutShading`).
  const shadeSize = 2 * maxThick + 1;
  const along = Math.max(10, Math.round(Math.max(w, h) / 40));
  const offsets = [Math.max(2, Math.round(maxThick / 2)), maxThick];
  const ridges = (img: Gray, axis: 'h' | 'v'): Mask => ridgeMask(img, axis, along, offsets, 5);
  // Rules of one direction found (at least SMEAR_MIN_RULES) and none of the other: camera
  // shake smeared the rules across its direction into wide, pale bands (see 'smeared').
  let smearedAxis: 'h' | 'v' | null = null;
  const wideThick = SMEAR_SCALE * maxThick;
  const wideOffsets = [maxThick, 2 * maxThick, wideThick];
  // The ink search found too few rules either way: they may be dashed (see 'dashed').
  let fewInkRules = false;
  const straightened = new Map<string, Gray>();
  for (const source of ['ink', 'shaded', 'faint', 'ridge', 'dashed', 'broken', 'smeared'] as const) {
    const level =
      source === 'ink' || source === 'shaded' || source === 'broken' || source === 'dashed'
        ? ctx.lineLevel
        : source === 'faint'
          ? faintLineLevel(ruleDarkness(warped), ctx.paperNoise, ctx.lineLevel)
          : null;
    if (source === 'faint' && level === null) continue;
    if (source === 'broken' && !drawnTwice) continue;
    if (source === 'dashed' && (!fewInkRules || fallback)) continue;
    if (source === 'smeared' && (smearedAxis === null || fallback)) continue;
    // Rules among shaded areas are looked for again without the shading, if there is any.
    if (source === 'shaded' && !isShaded(warped, shadeSize, ctx.lineLevel * SHADING_SHARE_OF_LINE)) continue;
    const rules =
      source === 'shaded'
        ? (img: Gray): Mask =>
            thinAcross(threshold(withoutShading(img, shadeSize), ctx.lineLevel), 'h', maxThick)
        : level !== null
          ? inkRules(level, maxThick)
          : (img: Gray): Mask => thinAcross(ridges(img, 'h'), 'h', maxThick);
    // Searches that trace the same rules (the ink at the line level, or ridges) straighten
    // the table the same way: once is enough.
    const traced =
      source === 'dashed' || source === 'broken' ? 'ink' : source === 'smeared' ? 'ridge' : source;
    const dark = straightened.get(traced) ?? straightenTable(warped, rules, maxThick);
    straightened.set(traced, dark);
    let hm: Mask;
    let vm: Mask;
    if (level !== null) {
      const ink = threshold(source === 'shaded' ? withoutShading(dark, shadeSize) : dark, level);
      hm = ink;
      vm = ink;
    } else if (source === 'smeared') {
      const wide = (axis: 'h' | 'v'): Mask => ridgeMask(dark, axis, along, wideOffsets, 5);
      hm = smearedAxis === 'h' ? wide('h') : ridges(dark, 'h');
      vm = smearedAxis === 'v' ? wide('v') : ridges(dark, 'v');
    } else {
      hm = ridges(dark, 'h');
      vm = ridges(dark, 'v');
    }
    const minRunH = Math.round(w * 0.2);
    const minRunV = Math.max(20, Math.round(h * 0.2));
    // Cells with borders of their own draw every rule twice, broken where cells meet:
    // looked for last, as rules broken by gaps as wide as a rule, each pair of lines one rule.
    const broken = source === 'broken';
    const thick = source === 'smeared' ? wideThick : maxThick;
    // Dashed rules (a border style of word processors, hairlines a fax breaks into dots)
    // are runs with gaps up to a rule's thickness along them, as are broken ones.
    const gapAlong = broken || source === 'dashed' ? maxThick : 1;
    const ruled = gridLines(hm, vm, minRunH, minRunV, 1, thick, gapAlong);
    const ruling = findRuling(dark, maskToGray(union(ruled.h, ruled.v)), 0, broken);
    // Ridges follow any line of ink, and text recurring down a column joins into one.
    const { lines, grid } =
      source === 'ridge'
        ? withoutTextRidges(ruled, ruling, maxThick, ctx.paperNoise + 1)
        : { lines: ruled, grid: ruling };
    if (source === 'ink' && (grid.rows.length < 3 || grid.cols.length < 3)) fewInkRules = true;
    if (grid.rows.length >= SMEAR_MIN_RULES && grid.cols.length === 0) smearedAxis ??= 'v';
    if (grid.cols.length >= SMEAR_MIN_RULES && grid.rows.length === 0) smearedAxis ??= 'h';
    if (!broken && !drawnTwice && twinRules(grid) >= TWIN_RULES) drawnTwice = true;
    const found = await analyse(grid, ctx);
    if ('why' in found) {
      why = why ? `${why}; ${source}: ${found.why}` : found.why;
      continue;
    }
    const { rowMap } = found;
    const kindMatch = matchKind(
      {
        rowCount: rowMap.slots.length,
        maxSerialRead: highestSerial(rowMap),
        titleText: '',
      },
      ctx.election.ballots,
    );
    // A table that fits no kind is not a ballot, unless its rows are numbered from 1 as
    // OCR confirms: then it is a ballot read badly (a missed line, a cut-off part) and
    // must reach a person rather than vanish as 'not a ballot'.
    const numbered = rowMap.agreeing >= 3 && rowMap.agreeing >= rowMap.read * 0.6;
    if (!kindMatch || (kindMatch.score < 0.45 && !numbered)) {
      const miss = `matches no ballot kind (${rowMap.slots.length} rows)`;
      why = why ? `${why}; ${source}: ${miss}` : miss;
      continue;
    }
    const result = { found, kindMatch, dark, rules: lines.completed };
    // A table read from the ink whose rows fit no kind exactly (a hairline rule lost, half
    // a table read) is read from ridges too; the reading that fits a kind better wins.
    if (kindMatch.rowsMatch && kindMatch.score >= 0.45) return result;
    if (!fallback || fitsBetter(result, fallback)) fallback = result;
  }
  return fallback ?? { why };
}

interface Structure {
  readonly found: Analysis;
  readonly kindMatch: NonNullable<ReturnType<typeof matchKind>>;
  readonly dark: Gray;
  /** The rules of the warped table, completed where marks cut them (see `gridLines`). */
  readonly rules: () => Mask;
}

/** Rows matching a kind exactly first, then the kind score, then serials read in order. */
function fitsBetter(a: Structure, b: Structure): boolean {
  if (a.kindMatch.rowsMatch !== b.kindMatch.rowsMatch) return a.kindMatch.rowsMatch;
  if (a.kindMatch.score !== b.kindMatch.score) return a.kindMatch.score > b.kindMatch.score;
  return a.found.rowMap.agreeing > b.found.rowMap.agreeing;
}

export async function readTable(page: Gray, cand: TableCandidate, ctx: TableContext): Promise<TableResult> {
  const t0 = performance.now();
  const [tl, tr, br, bl] = cand.quad;
  const w = Math.round(Math.max(dist(tl, tr), dist(bl, br))) + 2 * MARGIN;
  const h = Math.round(Math.max(dist(tl, bl), dist(tr, br))) + 2 * MARGIN;
  if (w < 40 || h < 40) return { ok: false, why: 'table too small' };
  const maxThick = Math.max(4, Math.round(Math.max(w, h) / 150)) * (cand.wideRules ? 2 : 1);
  const structure = await tableStructure(warp(page, cand.quad, w, h, MARGIN), w, h, maxThick, ctx);
  if ('why' in structure) return { ok: false, why: structure.why };
  const { found, kindMatch } = structure;
  const { grid: g, halves, rowMap } = found;
  const tLayout = performance.now();
  const kind = kindMatch.kind;

  const rowH = median(gaps(g.rows));
  const voteBoxes = rowMap.slots.map((s) => cellBox(g, s.row, halves[s.half]!.vote));
  // Marks are measured with the rules wiped, including parts of rules a mark cut off,
  // and with bands of darker paper across the table taken out (see `withoutBanding`).
  const lineMask = withRules(g, structure.rules()).lineMask;
  const markDark = withoutBanding(
    g.dark,
    lineMask,
    halves.map((hf) => [g.cols[hf.vote]!, g.cols[hf.vote + 1]!] as const),
    g.cols[0]!,
    g.cols[g.cols.length - 1]!,
  );
  const scoring = scoreVoteColumns(
    markDark,
    lineMask,
    voteBoxes,
    rowMap.slots.map((s) => halves[s.half]!.vote),
    ctx.markLevel,
    rowH,
  );
  const thresholds = pageThresholds(scoring.cells);

  const doubts = new Set<ReviewReason>();
  const notes: string[] = [];
  const items: ItemReading[] = [];
  const margins: number[] = [];
  const byNumber = new Map(rowMap.slots.map((s, k) => [s.number, k] as const));
  for (const item of kind.items) {
    const k = byNumber.get(item.number);
    if (k === undefined) {
      items.push({ number: item.number, score: 0, decision: 'uncertain', box: null, note: 'row not found' });
      doubts.add('row_unplaced');
      margins.push(0);
      continue;
    }
    const cs = scoring.cells[k]!;
    const d0 = decide(cs, thresholds);
    // An empty reading next to a sizeable stroke that could not be placed is not sure.
    const d: ReturnType<typeof decide> =
      d0.decision === 'unmarked' &&
      (cs.strayScore >= thresholds.marginal || cs.spillInScore >= thresholds.definite * 0.5)
        ? { decision: 'uncertain', note: 'marginal' }
        : d0;
    const box = voteBoxes[k]!;
    const rounded: Box = {
      x: Math.round(box.x),
      y: Math.round(box.y),
      width: Math.round(box.width),
      height: Math.round(box.height),
    };
    const score = Math.round(cs.score * 10000) / 10000;
    if (d.decision === 'uncertain') {
      items.push({ number: item.number, score, decision: 'uncertain', box: rounded, note: d.note });
      if (d.note === 'filled' || d.note === 'scribbled') doubts.add('correction');
      else doubts.add('marginal_mark');
    } else {
      items.push({
        number: item.number,
        score,
        decision: d.decision,
        box: rounded,
        ...(cs.spills ? { note: 'spills over the cell border' } : {}),
      });
    }
    margins.push(decisionMargin(cs.score, thresholds, d.decision));
  }
  if (rowMap.slots.length > kind.items.length) {
    doubts.add('row_unplaced');
    notes.push(`${rowMap.slots.length} item rows, the ${kind.kind} ballot has ${kind.items.length}`);
  }
  const slivers = sliverRows(rowMap, g.rows);
  if (slivers.length > 0) {
    doubts.add('row_unplaced');
    notes.push(`item row(s) ${slivers.map((s) => s.number).join(', ')} less than half as high as the others`);
  }
  if (!kindMatch.rowsMatch || kindMatch.margin < 0.2 || kindMatch.score < 0.45) {
    doubts.add('kind_uncertain');
    notes.push(
      `kind ${kind.kind} scored ${kindMatch.score.toFixed(2)}, margin ${kindMatch.margin.toFixed(2)}`,
    );
  }
  const ocrAgreement = rowMap.read === 0 ? 0 : rowMap.agreeing / rowMap.read;
  const confirmed = orderConfirmed(rowMap, halves.length);
  // Disagreeing reads in a table whose rows are exactly the ballot's may be misread digits.
  const misreadsOnly = kindMatch.rowsMatch && onlyMisreads(rowMap, halves.length);
  // Without enough reads, an evenly ruled table that is exactly a ballot's rows and
  // clearly the right way up places its rows by itself (see `rulingPlacesRows`).
  const placedByRuling =
    kindMatch.rowsMatch &&
    !found.sharedColumn &&
    found.orientationMargin >= CLEAR_ORIENTATION &&
    rulingPlacesRows(rowMap, halves.length, g.rows);
  if (
    rowMap.seriousConflicts > 0 ||
    (rowMap.conflicts.length > Math.max(2, rowMap.read * 0.12) && !misreadsOnly) ||
    // Few serials read (a blurred photo) is a doubt only while neither those read nor the
    // ruling confirm the order of every half: then nothing checks the rows the sequence placed.
    (rowMap.read < rowMap.slots.length * 0.5 && !confirmed && !placedByRuling)
  ) {
    doubts.add('ocr_disagrees');
    notes.push(
      `serial OCR read ${rowMap.read}/${rowMap.slots.length} rows, ${rowMap.conflicts.length} disagree with the row order` +
        (rowMap.conflicts.length ? ` (${rowMap.conflicts.map(([s, o]) => `${s}→${o}`).join(', ')})` : ''),
    );
  }
  if (found.sharedColumn) {
    doubts.add('layout_uncertain');
    notes.push('one column serves as the vote column of one half and the serial column of the next');
  }
  // A vote column ticked in every row of a half is more likely a column of serial numbers
  // or text taken for the vote column (a missed rule) than a voter ticking everything,
  // unless every one of those marks has the shape of a tick, large or small (digits are
  // too narrow or crossed more than once, the characters of a name too dense): an
  // over-voted districts ballot has halves of 4 rows.
  const decisionOf = new Map(items.map((it) => [it.number, it.decision] as const));
  halves.forEach((_, hIdx) => {
    const ks = rowMap.slots.flatMap((sl, k) => (sl.half === hIdx ? [k] : []));
    const allMarked = ks.every((k) => decisionOf.get(rowMap.slots[k]!.number) === 'marked');
    if (ks.length >= 4 && allMarked && !ks.every((k) => tickLike(scoring.cells[k]!))) {
      doubts.add('layout_uncertain');
      notes.push(`every row of half ${hIdx + 1} reads as ticked`);
    }
  });
  // A table reaching the frame of the photo or scan may go on beyond it. One reaching the
  // edge of a sheet seen whole (a slip trimmed close round its table) ends there; a
  // trim that took rows or columns away shows in the rows and columns read.
  const cutByFrame = cand.touchesEdge && !ctx.paperEdges;
  if (cutByFrame) {
    doubts.add('table_incomplete');
    notes.push('the table reaches the edge of the image');
  } else if (cand.touchesEdge) notes.push("the table reaches the edge of the sheet (the paper's own edge)");
  // Poor image quality alone is not a reason to doubt a reading whose every decision is
  // clear: it lowers the overall confidence, and the confidence floor below catches it.
  if (ctx.quality < 0.35) notes.push(`image quality ${ctx.quality.toFixed(2)}`);
  scoring.cells.forEach((c, k) => {
    if (c.density >= 0.3) notes.push(`item ${rowMap.slots[k]!.number}: ink density ${c.density.toFixed(2)}`);
  });
  if (scoring.strayStrokes > 0) notes.push(`${scoring.strayStrokes} stroke(s) near vote cells not counted`);

  const confidence = tableConfidence({
    markMargins: margins,
    ocrAgreement,
    kindScore: kindMatch.score,
    kindMargin: kindMatch.margin,
    quality: ctx.quality,
    complete: !cutByFrame,
  });
  if (unsureAsAWhole(confidence, doubts.size)) {
    doubts.add('low_quality');
    notes.push(`overall confidence ${confidence.toFixed(2)} is below ${MIN_AUTO_CONFIDENCE}`);
  }
  const image = await encodeBallotPng(g.dark);
  const ballot: BallotReading = {
    kind: kind.kind,
    kindConfidence: Math.round(Math.min(1, kindMatch.score) * 1000) / 1000,
    method: 'image',
    items,
    confidence,
    doubts: [...doubts],
    notes,
    region: cand.quad.map(([x, y]) => [Math.round(x), Math.round(y)] as const),
    image,
    evidence: {
      thresholds,
      rows: g.rows.length - 1,
      columns: g.cols.length - 1,
      halves: halves.length,
      turns: g.turns,
      headerRows: rowMap.headerRows,
      ocrRead: rowMap.read,
      ocrAgreeing: rowMap.agreeing,
      orientationMargin: found.orientationMargin,
      strayStrokes: scoring.strayStrokes,
      lineResidues: scoring.lineResidues,
      textLevel: ctx.textLevel,
      markLevel: ctx.markLevel,
      quality: ctx.quality,
      ms: { layout: Math.round(tLayout - t0), total: Math.round(performance.now() - t0) },
    },
  };
  return { ok: true, ballot };
}
