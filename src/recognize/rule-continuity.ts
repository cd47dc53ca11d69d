import type { Gray, Mask } from './gray.js';
import { histogramQuantile } from './histogram.js';

/** How a line the ruling search found is inked along its length (see `lineInk`). */
export interface LineInk {
  /** Share of the positions along it that are inked. */
  readonly share: number;
  /** Share inked in the outer fifth of each stretch between crossings, next to the rules across it. */
  readonly ends: number;
}

/**
 * How a line found at `pos` is inked between the first and last rule `across` it, away
 * from the crossings: a position is inked where the darkest pixel within `reach` of the
 * line reaches half the darkness the line has along most of its length (and `floor`,
 * above the paper's grain).
 *
 * A printed rule is ink all along, faint or not; a dashed one, or a hairline a fax broke
 * into dots, is inked in part but evenly, as much next to the rules across it as between
 * them. The ridge search (see `ridgeMask`) smooths along a line to find faint rules, and
 * that smoothing also joins a stroke that recurs at the same place in every row (the
 * serial digits, the first character of each name, ticks in a column) into a "line" as
 * long as the table: it is inked in the middle of each row, where the text is, and bare
 * next to the rules, where a cell has its padding.
 */
export function lineInk(
  dark: Gray,
  axis: 'h' | 'v',
  pos: number,
  across: readonly number[],
  reach: number,
  floor: number,
): LineInk {
  if (across.length < 2) return { share: 1, ends: 1 };
  const { width: w, height: h, data } = dark;
  const along = axis === 'v' ? h : w;
  const side = axis === 'v' ? w : h;
  const p = Math.round(pos);
  const lo = Math.max(0, p - reach);
  const hi = Math.min(side - 1, p + reach);
  const start = Math.max(0, Math.round(across[0]!));
  const end = Math.min(along - 1, Math.round(across[across.length - 1]!));
  // The darkest pixel across the line at each position; -1 at crossings, which are dark
  // whatever lies between them and so say nothing.
  const peaks = new Int16Array(end - start + 1);
  let k = 0;
  for (let t = start; t <= end; t++) {
    while (k < across.length - 1 && across[k + 1]! <= t) k++;
    if (
      Math.abs(t - across[k]!) <= reach ||
      (k + 1 < across.length && Math.abs(across[k + 1]! - t) <= reach)
    ) {
      peaks[t - start] = -1;
      continue;
    }
    let m = 0;
    for (let q = lo; q <= hi; q++) {
      const v = axis === 'v' ? data[t * w + q]! : data[q * w + t]!;
      if (v > m) m = v;
    }
    peaks[t - start] = m;
  }
  const hist = new Uint32Array(256);
  let measured = 0;
  for (const v of peaks) {
    if (v < 0) continue;
    hist[v]!++;
    measured++;
  }
  if (measured === 0) return { share: 1, ends: 1 };
  const level = Math.max(floor, histogramQuantile(hist, measured, 0.75) / 2);
  let inked = 0;
  let endInked = 0;
  let endSeen = 0;
  let i = 0;
  while (i < peaks.length) {
    while (i < peaks.length && peaks[i]! < 0) i++;
    const s0 = i;
    while (i < peaks.length && peaks[i]! >= 0) i++;
    const e = Math.max(1, Math.round((i - s0) * END_SHARE));
    for (let t = s0; t < i; t++) {
      const on = peaks[t]! >= level;
      if (on) inked++;
      if (t - s0 < e || i - 1 - t < e) {
        endSeen++;
        if (on) endInked++;
      }
    }
  }
  return { share: inked / measured, ends: endSeen === 0 ? 1 : endInked / endSeen };
}

/** The part of each stretch between crossings, at either end, that `LineInk.ends` measures. */
const END_SHARE = 0.2;

/**
 * A rule is inked along at least this share of its length, or else as much at its ends
 * as along it (at least END_RATIO of its share there). Rules measured 1.00 on the pages
 * looked at, faint and photographed ones too; a fax's dotted hairlines 0.45–0.63 with
 * their ends inked as much; lines joined from text 0.27–0.58 with ends at most 0.08.
 */
export const RULE_INKED_SHARE = 0.8;
export const END_RATIO = 0.5;
/**
 * Less than this share inked is no rule at all, dotted or not: the dots a fax makes of
 * a hairline cover 0.45-0.63 of it. A line through a tick or two down a vote column
 * (0.17 on one fax) is inked here and there, as much at its ends as anywhere.
 */
export const MIN_RULE_SHARE = 0.4;

/** Whether a line with this ink is a rule rather than a line joined from text or marks. */
export function isRule(ink: LineInk): boolean {
  return ink.share >= RULE_INKED_SHARE || (ink.share >= MIN_RULE_SHARE && ink.ends >= ink.share * END_RATIO);
}

/** The lines along `axis` the search found that are no rules but text (see `lineInk`). */
export function textLines(
  dark: Gray,
  axis: 'h' | 'v',
  lines: readonly number[],
  across: readonly number[],
  reach: number,
  floor: number,
): number[] {
  return lines.filter((pos) => !isRule(lineInk(dark, axis, pos, across, reach, floor)));
}

/**
 * `mask` with only the line pixels within `reach` of a rule: of a row in `rows` (y) or
 * of a column in `cols` (x). The ridge search marks more than rules (short runs along
 * text that never made a rule); left in the line mask they would be wiped from the ink
 * of serial numbers and marks.
 */
export function nearRules(mask: Mask, rows: readonly number[], cols: readonly number[], reach: number): Mask {
  const { width: w, height: h } = mask;
  const near = (n: number, at: readonly number[]): Uint8Array => {
    const out = new Uint8Array(n);
    for (const p of at) {
      for (let q = Math.max(0, Math.round(p) - reach); q <= Math.min(n - 1, Math.round(p) + reach); q++)
        out[q] = 1;
    }
    return out;
  };
  const nearY = near(h, rows);
  const nearX = near(w, cols);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (mask.data[i] && (nearY[y] || nearX[x])) out[i] = 1;
    }
  }
  return { width: w, height: h, data: out };
}
