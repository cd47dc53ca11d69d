import { describe, expect, it } from 'vitest';
import type { Gray, Mask } from './gray.js';
import { isRule, lineInk, nearRules, RULE_INKED_SHARE, textLines } from './rule-continuity.js';

/**
 * A table of 6 rows 40 px high between rules at y = 10, 50, ..., 250 and columns at
 * x = 10, 60, 300: the rules `ruleDark` dark, and in every row a digit-like stroke
 * 16 px tall at x = 35 (the serial column's middle), `textDark` dark.
 */
function table(ruleDark: number, textDark: number, grain = 0): { img: Gray; rows: number[]; cols: number[] } {
  const w = 320;
  const h = 270;
  const data = new Uint8Array(w * h);
  // Paper grain, deterministic: no threshold may treat it as ink.
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 97 < 30 ? grain : 0;
  const rows = [10, 50, 90, 130, 170, 210, 250];
  const cols = [10, 60, 300];
  for (const y of rows) for (let x = 10; x <= 300; x++) data[y * w + x] = ruleDark;
  for (const x of cols) for (let y = 10; y <= 250; y++) data[y * w + x] = ruleDark;
  for (let r = 0; r + 1 < rows.length; r++) {
    for (let y = rows[r]! + 12; y < rows[r]! + 28; y++) data[y * w + 35] = textDark;
  }
  return { img: { width: w, height: h, data }, rows, cols };
}

/** The same table with its rules dotted as a fax prints hairlines: 4 px of ink, 4 px of paper. */
function dotted(ruleDark: number): { img: Gray; rows: number[]; cols: number[] } {
  const t = table(0, 0);
  const data = t.img.data;
  const w = t.img.width;
  for (const y of t.rows) for (let x = 10; x <= 300; x++) if (x % 8 < 4) data[y * w + x] = ruleDark;
  for (const x of t.cols) for (let y = 10; y <= 250; y++) if (y % 8 < 4) data[y * w + x] = ruleDark;
  return t;
}

describe('lineInk', () => {
  it('finds a printed rule inked all along, faint as it is', () => {
    const { img, rows } = table(40, 200, 12);
    expect(lineInk(img, 'v', 60, rows, 2, 13)).toEqual({ share: 1, ends: 1 });
  });

  it('finds a line joined from a stroke in every row inked only in the middle of each row', () => {
    const { img, rows } = table(200, 200);
    const ink = lineInk(img, 'v', 35, rows, 2, 1);
    // 16 of the 35 px of each row measured (40, less 2 and the rule itself at each end),
    // none of them in the 7 px next to either rule.
    expect(ink.share).toBeCloseTo(16 / 35, 3);
    expect(ink.ends).toBe(0);
    expect(isRule(ink)).toBe(false);
  });

  it('finds a dotted rule inked in part, but as much at its ends as along it', () => {
    const { img, rows, cols } = dotted(120);
    const ink = lineInk(img, 'v', 60, rows, 2, 1);
    expect(ink.share).toBeLessThan(RULE_INKED_SHARE);
    expect(ink.share).toBeGreaterThan(0.3);
    expect(isRule(ink)).toBe(true);
    expect(isRule(lineInk(img, 'h', 130, cols, 2, 1))).toBe(true);
  });

  it('measures rows along the columns the same way', () => {
    const { img, cols } = table(60, 200);
    expect(lineInk(img, 'h', 130, cols, 2, 1).share).toBe(1);
  });

  it('does not count paper grain below the floor as ink', () => {
    // Faint strokes over grain nearly as dark: half the strokes' darkness is below the grain.
    const { img, rows } = table(60, 60, 40);
    expect(isRule(lineInk(img, 'v', 35, rows, 2, 41))).toBe(false);
    // Without the floor the grain between the strokes would pass for a rule.
    expect(isRule(lineInk(img, 'v', 35, rows, 2, 1))).toBe(true);
  });
});

describe('isRule', () => {
  it('takes a line inked all along, or evenly in part, for a rule', () => {
    expect(isRule({ share: 1, ends: 1 })).toBe(true);
    expect(isRule({ share: 0.85, ends: 0.1 })).toBe(true);
    expect(isRule({ share: 0.5, ends: 0.48 })).toBe(true);
  });

  it('does not take a line inked only mid-row, or hardly at all, for a rule', () => {
    expect(isRule({ share: 0.55, ends: 0.05 })).toBe(false);
    // A line through a tick or two down a vote column: as much at its ends, but bare.
    expect(isRule({ share: 0.17, ends: 0.12 })).toBe(false);
  });
});

describe('textLines', () => {
  it('picks out the line joined from text and keeps the rules', () => {
    const { img, rows, cols } = table(80, 220, 10);
    expect(
      textLines(
        img,
        'v',
        [...cols, 35].sort((a, b) => a - b),
        rows,
        2,
        11,
      ),
    ).toEqual([35]);
    expect(textLines(img, 'h', rows, cols, 2, 11)).toEqual([]);
  });
});

describe('nearRules', () => {
  it('keeps only the line pixels near a row or column kept', () => {
    const m: Mask = { width: 100, height: 100, data: new Uint8Array(100 * 100) };
    const set = (x: number, y: number): void => {
      m.data[y * 100 + x] = 1;
    };
    set(20, 50); // on column 20
    set(50, 31); // within 2 of row 30
    set(70, 70); // a run along text, near nothing
    const out = nearRules(m, [30], [20], 2);
    expect(out.data[50 * 100 + 20]).toBe(1);
    expect(out.data[31 * 100 + 50]).toBe(1);
    expect(out.data[70 * 100 + 70]).toBe(0);
    expect([...out.data].filter(Boolean)).toHaveLength(2);
  });
});
