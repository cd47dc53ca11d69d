import { label } from './components.js';
import type { Mask } from './gray.js';
import type { Box } from './reading.js';

/** A box by its corner pixels, inclusive. */
export interface Span {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** The shape of the part of a stroke that lies in one cell (see `describePart`). */
export interface PartShape {
  /** Pixels of its largest connected piece. */
  readonly main: number;
  /** Pixels of the second largest piece (0 when it is in one piece). */
  readonly second: number;
  /** Box of the largest piece, in the mask's pixels. */
  readonly box: Span;
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

/**
 * Two ticks drawn into each other across a rule (see `touchingTicks`): the stroke has at
 * least PAIR_INK times the ink of one tick on the ballot, each cell at least PART_INK of
 * a tick in its largest piece, and that piece's box at least PART_SPAN of the row height on
 * its smaller side.
 */
const PAIR_INK = 1.6;
const PART_INK = 0.6;
const PART_SPAN = 0.4;
/** Each part is one piece (a second piece under this share of the first: a tip over the rule)... */
const PART_SECOND = 0.3;
/** ... that bends like a tick (see `PartShape.bend`: a very flat tick stays for a person). */
const PART_BEND = 0.03;

/** The strokes around a vote column, as `scoreVoteCells` labels them. */
export interface StrokeMap {
  readonly width: number;
  /** Stroke label per pixel (0: none). */
  readonly labels: Int32Array;
  /** Ink per pixel (1), lines wiped. */
  readonly ink: Uint8Array;
  /** Vote cell per pixel (-1: none). */
  readonly cellAt: Int32Array;
  readonly cells: readonly Box[];
  /** Pixels of the stroke in question inside vote cell q. */
  readonly inCell: (q: number) => number;
}

/**
 * A stroke that is two ticks touching across the rule between two rows (the lower end
 * of one drawn into the top of the next, joined where the rule was wiped): about twice
 * the ink of one tick on this ballot (`tick`), with a tick's worth in each of the two
 * cells, and a part in each that spans a good share of the row both ways. A tick
 * spilling its tip or one arm over the rule has only a small or a thin part beyond it,
 * and stays whole in its own cell (a big part beyond still sends the neighbour to a
 * person). Stroke `l` of `area` pixels in box `c`, given to cell `k`; null when it is
 * not such a pair. Pure.
 */
export function touchingTicks(
  m: StrokeMap,
  l: number,
  k: number,
  c: Span & { readonly area: number },
  tick: number,
): { j: number; otherPx: number; ownBox: Span; otherBox: Span } | null {
  if (c.area < tick * PAIR_INK) return null;
  let j = -1;
  for (let q = 0; q < m.cells.length; q++) {
    if (q === k || !m.inCell(q)) continue;
    if (j >= 0) return null;
    j = q;
  }
  if (j < 0) return null;
  const own = m.inCell(k);
  const other = m.inCell(j);
  if (own < tick * PART_INK || other < tick * PART_INK) return null;
  // Each part, cut off at its cell's border, must be one tick-sized piece that bends:
  // a tick drawn across the rule leaves its two arms apart on one side, and the arm of
  // a tick reaching into the next row is straight.
  const bw = c.x1 - c.x0 + 1;
  const bh = c.y1 - c.y0 + 1;
  const part = (cell: number): PartShape => {
    const mask = new Uint8Array(bw * bh);
    for (let y = c.y0; y <= c.y1; y++) {
      for (let x = c.x0; x <= c.x1; x++) {
        const i = y * m.width + x;
        if (m.labels[i] === l && m.ink[i] && m.cellAt[i] === cell) mask[(y - c.y0) * bw + (x - c.x0)] = 1;
      }
    }
    return describePart({ width: bw, height: bh, data: mask });
  };
  const tickLike = (p: PartShape, cell: Box): boolean =>
    p.main >= tick * PART_INK &&
    p.second < p.main * PART_SECOND &&
    p.bend >= PART_BEND &&
    Math.min(p.box.x1 - p.box.x0 + 1, p.box.y1 - p.box.y0 + 1) >= cell.height * PART_SPAN;
  const ownPart = part(k);
  const otherPart = part(j);
  if (!tickLike(ownPart, m.cells[k]!) || !tickLike(otherPart, m.cells[j]!)) return null;
  const shift = (b: Span): Span => ({ x0: b.x0 + c.x0, y0: b.y0 + c.y0, x1: b.x1 + c.x0, y1: b.y1 + c.y0 });
  return { j, otherPx: other, ownBox: shift(ownPart.box), otherBox: shift(otherPart.box) };
}
