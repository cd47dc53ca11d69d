import { traceCurves, type Curve } from './curves.js';
import { rotate90, type Gray, type Mask } from './gray.js';
import { thinAcross, threshold } from './line-mask.js';

/**
 * Straighten a table whose rules bend: a sheet that does not lie flat, a page curling
 * off a scanner glass, a wide-angle lens. The perspective warp has already put the
 * table's corners in place; what remains is a smooth bend of a few pixels that breaks
 * a search for straight rows. The table's own rules are the reference: every long
 * horizontal rule is traced, then each column of pixels is resampled so that every
 * rule lies on one row (piecewise linear between rules). The same is done for vertical
 * rules on the result. A table whose rules are already straight is returned as is.
 */
export function straightenTable(dark: Gray, rules: RuleFinder, maxThick: number): Gray {
  const rowsFixed = straightenAlong(dark, rules, maxThick);
  const turned = rotate90(rowsFixed, 1);
  const colsFixed = straightenAlong(turned, rules, maxThick);
  return colsFixed === turned ? rowsFixed : rotate90(colsFixed, 3);
}

/** Pixels that may belong to horizontal rules of an image (thin across, any length). */
export type RuleFinder = (img: Gray) => Mask;

/** Rules as ink above a darkness level, thin across. */
export function inkRules(lineLevel: number, maxThick: number): RuleFinder {
  return (img) => thinAcross(threshold(img, lineLevel), 'h', maxThick);
}

function straightenAlong(img: Gray, rules: RuleFinder, maxThick: number): Gray {
  // Rules are traced on every other column (half the work; the height of a rule, what
  // the correction needs, keeps full resolution): each traced column is the darker of two.
  const thin = rules(img);
  const narrow = maxPoolX2(thin);
  const curves = traceCurves(
    narrow,
    Math.round(narrow.width * 0.7),
    Math.max(2, Math.round(maxThick / 2)),
  ).map((c) => widened(c));
  const knots = usableCurves(curves, img.width);
  if (knots.length < 2) return img;
  return resampleRows(img, knots);
}

/** Half as wide: each pixel set when either of its two source pixels is. */
function maxPoolX2(m: Mask): Mask {
  const w = m.width >> 1;
  const out = new Uint8Array(w * m.height);
  const d = m.data;
  for (let y = 0; y < m.height; y++) {
    const src = y * m.width;
    const dst = y * w;
    for (let x = 0; x < w; x++) out[dst + x] = d[src + 2 * x]! | d[src + 2 * x + 1]!;
  }
  return { width: w, height: m.height, data: out };
}

/** A curve traced on every other column, at full width. */
function widened(c: Curve): Curve {
  const ys = new Float32Array(c.ys.length * 2);
  for (let i = 0; i < ys.length; i++) ys[i] = c.ys[i >> 1]!;
  return { x0: c.x0 * 2, ys, y: c.y };
}

interface Knot {
  readonly curve: Curve;
  /** Row the rule is moved onto: its height at the middle of the table. */
  readonly target: number;
}

function yAt(c: Curve, x: number): number {
  const i = Math.min(c.ys.length - 1, Math.max(0, Math.round(x) - c.x0));
  return c.ys[i]!;
}

/**
 * Rules that are long, do not cross or touch a rule above them, and bend enough to be
 * worth correcting (at least one by 1.5 px or more).
 */
function usableCurves(curves: readonly Curve[], width: number): Knot[] {
  const kept: Curve[] = [];
  for (const c of curves) {
    const prev = kept[kept.length - 1];
    if (prev) {
      let clash = false;
      for (let x = 0; x < width && !clash; x += 8) if (yAt(c, x) <= yAt(prev, x) + 2) clash = true;
      if (clash) {
        // Two traces of one thick rule, or a crossing: keep the longer.
        if (c.ys.length > prev.ys.length) kept[kept.length - 1] = c;
        continue;
      }
    }
    kept.push(c);
  }
  const mid = width / 2;
  const knots: Knot[] = [];
  for (const curve of kept) {
    const target = yAt(curve, mid);
    if (knots.length && target <= knots[knots.length - 1]!.target + 2) continue;
    knots.push({ curve, target });
  }
  let bend = 0;
  for (const k of knots)
    for (let x = 0; x < width; x += 4) bend = Math.max(bend, Math.abs(yAt(k.curve, x) - k.target));
  return bend >= 1.5 ? knots : [];
}

/**
 * For every column, map output rows to source rows through the knots and sample
 * linearly. Walked row by row (each column keeps its own place among the knots), so
 * the image is read in memory order rather than down its columns.
 */
function resampleRows(img: Gray, knots: readonly Knot[]): Gray {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const n = knots.length;
  // Source row of knot k in column x at [k * w + x].
  const src = new Float64Array(n * w);
  for (let k = 0; k < n; k++) for (let x = 0; x < w; x++) src[k * w + x] = yAt(knots[k]!.curve, x);
  const first = knots[0]!.target;
  const last = knots[n - 1]!.target;
  let k = 0;
  for (let y = 0; y < h; y++) {
    // The knot segment holding row y is the same for every column.
    while (k < n - 1 && y > knots[k + 1]!.target) k++;
    const a = knots[k]!;
    const b = knots[k + 1];
    const t = b ? (y - a.target) / Math.max(1e-6, b.target - a.target) : 0;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let sy: number;
      if (y <= first) sy = y + (src[x]! - first);
      else if (k >= n - 1) sy = y + (src[(n - 1) * w + x]! - last);
      else {
        const sa = src[k * w + x]!;
        sy = sa + t * (src[(k + 1) * w + x]! - sa);
      }
      const y0 = Math.floor(sy);
      if (y0 < 0 || y0 >= h - 1) continue;
      const ty = sy - y0;
      out[row + x] = data[y0 * w + x]! * (1 - ty) + data[(y0 + 1) * w + x]! * ty + 0.5;
    }
  }
  return { width: w, height: h, data: out };
}
