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
  it('returns a table without bands, or with paper only a little grey, unchanged', () => {
    const clean = table(() => 2);
    expect(withoutBanding(clean.dark, clean.lines, VOTE, 0, W)).toBe(clean.dark);
    const grey = table((y) => (y % 10 < 4 ? 7 : 0));
    expect(withoutBanding(grey.dark, grey.lines, VOTE, 0, W)).toBe(grey.dark);
  });

  it('brings banded rows back to white paper and keeps a pencil tick at its own darkness', () => {
    const { dark, lines } = table(band);
    // A light pencil stroke of darkness 80 down the vote column, crossing bands.
    for (let y = 45; y < 75; y++) dark.data[y * W + 250] = onPaper(80, band(y));
    const out = withoutBanding(dark, lines, VOTE, 0, W);
    for (let y = 41; y < 80; y++) expect(out.data[y * W + 230]).toBeLessThanOrEqual(1);
    for (let y = 45; y < 75; y++) expect(Math.abs(out.data[y * W + 250]! - 80)).toBeLessThanOrEqual(2);
  });

  it('never takes a filled vote cell for a band, on plain or on banded paper', () => {
    const fill = (t: { dark: Gray }, paperAt: (y: number) => number): void => {
      for (let y = 41; y < 80; y++)
        for (let x = 201; x < 299; x++) t.dark.data[y * W + x] = onPaper(200, paperAt(y));
    };
    const plain = table(() => 0);
    fill(plain, () => 0);
    expect(withoutBanding(plain.dark, plain.lines, VOTE, 0, W)).toBe(plain.dark);
    const banded = table(band);
    fill(banded, band);
    const out = withoutBanding(banded.dark, banded.lines, VOTE, 0, W);
    for (let y = 41; y < 80; y++) expect(Math.abs(out.data[y * W + 250]! - 200)).toBeLessThanOrEqual(2);
  });

  it('lightens no mark for grey print, a highlighter or dense text on the names alone', () => {
    // Rows 45-75: a faint tick in the vote cell, and the name cells printed grey (a shaded
    // column, a highlighter) or covered 80% by text; the vote cells' own paper is white.
    for (const names of [(): number => 70, (x: number): number => (x % 5 < 4 ? 180 : 0)]) {
      const { dark, lines } = table(() => 0);
      for (let y = 45; y < 75; y++) {
        for (let x = 1; x < 200; x++) if (x !== 50) dark.data[y * W + x] = names(x);
        dark.data[y * W + 250] = 56;
      }
      expect(withoutBanding(dark, lines, VOTE, 0, W)).toBe(dark);
    }
  });

  it('reads a band under text and a stroke that cover much of the row', () => {
    // Rows 50-53 are banded; text covers 60% of the name cells there and a tick's arm 40%
    // of the vote cell. The paper is still the band, and the arm keeps its darkness.
    const { dark, lines } = table(band);
    for (let y = 50; y < 54; y++) {
      for (let x = 51; x < 200; x++) if (x % 5 < 3) dark.data[y * W + x] = onPaper(180, band(y));
      for (let x = 201; x < 241; x++) dark.data[y * W + x] = onPaper(150, band(y));
    }
    const out = withoutBanding(dark, lines, VOTE, 0, W);
    for (let y = 50; y < 54; y++) {
      expect(Math.abs(out.data[y * W + 220]! - 150)).toBeLessThanOrEqual(2);
      expect(out.data[y * W + 270]).toBeLessThanOrEqual(1);
    }
  });

  it('does not take a pen line struck across the whole row for a band', () => {
    const { dark, lines } = table(() => 0);
    for (let y = 60; y < 63; y++) for (let x = 1; x < W - 1; x++) dark.data[y * W + x] = 200;
    expect(withoutBanding(dark, lines, VOTE, 0, W)).toBe(dark);
  });
});
