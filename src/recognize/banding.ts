import type { Gray, Mask } from './gray.js';
import { histogramQuantile } from './histogram.js';

/**
 * Horizontal bands of darker paper taken out of a straightened table before its marks
 * are scored. A phone photo under flickering light (rolling shutter) or a scanner with a
 * streaky lamp lays bands a few pixels high across the whole sheet; the page's ink level
 * is set for text and rules, and a band can pass it, so wide empty vote cells read as
 * half filled and a tick drowns in the band it crosses. The local paper estimate of
 * `inkDarkness` works in blocks far taller than a band and cannot see them.
 *
 * A band runs across the whole table. Each pixel row's paper level is measured twice,
 * rules excluded, as a low quantile of its darkness (text, a tick, a filled cell cover
 * less than three quarters of a row and do not move it): over the serial and name cells,
 * and over the vote cells. The row's paper is the lower of the two: a band darkens both,
 * while grey print or a highlighter on the names darkens only the first, and a mark only
 * the second, so neither is taken for paper and no mark is lightened for them. A level
 * darker than `MAX_BAND` is no band either (a pen line struck across the whole row).
 *
 * Darkness is relative to the paper (see `inkDarkness`: 255 × (1 − brightness / paper)),
 * so a row whose paper is darker by m is rescaled, not shifted: light pencil in a band
 * keeps its own darkness. Rows whose paper is whiter than `MIN_BAND` are left as they
 * are, so a table without bands is returned unchanged (the same object). Pure.
 */

/**
 * Share of a row's samples that must be paper for its paper level to be read: text or
 * a mark may cover up to three quarters of the row before the level moves.
 */
const PAPER_QUANTILE = 0.25;
/** Paper darkness of a row under which it is no band (grain, the faint halo of text). */
const MIN_BAND = 8;
/** Paper darkness over which a row's "paper" is print or pen, not a band. */
const MAX_BAND = 96;
/** Samples a row needs on each side (serial and name cells, vote cells) for its paper level to mean anything. */
const MIN_SAMPLES = 10;

/**
 * `dark` less its horizontal bands; `lines` masks the ruling (never paper), `voteSpans`
 * are the x ranges [x0, x1) of the vote columns, `x0`..`x1` the table's own width
 * (outside it lies the margin round the table).
 */
export function withoutBanding(
  dark: Gray,
  lines: Mask,
  voteSpans: readonly (readonly [number, number])[],
  x0: number,
  x1: number,
): Gray {
  const { width: w, height: h, data } = dark;
  const lo = Math.max(0, Math.round(x0));
  const hi = Math.min(w, Math.round(x1));
  // Which side of the table each column of pixels is sampled for: 1 serial and name
  // cells, 2 vote cells (their spans rounded outwards, so no vote pixel counts as frame).
  const side = new Uint8Array(w);
  for (let x = lo; x < hi; x++) side[x] = 1;
  for (const [a, b] of voteSpans)
    for (let x = Math.max(lo, Math.floor(a)); x < Math.min(hi, Math.ceil(b)); x++) side[x] = 2;
  const paper = new Uint8Array(h);
  let banded = false;
  const frame = new Uint32Array(256);
  const vote = new Uint32Array(256);
  for (let y = 0; y < h; y++) {
    frame.fill(0);
    vote.fill(0);
    let nFrame = 0;
    let nVote = 0;
    const row = y * w;
    for (let x = lo; x < hi; x++) {
      const s = side[x]!;
      if (lines.data[row + x]) continue;
      if (s === 1) {
        frame[data[row + x]!]!++;
        nFrame++;
      } else if (s === 2) {
        vote[data[row + x]!]!++;
        nVote++;
      }
    }
    if (nFrame < MIN_SAMPLES || nVote < MIN_SAMPLES) continue;
    const level = Math.min(
      histogramQuantile(frame, nFrame, PAPER_QUANTILE),
      histogramQuantile(vote, nVote, PAPER_QUANTILE),
    );
    if (level >= MIN_BAND && level <= MAX_BAND) {
      paper[y] = level;
      banded = true;
    }
  }
  if (!banded) return dark;
  const out = new Uint8Array(data);
  for (let y = 0; y < h; y++) {
    const m = paper[y]!;
    if (m === 0) continue;
    // Brightness relative to the row's own paper: (255 - d) / (255 - m) of it.
    const gain = 255 / (255 - m);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const v = 255 - (255 - data[row + x]!) * gain;
      out[row + x] = v <= 0 ? 0 : Math.round(v);
    }
  }
  return { width: w, height: h, data: out };
}
