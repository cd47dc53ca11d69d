import { label } from './components.js';
import type { Gray, Mask } from './gray.js';
import type { Quad } from './homography.js';
import { dilate, lineMask, union } from './line-mask.js';

export interface TableCandidate {
  /** Outer corners of the ruled grid in page pixels (TL, TR, BR, BL). */
  readonly quad: Quad;
  readonly bbox: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /** The grid reaches the image border: part of the table may be cut off. */
  readonly touchesEdge: boolean;
  /** This table's own line pixels (1) in page coordinates, so a neighbouring table's lines never count. */
  readonly lines: Mask;
}

/**
 * Keep only ink that is thin across `axis`: a table line is a few pixels thick, while
 * a shadow, a desk edge or a solid fill is thick and must not become a "line".
 */
export function thinAcross(ink: Mask, axis: 'h' | 'v', maxThick: number): Mask {
  const { width: w, height: h, data } = ink;
  const out = new Uint8Array(w * h);
  if (axis === 'h') {
    for (let x = 0; x < w; x++) {
      let y = 0;
      while (y < h) {
        if (!data[y * w + x]) {
          y++;
          continue;
        }
        const s = y;
        while (y < h && data[y * w + x]) y++;
        if (y - s <= maxThick) for (let k = s; k < y; k++) out[k * w + x] = 1;
      }
    }
  } else {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let x = 0;
      while (x < w) {
        if (!data[row + x]) {
          x++;
          continue;
        }
        const s = x;
        while (x < w && data[row + x]) x++;
        if (x - s <= maxThick) for (let k = s; k < x; k++) out[row + k] = 1;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Every ruled grid on the page. A grid is a connected set of long horizontal and
 * vertical strokes; two ballots on one sheet (or two slips in one photo) are two grids.
 */
export function findTables(ink: Mask): TableCandidate[] {
  const { width: w, height: h } = ink;
  const long = Math.max(w, h);
  const maxThick = Math.max(5, Math.round(long / 160));
  const minRun = Math.max(20, Math.round(long / 28));
  const hl = lineMask(thinAcross(ink, 'h', maxThick), ink, 'h', minRun, 2, maxThick);
  const vl = lineMask(thinAcross(ink, 'v', maxThick), ink, 'v', minRun, 2, maxThick);
  const grid = union(hl, vl);
  const joined = dilate(grid, Math.max(2, Math.round(long / 500)));
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
    const own = new Uint8Array(w * h);
    for (let y = c.y0; y <= c.y1; y++) {
      const row = y * w;
      for (let x = c.x0; x <= c.x1; x++) {
        const i = row + x;
        if (lab.labels[i] !== c.label || !grid.data[i]) continue;
        own[i] = 1;
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
    const margin = 3;
    out.push({
      quad: [ptl, ptr, pbr, pbl],
      bbox: { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 },
      touchesEdge: c.x0 <= margin || c.y0 <= margin || c.x1 >= w - 1 - margin || c.y1 >= h - 1 - margin,
      lines: { width: w, height: h, data: own },
    });
  }
  return out;
}

export function maskToGray(m: Mask): Gray {
  const d = new Uint8Array(m.data.length);
  for (let i = 0; i < d.length; i++) d[i] = m.data[i] ? 255 : 0;
  return { width: m.width, height: m.height, data: d };
}
