import { describe, expect, it } from 'vitest';
import type { OcrWord } from './ocr.js';
import { inOrder, onBlankPaper, serialsBySpan } from './serial-strip.js';

describe('onBlankPaper', () => {
  it('brings grey paper to 0 and keeps the digit darker than it', () => {
    // A 10 x 10 crop of grey paper (darkness 30) with a digit stroke (darkness 180).
    const data = new Uint8Array(100).fill(30);
    for (let y = 2; y < 8; y++) data[y * 10 + 5] = 180;
    const out = onBlankPaper({ width: 10, height: 10, data });
    expect(out.data[0]).toBe(0);
    expect(out.data[2 * 10 + 5]).toBe(180 - 34);
    // A speck hardly darker than the paper vanishes with it.
    data[0] = 33;
    expect(onBlankPaper({ width: 10, height: 10, data }).data[0]).toBe(0);
  });
});

const word = (text: string, x0: number, x1: number, confidence = 90, symbols: OcrWord['symbols'] = []) => ({
  text,
  confidence,
  x0,
  x1,
  symbols,
});

describe('serialsBySpan', () => {
  const spans = [
    { row: 1, x0: 20, x1: 30 },
    { row: 2, x0: 60, x1: 70 },
    { row: 3, x0: 100, x1: 110 },
  ];

  it('gives each word to the cell its centre lies in, confident numbers only', () => {
    const read = serialsBySpan([word('1', 21, 29), word('2', 61, 69, 20), word('3', 99, 108)], spans, 30);
    expect([...read]).toEqual([
      [1, 1],
      [3, 3],
    ]);
  });

  it('splits a word Tesseract joined across cells back into the cells by its characters', () => {
    const joined = word('123', 21, 109, 0, [
      { text: '1', confidence: 95, x0: 21, x1: 29 },
      { text: '2', confidence: 93, x0: 61, x1: 69 },
      { text: '3', confidence: 30, x0: 101, x1: 109 },
    ]);
    const read = serialsBySpan([joined], spans, 30);
    // The unsure '3' is not taken; the sure ones are, each in its own row.
    expect([...read]).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });
});

describe('inOrder', () => {
  /** Reads as `row: number` pairs. */
  const reads = (byRow: Record<number, number>): Map<number, number> =>
    new Map(Object.entries(byRow).map(([row, n]) => [Number(row), n] as const));

  it('counts the reads that count up with the rows, not every read', () => {
    // Rows 1..3 read 1..3 (under one header row); row 5 misread as 8.
    expect(inOrder(reads({ 1: 1, 2: 2, 3: 3, 5: 8 }))).toBe(3);
    // The same three in order: a read with one more number, misread, is no better.
    expect(inOrder(reads({ 1: 1, 2: 2, 3: 3 }))).toBe(3);
    // A second half counts up from 21 under the same header row.
    expect(inOrder(reads({ 4: 24, 6: 26, 7: 8 }))).toBe(2);
    expect(inOrder(new Map())).toBe(0);
  });
});
