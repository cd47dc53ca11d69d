import { describe, expect, it } from 'vitest';
import { MIN_AUTO_CONFIDENCE, tableConfidence, unsureAsAWhole } from './confidence.js';

describe('tableConfidence', () => {
  const sure = {
    markMargins: [1, 1, 0.9],
    ocrAgreement: 1,
    kindScore: 1,
    kindMargin: 0.5,
    quality: 0.9,
    complete: true,
  };

  it('is high for a clear reading and falls with its weakest link', () => {
    expect(tableConfidence(sure)).toBeGreaterThan(0.8);
    expect(tableConfidence({ ...sure, markMargins: [1, 0, 1] })).toBeLessThan(tableConfidence(sure));
    expect(tableConfidence({ ...sure, complete: false })).toBeLessThan(tableConfidence(sure) * 0.7);
  });

  it('sends a reading unsure as a whole to a person even when no single check failed', () => {
    // Every decision on the right side of its threshold, but none by much, on a poor photo
    // whose serial numbers OCR mostly missed.
    const weak = { ...sure, markMargins: [0.1, 0.2], ocrAgreement: 0.2, quality: 0.2 };
    const c = tableConfidence(weak);
    expect(c).toBeLessThan(MIN_AUTO_CONFIDENCE);
    expect(unsureAsAWhole(c, 0)).toBe(true);
    // A doubt already sends it to review; a sure reading stays automatic.
    expect(unsureAsAWhole(c, 1)).toBe(false);
    expect(unsureAsAWhole(tableConfidence(sure), 0)).toBe(false);
  });
});
