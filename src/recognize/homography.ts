import type { Gray } from './gray.js';
import { solveLinear } from './linear-solve.js';

export type Point = readonly [number, number];
/** Corners in order top-left, top-right, bottom-right, bottom-left. */
export type Quad = readonly [Point, Point, Point, Point];

/** 3x3 matrix, row-major, h[8] = 1. */
export type Homography = readonly number[];

/** The projective map that sends each `from[i]` to `to[i]`; null when the points are degenerate. */
export function homography(from: Quad, to: Quad): Homography | null {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y]);
    b.push(v);
  }
  const sol = solveLinear(a, b);
  return sol ? [...sol, 1] : null;
}

export function apply(h: Homography, x: number, y: number): Point {
  const d = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / d, (h[3]! * x + h[4]! * y + h[5]!) / d];
}

/**
 * Resample the quad `src` of `img` into an upright `width` x `height` raster
 * (bilinear). Pixels that fall outside the source read as `fill` (0: paper in a darkness raster).
 */
export function warp(img: Gray, src: Quad, width: number, height: number, margin = 0, fill = 0): Gray {
  const dst: Quad = [
    [margin, margin],
    [width - 1 - margin, margin],
    [width - 1 - margin, height - 1 - margin],
    [margin, height - 1 - margin],
  ];
  const h = homography(dst, src);
  const out = new Uint8Array(width * height);
  if (fill) out.fill(fill);
  if (!h) return { width, height, data: out };
  const { width: sw, height: sh, data } = img;
  for (let y = 0; y < height; y++) {
    // Incremental evaluation along the row: numerators and denominator are affine in x.
    let nx = h[1]! * y + h[2]!;
    let ny = h[4]! * y + h[5]!;
    let dd = h[7]! * y + h[8]!;
    for (let x = 0; x < width; x++) {
      const sx = nx / dd;
      const sy = ny / dd;
      nx += h[0]!;
      ny += h[3]!;
      dd += h[6]!;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= sw - 1 || y0 >= sh - 1) continue;
      const tx = sx - x0;
      const ty = sy - y0;
      const i = y0 * sw + x0;
      const top = data[i]! * (1 - tx) + data[i + 1]! * tx;
      const bot = data[i + sw]! * (1 - tx) + data[i + sw + 1]! * tx;
      out[y * width + x] = top * (1 - ty) + bot * ty + 0.5;
    }
  }
  return { width, height, data: out };
}

/**
 * `warp` a quad into an upright `width` x `height` raster and keep the way back: the
 * map from a pixel of the new raster to the point of `img` it came from.
 */
export function resampleQuad(
  img: Gray,
  src: Quad,
  width: number,
  height: number,
  fill = 0,
): { image: Gray; toSource: (p: Point) => Point } | null {
  const rect: Quad = [
    [0, 0],
    [width - 1, 0],
    [width - 1, height - 1],
    [0, height - 1],
  ];
  const back = homography(rect, src);
  if (!back) return null;
  return { image: warp(img, src, width, height, 0, fill), toSource: (p) => apply(back, p[0], p[1]) };
}
