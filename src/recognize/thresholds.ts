/**
 * Mark decisions from ink scores, with a definite and a marginal threshold
 * (vxsuite): above definite is a mark, below marginal is empty, in between a person
 * decides. The thresholds adapt to the page (OMRChecker): empty cells on a noisy
 * photocopy score higher than on a clean render, so the noise floor is measured
 * from the cells themselves. Pure.
 */
export interface Thresholds {
  readonly marginal: number;
  readonly definite: number;
  /** Coverage of the inner cell at which a mark is a fill or scribble (a correction). */
  readonly filled: number;
  /** Ink density around the strokes at which a mark is a scribble, not an open tick. */
  readonly dense: number;
  /** Score no open tick reaches: the cell was scribbled or blacked out. */
  readonly scribble: number;
  /** Measured score level of empty cells on this table. */
  readonly noiseFloor: number;
  /**
   * The most a noise floor can be. Empty cells score 0 on nearly every page (specks are
   * dropped before scoring); a "floor" higher than this is ticks, as on a districts
   * ballot with 5 of its 8 cells ticked, and must not raise the thresholds over them.
   */
  readonly maxNoiseFloor: number;
}

/** What `decide` looks at in one vote cell (see `CellScore`). */
export interface CellEvidence {
  readonly score: number;
  readonly fill: number;
  readonly density?: number;
  readonly crossings?: number;
  readonly extent?: number;
  readonly strokes?: number;
  readonly inside?: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  marginal: 0.012,
  definite: 0.03,
  filled: 0.38,
  dense: 0.6,
  scribble: 0.55,
  noiseFloor: 0,
  maxNoiseFloor: 0.015,
};

/**
 * One open stroke (two where the pen was lifted at the foot) spanning at least 40% of
 * the cell both ways, not dense, crossed at most twice going down: the shape of a tick
 * (or a typed ✓), which grain, a speck, a dash or a blot does not have. Several short
 * streaks (a striped photo) can span the cell together, but they are more strokes than
 * a tick is drawn with.
 */
export function tickShaped(cell: CellEvidence): boolean {
  const { density = 0, crossings = 0, extent = 0, strokes = 1 } = cell;
  return extent >= 0.4 && density > 0 && density <= 0.45 && crossings <= 2 && strokes <= 2;
}

/** The smaller side of a small tick's box, over the cell height (see `smallTickShaped`). */
const MIN_SMALL_TICK = 0.25;

/**
 * A typed ✓, or a small neat tick, in a tall cell: one open stroke crossed once going
 * down, at least a quarter of the cell high both ways, at least half of it in the inner
 * cell (typed text sits against the cell's padding, partly in the border zone). It is
 * smaller than `tickShaped` asks (a ✓ typed at the text's size in a row of 1 cm spans
 * about 0.3 of it), so `decide` counts it only on a page whose empty cells hold no ink.
 * A small ring or cross is crossed twice, a dash or a dot is too small, a sliver of the
 * border lies mostly outside the inner cell. The density bounds are those measured on
 * such ticks (0.17–0.36 of their box inked, typed or drawn in pencil), with some room.
 */
export function smallTickShaped(cell: CellEvidence): boolean {
  const { density = 0, crossings = 0, extent = 0, strokes = 1, inside = 0 } = cell;
  return (
    strokes === 1 &&
    extent >= MIN_SMALL_TICK &&
    density >= 0.15 &&
    density <= 0.45 &&
    crossings === 1 &&
    inside >= 0.5
  );
}

/** Either shape of a tick (see `tickShaped` and `smallTickShaped`). */
export function tickLike(cell: CellEvidence): boolean {
  return tickShaped(cell) || smallTickShaped(cell);
}

export function pageThresholds(
  cells: readonly CellEvidence[],
  base: Thresholds = DEFAULT_THRESHOLDS,
): Thresholds {
  if (cells.length === 0) return base;
  // The floor is what empty cells score on this page. At most maxMarks of the cells are
  // marked and ballots have several times more items, so the lower 40% are empty on a
  // valid ballot. An over-voted one can have ticks there (a districts ballot with 7 of
  // its 8 cells ticked), so cells holding a tick-shaped stroke (large or small) are no
  // witness of the floor.
  const witnesses = cells
    .filter((c) => !(c.score >= base.marginal && tickLike(c)))
    .map((c) => c.score)
    .sort((a, b) => a - b);
  const take = Math.min(witnesses.length, Math.max(1, Math.floor(cells.length * 0.4)));
  const measured = take === 0 ? base.noiseFloor : witnesses[take - 1]!;
  const floor = Math.min(measured, base.maxNoiseFloor);
  const marginal = Math.max(base.marginal, floor * 2 + 0.004);
  const definite = Math.max(base.definite, marginal * 2);
  return { ...base, marginal, definite, noiseFloor: floor };
}

/**
 * The smaller side of a mark's box, over the cell height, under which it is a dash or a
 * dot (the shortest real ticks measured span about 0.17 of a tall cell: those are
 * marginal anyway, below the definite score).
 */
const MIN_MARK_EXTENT = 0.2;

/**
 * Share of a mark's ink that must lie in the inner cell for it to count (see `decide`):
 * a quarter, or a sixth for a mark spanning most of the cell both ways (a big tick
 * spilling into the rows above and below keeps a fifth of its ink inside).
 */
const MIN_INSIDE = 0.25;
const MIN_INSIDE_BIG = 0.15;
const BIG_EXTENT = 0.8;

export type Decision =
  | { readonly decision: 'marked' }
  | { readonly decision: 'unmarked' }
  | { readonly decision: 'uncertain'; readonly note: 'marginal' | 'filled' | 'scribbled' };

export function decide(cell: CellEvidence, t: Thresholds): Decision {
  const { score, fill, density = 0, crossings = 0, extent = 0, inside = 1 } = cell;
  if (fill >= t.filled) return { decision: 'uncertain', note: 'filled' };
  // A zigzag over the cell: a tick struck out, or a scribble meant as one.
  if (score >= t.marginal && crossings >= 3) return { decision: 'uncertain', note: 'scribbled' };
  // Dense ink, or far more ink than a tick has: a scribbled-over or blacked-out mark.
  // A big tick in a small cell (a slip, a narrow vote column) also has a lot of ink,
  // but it is one open stroke that a vertical line crosses once.
  const openStroke = crossings <= 1 && density > 0 && density < 0.3 && fill < 0.3;
  if ((score >= 0.15 && density >= t.dense) || (score >= t.scribble && !openStroke))
    return { decision: 'uncertain', note: 'scribbled' };
  // A dash or a dot: ink enough for a mark but not a tick's shape, which spans a good
  // part of the cell both ways (a streak of a striped photo reads so). A person decides.
  if (score >= t.marginal && extent > 0 && extent < MIN_MARK_EXTENT)
    return { decision: 'uncertain', note: 'marginal' };
  // Most of the ink in the border zone of the cell: a sliver of a rule the line search
  // missed, or a stroke from outside grazing the cell, rather than a tick drawn in it.
  const minInside = extent >= BIG_EXTENT ? MIN_INSIDE_BIG : MIN_INSIDE;
  if (score >= t.marginal && inside < minInside) return { decision: 'uncertain', note: 'marginal' };
  if (score >= t.definite) return { decision: 'marked' };
  // Little ink, but the shape of a tick (`tickShaped`, `smallTickShaped`): a typed ✓ or a
  // fine pen in a tall cell, a mark on a page whose empty cells hold no ink at all (noise
  // floor near 0).
  if (score >= t.marginal && t.noiseFloor <= 0.005 && tickLike(cell)) return { decision: 'marked' };
  if (score >= t.marginal) return { decision: 'uncertain', note: 'marginal' };
  return { decision: 'unmarked' };
}

/**
 * How far a score sits from the nearest decision boundary, 0 (on it) .. 1 (far); with
 * the decision taken, how sure that decision is.
 */
export function decisionMargin(score: number, t: Thresholds, decision?: Decision['decision']): number {
  if (decision === 'uncertain') return 0;
  // A mark taken on its shape below the definite score (see `decide`) is right, but not by much.
  if (decision === 'marked' && score < t.definite) return 0.5;
  if (score >= t.definite) return Math.min(1, (score - t.definite) / t.definite + 0.5);
  if (score < t.marginal) return Math.min(1, (t.marginal - score) / t.marginal);
  return 0;
}
