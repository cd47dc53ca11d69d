import type { Labelling } from './components.js';
import { label } from './components.js';
import type { Mask } from './gray.js';
import type { Point, Quad } from './homography.js';

interface FitLine {
  /** For horizontal lines y = a*x + b; for vertical lines x = a*y + b. */
  readonly a: number;
  readonly b: number;
  readonly length: number;
  /** Position across the axis at the middle of the table. */
  readonly mid: number;
}

/** Least-squares lines through the long strokes of `lines` that lie inside the grid component. */
function fitStrokes(
  lines: Mask,
  axis: 'h' | 'v',
  grid: Labelling,
  gridLabel: number,
  box: { x0: number; y0: number; x1: number; y1: number },
): FitLine[] {
  const { width: w } = lines;
  const sub: Mask = {
    width: box.x1 - box.x0 + 1,
    height: box.y1 - box.y0 + 1,
    data: new Uint8Array((box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1)),
  };
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = y * w + x;
      if (lines.data[i] && grid.labels[i] === gridLabel)
        sub.data[(y - box.y0) * sub.width + (x - box.x0)] = 1;
    }
  }
  const lab = label(sub);
  const n = lab.components.length;
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  const sxx = new Float64Array(n);
  const sxy = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (let y = 0; y < sub.height; y++) {
    for (let x = 0; x < sub.width; x++) {
      const l = lab.labels[y * sub.width + x]!;
      if (!l) continue;
      const k = l - 1;
      // u runs along the line, v across it.
      const u = axis === 'h' ? x : y;
      const v = axis === 'h' ? y : x;
      sx[k]! += u;
      sy[k]! += v;
      sxx[k]! += u * u;
      sxy[k]! += u * v;
      cnt[k]!++;
    }
  }
  const out: FitLine[] = [];
  const midU = axis === 'h' ? sub.width / 2 : sub.height / 2;
  lab.components.forEach((c, k) => {
    const length = axis === 'h' ? c.x1 - c.x0 + 1 : c.y1 - c.y0 + 1;
    const m = cnt[k]!;
    const den = m * sxx[k]! - sx[k]! * sx[k]!;
    if (m < 10 || den === 0) return;
    const a = (m * sxy[k]! - sx[k]! * sy[k]!) / den;
    const b0 = (sy[k]! - a * sx[k]!) / m;
    // Back to page coordinates.
    const b = axis === 'h' ? b0 + box.y0 - a * box.x0 : b0 + box.x0 - a * box.y0;
    const midPage = axis === 'h' ? midU + box.x0 : midU + box.y0;
    out.push({ a, b, length, mid: a * midPage + b });
  });
  return out;
}

function intersect(h: FitLine, v: FitLine): Point {
  // y = ha*x + hb ; x = va*y + vb
  const y = (h.a * v.b + h.b) / (1 - h.a * v.a);
  const x = v.a * y + v.b;
  return [x, y];
}

/**
 * The outer corners of a ruled grid from straight-line fits of its outermost long
 * horizontal and vertical strokes. Unlike extreme points, this is not pulled off by
 * text, a tick or desk texture touching the grid. Null when the grid lacks two long
 * strokes each way.
 */
export function fitBorder(
  hl: Mask,
  vl: Mask,
  grid: Labelling,
  gridLabel: number,
  box: { x0: number; y0: number; x1: number; y1: number },
): Quad | null {
  const hs = fitStrokes(hl, 'h', grid, gridLabel, box);
  const vs = fitStrokes(vl, 'v', grid, gridLabel, box);
  if (hs.length < 2 || vs.length < 2) return null;
  const longH = Math.max(...hs.map((l) => l.length));
  const longV = Math.max(...vs.map((l) => l.length));
  const H = hs.filter((l) => l.length >= longH * 0.6).sort((a, b) => a.mid - b.mid);
  const V = vs.filter((l) => l.length >= longV * 0.6).sort((a, b) => a.mid - b.mid);
  if (H.length < 2 || V.length < 2) return null;
  const top = H[0]!;
  const bottom = H[H.length - 1]!;
  const left = V[0]!;
  const right = V[V.length - 1]!;
  return [intersect(top, left), intersect(top, right), intersect(bottom, right), intersect(bottom, left)];
}
