import type { Gray } from './gray.js';
import { apply, homography, warp, type Point, type Quad } from './homography.js';
import { sheetBlob } from './page-region.js';
import { sheetQuad } from './sheet-quad.js';

/** A page as the recognizer reads it, and the way back to the decoded image's pixels. */
export interface Rectified {
  readonly bright: Gray;
  /** Map a point of `bright` back to the decoded image. */
  readonly toPage: (p: Point) => Point;
  /** The sheet's corners in the decoded image, when the page was a photographed sheet. */
  readonly sheet: Quad | null;
}

/**
 * Flatten a photographed sheet: when the photo shows the whole sheet of paper as a
 * quadrilateral against its surroundings, resample that quadrilateral into an upright
 * rectangle. Perspective and rotation by any angle are undone before the table search,
 * which then only has to cope with what is left (a slightly curved sheet, a few
 * degrees). A scan, or a photo without a clear sheet edge, passes through unchanged.
 */
export function rectifySheet(bright: Gray, longSide: number): Rectified {
  const identity: Rectified = { bright, toPage: (p) => p, sheet: null };
  const blob = sheetBlob(bright);
  if (!blob) return identity;
  const q = sheetQuad(blob.mask);
  if (!q) return identity;
  const f = blob.factor;
  const up = (p: Point): Point => [p[0] * f + (f - 1) / 2, p[1] * f + (f - 1) / 2];
  const full = q.map(up) as unknown as Quad;
  // Pull the corners a little inwards so the sheet's own edge (dark against the desk)
  // does not become the frame of the rectified image and join the table's ruling.
  const cx = full.reduce((s, p) => s + p[0], 0) / 4;
  const cy = full.reduce((s, p) => s + p[1], 0) / 4;
  const inset = full.map(
    ([x, y]) => [cx + (x - cx) * 0.985, cy + (y - cy) * 0.985] as const,
  ) as unknown as Quad;
  const d = (a: Point, b: Point): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
  let w = Math.max(d(inset[0], inset[1]), d(inset[3], inset[2]));
  let h = Math.max(d(inset[0], inset[3]), d(inset[1], inset[2]));
  const s = Math.min(1, longSide / Math.max(w, h));
  w = Math.max(16, Math.round(w * s));
  h = Math.max(16, Math.round(h * s));
  const rect: Quad = [
    [0, 0],
    [w - 1, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ];
  const back = homography(rect, inset);
  if (!back) return identity;
  return {
    bright: warp(bright, inset, w, h, 0, 255),
    toPage: (p) => apply(back, p[0], p[1]),
    sheet: full,
  };
}
