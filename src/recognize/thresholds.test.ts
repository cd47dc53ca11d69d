import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, decide, decisionMargin, pageThresholds } from './thresholds.js';

describe('thresholds', () => {
  it('decides marked, unmarked and marginal around the definite and marginal thresholds', () => {
    const t = DEFAULT_THRESHOLDS;
    expect(decide(0.12, 0.1, t)).toEqual({ decision: 'marked' });
    expect(decide(0, 0, t)).toEqual({ decision: 'unmarked' });
    expect(decide((t.marginal + t.definite) / 2, 0.02, t)).toEqual({
      decision: 'uncertain',
      note: 'marginal',
    });
  });

  it('sends a cell filled solid to a person as a correction', () => {
    expect(decide(0.7, 0.8, DEFAULT_THRESHOLDS)).toEqual({ decision: 'uncertain', note: 'filled' });
  });

  it('raises the thresholds above the noise floor of a speckled page', () => {
    const noisy = [0.015, 0.016, 0.014, 0.017, 0.015, 0.016, 0.2, 0.18];
    const t = pageThresholds(noisy);
    expect(t.marginal).toBeGreaterThan(0.017);
    expect(decide(0.017, 0.02, t).decision).toBe('unmarked');
    expect(decide(0.18, 0.15, t).decision).toBe('marked');
  });

  it('keeps the defaults on a clean page', () => {
    expect(pageThresholds([0, 0, 0, 0, 0.15])).toMatchObject({
      marginal: DEFAULT_THRESHOLDS.marginal,
      definite: DEFAULT_THRESHOLDS.definite,
    });
  });

  it('gives no margin on the boundary and a full margin far from it', () => {
    expect(decisionMargin(DEFAULT_THRESHOLDS.marginal * 1.5, DEFAULT_THRESHOLDS)).toBe(0);
    expect(decisionMargin(0, DEFAULT_THRESHOLDS)).toBe(1);
    expect(decisionMargin(0.2, DEFAULT_THRESHOLDS)).toBe(1);
  });
});
