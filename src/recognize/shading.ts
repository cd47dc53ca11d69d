import { blockMax, type Gray } from './gray.js';

/**
 * The darkness of an image less its shaded areas: a white top-hat, darkness minus its
 * opening by a `size` x `size` square. Whatever is thinner than `size` one way or the
 * other (a rule, a text stroke, a tick) keeps its darkness; an area dark in both
 * directions (a grey header row, a shaded column) drops to its contrast with the
 * shading. Retyped ballots often shade the header row: above the line level, the
 * shading merges the rules around it into one band too thick to be a rule, and the
 * table loses its top rows.
 *
 * Only the rules are found on it: a vote cell filled solid (a correction) is an area
 * too, and would vanish here.
 */
export function withoutShading(dark: Gray, size: number): Gray {
  const opened = shading(dark, size);
  const out = new Uint8Array(opened.length);
  for (let i = 0; i < out.length; i++) out[i] = dark.data[i]! - opened[i]!;
  return { width: dark.width, height: dark.height, data: out };
}

/** Share of a table's width (or height) a shaded band must cover to be a shaded row (or column). */
const BAND_SHARE = 0.5;

/**
 * Whether shading as dark as `level` runs across the table as a band (a header row, a
 * shaded column), covering half its width or height and ending inside it, as shading
 * within the frame does. Blotches (a shadow's edge, a blot, a word in bold) are no band,
 * and neither is a desk or the dark edge of a photocopy, which runs off the image.
 * Looked at on a half-size image: shading is large.
 */
export function isShaded(dark: Gray, size: number, level: number): boolean {
  // Half size, each pixel the darkest of its four: a rule one pixel thin stays dark.
  const w = dark.width >> 1;
  const h = dark.height >> 1;
  const small: Gray = { width: w, height: h, data: blockMax(dark, 2) };
  const opened = shading(small, Math.max(3, Math.round(size / 2)));
  const rows = new Uint32Array(h);
  const cols = new Uint32Array(w);
  const rowsAtEdge = new Uint8Array(h);
  const colsAtEdge = new Uint8Array(w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (opened[y * w + x]! < level) continue;
      rows[y]!++;
      cols[x]!++;
      if (x === 0 || x === w - 1) rowsAtEdge[y] = 1;
      if (y === 0 || y === h - 1) colsAtEdge[x] = 1;
    }
  }
  const band = (counts: Uint32Array, atEdge: Uint8Array, length: number): boolean =>
    counts.some((n, i) => n >= length * BAND_SHARE && !atEdge[i]);
  return band(rows, rowsAtEdge, w) || band(cols, colsAtEdge, h);
}

/** The opening: each pixel's darkness as far as an area `size` wide each way holds it. */
function shading(dark: Gray, size: number): Uint8Array {
  const { width: w, height: h } = dark;
  const eroded = extremeFilter(extremeFilter(dark.data, w, h, size, 'x', 'min'), w, h, size, 'y', 'min');
  return extremeFilter(extremeFilter(eroded, w, h, size, 'x', 'max'), w, h, size, 'y', 'max');
}

/**
 * Running minimum or maximum over a centred window of `size` pixels along one axis
 * (van Herk / Gil-Werman: three comparisons a pixel whatever the window). Beyond the
 * image edge the window holds the neutral value, so an edge neither erodes nor grows.
 */
export function extremeFilter(
  src: Uint8Array,
  w: number,
  h: number,
  size: number,
  axis: 'x' | 'y',
  op: 'min' | 'max',
): Uint8Array {
  const k = Math.max(1, Math.round(size) | 1);
  const r = k >> 1;
  const n = axis === 'x' ? w : h;
  const lines = axis === 'x' ? h : w;
  const step = axis === 'x' ? 1 : w;
  const min = op === 'min';
  const neutral = min ? 255 : 0;
  // The line padded by r neutral values each side and up to a whole block, so that
  // every window [i, i + k) lies in the padded line.
  const len = Math.ceil((n + 2 * r) / k) * k;
  const line = new Uint8Array(len);
  const g = new Uint8Array(len);
  const hh = new Uint8Array(len);
  const out = new Uint8Array(w * h);
  for (let l = 0; l < lines; l++) {
    const base = axis === 'x' ? l * w : l;
    line.fill(neutral);
    for (let i = 0; i < n; i++) line[r + i] = src[base + i * step]!;
    // g: running extreme from each block's start; hh: from each block's end. (Written
    // out for each op: a shared comparison function costs a call per pixel.)
    for (let b = 0; b < len; b += k) {
      let a = line[b]!;
      g[b] = a;
      for (let i = b + 1; i < b + k; i++) {
        const v = line[i]!;
        if (min ? v < a : v > a) a = v;
        g[i] = a;
      }
      a = line[b + k - 1]!;
      hh[b + k - 1] = a;
      for (let i = b + k - 2; i >= b; i--) {
        const v = line[i]!;
        if (min ? v < a : v > a) a = v;
        hh[i] = a;
      }
    }
    // Output i is the extreme over padded [i, i + k - 1] = source [i - r, i + r].
    for (let i = 0; i < n; i++) {
      const p = hh[i]!;
      const q = g[i + k - 1]!;
      out[base + i * step] = (min ? q < p : q > p) ? q : p;
    }
  }
  return out;
}
