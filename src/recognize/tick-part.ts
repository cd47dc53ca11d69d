import { label } from './components.js';
import type { Mask } from './gray.js';

/** The shape of the part of a stroke that lies in one cell (see `describePart`). */
export interface PartShape {
  /** Pixels of its largest connected piece. */
  readonly main: number;
  /** Pixels of the second largest piece (0 when it is in one piece). */
  readonly second: number;
  /** Box of the largest piece, in the mask's pixels. */
  readonly box: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /**
   * How far the largest piece is from a straight line: the smaller over the larger
   * variance along its principal axes. About 0.005 for a straight pen stroke, 0.01 for a
   * very flat tick, 0.1 for a tick with its arms near a right angle.
   */
  readonly bend: number;
}

/**
 * The shape of a stroke's part in one cell, cut off at the cell's border: whether it
 * is one piece, and whether that piece bends like a tick or runs straight like the arm
 * of a tick drawn in the next row. Pure.
 */
export function describePart(part: Mask): PartShape {
  const lab = label(part);
  const sorted = [...lab.components].sort((a, b) => b.area - a.area);
  const top = sorted[0];
  if (!top) return { main: 0, second: 0, box: { x0: 0, y0: 0, x1: -1, y1: -1 }, bend: 0 };
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = top.y0; y <= top.y1; y++) {
    for (let x = top.x0; x <= top.x1; x++) {
      if (lab.labels[y * part.width + x] !== top.label) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  const vx = sxx / n - (sx / n) ** 2;
  const vy = syy / n - (sy / n) ** 2;
  const cxy = sxy / n - (sx / n) * (sy / n);
  // Eigenvalues of the 2x2 covariance matrix.
  const mid = (vx + vy) / 2;
  const spread = Math.sqrt(((vx - vy) / 2) ** 2 + cxy * cxy);
  const big = mid + spread;
  const small = Math.max(0, mid - spread);
  return {
    main: top.area,
    second: sorted[1]?.area ?? 0,
    box: { x0: top.x0, y0: top.y0, x1: top.x1, y1: top.y1 },
    bend: big > 0 ? small / big : 0,
  };
}
