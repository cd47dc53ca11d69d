import type { Gray, Mask } from './gray.js';
import { histogramQuantile } from './histogram.js';

/**
 * Table rules that a global ink threshold misses: hairlines printed in light grey, a
 * rule smeared by camera shake, a faded photocopy. A rule is a ridge, darker than
 * the paper a few pixels to either side of it, that runs on along its direction.
 * Averaging along the direction first (a box of `along` pixels) keeps the rule's
 * contrast while it flattens grain and JPEG noise, so a rule only a little darker than
 * the paper stands out; comparing with both sides (`offsets` pixels away, several
 * scales for blurred rules) rejects the plateau of a line of text or a shadow edge.
 *
 * Returns the pixels whose ridge response exceeds both `minContrast` and five times
 * the image's own response noise.
 */
export function ridgeMask(
  img: Gray,
  axis: 'h' | 'v',
  along: number,
  offsets: readonly number[],
  minContrast: number,
): Mask {
  const { width: w, height: h, data } = img;
  const n = w * h;
  // Box average along the rule's direction.
  const avg = new Float32Array(n);
  const half = Math.max(1, Math.floor(along / 2));
  if (axis === 'h') {
    const cum = new Float64Array(w + 1);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) cum[x + 1] = cum[x]! + data[row + x]!;
      for (let x = 0; x < w; x++) {
        const a = x - half < 0 ? 0 : x - half;
        const b = x + half >= w ? w - 1 : x + half;
        avg[row + x] = (cum[b + 1]! - cum[a]!) / (b - a + 1);
      }
    }
  } else {
    // Prefix sums down each column, one row at a time.
    const cum = new Float64Array((h + 1) * w);
    for (let y = 0; y < h; y++) {
      const src = y * w;
      const prev = y * w;
      const next = (y + 1) * w;
      for (let x = 0; x < w; x++) cum[next + x] = cum[prev + x]! + data[src + x]!;
    }
    for (let y = 0; y < h; y++) {
      const a = y - half < 0 ? 0 : y - half;
      const b = y + half >= h ? h - 1 : y + half;
      const lo = a * w;
      const hi = (b + 1) * w;
      const inv = 1 / (b - a + 1);
      const row = y * w;
      for (let x = 0; x < w; x++) avg[row + x] = (cum[hi + x]! - cum[lo + x]!) * inv;
    }
  }
  const resp = new Float32Array(n);
  const ks = [...offsets].sort((a, b) => a - b);
  if (axis === 'h') {
    for (const k of ks) {
      for (let y = k; y < h - k; y++) {
        const row = y * w;
        const up = row - k * w;
        const dn = row + k * w;
        for (let x = 0; x < w; x++) {
          const v = avg[row + x]!;
          const a = v - avg[up + x]!;
          const b = v - avg[dn + x]!;
          const r = a < b ? a : b;
          if (r > resp[row + x]!) resp[row + x] = r;
        }
      }
    }
  } else {
    for (const k of ks) {
      for (let y = 0; y < h; y++) {
        const row = y * w;
        for (let x = k; x < w - k; x++) {
          const v = avg[row + x]!;
          const a = v - avg[row + x - k]!;
          const b = v - avg[row + x + k]!;
          const r = a < b ? a : b;
          if (r > resp[row + x]!) resp[row + x] = r;
        }
      }
    }
  }
  // Noise level of the response: the median absolute response (most pixels are paper).
  const hist = new Uint32Array(256);
  let counted = 0;
  for (let i = 0; i < n; i += 5) {
    hist[Math.min(255, Math.round(resp[i]!))]!++;
    counted++;
  }
  const median = histogramQuantile(hist, counted, 0.5);
  const t = Math.max(minContrast, median * 4 + 2);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (resp[i]! >= t) out[i] = 1;
  return { width: w, height: h, data: out };
}
