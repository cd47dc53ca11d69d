import type { Gray, Mask } from './gray.js';

/**
 * Horizontal bands of darker paper taken out of a straightened table before its marks
 * are scored. A phone photo under flickering light (rolling shutter) or a scanner with a
 * streaky lamp lays bands a few pixels high across the whole sheet; the page's ink level
 * is set for text and rules, and a band can pass it, so wide empty vote cells read as
 * half filled and a tick drowns in the band it crosses. The local paper estimate of
 * `inkDarkness` works in blocks far taller than a band and cannot see them.
 *
 * A band runs across the whole table, a mark stays in its vote cell: each row's paper
 * level is taken from the cells that are not vote cells (serial and name columns, rules
 * excluded), as a low quantile of their darkness so that the text on that row does not
 * count, and the row is brought back to that paper. Darkness is relative to the paper
 * (see `inkDarkness`: 255 × (1 − brightness / paper)), so a row whose paper is darker
 * by m is rescaled, not shifted: light pencil in a band keeps its own darkness. Rows
 * whose paper level is under `MIN_BAND` are left as they are, so a table without bands
 * is returned unchanged (the same object). Pure.
 */

/** Share of a row's sampled pixels that may be ink (text) without moving its paper level. */
const PAPER_QUANTILE = 0.25;
/** Paper darkness of a row under which it is no band (grain, the faint halo of text). */
const MIN_BAND = 8;
/** Sampled pixels a row needs for its paper level to mean anything. */
const MIN_SAMPLES = 20;

/**
 * `dark` less its horizontal bands; `lines` masks the ruling (never paper), `voteSpans`
 * are the x ranges [x0, x1) of the vote columns (marks, never sampled), `x0`..`x1` the
 * table's own width (outside it lies the margin round the table).
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
  const sampled = new Uint8Array(w);
  for (let x = lo; x < hi; x++) sampled[x] = 1;
  for (const [a, b] of voteSpans)
    for (let x = Math.max(0, Math.floor(a)); x < Math.min(w, Math.ceil(b)); x++) sampled[x] = 0;
  const paper = new Uint8Array(h);
  let banded = false;
  const hist = new Uint32Array(256);
  for (let y = 0; y < h; y++) {
    hist.fill(0);
    let n = 0;
    const row = y * w;
    for (let x = lo; x < hi; x++) {
      if (!sampled[x] || lines.data[row + x]) continue;
      hist[data[row + x]!]!++;
      n++;
    }
    if (n < MIN_SAMPLES) continue;
    const rank = Math.floor(n * PAPER_QUANTILE);
    let seen = 0;
    let level = 0;
    while (level < 255 && seen + hist[level]! <= rank) seen += hist[level++]!;
    if (level >= MIN_BAND) {
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
    const gain = 255 / Math.max(1, 255 - m);
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const v = 255 - (255 - data[row + x]!) * gain;
      out[row + x] = v <= 0 ? 0 : Math.round(v);
    }
  }
  return { width: w, height: h, data: out };
}
