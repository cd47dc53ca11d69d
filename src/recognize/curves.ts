import { label } from './components.js';
import type { Mask } from './gray.js';
import { solveLinear } from './linear-solve.js';

/** A traced horizontal line: its y at every x from `x0` to `x0 + ys.length - 1`. */
export interface Curve {
  readonly x0: number;
  readonly ys: Float32Array;
  /** Mean y, for ordering. */
  readonly y: number;
}

/**
 * Long, thin, gently curving horizontal strokes of a mask: table rules on a sheet that
 * is bent, rolled or photographed through a wide lens. A straight-run search breaks
 * such a line wherever it drifts a pixel; here a line is a path that moves at most one
 * pixel up or down per column and crosses at most `maxGap` columns without ink (a
 * crossing rule, a photocopy break). Path lengths are counted from both ends (dynamic
 * programming, linear in the image), so every pixel on a path of `minLen` columns or
 * more is found without tracing each line by hand.
 *
 * Text is kept out by the gap limit (characters leave wider gaps) and by requiring the
 * traced line to be smooth.
 */
export function traceCurves(thin: Mask, minLen: number, maxGap: number): Curve[] {
  const { width: w, height: h, data } = thin;
  const fwd = runLengths(data, w, h, maxGap, 1);
  const bwd = runLengths(data, w, h, maxGap, -1);
  const keep = new Uint8Array(w * h);
  for (let i = 0; i < keep.length; i++) if (data[i] && fwd[i]! + bwd[i]! - 1 >= minLen) keep[i] = 1;
  // A path bridges gaps (a crossing rule breaks the thin mask); bridge them for labelling too.
  const reach = Math.ceil(maxGap / 2) + 1;
  const joined = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!keep[row + x]) continue;
      for (let k = Math.max(0, x - reach); k <= Math.min(w - 1, x + reach); k++) joined[row + k] = 1;
    }
  }
  const lab = label({ width: w, height: h, data: joined });
  const out: Curve[] = [];
  for (const c of lab.components) {
    if (c.x1 - c.x0 + 1 < minLen) continue;
    const n = c.x1 - c.x0 + 1;
    const sum = new Float64Array(n);
    const cnt = new Float64Array(n);
    for (let y = c.y0; y <= c.y1; y++) {
      const row = y * w;
      for (let x = c.x0; x <= c.x1; x++) {
        if (!keep[row + x] || lab.labels[row + x] !== c.label) continue;
        sum[x - c.x0]! += y;
        cnt[x - c.x0]!++;
      }
    }
    const traced = fillGaps(sum, cnt);
    if (!traced || !isSmooth(traced)) continue;
    const ys = smoothFit(traced);
    let m = 0;
    for (const v of ys) m += v;
    out.push({ x0: c.x0, ys, y: m / n });
  }
  return out.sort((a, b) => a.y - b.y);
}

/**
 * Per pixel, the number of inked columns on the best path that reaches it from the
 * left (dir 1) or from the right (dir -1), moving ±1 row per column and bridging up
 * to `maxGap` empty columns.
 */
function runLengths(data: Uint8Array, w: number, h: number, maxGap: number, dir: 1 | -1): Int32Array {
  const len = new Int32Array(w * h);
  const gap = new Uint8Array(w * h);
  const start = dir === 1 ? 0 : w - 1;
  for (let y = 0; y < h; y++) if (data[y * w + start]) len[y * w + start] = 1;
  for (let x = start + dir; x >= 0 && x < w; x += dir) {
    const px = x - dir;
    for (let y = 0; y < h; y++) {
      let best = 0;
      let bestGap = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        const j = yy * w + px;
        const l = len[j]!;
        // Prefer the straight continuation on ties.
        if (l > best || (l === best && dy === 0 && l > 0)) {
          best = l;
          bestGap = gap[j]!;
        }
      }
      const i = y * w + x;
      if (data[i]) {
        len[i] = best + 1;
        gap[i] = 0;
      } else if (best > 0 && bestGap < maxGap) {
        len[i] = best;
        gap[i] = bestGap + 1;
      }
    }
  }
  return len;
}

/** Mean y per column, gaps filled linearly; null when too few columns hold the line. */
function fillGaps(sum: Float64Array, cnt: Float64Array): Float32Array | null {
  const n = sum.length;
  const ys = new Float32Array(n);
  let last = -1;
  let filled = 0;
  for (let i = 0; i < n; i++) {
    if (!cnt[i]) continue;
    ys[i] = sum[i]! / cnt[i]!;
    filled++;
    if (last >= 0 && i - last > 1) {
      for (let k = last + 1; k < i; k++) ys[k] = ys[last]! + ((ys[i]! - ys[last]!) * (k - last)) / (i - last);
    } else if (last < 0) {
      for (let k = 0; k < i; k++) ys[k] = ys[i]!;
    }
    last = i;
  }
  if (last < 0 || filled < n * 0.6) return null;
  for (let k = last + 1; k < n; k++) ys[k] = ys[last]!;
  return ys;
}

/**
 * A rule is smooth: over any window of 15 columns it stays within 2.5 px of the chord
 * joining the window's ends. A path stitched through a line of text zigzags.
 */
function isSmooth(ys: Float32Array): boolean {
  const step = 15;
  let bad = 0;
  let windows = 0;
  for (let i = 0; i + step < ys.length; i += 5) {
    const a = ys[i]!;
    const b = ys[i + step]!;
    let worst = 0;
    for (let k = 1; k < step; k++) worst = Math.max(worst, Math.abs(ys[i + k]! - (a + ((b - a) * k) / step)));
    windows++;
    if (worst > 2.5) bad++;
  }
  return windows === 0 || bad <= windows * 0.1;
}

/**
 * The rule as a smooth parabola through its traced heights, refitted without the
 * points that sit more than 1.5 px off the first fit. Paper bends smoothly; a bump where
 * a tick crosses the rule or a character touches it is not a bend and must not move the
 * rows around it. (A cubic follows such bumps at the ends of a rule, where nothing
 * holds it, and bends the rows there.)
 */
function smoothFit(ys: Float32Array): Float32Array {
  const n = ys.length;
  let use = new Uint8Array(n).fill(1);
  let coef = polyFit(ys, use);
  if (!coef) return ys;
  const at = (c: readonly number[], i: number): number => {
    const t = (2 * i) / Math.max(1, n - 1) - 1;
    return c[0]! + t * (c[1]! + t * c[2]!);
  };
  const keep = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(ys[i]! - at(coef, i)) <= 1.5) {
      keep[i] = 1;
      kept++;
    }
  }
  if (kept >= n * 0.5) {
    use = keep;
    coef = polyFit(ys, use) ?? coef;
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = at(coef, i);
  return out;
}

/** Least-squares parabola in t = -1..1 over the points marked in `use`; null when singular. */
function polyFit(ys: Float32Array, use: Uint8Array): number[] | null {
  const n = ys.length;
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const r = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    if (!use[i]) continue;
    const t = (2 * i) / Math.max(1, n - 1) - 1;
    const p = [1, t, t * t];
    for (let a = 0; a < 3; a++) {
      r[a]! += p[a]! * ys[i]!;
      for (let b = 0; b < 3; b++) m[a]![b]! += p[a]! * p[b]!;
    }
  }
  // The normal equations.
  return solveLinear(m, r);
}
