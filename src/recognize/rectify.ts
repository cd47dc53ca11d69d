import { skewAngle, unskew } from './deskew.js';
import type { Gray, Mask } from './gray.js';
import { resampleQuad, type Point, type Quad } from './homography.js';
import { pageRegion, sheetBlobs } from './page-region.js';
import { sheetQuad } from './sheet-quad.js';
import { workingScale } from './working-size.js';

/** A page as the recognizer reads it, and the way back to the decoded image's pixels. */
export interface Rectified {
  readonly bright: Gray;
  /** Map a point of `bright` back to the decoded image. */
  readonly toPage: (p: Point) => Point;
  /** The sheet's corners in the decoded image, when the page was a photographed sheet. */
  readonly sheet: Quad | null;
  /**
   * Where the paper is in `bright`: all of it for a rectified sheet; for a page read as it
   * is, the sheets found (null when none stood out: a scan).
   */
  readonly region: Mask | null;
  /**
   * The page's edges are the paper's, not the frame's (see `inFullView`): a table reaching
   * them is not cut off by the camera.
   */
  readonly paperEdges: boolean;
}

/**
 * How far a sheet's corners must stay from the frame to be in full view, as a share of the
 * image's long side: sheets are outlined on a copy 8 times smaller (`sheetBlobs`), so a
 * sheet running out of the picture can have its corners a few pixels inside the frame.
 */
const FRAME_MARGIN = 0.01;

/**
 * Flatten photographed sheets: when the photo shows whole sheets of paper (a page, or
 * two or three slips side by side) as quadrilaterals against their surroundings,
 * resample each into an upright rectangle, read as a page of its own. Perspective and rotation by any angle are undone before the table search,
 * which then only has to cope with what is left (a slightly curved sheet, a few
 * degrees). A scan, or a photo without a clear sheet edge, passes through unchanged.
 */
export function rectifySheets(bright: Gray, longSide: number): Rectified[] {
  const blobs = sheetBlobs(bright);
  if (blobs.length === 0) return [asItIs(bright, blobs)];
  const quads = blobs.map((b) => sheetQuad(b.mask));
  // Every sheet must be a clean quadrilateral; otherwise read the photo as it is (the
  // page search then masks out what is not paper).
  if (quads.some((q) => q === null)) return [asItIs(bright, blobs)];
  const out: Rectified[] = [];
  for (let i = 0; i < blobs.length; i++) {
    const r = rectifyQuad(bright, quads[i]!, blobs[i]!.factor, longSide);
    if (!r) return [asItIs(bright, blobs)];
    const margin = Math.max(bright.width, bright.height) * FRAME_MARGIN;
    out.push({ ...r, paperEdges: inFullView(r, bright.width, bright.height, margin) });
  }
  return out;
}

/**
 * Whether the edges of a page image are the paper's own and not the frame of the photo or
 * scan: true for a rectified sheet whose corners all lie at least `margin` px inside the
 * decoded image (`width` x `height`). A table reaching the edge of such a page reaches the
 * edge of the paper (a slip cut close round its table; the page stops 1.5% inside the
 * paper's edge, see `rectifyQuad`), and nothing of the ballot lies beyond it; a page read as it is, or a sheet running out of the picture, may have been
 * cut by the camera. Pure.
 */
export function inFullView(
  page: Pick<Rectified, 'sheet'>,
  width: number,
  height: number,
  margin: number,
): boolean {
  if (!page.sheet) return false;
  return page.sheet.every(
    ([x, y]) => x >= margin && y >= margin && x <= width - 1 - margin && y <= height - 1 - margin,
  );
}

/** Below this skew (degrees) a page is read as it is: the table search follows it. */
const MIN_SKEW = 0.5;

/**
 * A page with no sheet to rectify against (a scan, or a photo without clean sheet
 * edges), levelled if its lines are turned (see `skewAngle`).
 */
function asItIs(bright: Gray, blobs: ReturnType<typeof sheetBlobs>): Rectified {
  const deg = skewAngle(bright);
  const level = Math.abs(deg) >= MIN_SKEW ? unskew(bright, deg) : null;
  if (!level)
    return { bright, toPage: (p) => p, sheet: null, region: pageRegion(bright, blobs), paperEdges: false };
  return {
    bright: level.bright,
    toPage: level.toPage,
    sheet: null,
    region: pageRegion(level.bright),
    paperEdges: false,
  };
}

/** Resample one sheet, given by its corners in a mask `f` times smaller than `bright`. */
function rectifyQuad(
  bright: Gray,
  q: Quad,
  f: number,
  longSide: number,
): Omit<Rectified, 'paperEdges'> | null {
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
  const s = workingScale(w, h, longSide);
  w = Math.max(16, Math.round(w * s));
  h = Math.max(16, Math.round(h * s));
  const r = resampleQuad(bright, inset, w, h, 255);
  if (!r) return null;
  return {
    bright: r.image,
    toPage: r.toSource,
    sheet: full,
    region: null,
  };
}
