import type { Gray } from './gray.js';
import { histogramQuantile } from './histogram.js';

/**
 * How dark a table's own horizontal rules are, measured on the straightened table
 * (darkness 0..255), or 0 when no row of the image looks like a rule. Pure.
 *
 * A rule runs the width of the table, so along its row most pixels are ink: the
 * median darkness of that row is the rule's darkness. A row of text is mostly paper
 * between its characters (median near 0), and a tick or a stamp covers a cell at most.
 * Hairline rules of a high-resolution scan brought to the working size end up a pixel
 * or two of faint grey: darker than the paper but under the page's line level, which
 * was set for print in general. Their own darkness says where to threshold them.
 */
export function ruleDarkness(img: Gray): number {
  const { width: w, height: h, data } = img;
  if (w < 8 || h < 8) return 0;
  const hist = new Uint32Array(256);
  const medians: number[] = [];
  // Every other pixel is plenty for a median over a row hundreds of pixels long.
  const n = Math.ceil(w / 2);
  for (let y = 0; y < h; y++) {
    hist.fill(0);
    const row = y * w;
    for (let x = 0; x < w; x += 2) hist[data[row + x]!]!++;
    medians.push(histogramQuantile(hist, n, 0.5));
  }
  // Rows along rules are few among the rows of a table (one or two per rule); the
  // fifth darkest median is one of them, as every ballot table has more than five
  // rules, and a single dark row (a fold, the edge of a shadow) cannot set it alone.
  medians.sort((a, b) => b - a);
  return medians[Math.min(medians.length - 1, 4)]!;
}

/** Paper darkness above the measured noise that a rule pixel must still exceed. */
const ABOVE_NOISE = 8;
/**
 * Never threshold lower than this, however clean the paper: the rounding of a decoded,
 * resized page. Ringing around text may reach it, but it never makes a long line.
 */
const FLOOR = 8;

/**
 * A line level for a table whose rules are fainter than the page's line level, from
 * the rules' own darkness (see `ruleDarkness`): half of it, so the rule's core and its
 * anti-aliased edge count, above the paper noise; or null when the page's level
 * already suits the rules (they are at least twice as dark as it) or no rule was seen.
 */
export function faintLineLevel(ruleDark: number, paperNoise: number, lineLevel: number): number | null {
  const floor = Math.max(FLOOR, paperNoise + ABOVE_NOISE);
  // No row as dark as a rule could be above the paper: nothing to measure from.
  if (ruleDark < floor + 4) return null;
  if (ruleDark >= lineLevel * 2) return null;
  const level = Math.max(floor, Math.round(ruleDark / 2));
  return level < lineLevel ? level : null;
}
