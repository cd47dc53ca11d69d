import { label } from './components.js';
import { crop, type Gray, type Mask } from './gray.js';
import type { Box } from './reading.js';
import { touchingTicks } from './tick-part.js';

export interface CellScore {
  /** Ink of the mark strokes attributed to the cell, per unit of inner cell area. */
  readonly score: number;
  /** Fraction of the inner cell covered by ink: near 1 for a cell filled solid. */
  readonly fill: number;
  /** Strokes attributed to the cell. */
  readonly strokes: number;
  /** Some of the attributed ink lies outside the cell (a tick over the border). */
  readonly spills: boolean;
  /**
   * Ink per area of the box around the attributed strokes: a tick is an open shape
   * (low), a scribble or a fill is dense (high).
   */
  readonly density: number;
  /**
   * Ink of strokes that lie partly in the cell but were not given to it (too much of
   * them elsewhere), per unit of mark area. A tick the attribution rules could not
   * place must not vanish: enough of it sends the cell to a person.
   */
  readonly strayScore: number;
  /** Ink of strokes given to another cell that lies inside this cell's inner box, per unit of mark area. */
  readonly spillInScore: number;
  /**
   * How many strokes a vertical line through the mark crosses (upper quartile over its
   * columns): one or two for a tick or a cross, three and more for a zigzag scribble
   * over a tick, whatever the pen's width.
   */
  readonly crossings: number;
  /**
   * The smaller side of the box around one attributed stroke (the largest such side of
   * them), over the inner cell's height (0 without strokes): a tick, however thin its
   * line, spans a good part of the cell both ways; a dot or a dash does not, nor do a few
   * dashes together (the streaks of a striped photo).
   */
  readonly extent: number;
  /**
   * Share of the counted ink that lies in the inner cell, away from its border (0
   * without strokes): a tick is drawn in the cell, most of it inside even when it
   * spills; a sliver of a rule or a stroke from outside merely grazes it.
   */
  readonly inside: number;
}

export interface MarkScoring {
  readonly cells: readonly CellScore[];
  /** Ink strokes touching a vote cell but attributed to none (mostly outside the vote column). */
  readonly strayStrokes: number;
  /** Straight slivers along cell borders that were taken for ruling and ignored. */
  readonly lineResidues: number;
}

/**
 * A stroke with fewer than a tenth of its pixels this much darker than the mark level
 * is faint (measured on the committed fixtures: shadow edges and smudges reach 0 to 1
 * above the level, the faintest real ticks, pencil in a blurred photo, 16).
 */
const FAINT_MARGIN = 8;

/** The inner part of a cell, away from its ruled border. */
export function innerBox(b: Box, shrink = 0.14): Box {
  const dx = Math.max(2, Math.round(b.width * shrink));
  const dy = Math.max(2, Math.round(b.height * shrink));
  return {
    x: b.x + dx,
    y: b.y + dy,
    width: Math.max(1, b.width - 2 * dx),
    height: Math.max(1, b.height - 2 * dy),
  };
}

/**
 * Score every vote cell by the ink strokes that belong to it. Table lines are removed
 * first; then each connected stroke is given whole to the vote cell holding the
 * largest share of it, so a big tick crossing into the next row marks only its own
 * row, and a stroke lying mostly in the name column (a dot, a note, a signature
 * tail) marks nothing.
 */
export function scoreVoteCells(
  dark: Gray,
  lines: Mask,
  cells: readonly Box[],
  level: number,
  rowHeight: number,
): MarkScoring {
  const { width: w, height: h } = dark;
  // Only ink near the vote column matters: strokes are followed a row height beyond
  // each vote cell, enough to see where a spilling tick really sits.
  const ink = new Uint8Array(w * h);
  const band = new Uint8Array(w * h);
  const reach = Math.round(rowHeight);
  for (const b of cells) {
    const x0 = Math.max(0, Math.floor(b.x - reach));
    const x1 = Math.min(w, Math.ceil(b.x + b.width + reach));
    const y0 = Math.max(0, Math.floor(b.y - reach));
    const y1 = Math.min(h, Math.ceil(b.y + b.height + reach));
    for (let y = y0; y < y1; y++) {
      for (let x = x0, i = y * w + x0; x < x1; x++, i++) {
        ink[i] = dark.data[i]! >= level && !lines.data[i] ? 1 : 0;
        band[i] = 1;
      }
    }
  }
  // A tick drawn across a ruled line is cut in two when the line is wiped; join the
  // pieces again where ink continues on both sides of the line, so the spilled part
  // stays with its tick instead of marking the neighbouring cell.
  const reach2 = Math.max(10, Math.round(rowHeight * 0.3));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!band[i] || !lines.data[i] || dark.data[i]! < level) continue;
      let up = -1;
      for (let d = 1; d <= reach2 && y - d >= 0; d++) {
        if (!lines.data[i - d * w]) {
          up = i - d * w;
          break;
        }
      }
      let dn = -1;
      for (let d = 1; d <= reach2 && y + d < h; d++) {
        if (!lines.data[i + d * w]) {
          dn = i + d * w;
          break;
        }
      }
      // A slanted stroke leaves the line a little to the side: look a few pixels either way.
      const near = (j: number, step: number): boolean => {
        for (let d = -3; d <= 3; d++) if (ink[j + d * step] === 1) return true;
        return false;
      };
      if (up >= 0 && dn >= 0 && x >= 3 && x < w - 3 && near(up, 1) && near(dn, 1)) {
        ink[i] = 2;
        continue;
      }
      let lf = -1;
      for (let d = 1; d <= reach2 && x - d >= 0; d++) {
        if (!lines.data[i - d]) {
          lf = i - d;
          break;
        }
      }
      let rt = -1;
      for (let d = 1; d <= reach2 && x + d < w; d++) {
        if (!lines.data[i + d]) {
          rt = i + d;
          break;
        }
      }
      if (lf >= 0 && rt >= 0 && y >= 3 && y < h - 3 && near(lf, w) && near(rt, w)) ink[i] = 2;
    }
  }
  for (let i = 0; i < ink.length; i++) if (ink[i] === 2) ink[i] = 1;
  const cellAt = new Int32Array(w * h).fill(-1);
  const inner = cells.map((b) => innerBox(b));
  cells.forEach((b, k) => {
    for (let y = Math.max(0, Math.floor(b.y)); y < Math.min(h, Math.ceil(b.y + b.height)); y++) {
      for (let x = Math.max(0, Math.floor(b.x)); x < Math.min(w, Math.ceil(b.x + b.width)); x++)
        cellAt[y * w + x] = k;
    }
  });
  const raw = label({ width: w, height: h, data: ink });
  // Pieces of one tick that a horizontal rule cuts apart (its pixels are wiped from the
  // ink) are one stroke: a piece ending just above a rule joins a piece starting just
  // below it a little to either side, as a slanted stroke crosses a thick rule. The
  // joining above only bridges where the stroke itself crosses; this one bridges the
  // slant too.
  const parent = new Int32Array(raw.components.length + 1).map((_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const side = Math.max(3, Math.round(rowHeight * 0.2));
  for (let x = 0; x < w; x++) {
    let y = 0;
    while (y < h) {
      const i = y * w + x;
      if (!lines.data[i] || !band[i]) {
        y++;
        continue;
      }
      const y0 = y;
      while (y < h && lines.data[y * w + x]) y++;
      // A rule crossed across its thickness; a long run is a vertical rule, not crossed here.
      if (y - y0 > reach2 || y0 === 0 || y >= h) continue;
      let above = 0;
      let below = 0;
      for (let d = 0; d <= side && !(above && below); d++) {
        for (const xx of d === 0 ? [x] : [x - d, x + d]) {
          if (xx < 0 || xx >= w) continue;
          if (!above) above = raw.labels[(y0 - 1) * w + xx]!;
          if (!below) below = raw.labels[y * w + xx]!;
        }
      }
      if (above && below) {
        const ra = find(above);
        const rb = find(below);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const merged = new Map<number, { area: number; x0: number; y0: number; x1: number; y1: number }>();
  raw.components.forEach((c) => {
    const r = find(c.label);
    const m = merged.get(r);
    if (!m) merged.set(r, { area: c.area, x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 });
    else {
      m.area += c.area;
      m.x0 = Math.min(m.x0, c.x0);
      m.y0 = Math.min(m.y0, c.y0);
      m.x1 = Math.max(m.x1, c.x1);
      m.y1 = Math.max(m.y1, c.y1);
    }
  });
  // Every label's stroke, resolved once (not once per pixel).
  const nLabels = raw.components.length;
  const root = new Int32Array(nLabels + 1);
  for (let l = 1; l <= nLabels; l++) root[l] = find(l);
  const labels = new Int32Array(raw.labels.length);
  for (let i = 0; i < labels.length; i++) labels[i] = root[raw.labels[i]!]!;
  const lab = { labels, stroke: (l: number) => merged.get(l)! };
  // Ink of stroke l in cell k (and in its inner box) at [l * nc + k]: typed arrays, as
  // this is counted once per ink pixel.
  const nc = cells.length + 1;
  const inCellArr = new Int32Array((nLabels + 1) * nc);
  const innerArr = new Int32Array((nLabels + 1) * nc);
  // Pixels of each stroke clearly darker than the mark level (see `FAINT_MARGIN`).
  const strong = new Int32Array(nLabels + 1);
  const strongLevel = level + FAINT_MARGIN;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!ink[i]) continue;
      const l = labels[i]!;
      if (!l) continue;
      if (dark.data[i]! >= strongLevel) strong[l]!++;
      const k = cellAt[i]!;
      if (k < 0) continue;
      const key = l * nc + k;
      inCellArr[key]!++;
      const b = inner[k]!;
      if (x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) innerArr[key]!++;
    }
  }
  // For each stroke, its best cell (the first, top, on a tie).
  const best = new Map<number, { k: number; count: number }>();
  for (let l = 1; l <= nLabels; l++) {
    if (root[l] !== l) continue;
    let bk = -1;
    let bc = 0;
    for (let k = 0; k < cells.length; k++) {
      const c = inCellArr[l * nc + k]!;
      if (c > bc) {
        bc = c;
        bk = k;
      }
    }
    if (bk >= 0) best.set(l, { k: bk, count: bc });
  }
  const ink2 = new Float64Array(cells.length);
  const strayInk = new Float64Array(cells.length);
  const overInk = new Float64Array(cells.length);
  const spilling: { l: number; k: number; area: number }[] = [];
  const strokes = new Int32Array(cells.length);
  // The strokes counted for each cell: only they are crossed in `strokeCrossings`.
  const owned = cells.map(() => new Set<number>());
  // The largest smaller side of any one stroke counted for each cell (see `extent`).
  const bigSide = new Float64Array(cells.length);
  // Ink of the counted strokes inside each cell's inner box (see `inside`).
  const innerInk = new Float64Array(cells.length);
  const spills = new Uint8Array(cells.length);
  const boxes = cells.map(() => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }));
  let stray = 0;
  let residues = 0;
  const minSpan = Math.max(3, rowHeight * 0.18);
  // Ink of a stroke not counted anywhere, inside the inner part of any vote cell it
  // crosses, makes that cell doubtful: it may be a tick joined to something else.
  const addStray = (l: number): void => {
    for (let j = 0; j < cells.length; j++) strayInk[j]! += innerArr[l * nc + j]!;
  };
  /** What a stroke is, before any of it is counted (see the cases below). */
  const classify = (l: number, k: number, count: number): 'speck' | 'residue' | 'stray' | 'mark' => {
    const c = lab.stroke(l);
    const span = Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
    // Specks (photocopy dust, JPEG noise) are too small to be a tick.
    if (span < minSpan) return 'speck';
    // Nowhere darker than the mark level by the faint margin: paper texture, a streak or
    // the soft edge of a shadow. The faintest real tick measured (pencil in a blurred
    // photo) has a core well past that margin, so this is no mark and no doubt either.
    if (strong[l] === 0) return 'speck';
    // A straight sliver along the cell is ruling the line search missed (a faint or
    // broken border, a photocopy edge), not a tick: ticks bend.
    const cw = c.x1 - c.x0 + 1;
    const ch = c.y1 - c.y0 + 1;
    const cell = cells[k]!;
    if (
      (cw <= Math.max(3, ch * 0.12) && ch >= cell.height * 0.55) ||
      (ch <= Math.max(3, cw * 0.12) && cw >= cell.width * 0.55)
    ) {
      return 'residue';
    }
    const innerPx = innerArr[l * nc + k]!;
    if (count < c.area * 0.35 || innerPx < c.area * 0.12) return 'stray';
    // Hardly darker anywhere than the mark level: the soft edge of a shadow or a
    // smudge, which a pen never draws (even light pencil has a darker core). It is
    // not counted as a mark, but it is not ignored either: a person looks.
    if (strong[l]! < c.area * 0.1) return 'stray';
    return 'mark';
  };
  const kinds = new Map<number, ReturnType<typeof classify>>();
  for (const [l, { k, count }] of best) kinds.set(l, classify(l, k, count));
  // The size of one tick on this ballot: the median mark stroke lying wholly in one cell.
  const whole = [...best]
    .filter(([l, { count }]) => kinds.get(l) === 'mark' && count === lab.stroke(l).area)
    .map(([l]) => lab.stroke(l).area)
    .sort((a, b) => a - b);
  const oneTick = whole.length >= 2 ? whole[Math.floor(whole.length / 2)]! : null;
  const addBox = (k: number, b: { x0: number; y0: number; x1: number; y1: number }): void => {
    bigSide[k] = Math.max(bigSide[k]!, Math.min(b.x1 - b.x0 + 1, b.y1 - b.y0 + 1));
    const bb = boxes[k]!;
    bb.x0 = Math.min(bb.x0, b.x0);
    bb.y0 = Math.min(bb.y0, b.y0);
    bb.x1 = Math.max(bb.x1, b.x1);
    bb.y1 = Math.max(bb.y1, b.y1);
  };
  for (const [l, { k, count }] of best) {
    const kind = kinds.get(l)!;
    if (kind === 'speck') continue;
    if (kind === 'residue') {
      residues++;
      // A sliver along the border stays out of the inner cell; one lying across it may
      // be a bent rule with a tick on it, and is for a person to judge.
      addStray(l);
      continue;
    }
    if (kind === 'stray') {
      stray++;
      addStray(l);
      continue;
    }
    const c = lab.stroke(l);
    const pair =
      count < c.area && oneTick !== null
        ? touchingTicks(
            { width: w, labels, ink, cellAt, cells, inCell: (q) => inCellArr[l * nc + q]! },
            l,
            k,
            c,
            oneTick,
          )
        : null;
    if (pair) {
      // Two ticks in neighbouring rows drawn into each other: each row gets its own.
      ink2[k]! += c.area - pair.otherPx;
      ink2[pair.j]! += pair.otherPx;
      innerInk[k]! += innerArr[l * nc + k]!;
      innerInk[pair.j]! += innerArr[l * nc + pair.j]!;
      strokes[k]!++;
      strokes[pair.j]!++;
      owned[k]!.add(l);
      owned[pair.j]!.add(l);
      addBox(k, pair.ownBox);
      addBox(pair.j, pair.otherBox);
      continue;
    }
    ink2[k]! += c.area;
    innerInk[k]! += innerArr[l * nc + k]!;
    strokes[k]!++;
    owned[k]!.add(l);
    addBox(k, c);
    if (count < c.area) {
      spills[k] = 1;
      spilling.push({ l, k, area: c.area });
    }
  }
  // The part of a spilling stroke inside other vote cells. The tip of a tick reaching
  // over the rule is a small part of it; a part as big as a good share of a tick (of the
  // ticks on this very ballot) or a third of the stroke is rather a second tick drawn in
  // the next row and touching this one, which a person must see.
  const tickInk = ink2.filter((v, k) => v > 0 && strokes[k]! > 0).sort((a, b) => a - b);
  const typicalTick = tickInk.length ? tickInk[Math.floor(tickInk.length / 2)]! : Infinity;
  for (const { l, k, area } of spilling) {
    for (let j = 0; j < cells.length; j++) {
      if (j === k) continue;
      const px = innerArr[l * nc + j];
      if (px && px >= Math.min(area * 0.3, typicalTick * 0.35)) overInk[j]! += px;
      else {
        // A tick drawn across the rule, a good third of it on each side: whose row it
        // is, is for a person to say.
        const inJ = inCellArr[l * nc + j]!;
        if (inJ >= area * 0.35) overInk[j]! += inJ;
      }
    }
  }
  const out: CellScore[] = cells.map((_, k) => {
    const b = inner[k]!;
    // Whole pixels: cell boxes come from the ruling at fractional positions, and a
    // fractional index into a typed array reads undefined (no ink at all).
    const fx0 = Math.max(0, Math.round(b.x));
    const fy0 = Math.max(0, Math.round(b.y));
    const fx1 = Math.min(w, Math.round(b.x + b.width));
    const fy1 = Math.min(h, Math.round(b.y + b.height));
    let filled = 0;
    for (let y = fy0; y < fy1; y++) {
      for (let x = fx0; x < fx1; x++) if (dark.data[y * w + x]! >= level) filled++;
    }
    const area = Math.max(1, (fx1 - fx0) * (fy1 - fy0));
    // A tick is drawn about as big as the row is high, whatever the width of the vote
    // column, so its ink is measured against a square-ish part of the cell.
    const markArea = b.height * Math.min(b.width, b.height * 1.5);
    const bb = boxes[k]!;
    const bbArea = bb.x1 >= bb.x0 ? (bb.x1 - bb.x0 + 1) * (bb.y1 - bb.y0 + 1) : 0;
    const bbSmall = bb.x1 - bb.x0 + 1 < b.height * 0.25 || bb.y1 - bb.y0 + 1 < b.height * 0.25;
    return {
      score: ink2[k]! / markArea,
      inside: ink2[k]! > 0 ? innerInk[k]! / ink2[k]! : 0,
      fill: filled / area,
      strokes: strokes[k]!,
      spills: spills[k] === 1,
      density: bbArea > 0 && !bbSmall ? ink2[k]! / bbArea : 0,
      strayScore: strayInk[k]! / markArea,
      spillInScore: overInk[k]! / markArea,
      crossings: bbArea > 0 && !bbSmall ? strokeCrossings(labels, owned[k]!, w, bb) : 0,
      extent: bigSide[k]! / b.height,
    };
  });
  return { cells: out, strayStrokes: stray, lineResidues: residues };
}

/**
 * `scoreVoteCells` for each vote column on its own (`column[k]` names the column of
 * cell k): a column and a row height around it is all the ink a tick in it can reach,
 * and a few narrow strips are much less to search than the whole table.
 */
export function scoreVoteColumns(
  dark: Gray,
  lines: Mask,
  cells: readonly Box[],
  column: readonly number[],
  level: number,
  rowHeight: number,
): MarkScoring {
  const out: CellScore[] = new Array<CellScore>(cells.length);
  let strayStrokes = 0;
  let lineResidues = 0;
  const pad = Math.ceil(rowHeight) + 2;
  for (const col of new Set(column)) {
    const idx = cells.map((_, k) => k).filter((k) => column[k] === col);
    const x0 = Math.max(0, Math.floor(Math.min(...idx.map((k) => cells[k]!.x))) - pad);
    const y0 = Math.max(0, Math.floor(Math.min(...idx.map((k) => cells[k]!.y))) - pad);
    const x1 = Math.min(
      dark.width,
      Math.ceil(Math.max(...idx.map((k) => cells[k]!.x + cells[k]!.width))) + pad,
    );
    const y1 = Math.min(
      dark.height,
      Math.ceil(Math.max(...idx.map((k) => cells[k]!.y + cells[k]!.height))) + pad,
    );
    const r = scoreVoteCells(
      crop(dark, x0, y0, x1 - x0, y1 - y0),
      crop(lines, x0, y0, x1 - x0, y1 - y0),
      idx.map((k) => ({ ...cells[k]!, x: cells[k]!.x - x0, y: cells[k]!.y - y0 })),
      level,
      rowHeight,
    );
    idx.forEach((k, j) => (out[k] = r.cells[j]!));
    strayStrokes += r.strayStrokes;
    lineResidues += r.lineResidues;
  }
  return { cells: out, strayStrokes, lineResidues };
}

/**
 * Upper quartile, over the columns of `bb`, of the number of separate runs of the cell's own
 * strokes (`own`, labels of `labels`) met going down the column. Other ink in the box (the
 * frayed edge of a rule the tick crosses, a neighbour's stroke) is not the mark's and does
 * not count.
 */
function strokeCrossings(
  labels: Int32Array,
  own: ReadonlySet<number>,
  w: number,
  bb: { x0: number; y0: number; x1: number; y1: number },
): number {
  const counts: number[] = [];
  for (let x = bb.x0; x <= bb.x1; x++) {
    let runs = 0;
    let gap = 2;
    for (let y = bb.y0; y <= bb.y1; y++) {
      if (own.has(labels[y * w + x]!)) {
        // A run counts when at least 2 px of paper separate it from the previous one.
        if (gap >= 2) runs++;
        gap = 0;
      } else gap++;
    }
    counts.push(runs);
  }
  counts.sort((a, b) => a - b);
  return counts[Math.floor(counts.length * 0.75)] ?? 0;
}
