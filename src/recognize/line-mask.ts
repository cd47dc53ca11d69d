import type { Gray, Mask } from './gray.js';
import { otsuSplit } from './otsu.js';

/** Ink mask: darkness at or above `threshold` (0..255). */
export function threshold(img: Gray, level: number): Mask {
  const out = new Uint8Array(img.width * img.height);
  const d = img.data;
  for (let i = 0; i < d.length; i++) out[i] = d[i]! >= level ? 1 : 0;
  return { width: img.width, height: img.height, data: out };
}

/**
 * Otsu's threshold on the darkness histogram, bounded so that a nearly empty page
 * (all paper) or a very dark photo still gives a usable ink level.
 */
export function otsuLevel(img: Gray, min = 40, max = 140): number {
  const hist = new Float64Array(256);
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) hist[d[i]!]!++;
  const level = otsuSplit(hist)?.level ?? min;
  return Math.min(max, Math.max(min, level));
}

/**
 * Long straight strokes along one axis: a binary opening with a line of `minRun`
 * pixels, done as run lengths (linear time, unlike a morphological opening).
 * `thin` holds ink that is thin across the axis (line candidates); a run may cross
 * up to `maxThick` pixels of other ink (where a perpendicular line crosses) and
 * `tolerance` pixels of paper (a line broken by a photocopy). Before measuring runs
 * the masks are smeared by `tolerance` pixels across the axis, so a line skewed by a
 * few degrees still reads as one run. Ink pixels of accepted runs on the row itself are
 * kept, crossings included, so a ruled line stays one connected stroke.
 */
export function lineMask(
  thin: Mask,
  ink: Mask,
  axis: 'h' | 'v',
  minRun: number,
  tolerance: number,
  maxThick: number,
): Mask {
  const { width: w, height: h, data } = thin;
  const raw = ink.data;
  const out = new Uint8Array(w * h);
  const along = axis === 'h' ? w : h;
  const across = axis === 'h' ? h : w;
  const step = axis === 'h' ? 1 : w;
  const lineStride = axis === 'h' ? w : 1;
  const sThin = new Uint8Array(along);
  const sInk = new Uint8Array(along);
  const maxGap = Math.max(1, Math.round(tolerance));
  for (let a = 0; a < across; a++) {
    const lo = Math.max(0, a - tolerance);
    const hi = Math.min(across - 1, a + tolerance);
    sThin.fill(0);
    sInk.fill(0);
    for (let b = lo; b <= hi; b++) {
      const base = b * lineStride;
      for (let i = 0; i < along; i++) {
        const j = base + i * step;
        if (data[j]) sThin[i] = 1;
        if (raw[j]) sInk[i] = 1;
      }
    }
    const base = a * lineStride;
    let start = -1;
    let lastOn = -1;
    let bridged = 0;
    let bridgedTotal = 0;
    for (let i = 0; i <= along; i++) {
      let on = false;
      if (i < along) {
        if (sThin[i]) {
          on = true;
          bridged = 0;
        } else if (start >= 0 && sInk[i] && bridged < maxThick) {
          on = true;
          bridged++;
          bridgedTotal++;
        }
      }
      if (on) {
        if (start < 0) start = i;
        lastOn = i;
      } else if (start >= 0 && (i === along || i - lastOn > maxGap)) {
        // A ruled line crosses a few perpendicular lines; a line of text (thin strokes
        // joined through the ink of its characters) needs bridging all along.
        if (lastOn - start + 1 >= minRun && bridgedTotal <= (lastOn - start + 1) * 0.15) {
          for (let k = start; k <= lastOn; k++) if (raw[base + k * step]) out[base + k * step] = 1;
        }
        start = -1;
        bridged = 0;
        bridgedTotal = 0;
      }
    }
  }
  return { width: w, height: h, data: out };
}

export function union(a: Mask, b: Mask): Mask {
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! | b.data[i]!;
  return { width: a.width, height: a.height, data: out };
}

/** Grow a mask by `r` pixels in a square (separable max filter). */
export function dilate(m: Mask, r: number): Mask {
  const { width: w, height: h } = m;
  const tmp = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let last = -1e9;
    for (let x = 0; x < w; x++) if (m.data[row + x]) last = x;
    // two passes: forward and backward distance to nearest set pixel
    let prev = -1e9;
    for (let x = 0; x < w; x++) {
      if (m.data[row + x]) prev = x;
      if (x - prev <= r) tmp[row + x] = 1;
    }
    let next = 1e9;
    for (let x = w - 1; x >= 0; x--) {
      if (m.data[row + x]) next = x;
      if (next - x <= r) tmp[row + x] = 1;
    }
    void last;
  }
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let prev = -1e9;
    for (let y = 0; y < h; y++) {
      if (tmp[y * w + x]) prev = y;
      if (y - prev <= r) out[y * w + x] = 1;
    }
    let next = 1e9;
    for (let y = h - 1; y >= 0; y--) {
      if (tmp[y * w + x]) next = y;
      if (next - y <= r) out[y * w + x] = 1;
    }
  }
  return { width: w, height: h, data: out };
}
