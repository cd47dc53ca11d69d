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
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  marginal: 0.012,
  definite: 0.03,
  filled: 0.38,
  dense: 0.5,
  scribble: 0.55,
  noiseFloor: 0,
};

export function pageThresholds(scores: readonly number[], base: Thresholds = DEFAULT_THRESHOLDS): Thresholds {
  if (scores.length === 0) return base;
  const sorted = [...scores].sort((a, b) => a - b);
  // At most maxMarks of the cells are marked and ballots have several times more items,
  // so the lower 40% are empty cells on any valid ballot.
  const lower = sorted.slice(0, Math.max(1, Math.floor(sorted.length * 0.4)));
  const floor = lower[lower.length - 1]!;
  const marginal = Math.max(base.marginal, floor * 2 + 0.004);
  const definite = Math.max(base.definite, marginal * 2);
  return { ...base, marginal, definite, noiseFloor: floor };
}

export type Decision =
  | { readonly decision: 'marked' }
  | { readonly decision: 'unmarked' }
  | { readonly decision: 'uncertain'; readonly note: 'marginal' | 'filled' | 'scribbled' };

export function decide(score: number, fill: number, t: Thresholds, density = 0, crossings = 0): Decision {
  if (fill >= t.filled) return { decision: 'uncertain', note: 'filled' };
  // A zigzag over the cell: a tick struck out, or a scribble meant as one.
  if (score >= t.marginal && crossings >= 3) return { decision: 'uncertain', note: 'scribbled' };
  // Dense ink, or far more ink than any tick has: a scribbled-over or blacked-out mark.
  if ((score >= 0.15 && density >= t.dense) || score >= t.scribble)
    return { decision: 'uncertain', note: 'scribbled' };
  if (score >= t.definite) return { decision: 'marked' };
  if (score >= t.marginal) return { decision: 'uncertain', note: 'marginal' };
  return { decision: 'unmarked' };
}

/** How far a score sits from the nearest decision boundary, 0 (on it) .. 1 (far). */
export function decisionMargin(score: number, t: Thresholds): number {
  if (score >= t.definite) return Math.min(1, (score - t.definite) / t.definite + 0.5);
  if (score < t.marginal) return Math.min(1, (t.marginal - score) / t.marginal);
  return 0;
}
