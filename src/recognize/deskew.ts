import { blockSums, type Gray } from './gray.js';
import { resampleQuad, type Point, type Quad } from './homography.js';
import { otsuLevel } from './line-mask.js';

/** Skews searched for, in degrees either way: flatbed scans are fed up to about ±5°. */
const MAX_SKEW = 7;

/**
 * The angle (degrees, clockwise positive in image coordinates) by which a page's lines
 * are turned from the axes. A scan has no sheet edge to rectify against, and its
 * ruled lines, turned a few degrees, break into short runs that the table search
 * cannot follow; its printed rows and rules are what tell the angle.
 *
 * Projection profiles (the classic method): ink pixels of a pooled copy are projected
 * onto the page's rows and columns for each candidate angle, and the angle whose
 * profiles are sharpest (largest sum of squared bin counts) wins. Rows and columns both
 * count, so a page scanned sideways is measured by its rules all the same.
 */
export function skewAngle(bright: Gray): number {
  const f = Math.max(1, Math.round(Math.max(bright.width, bright.height) / 700));
  const { width: w, height: h, sums } = blockSums(bright, f);
  if (w < 20 || h < 20) return 0;
  const dark = new Uint8Array(w * h);
  for (let i = 0; i < dark.length; i++) dark[i] = 255 - Math.round(sums[i]! / (f * f));
  const level = otsuLevel({ width: w, height: h, data: dark });
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (dark[y * w + x]! >= level) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  // Nothing to go by, or a page mostly dark (a photo, not a scan).
  if (xs.length < 50 || xs.length > w * h * 0.4) return 0;
  const size = w + h;
  const rows = new Float64Array(size * 2);
  const cols = new Float64Array(size * 2);
  const sharpness = (deg: number): number => {
    const t = Math.tan((deg * Math.PI) / 180);
    rows.fill(0);
    cols.fill(0);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const y = ys[i]!;
      // Small angles: a shear is as good as a rotation for sharpening a profile.
      rows[Math.round(y - x * t) + size]!++;
      cols[Math.round(x + y * t) + size]!++;
    }
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += rows[i]! * rows[i]! + cols[i]! * cols[i]!;
    return s;
  };
  let best = 0;
  let bestScore = sharpness(0);
  for (let deg = -MAX_SKEW; deg <= MAX_SKEW + 1e-9; deg += 0.25) {
    const s = sharpness(deg);
    if (s > bestScore) {
      bestScore = s;
      best = deg;
    }
  }
  for (let deg = best - 0.2; deg <= best + 0.2 + 1e-9; deg += 0.05) {
    const s = sharpness(deg);
    if (s > bestScore) {
      bestScore = s;
      best = deg;
    }
  }
  return Math.round(best * 100) / 100;
}

/**
 * Turn a page by `-deg` so its lines are level, on a canvas large enough to keep all of
 * it (the corners gained are white paper). Returns the way back to the input's pixels.
 */
export function unskew(bright: Gray, deg: number): { bright: Gray; toPage: (p: Point) => Point } | null {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const w = bright.width;
  const h = bright.height;
  const W = Math.ceil(w * Math.abs(cos) + h * Math.abs(sin));
  const H = Math.ceil(w * Math.abs(sin) + h * Math.abs(cos));
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const toSrc = (u: number, v: number): Point => {
    const dx = u - (W - 1) / 2;
    const dy = v - (H - 1) / 2;
    return [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos];
  };
  const src: Quad = [toSrc(0, 0), toSrc(W - 1, 0), toSrc(W - 1, H - 1), toSrc(0, H - 1)];
  const r = resampleQuad(bright, src, W, H, 255);
  return r && { bright: r.image, toPage: r.toSource };
}
