import type { Mask } from './gray.js';
import type { Point, Quad } from './homography.js';

/**
 * The four corners of a sheet of paper from its mask (see `sheetBlobs`), in the mask's
 * pixel coordinates, ordered clockwise from the corner nearest the image's top-left.
 *
 * A phone photo shows the sheet as a quadrilateral (perspective, rotation at any
 * angle). Its convex hull bridges a thumb or a shadow biting into the edge; the four
 * hull points spanning the largest area are near the corners; each side is then
 * refitted by least squares through the boundary points along it, so a corner hidden
 * under a hand or curled up is recovered as the meeting point of its two sides.
 *
 * Null when the blob is not convincingly a quadrilateral: a sheet cut by the frame on
 * more than one side, a sheet that fills the whole image (a scan), or a shape that a
 * quadrilateral covers badly.
 */
export function sheetQuad(mask: Mask): Quad | null {
  const { width: w, height: h, data } = mask;
  const boundary: Point[] = [];
  let area = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!data[y * w + x]) continue;
      area++;
      const edge =
        x === 0 ||
        y === 0 ||
        x === w - 1 ||
        y === h - 1 ||
        !data[y * w + x - 1] ||
        !data[y * w + x + 1] ||
        !data[(y - 1) * w + x] ||
        !data[(y + 1) * w + x];
      if (edge) boundary.push([x, y]);
    }
  }
  if (area < w * h * 0.012 || boundary.length < 16) return null;
  const hull = convexHull(boundary);
  if (hull.length < 4) return null;
  const corners = largestQuad(hull);
  const fitted = refitSides(corners, boundary, w, h) ?? corners;
  const q = orderClockwise(fitted);
  if (!isConvex(q)) return null;
  const qa = polygonArea(q);
  // The quad must explain the blob: most of the blob inside it and not much more.
  if (qa < area * 0.9 || qa > area * 1.12) return null;
  // A sheet filling the frame (a scan, a photo cropped to the page) needs no rectifying.
  if (qa > w * h * 0.92) return null;
  for (let i = 0; i < 4; i++) {
    const a = q[(i + 3) % 4]!;
    const b = q[i]!;
    const c = q[(i + 1) % 4]!;
    const ang = angleAt(a, b, c);
    if (ang < 50 || ang > 130) return null;
  }
  return q;
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Andrew's monotone chain. */
export function convexHull(points: readonly Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const lower: Point[] = [];
  for (const pt of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, pt) <= 0)
      lower.pop();
    lower.push(pt);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const pt = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, pt) <= 0)
      upper.pop();
    upper.push(pt);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

export function polygonArea(poly: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

/**
 * Four hull vertices spanning (nearly) the largest area: start from the diameter and
 * the farthest points on either side of it, then move one corner at a time along the
 * hull while the area grows.
 */
function largestQuad(hull: readonly Point[]): Point[] {
  const n = hull.length;
  let ia = 0;
  let ic = 0;
  let best = -1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = (hull[i]![0] - hull[j]![0]) ** 2 + (hull[i]![1] - hull[j]![1]) ** 2;
      if (d > best) {
        best = d;
        ia = i;
        ic = j;
      }
    }
  }
  let ib = ia;
  let id = ic;
  let bBest = 0;
  let dBest = 0;
  for (let k = 0; k < n; k++) {
    const c = cross(hull[ia]!, hull[ic]!, hull[k]!);
    if (c < bBest) {
      bBest = c;
      ib = k;
    }
    if (c > dBest) {
      dBest = c;
      id = k;
    }
  }
  const idx = [ia, ib, ic, id].sort((a, b) => a - b);
  const areaOf = (ix: readonly number[]): number => polygonArea(ix.map((i) => hull[i]!));
  let current = areaOf(idx);
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    for (let c = 0; c < 4; c++) {
      const lo = idx[(c + 3) % 4]!;
      const hi = idx[(c + 1) % 4]!;
      // Candidates strictly between the neighbouring corners along the hull.
      for (let k = (lo + 1) % n; k !== hi; k = (k + 1) % n) {
        const trial = [...idx];
        trial[c] = k;
        const a = areaOf(trial);
        if (a > current + 1e-9) {
          current = a;
          idx[c] = k;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return idx.map((i) => hull[i]!);
}

interface Line {
  /** Unit normal (nx, ny) and offset c: nx*x + ny*y = c. */
  readonly nx: number;
  readonly ny: number;
  readonly c: number;
}

/** Total least squares line through points; null for fewer than 5 points. */
function fitLine(pts: readonly Point[]): Line | null {
  if (pts.length < 5) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of pts) {
    mx += x;
    my += y;
  }
  mx /= pts.length;
  my /= pts.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  // Direction of the principal axis; the normal is perpendicular to it.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  const nx = -Math.sin(theta);
  const ny = Math.cos(theta);
  return { nx, ny, c: nx * mx + ny * my };
}

function meet(a: Line, b: Line): Point | null {
  const det = a.nx * b.ny - a.ny * b.nx;
  if (Math.abs(det) < 1e-9) return null;
  return [(a.c * b.ny - a.ny * b.c) / det, (a.nx * b.c - a.c * b.nx) / det];
}

/**
 * Refit each side through the boundary points that lie along it (middle 80% of the
 * side, within a few pixels), leaving out points on the image border, where the frame
 * rather than the paper makes the edge.
 */
function refitSides(
  corners: readonly Point[],
  boundary: readonly Point[],
  w: number,
  h: number,
): Point[] | null {
  const lines: Line[] = [];
  for (let s = 0; s < 4; s++) {
    const a = corners[s]!;
    const b = corners[(s + 1) % 4]!;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 4) return null;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    const tol = Math.max(2, len * 0.03);
    const along: Point[] = [];
    for (const p of boundary) {
      if (p[0] === 0 || p[1] === 0 || p[0] === w - 1 || p[1] === h - 1) continue;
      const dx = p[0] - a[0];
      const dy = p[1] - a[1];
      const t = dx * ux + dy * uy;
      const d = Math.abs(dx * uy - dy * ux);
      if (t > len * 0.1 && t < len * 0.9 && d <= tol) along.push(p);
    }
    // Too few points (the side runs along the frame): keep the hull's side.
    const fit = along.length >= len * 0.3 ? fitLine(along) : null;
    if (fit) lines.push(fit);
    else {
      const nx = -uy;
      const ny = ux;
      lines.push({ nx, ny, c: nx * a[0] + ny * a[1] });
    }
  }
  const out: Point[] = [];
  for (let s = 0; s < 4; s++) {
    const p = meet(lines[(s + 3) % 4]!, lines[s]!);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

function orderClockwise(pts: readonly Point[]): Quad {
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  // Image y points down, so increasing atan2 runs clockwise on screen.
  const sorted = [...pts].sort((a, b) => Math.atan2(a[1] - cy, a[0] - cx) - Math.atan2(b[1] - cy, b[0] - cx));
  let start = 0;
  for (let i = 1; i < 4; i++)
    if (sorted[i]![0] + sorted[i]![1] < sorted[start]![0] + sorted[start]![1]) start = i;
  return [0, 1, 2, 3].map((k) => sorted[(start + k) % 4]!) as unknown as Quad;
}

function isConvex(q: Quad): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const c = cross(q[i]!, q[(i + 1) % 4]!, q[(i + 2) % 4]!);
    const s = Math.sign(c);
    if (s === 0) return false;
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return true;
}

function angleAt(a: Point, b: Point, c: Point): number {
  const v1x = a[0] - b[0];
  const v1y = a[1] - b[1];
  const v2x = c[0] - b[0];
  const v2y = c[1] - b[1];
  const cos = (v1x * v2x + v1y * v2y) / (Math.hypot(v1x, v1y) * Math.hypot(v2x, v2y));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}
