import { fitBorder } from './border-fit.js';
import { label } from './components.js';
import { blockSums, type Gray, type Mask } from './gray.js';
import type { Point, Quad } from './homography.js';
import { ridgeMask } from './line-filter.js';
import { polygonArea } from './sheet-quad.js';
import { dilate, gridLines, threshold, union } from './line-mask.js';

export interface TableCandidate {
  /** Outer corners of the ruled grid in page pixels (TL, TR, BR, BL). */
  readonly quad: Quad;
  readonly bbox: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /** Corners found another way that disagree much with `quad`: worth a second reading. */
  readonly otherQuad?: Quad;
  /** The grid reaches the image border: part of the table may be cut off. */
  readonly touchesEdge: boolean;
  /** Found only when rules up to twice the usual thickness were allowed (a blurred photo): read it so too. */
  readonly wideRules?: true;
}

/**
 * Downscale by an integer factor averaging each block. Averaging (not max) keeps a
 * printed line visible while it flattens the speckle of a desk, a fabric or sensor noise.
 */
export function meanPool(img: Gray, f: number): Gray {
  if (f <= 1) return img;
  const { width: w, height: h, sums } = blockSums(img, f);
  const out = new Uint8Array(w * h);
  const n = f * f;
  for (let i = 0; i < out.length; i++) out[i] = sums[i]! / n;
  return { width: w, height: h, data: out };
}

/**
 * The page as the table searches see it: a mean-pooled copy about 1000 px long (a
 * table is large, this is plenty) and the stroke sizes that go with it. Made once per
 * page and shared by both searches.
 */
export interface TableSearch {
  readonly small: Gray;
  /** Pooling factor: corners are scaled back by it to the coordinates of the page. */
  readonly f: number;
  readonly maxThick: number;
  readonly minRun: number;
}

export function tableSearch(dark: Gray): TableSearch {
  const f = Math.max(1, Math.round(Math.max(dark.width, dark.height) / 1000));
  const small = meanPool(dark, f);
  const long = Math.max(small.width, small.height);
  return {
    small,
    f,
    maxThick: Math.max(4, Math.round(long / 160)),
    minRun: Math.max(20, Math.round(long / 28)),
  };
}

/**
 * Every ruled grid on the page. A grid is a connected set of long horizontal and
 * vertical strokes; two ballots on one sheet (or two slips in one photo) are two grids.
 * Corners come back in the coordinates of the page.
 */
export function findTables(search: TableSearch, level: number): TableCandidate[] {
  const { small, f, maxThick, minRun } = search;
  const ink = threshold(small, level);
  const plain = gridLines(ink, ink, minRun, minRun, 2, maxThick);
  const found = gridCandidates(plain.h, plain.v, f, minRun);
  if (found.length > 0) return found;
  // No grid: the rules may be wider than a print rule of this page size should be
  // (motion blur or defocus on a small photo widens every stroke), so look again
  // allowing rules twice as thick. A wider rule also lets dense text through, but
  // that only costs a table reading, which checks rows and kind as for any grid.
  const wide = gridLines(ink, ink, minRun, minRun, 2, maxThick * 2);
  return gridCandidates(wide.h, wide.v, f, minRun).map((c) => ({ ...c, wideRules: true as const }));
}

/**
 * Grids whose rules are too faint, blurred or grainy for the ink threshold (it gives
 * broken lines or blobs there): the same search on rules found as ridges. Run when
 * `findTables` gives no readable table in some part of the page.
 */
export function findFaintTables(search: TableSearch): TableCandidate[] {
  const { small, f, maxThick, minRun } = search;
  const r = faintRules(small);
  const { h, v } = gridLines(r.h, r.v, minRun, minRun, 2, maxThick);
  return gridCandidates(h, v, f, minRun);
}

/** Grids (connected long horizontal and vertical strokes) of a pair of line masks, corners scaled by `f`. */
function gridCandidates(hl: Mask, vl: Mask, f: number, minRun: number): TableCandidate[] {
  const { width: w, height: h } = hl;
  const long = Math.max(w, h);
  const grid = union(hl, vl);
  const joined = dilate(grid, Math.max(2, Math.round(long / 400)));
  const lab = label(joined);
  const out: TableCandidate[] = [];
  for (const c of lab.components) {
    const bw = c.x1 - c.x0 + 1;
    const bh = c.y1 - c.y0 + 1;
    if (bw < long / 10 || bh < long / 25) continue;
    // Corners as extreme points along the diagonals: robust to skew, rotation and perspective.
    let tl = Infinity;
    let br = -Infinity;
    let tr = -Infinity;
    let bl = Infinity;
    let ptl: [number, number] = [0, 0];
    let pbr: [number, number] = [0, 0];
    let ptr: [number, number] = [0, 0];
    let pbl: [number, number] = [0, 0];
    let hCount = 0;
    let vCount = 0;
    for (let y = c.y0; y <= c.y1; y++) {
      const row = y * w;
      for (let x = c.x0; x <= c.x1; x++) {
        const i = row + x;
        if (lab.labels[i] !== c.label || !grid.data[i]) continue;
        if (hl.data[i]) hCount++;
        if (vl.data[i]) vCount++;
        const s = x + y;
        const d = x - y;
        if (s < tl) {
          tl = s;
          ptl = [x, y];
        }
        if (s > br) {
          br = s;
          pbr = [x, y];
        }
        if (d > tr) {
          tr = d;
          ptr = [x, y];
        }
        if (d < bl) {
          bl = d;
          pbl = [x, y];
        }
      }
    }
    if (hCount < minRun * 3 || vCount < minRun * 2) continue;
    const fit = fitBorder(hl, vl, lab, c.label, c);
    // The fit can settle on an inner rule when an outer one is broken up, and extreme
    // points are pulled out by text or a tick touching the grid: when the two disagree
    // much, the extreme points are kept as a second guess for the reader to try. A table
    // that looks printed without its outer border is tried again where its rules end.
    const extreme: [number, number][] = [ptl, ptr, pbr, pbl];
    let second: readonly Point[] | null = null;
    if (fit) {
      const fitted = fit.quad;
      if (fit.frameless) second = fit.frameless;
      else if (polygonArea(fitted) < polygonArea(extreme) * 0.85) second = extreme;
      ptl = [fitted[0][0], fitted[0][1]];
      ptr = [fitted[1][0], fitted[1][1]];
      pbr = [fitted[2][0], fitted[2][1]];
      pbl = [fitted[3][0], fitted[3][1]];
    }
    const margin = 2;
    const up = (p: Point): [number, number] => [p[0] * f + (f - 1) / 2, p[1] * f + (f - 1) / 2];
    out.push({
      quad: [up(ptl), up(ptr), up(pbr), up(pbl)],
      ...(second
        ? { otherQuad: [up(second[0]!), up(second[1]!), up(second[2]!), up(second[3]!)] as const }
        : {}),
      bbox: { x0: c.x0 * f, y0: c.y0 * f, x1: (c.x1 + 1) * f - 1, y1: (c.y1 + 1) * f - 1 },
      touchesEdge: c.x0 <= margin || c.y0 <= margin || c.x1 >= w - 1 - margin || c.y1 >= h - 1 - margin,
    });
  }
  return out;
}

/**
 * Rules too faint or too blurred for the ink threshold (see `ridgeMask`), searched at
 * half the resolution of `small` (a rule stays a rule, and it costs a quarter) and
 * returned at the size of `small`.
 */
function faintRules(small: Gray): { h: Mask; v: Mask } {
  const half = meanPool(small, 2);
  const long = Math.max(half.width, half.height);
  const along = Math.max(8, Math.round(long / 40));
  const offsets = [2, 4];
  const up = (m: Mask): Mask => {
    const out = new Uint8Array(small.width * small.height);
    for (let y = 0; y < small.height; y++) {
      const sy = Math.min(half.height - 1, y >> 1) * half.width;
      const row = y * small.width;
      for (let x = 0; x < small.width; x++) out[row + x] = m.data[sy + Math.min(half.width - 1, x >> 1)]!;
    }
    return { width: small.width, height: small.height, data: out };
  };
  return {
    h: up(ridgeMask(half, 'h', along, offsets, 8)),
    v: up(ridgeMask(half, 'v', along, offsets, 8)),
  };
}

export function maskToGray(m: Mask): Gray {
  const d = new Uint8Array(m.data.length);
  for (let i = 0; i < d.length; i++) d[i] = m.data[i] ? 255 : 0;
  return { width: m.width, height: m.height, data: d };
}
