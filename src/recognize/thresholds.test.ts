import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  decide,
  decisionMargin,
  pageThresholds,
  smallTickShaped,
  type CellEvidence,
  type Decision,
} from './thresholds.js';

/** Cells with these scores and no stroke shape measured. */
const cells = (...scores: number[]) => scores.map((score) => ({ score, fill: 0 }));

/** The decision on a cell like `cell`, scoring between the thresholds of a speckled page. */
const onNoisyPage = (cell: CellEvidence): Decision['decision'] => {
  const noisy = pageThresholds(cells(0.01, 0.012, 0.011, 0.01, 0.012, 0.2));
  return decide({ ...cell, score: (noisy.marginal + noisy.definite) / 2 }, noisy).decision;
};

describe('thresholds', () => {
  it('decides marked, unmarked and marginal around the definite and marginal thresholds', () => {
    const t = DEFAULT_THRESHOLDS;
    expect(decide({ score: 0.12, fill: 0.1 }, t)).toEqual({ decision: 'marked' });
    expect(decide({ score: 0, fill: 0 }, t)).toEqual({ decision: 'unmarked' });
    expect(decide({ score: (t.marginal + t.definite) / 2, fill: 0.02 }, t)).toEqual({
      decision: 'uncertain',
      note: 'marginal',
    });
  });

  it('sends a dash with enough ink for a mark to a person, not into the count', () => {
    // Measured on a striped photo: one flat streak across a blank cell, 0.15 of the cell high.
    const streak = { score: 0.067, fill: 0.16, density: 0, crossings: 0, extent: 0.15 };
    expect(decide(streak, DEFAULT_THRESHOLDS)).toEqual({ decision: 'uncertain', note: 'marginal' });
    expect(decide({ ...streak, extent: 0.5 }, DEFAULT_THRESHOLDS)).toEqual({ decision: 'marked' });
  });

  it('sends ink lying mostly in the border zone of the cell to a person', () => {
    // Measured on a shadowed striped photo: a sliver of a warped rule, 1 px in 6.5 inside.
    const sliver = { score: 0.0398, fill: 0.005, density: 0.34, crossings: 2, extent: 0.35, inside: 0.155 };
    expect(decide(sliver, DEFAULT_THRESHOLDS)).toEqual({ decision: 'uncertain', note: 'marginal' });
    expect(decide({ ...sliver, inside: 0.6 }, DEFAULT_THRESHOLDS)).toEqual({ decision: 'marked' });
    // A big tick spilling into the rows above and below keeps a fifth of its ink inside.
    const bigTick = { score: 0.5, fill: 0.11, density: 0.16, crossings: 1, extent: 1.42, inside: 0.22 };
    expect(decide(bigTick, DEFAULT_THRESHOLDS)).toEqual({ decision: 'marked' });
    expect(decide({ ...bigTick, inside: 0.1 }, DEFAULT_THRESHOLDS).decision).toBe('uncertain');
  });

  it('takes several streaks spanning a cell together for no tick shape', () => {
    // Little ink, the whole cell spanned, but by six strokes: not a tick drawn with a fine pen.
    const streaks = { score: 0.02, fill: 0.04, density: 0.06, crossings: 2, extent: 0.5, strokes: 6 };
    expect(decide(streaks, DEFAULT_THRESHOLDS)).toEqual({ decision: 'uncertain', note: 'marginal' });
    expect(decide({ ...streaks, strokes: 1 }, DEFAULT_THRESHOLDS)).toEqual({ decision: 'marked' });
  });

  it('sends a cell filled solid to a person as a correction', () => {
    expect(decide({ score: 0.7, fill: 0.8 }, DEFAULT_THRESHOLDS)).toEqual({
      decision: 'uncertain',
      note: 'filled',
    });
  });

  it('raises the thresholds above the noise floor of a speckled page', () => {
    const noisy = [0.015, 0.016, 0.014, 0.017, 0.015, 0.016, 0.2, 0.18];
    const t = pageThresholds(cells(...noisy));
    expect(t.marginal).toBeGreaterThan(0.017);
    expect(decide({ score: 0.017, fill: 0.02 }, t).decision).toBe('unmarked');
    expect(decide({ score: 0.18, fill: 0.15 }, t).decision).toBe('marked');
  });

  it('does not take the ticks of an over-voted ballot for its noise floor', () => {
    // A districts ballot with 6 of its 8 cells ticked: the lower 40% are ticks.
    const t = pageThresholds(cells(0, 0, 0.1, 0.12, 0.13, 0.15, 0.36, 0.38));
    expect(t.noiseFloor).toBe(DEFAULT_THRESHOLDS.maxNoiseFloor);
    for (const score of [0.1, 0.12, 0.13]) expect(decide({ score, fill: 0 }, t).decision).toBe('marked');
  });

  it('measures the noise floor without the tick-shaped strokes of an over-voted ballot', () => {
    // A districts ballot with 7 of its 8 cells ticked with a fine pen: the floor is the
    // one empty cell, so the ticks are marks and the ballot is found over-voted.
    const tick = { score: 0.05, fill: 0.02, density: 0.3, crossings: 1, extent: 0.5 };
    const t = pageThresholds([...Array.from({ length: 7 }, () => tick), { score: 0, fill: 0 }]);
    expect(t.noiseFloor).toBe(0);
    expect(decide(tick, t)).toEqual({ decision: 'marked' });
    // Grain in every cell is no tick: it still raises the floor.
    const grain = { score: 0.014, fill: 0.01, density: 0.5, crossings: 0, extent: 0.1 };
    expect(pageThresholds(Array.from({ length: 8 }, () => grain)).noiseFloor).toBe(0.014);
  });

  it('takes a faint stroke with the shape of a tick as a mark on a page without noise, and a dot or a blob not', () => {
    const t = pageThresholds(cells(0, 0, 0, 0, 0, 0.02));
    const faint = (t.marginal + t.definite) / 2;
    const tick = { score: faint, fill: 0.01, density: 0.3, crossings: 1, extent: 0.5 };
    expect(decide(tick, t)).toEqual({ decision: 'marked' });
    expect(decide({ ...tick, extent: 0.2 }, t).decision).toBe('uncertain');
    expect(decide({ ...tick, density: 0.7 }, t).decision).toBe('uncertain');
    expect(decide({ ...tick, crossings: 3 }, t).decision).toBe('uncertain');
    // On a speckled page the same stroke is for a person.
    expect(onNoisyPage(tick)).toBe('uncertain');
  });

  it('takes a small typed ✓ in a tall cell for a mark on a page without noise, and a small ring, a blot or a graze not', () => {
    // Measured on a scanned ballot with ✓ typed at the text's size (score 0.02, 0.29 of the cell high).
    const glyph = {
      score: 0.02,
      fill: 0.02,
      density: 0.33,
      crossings: 1,
      extent: 0.29,
      strokes: 1,
      inside: 1,
    };
    expect(smallTickShaped(glyph)).toBe(true);
    const t = pageThresholds([...cells(0, 0, 0, 0, 0, 0, 0), glyph]);
    expect(decide(glyph, t)).toEqual({ decision: 'marked' });
    expect(decide({ ...glyph, crossings: 2 }, t).decision).toBe('uncertain');
    expect(decide({ ...glyph, density: 0.6 }, t).decision).toBe('uncertain');
    expect(decide({ ...glyph, inside: 0.4 }, t).decision).toBe('uncertain');
    expect(decide({ ...glyph, strokes: 2 }, t).decision).toBe('uncertain');
    expect(decide({ ...glyph, extent: 0.22 }, t).decision).toBe('uncertain');
    // On a speckled page the same glyph is for a person.
    expect(onNoisyPage(glyph)).toBe('uncertain');
  });

  it('does not take typed ✓ glyphs in most cells of an over-voted ballot for its noise floor', () => {
    const glyph = {
      score: 0.04,
      fill: 0.02,
      density: 0.33,
      crossings: 1,
      extent: 0.33,
      strokes: 1,
      inside: 1,
    };
    const t = pageThresholds([...Array.from({ length: 6 }, () => glyph), ...cells(0, 0)]);
    expect(t.noiseFloor).toBe(0);
    expect(decide(glyph, t)).toEqual({ decision: 'marked' });
  });

  it('takes a big open tick in a small cell for a mark, and a dense or crossed one for a correction', () => {
    const t = DEFAULT_THRESHOLDS;
    // Measured on a photocopied slip: one stroke, crossed once going down, 0.7 of the cell's ink.
    const big = { score: 0.7, fill: 0.23, density: 0.22, crossings: 1 };
    expect(decide(big, t)).toEqual({ decision: 'marked' });
    expect(decide({ ...big, crossings: 3 }, t)).toEqual({ decision: 'uncertain', note: 'scribbled' });
    expect(decide({ ...big, density: 0.35 }, t)).toEqual({ decision: 'uncertain', note: 'scribbled' });
    // A bold pen: dense for a tick, not a blot.
    expect(decide({ score: 0.26, fill: 0.07, density: 0.55, crossings: 1 }, t)).toEqual({
      decision: 'marked',
    });
    expect(decide({ score: 0.26, fill: 0.2, density: 0.75, crossings: 1 }, t)).toEqual({
      decision: 'uncertain',
      note: 'scribbled',
    });
  });

  it('keeps the defaults on a clean page', () => {
    expect(pageThresholds(cells(0, 0, 0, 0, 0.15))).toMatchObject({
      marginal: DEFAULT_THRESHOLDS.marginal,
      definite: DEFAULT_THRESHOLDS.definite,
    });
  });

  it('gives no margin on the boundary and a full margin far from it', () => {
    expect(decisionMargin(DEFAULT_THRESHOLDS.marginal * 1.5, DEFAULT_THRESHOLDS)).toBe(0);
    expect(decisionMargin(0, DEFAULT_THRESHOLDS)).toBe(1);
    expect(decisionMargin(0.2, DEFAULT_THRESHOLDS)).toBe(1);
    // With the decision: an uncertain cell has no margin, a mark taken on its shape half.
    expect(decisionMargin(0.2, DEFAULT_THRESHOLDS, 'uncertain')).toBe(0);
    expect(decisionMargin(DEFAULT_THRESHOLDS.marginal * 1.5, DEFAULT_THRESHOLDS, 'marked')).toBe(0.5);
  });
});
