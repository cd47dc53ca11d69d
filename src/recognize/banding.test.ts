import { describe, expect, it } from 'vitest';
import { withoutBanding } from './banding.js';
import type { Gray, Mask } from './gray.js';

// A table 300 px wide: serial column 0-50, name column 50-200, vote column 200-300,
// a rule (masked) every 40 rows.
const W = 300;
const H = 200;
const VOTE: readonly (readonly [number, number])[] = [[200, 300]];

function table(paperAt: (y: number) => number): { dark: Gray; lines: Mask } {
  const data = new Uint8Array(W * H);
  const lines = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const rule = y % 40 === 0 || x === 0 || x === 50 || x === 200 || x === W - 1;
      data[y * W + x] = rule ? 220 : paperAt(y);
      lines[y * W + x] = rule ? 1 : 0;
    }
  }
  return { dark: { width: W, height: H, data }, lines: { width: W, height: H, data: lines } };
}

/** Darkness of ink of darkness `ink` on paper whose own darkness is `paper` (see `inkDarkness`). */
function onPaper(ink: number, paper: number): number {
  return Math.round(255 - ((255 - ink) * (255 - paper)) / 255);
}

const band = (y: number): number => (y % 10 < 4 ? 60 : 0);

describe('withoutBanding', () => {
  it('returns a table without bands unchanged', () => {
    const { dark, lines } = table(() => 2);
    expect(withoutBanding(dark, lines, VOTE, 0, W)).toBe(dark);
  });

  it('brings banded rows back to white paper and keeps a pencil tick at its own darkness', () => {
    const { dark, lines } = table(band);
    // A light pencil stroke of darkness 80 down the vote column, crossing bands.
    for (let y = 45; y < 75; y++) dark.data[y * W + 250] = onPaper(80, band(y));
    const out = withoutBanding(dark, lines, VOTE, 0, W);
    for (let y = 41; y < 80; y++) expect(out.data[y * W + 230]).toBeLessThanOrEqual(1);
    for (let y = 45; y < 75; y++) expect(Math.abs(out.data[y * W + 250]! - 80)).toBeLessThanOrEqual(2);
  });

  it('never takes ink in the vote column for a band: a filled cell stays filled', () => {
    const { dark, lines } = table(() => 0);
    for (let y = 41; y < 80; y++) for (let x = 201; x < 299; x++) dark.data[y * W + x] = 200;
    const out = withoutBanding(dark, lines, VOTE, 0, W);
    expect(out).toBe(dark);
    expect(out.data[60 * W + 250]).toBe(200);
  });

  it('does not take a row of text for a band', () => {
    const { dark, lines } = table(() => 0);
    // Characters cover 60% of the name column on rows 50-60.
    for (let y = 50; y < 60; y++) for (let x = 51; x < 200; x++) if (x % 5 < 3) dark.data[y * W + x] = 180;
    expect(withoutBanding(dark, lines, VOTE, 0, W)).toBe(dark);
  });
});
