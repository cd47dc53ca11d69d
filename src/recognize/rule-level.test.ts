import { describe, expect, it } from 'vitest';
import type { Gray } from './gray.js';
import { faintLineLevel, ruleDarkness } from './rule-level.js';

/** A table of `rules` horizontal rules of darkness `rule`, with dense dark "text" between them. */
function table(rule: number, rules = 12): Gray {
  const w = 400;
  const h = rules * 30;
  const data = new Uint8Array(w * h);
  for (let r = 0; r < rules; r++) {
    const y = r * 30 + 2;
    for (let x = 0; x < w; x++) data[y * w + x] = rule;
    // Text: dark glyph blocks covering a third of the line between two rules.
    for (let yy = y + 8; yy < y + 20; yy++) {
      for (let x = 0; x < w; x++) if (x % 30 < 10) data[yy * w + x] = 200;
    }
  }
  return { width: w, height: h, data };
}

describe('ruleDarkness', () => {
  it('measures hairline rules fainter than the text around them', () => {
    expect(ruleDarkness(table(28))).toBe(28);
    expect(ruleDarkness(table(160))).toBe(160);
  });

  it('is 0 for text without rules', () => {
    const t = table(0);
    expect(ruleDarkness(t)).toBe(0);
  });

  it('is not set by a single dark row (a fold across the page)', () => {
    const t = table(0);
    for (let x = 0; x < t.width; x++) t.data[100 * t.width + x] = 120;
    expect(ruleDarkness(t)).toBe(0);
  });
});

describe('faintLineLevel', () => {
  it('thresholds faint rules at half their darkness', () => {
    expect(faintLineLevel(28, 0, 25)).toBe(14);
    expect(faintLineLevel(40, 0, 25)).toBe(20);
  });

  it('keeps above the paper noise and a floor', () => {
    expect(faintLineLevel(30, 10, 30)).toBe(18);
    expect(faintLineLevel(14, 0, 25)).toBe(8);
  });

  it('leaves rules alone that the page level already suits', () => {
    expect(faintLineLevel(60, 0, 25)).toBeNull();
    expect(faintLineLevel(150, 5, 40)).toBeNull();
  });

  it('gives nothing when no rule stands out of the paper', () => {
    expect(faintLineLevel(0, 0, 25)).toBeNull();
    expect(faintLineLevel(11, 0, 25)).toBeNull();
    expect(faintLineLevel(20, 10, 30)).toBeNull();
  });
});
