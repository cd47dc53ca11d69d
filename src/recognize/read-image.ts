import type { Election } from '../election/election.js';
import type { ReviewReason } from '../election/reasons.js';
import type { Gray, Mask } from './gray.js';
import { inkDarkness } from './background.js';
import { decodeImage } from './decode.js';
import { findFaintTables, findTables, tableSearch, type TableCandidate } from './find-tables.js';
import { otsuLevel } from './line-mask.js';
import type { SerialReader } from './ocr.js';
import { paperNoise } from './page-region.js';
import { pageQuality } from './quality.js';
import type { BallotReading, PageReading } from './reading.js';
import { MIN_AUTO_CONFIDENCE } from './confidence.js';
import { readTable, type TableContext } from './read-table.js';
import { rectifySheets, type Rectified } from './rectify.js';

export interface ImageReaderOptions {
  readonly longSide: number;
  readonly maxPixels: number;
}

export const DEFAULT_IMAGE_OPTIONS: ImageReaderOptions = { longSide: 2000, maxPixels: 120_000_000 };

/**
 * Read every ballot table on one page image. The page is made upright (EXIF), turned
 * into ink darkness relative to the local paper, and searched for ruled grids; each
 * grid is straightened and read on its own, so two ballots on one sheet never share marks.
 */
/** Ink darkness of a page and the ink levels measured from it (text, ruling, marks). */
export function preparePage(
  bright: Gray,
  sheet: Mask | null,
): {
  dark: Gray;
  level: number;
  lineLevel: number;
  noise: number;
  q: ReturnType<typeof pageQuality>;
} {
  const block = Math.max(12, Math.round(Math.max(bright.width, bright.height) / 80));
  const dark = inkDarkness(bright, block);
  if (sheet) for (let i = 0; i < dark.data.length; i++) if (!sheet.data[i]) dark.data[i] = 0;
  let noise = paperNoise(dark, sheet);
  if (noise >= 8) {
    // Grainy paper (phone sensor noise, JPEG): a 3x3 mean cuts pixel noise about
    // threefold while a pen stroke or a printed line, several pixels wide, keeps its darkness.
    boxBlur3(dark);
    noise = paperNoise(dark, sheet);
  }
  const level = Math.round(Math.min(110, Math.max(45, otsuLevel(dark) * 0.8, noise + 35)));
  const q = pageQuality(dark, level, noise);
  const lineLevel = Math.max(25, noise + 20, Math.round(level * 0.45));
  return { dark, level, lineLevel, noise, q };
}

/**
 * Share of a sheet the tables read must cover for the ridge search to be skipped: one
 * ballot fills half an A4 page and more; two on a sheet leave the second's half.
 */
const FULL_SHEET = 0.5;

/** Darkness above the paper's noise at which a last search still takes ink for a rule (see `readImage`). */
const LOWEST_LINE_LEVEL = 8;

export async function readImage(
  bytes: Buffer,
  election: Election,
  digits: SerialReader,
  opts: ImageReaderOptions = DEFAULT_IMAGE_OPTIONS,
): Promise<PageReading> {
  const t0 = performance.now();
  let decoded = await decodeImage(bytes, opts);
  if (!decoded.ok) return { status: 'unreadable', reason: decoded.reason, detail: decoded.detail };
  let sheets = rectifySheets(decoded.bright, opts.longSide);
  // Slips photographed together are small in the frame and lose their detail at the
  // working size. When the photo has more pixels, cut the sheets from it at full size
  // (each sheet is still capped at the working size).
  const small = (r: Rectified): boolean => Math.max(r.bright.width, r.bright.height) < opts.longSide * 0.6;
  if (decoded.scale < 0.9 && sheets.every((r) => r.sheet !== null) && sheets.some(small)) {
    const full = await decodeImage(bytes, {
      ...opts,
      longSide: Math.min(Math.round(opts.longSide / decoded.scale), opts.longSide * 3),
      stretch: false,
    });
    if (full.ok) {
      const again = rectifySheets(full.bright, opts.longSide);
      // Only sheets cut at full size are worth it; a page read as it is would be huge.
      if (again.every((r) => r.sheet !== null)) {
        decoded = full;
        sheets = again;
      }
    }
  }
  const tDecode = performance.now();
  const ballots: {
    ballot: BallotReading;
    x: number;
    y: number;
    h: number;
    sheet: Rectified;
    cand: TableCandidate['bbox'];
  }[] = [];
  const rejected: string[] = [];
  const unreadNotes: string[] = [];
  let quality = 0;
  for (const page of sheets) {
    const { dark, level, lineLevel, noise, q } = preparePage(page.bright, page.region);
    quality = Math.max(quality, q.quality);
    const tPage = performance.now();
    const search = tableSearch(dark);
    const candidates = findTables(search, lineLevel);
    const tFind = performance.now();
    const readBoxes: TableCandidate['bbox'][] = [];
    const unread: { why: string; bbox: TableCandidate['bbox'] }[] = [];
    const ctx = {
      election,
      digits,
      textLevel: level,
      lineLevel,
      markLevel: Math.max(30, Math.round(level * 0.6)),
      quality: q.quality,
      paperNoise: noise,
      paperEdges: page.paperEdges,
    };
    const tryRead = async (cand: TableCandidate, c: TableContext = ctx): Promise<void> => {
      let res = await readTable(dark, cand, c);
      // A table read unsure, or with doubts about its rows, may have been framed wrongly:
      // read it again within the other guess of its corners and keep the better reading.
      if (
        cand.otherQuad &&
        (!res.ok || res.ballot.confidence < MIN_AUTO_CONFIDENCE || rowDoubts(res.ballot) > 0)
      ) {
        const alt = await readTable(dark, { ...cand, quad: cand.otherQuad }, c);
        if (alt.ok && (!res.ok || byReading(alt.ballot, res.ballot) < 0)) res = alt;
      }
      if (!res.ok) {
        rejected.push(res.why);
        // A grid of some size that is no readable ballot may be one cut by the frame or
        // too blurred; with ballots read elsewhere on the page it must not pass unseen.
        const bw = cand.bbox.x1 - cand.bbox.x0;
        const bh = cand.bbox.y1 - cand.bbox.y0;
        if (Math.min(bw, bh) >= 40 && bw * bh >= dark.width * dark.height * 0.03)
          unread.push({ why: res.why, bbox: cand.bbox });
        return;
      }
      // Only a confident reading whose rows are in no doubt closes its area to the second
      // (ridge) search: the table found again there may be framed better.
      if (res.ballot.confidence >= MIN_AUTO_CONFIDENCE && rowDoubts(res.ballot) === 0)
        readBoxes.push(cand.bbox);
      // The outline staff see is drawn on the original image: map the corners back
      // through the sheet rectification and the decoding scale.
      const region = (res.ballot.region ?? []).map((p) => {
        const [x, y] = page.toPage(p);
        return [Math.round(x / decoded.scale), Math.round(y / decoded.scale)] as const;
      });
      const box = bboxOf(region);
      ballots.push({
        ballot: {
          ...res.ballot,
          region,
          evidence: {
            ...res.ballot.evidence,
            page: {
              decodeMs: Math.round(tDecode - t0),
              findMs: Math.round(tFind - tPage),
              scale: decoded.scale,
              sheet: page.sheet?.map(([x, y]) => [Math.round(x), Math.round(y)]) ?? null,
            },
          },
        },
        x: box.x0,
        y: box.y0,
        h: box.y1 - box.y0,
        sheet: page,
        cand: cand.bbox,
      });
    };
    for (const cand of candidates) await tryRead(cand);
    // Faint, blurred or hairline rules: search again with ridges, and read the grids that
    // lie where no table has been read yet (a table read already is not read twice). A
    // sheet where every grid found was read with confidence, and the tables read fill
    // most of it, is printed well enough for the ink search and has no room for another
    // ballot; the second search would cost time and find nothing new. With room left (the
    // districts ballot under the projects one, its hairlines too faint for the ink), it runs.
    // (Boxes of tables read on one sheet do not overlap: overlapping grids are read once.)
    const readArea = readBoxes.reduce((s, b) => s + (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1), 0);
    // The sheet's paper is counted only when every grid was read (the only case it decides).
    const sheetArea = (): number => (page.region ? countSet(page.region) : dark.width * dark.height);
    if (
      candidates.length > 0 &&
      readBoxes.length === candidates.length &&
      readArea >= sheetArea() * FULL_SHEET
    )
      continue;
    for (const cand of findFaintTables(search)) {
      if (readBoxes.some((b) => overlapShare(cand.bbox, b) > 0.6)) continue;
      await tryRead(cand);
    }
    // Nothing read with confidence: the rules may be fainter than the line level, which is
    // set for print in general (a high-resolution scan of hairline rules brought to the
    // working size keeps a pixel of light grey of them, too faint even as ridges on the
    // search image). Search once more just above the paper's own noise; what it finds is
    // read and checked like any grid (rows, columns, kind), so grain taken for a grid on
    // a photo costs time, not a reading.
    const lowLevel = Math.max(LOWEST_LINE_LEVEL, noise + LOWEST_LINE_LEVEL);
    if (readBoxes.length === 0 && lowLevel < lineLevel) {
      const low = { ...ctx, lineLevel: lowLevel };
      for (const cand of findTables(search, lowLevel)) {
        if (ballots.some((b) => b.sheet === page && overlapShare(cand.bbox, b.cand) > 0.6)) continue;
        await tryRead(cand, low);
      }
    }
    // Unread grids that overlap no table read on this sheet (a table found by both searches
    // and read by one of them was read).
    const allRead = ballots.filter((b) => b.sheet === page).map((b) => b.cand);
    for (const u of unread) {
      if (allRead.some((b) => overlapShare(u.bbox, b) > 0.3)) continue;
      if (unreadNotes.length < 5) unreadNotes.push(u.why);
    }
  }
  // One table found twice (a grid split by a gap in a blurred line gives two overlapping
  // candidates, both searches find it): keep the better reading of the overlap.
  const kept: typeof ballots = [];
  for (const b of [...ballots].sort((x, y) => byReading(x.ballot, y.ballot))) {
    const box = bboxOf(b.ballot.region);
    if (kept.some((k) => overlapShare(box, bboxOf(k.ballot.region)) > 0.5)) continue;
    kept.push(b);
  }
  ballots.splice(0, ballots.length, ...kept);
  if (ballots.length === 0) {
    return {
      status: 'not_a_ballot',
      confidence: rejected.length === 0 ? 0.95 : 0.8,
      notes: rejected.length === 0 ? ['no ruled table found'] : rejected.map((r) => `table rejected: ${r}`),
    };
  }
  // Top to bottom on the photo; tables side by side (overlapping in height) left to right.
  ballots.sort((a, b) => {
    const overlap = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    if (overlap > Math.min(a.h, b.h) * 0.5) return a.x - b.x;
    return a.y - b.y;
  });
  return {
    status: 'ballots',
    ballots: ballots.map((b) => b.ballot),
    quality,
    ...(unreadNotes.length ? { unreadTables: unreadNotes } : {}),
  };
}

/** Doubts that a table framed wrongly (a row or column cut off, a stray line taken in) gives. */
const ROW_DOUBTS: ReadonlySet<ReviewReason> = new Set(['row_unplaced', 'kind_uncertain', 'ocr_disagrees']);

function rowDoubts(b: BallotReading): number {
  return b.doubts.filter((d) => ROW_DOUBTS.has(d)).length;
}

/**
 * Order of two readings of one table (framed two ways, or found by both searches), the
 * better first: fewer doubts about its rows, then more confident. Confidence alone could
 * keep a frame whose rows are in doubt over one whose rows every check confirmed, by a hair.
 */
function byReading(a: BallotReading, b: BallotReading): number {
  return rowDoubts(a) - rowDoubts(b) || b.confidence - a.confidence;
}

interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function bboxOf(region: readonly (readonly [number, number])[] | null): Rect {
  const xs = (region ?? []).map((p) => p[0]);
  const ys = (region ?? []).map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

/** Overlap area as a share of the smaller rectangle. */
function overlapShare(a: Rect, b: Rect): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0;
  const area = (r: Rect): number => Math.max(1, (r.x1 - r.x0) * (r.y1 - r.y0));
  return (w * h) / Math.min(area(a), area(b));
}

/** In-place 3x3 mean filter. */
function boxBlur3(img: Gray): void {
  const { width: w, height: h, data } = img;
  const tmp = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++) {
      tmp[r + x] =
        data[r + x]! +
        (x > 0 ? data[r + x - 1]! : data[r + x]!) +
        (x < w - 1 ? data[r + x + 1]! : data[r + x]!);
    }
  }
  for (let y = 0; y < h; y++) {
    const up = (y > 0 ? y - 1 : y) * w;
    const dn = (y < h - 1 ? y + 1 : y) * w;
    const r = y * w;
    for (let x = 0; x < w; x++) data[r + x] = Math.round((tmp[up + x]! + tmp[r + x]! + tmp[dn + x]!) / 9);
  }
}

/** Pixels set in a mask (a sheet's paper). */
function countSet(m: Mask): number {
  let n = 0;
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) n++;
  return n;
}
