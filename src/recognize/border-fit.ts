import type { Labelling } from './components.js';
import { label } from './components.js';
import type { Mask } from './gray.js';
import type { Point, Quad } from './homography.js';
import { FRAME_MIN_CELL, FRAMELESS_SIDES, gaps, median } from './table-grid.js';

interface FitLine {
  /** For horizontal lines y = a*x + b; for vertical lines x = a*y + b. */
  readonly a: number;
  readonly b: number;
  readonly length: number;
  /** Position across the axis at the middle of the table. */
  readonly mid: number;
  /** Where the inked line begins and ends along its axis (x for horizontal lines, y for vertical). */
  readonly lo: number;
  readonly hi: number;
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
  // A ruled line on a curved or wavy sheet breaks into short segments that each tilt a
  // little. Chain segments lying on one line (longest first, each joining the line whose
  // fit passes within a few pixels of its centre) and fit the line through all of them.
  const order = lab.components.map((_, k) => k).filter((k) => cnt[k]! >= 10);
  const extent = (k: number): [number, number] => {
    const c = lab.components[k]!;
    return axis === 'h' ? [c.x0, c.x1] : [c.y0, c.y1];
  };
  const tol = chainTolerance(order.map((k) => ({ v: sy[k]! / cnt[k]!, span: extent(k) })));
  order.sort((p, q) => cnt[q]! - cnt[p]!);
  interface Chain {
    sx: number;
    sy: number;
    sxx: number;
    sxy: number;
    n: number;
    lo: number;
    hi: number;
    covered: number;
  }
  const chains: Chain[] = [];
  const lineOf = (c: Chain): { a: number; b: number } | null => {
    const den = c.n * c.sxx - c.sx * c.sx;
    if (den <= 1e-9) return c.n > 0 ? { a: 0, b: c.sy / c.n } : null;
    const a = (c.n * c.sxy - c.sx * c.sy) / den;
    return { a, b: (c.sy - a * c.sx) / c.n };
  };
  for (const k of order) {
    const cu = sx[k]! / cnt[k]!;
    const cv = sy[k]! / cnt[k]!;
    const [lo, hi] = extent(k);
    let home: Chain | null = null;
    let bestD = tol + 1;
    for (const c of chains) {
      // Segments of one line do not overlap along it.
      if (lo < c.hi - 2 && hi > c.lo + 2 && Math.min(hi, c.hi) - Math.max(lo, c.lo) > (hi - lo) * 0.3)
        continue;
      const l = lineOf(c);
      if (!l) continue;
      const d = Math.abs(l.a * cu + l.b - cv);
      if (d < bestD) {
        bestD = d;
        home = c;
      }
    }
    if (home && bestD <= tol) {
      home.sx += sx[k]!;
      home.sy += sy[k]!;
      home.sxx += sxx[k]!;
      home.sxy += sxy[k]!;
      home.n += cnt[k]!;
      home.lo = Math.min(home.lo, lo);
      home.hi = Math.max(home.hi, hi);
      home.covered += hi - lo + 1;
    } else {
      chains.push({
        sx: sx[k]!,
        sy: sy[k]!,
        sxx: sxx[k]!,
        sxy: sxy[k]!,
        n: cnt[k]!,
        lo,
        hi,
        covered: hi - lo + 1,
      });
    }
  }
  const out: FitLine[] = [];
  const midU = axis === 'h' ? sub.width / 2 : sub.height / 2;
  for (const c of chains) {
    const l = lineOf(c);
    if (!l || c.n < 10) continue;
    // Back to page coordinates.
    const b = axis === 'h' ? l.b + box.y0 - l.a * box.x0 : l.b + box.x0 - l.a * box.y0;
    const midPage = axis === 'h' ? midU + box.x0 : midU + box.y0;
    // Length counts inked extent only, so a chain of two stray bits far apart is not a long line.
    const shift = axis === 'h' ? box.x0 : box.y0;
    out.push({
      a: l.a,
      b,
      length: Math.min(c.hi - c.lo + 1, c.covered * 1.5),
      mid: l.a * midPage + b,
      lo: c.lo + shift,
      hi: c.hi + shift,
    });
  }
  return out;
}

/**
 * How far a segment may sit from a line and still belong to it: a third of the usual
 * spacing between neighbouring lines (segments that overlap along the axis), so a
 * bent line is chained but its neighbour is not.
 */
function chainTolerance(segs: readonly { v: number; span: readonly [number, number] }[]): number {
  const near: number[] = [];
  for (let i = 0; i < segs.length; i++) {
    let best = Infinity;
    const a = segs[i]!;
    for (let j = 0; j < segs.length; j++) {
      if (i === j) continue;
      const b = segs[j]!;
      const overlap = Math.min(a.span[1], b.span[1]) - Math.max(a.span[0], b.span[0]);
      if (overlap <= 0) continue;
      const d = Math.abs(a.v - b.v);
      if (d > 2 && d < best) best = d;
    }
    if (Number.isFinite(best)) near.push(best);
  }
  if (near.length === 0) return 3;
  near.sort((x, y) => x - y);
  return Math.min(12, Math.max(3, near[Math.floor(near.length / 2)]! * 0.35));
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
 * strokes each way. `frameless` is a second guess for a table printed without its outer
 * border (see `framed`): the corners where its inner rules end.
 */
export function fitBorder(
  hl: Mask,
  vl: Mask,
  grid: Labelling,
  gridLabel: number,
  box: { x0: number; y0: number; x1: number; y1: number },
): { quad: Quad; frameless: Quad | null } | null {
  const hs = fitStrokes(hl, 'h', grid, gridLabel, box);
  const vs = fitStrokes(vl, 'v', grid, gridLabel, box);
  if (hs.length < 2 || vs.length < 2) return null;
  const longH = Math.max(...hs.map((l) => l.length));
  const longV = Math.max(...vs.map((l) => l.length));
  const H = hs.filter((l) => l.length >= longH * 0.6).sort((a, b) => a.mid - b.mid);
  const V = vs.filter((l) => l.length >= longV * 0.6).sort((a, b) => a.mid - b.mid);
  if (H.length < 2 || V.length < 2) return null;
  const corners = (left: FitLine, right: FitLine, top: FitLine, bottom: FitLine): Quad => [
    intersect(top, left),
    intersect(top, right),
    intersect(bottom, right),
    intersect(bottom, left),
  ];
  const outer = { left: V[0]!, right: V[V.length - 1]!, top: H[0]!, bottom: H[H.length - 1]! };
  const quad = corners(outer.left, outer.right, outer.top, outer.bottom);
  // A table printed without its outer border: the rules of one direction run on well
  // beyond the outermost rule of the other, to the edge the border would have drawn, on
  // (nearly) every side; one side alone is rather a rule lost.
  const minCell = Math.max(2, median(gaps(H.map((l) => l.mid))) * FRAME_MIN_CELL);
  const moved = {
    left: edgeAt(outer.left, H, 'lo', minCell),
    right: edgeAt(outer.right, H, 'hi', minCell),
    top: edgeAt(outer.top, V, 'lo', minCell),
    bottom: edgeAt(outer.bottom, V, 'hi', minCell),
  };
  if (Object.values(moved).filter((e) => e !== null).length < FRAMELESS_SIDES)
    return { quad, frameless: null };
  const side = (k: keyof typeof outer): FitLine => moved[k] ?? outer[k];
  return { quad, frameless: corners(side('left'), side('right'), side('top'), side('bottom')) };
}

/**
 * When the crossing rules (`across`) mostly run on beyond the outer rule `edge` by more
 * than `minCell` at their `end`, a line parallel to it through where they end; else null.
 */
function edgeAt(
  edge: FitLine,
  across: readonly FitLine[],
  end: 'lo' | 'hi',
  minCell: number,
): FitLine | null {
  // Where each crossing rule ends, as the offset b of a line parallel to `edge` through that end.
  const bs = across.map((l) => {
    const u = l[end];
    const v = l.a * u + l.b;
    return u - edge.a * v;
  });
  const b = median(bs);
  const beyond = end === 'lo' ? edge.b - b : b - edge.b;
  if (beyond <= minCell) return null;
  return { ...edge, b, mid: edge.mid + (b - edge.b) };
}
