import type { Election } from '../election/election.js';
import { inkDarkness } from './background.js';
import { decodeImage } from './decode.js';
import { findTables } from './find-tables.js';
import { otsuLevel } from './line-mask.js';
import type { DigitReader } from './ocr.js';
import { pageQuality } from './quality.js';
import type { BallotReading, PageReading } from './reading.js';
import { readTable } from './read-table.js';

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
export async function readImage(
  bytes: Buffer,
  election: Election,
  digits: DigitReader,
  opts: ImageReaderOptions = DEFAULT_IMAGE_OPTIONS,
): Promise<PageReading> {
  const t0 = performance.now();
  const decoded = await decodeImage(bytes, opts);
  if (!decoded.ok) return { status: 'unreadable', reason: decoded.reason, detail: decoded.detail };
  const tDecode = performance.now();
  const { bright } = decoded;
  const block = Math.max(12, Math.round(Math.max(bright.width, bright.height) / 80));
  const dark = inkDarkness(bright, block);
  const level = Math.round(Math.min(110, Math.max(45, otsuLevel(dark) * 0.8)));
  const q = pageQuality(dark, level);
  const lineLevel = Math.max(25, Math.round(level * 0.45));
  const candidates = findTables(dark, lineLevel);
  const tFind = performance.now();
  const ballots: { ballot: BallotReading; x: number; y: number; h: number }[] = [];
  const rejected: string[] = [];
  for (const cand of candidates) {
    const res = await readTable(dark, cand, {
      election,
      digits,
      textLevel: level,
      lineLevel,
      markLevel: Math.max(30, Math.round(level * 0.6)),
      quality: q.quality,
    });
    if (res.ok) {
      ballots.push({
        ballot: {
          ...res.ballot,
          evidence: {
            ...res.ballot.evidence,
            page: {
              decodeMs: Math.round(tDecode - t0),
              findMs: Math.round(tFind - tDecode),
              scale: decoded.scale,
            },
          },
        },
        x: cand.bbox.x0,
        y: cand.bbox.y0,
        h: cand.bbox.y1 - cand.bbox.y0,
      });
    } else rejected.push(res.why);
  }
  if (ballots.length === 0) {
    return {
      status: 'not_a_ballot',
      confidence: candidates.length === 0 ? 0.95 : 0.8,
      notes: candidates.length === 0 ? ['no ruled table found'] : rejected.map((r) => `table rejected: ${r}`),
    };
  }
  // Top to bottom; tables side by side (overlapping in height) left to right.
  ballots.sort((a, b) => {
    const overlap = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
    if (overlap > Math.min(a.h, b.h) * 0.5) return a.x - b.x;
    return a.y - b.y;
  });
  return { status: 'ballots', ballots: ballots.map((b) => b.ballot), quality: q.quality };
}
