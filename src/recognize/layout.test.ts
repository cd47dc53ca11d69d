import { describe, expect, it } from 'vitest';
import { guessLayout } from './layout.js';

// Two halves: serial | name | vote | serial | name | vote; header row, 4 item rows, 2 votes.
const widths = [70, 480, 90, 70, 480, 90];
const occ = (voteRows: number[][]): boolean[][] =>
  Array.from({ length: 5 }, (_, r) =>
    widths.map((_, c) =>
      r === 0 ? true : c % 3 !== 2 ? true : (voteRows[Math.floor(c / 3)] ?? []).includes(r),
    ),
  );

describe('guessLayout', () => {
  it('finds the halves and the column roles of an upright table', () => {
    const g = guessLayout(widths, occ([[1], [3]]))!;
    expect(g.upsideDown).toBe(false);
    expect(g.halves).toEqual([
      { serial: 0, name: 1, vote: 2 },
      { serial: 3, name: 4, vote: 5 },
    ]);
  });

  it('sees an upside-down table: the always-full column is right of the name', () => {
    const flipped = occ([[1], [3]])
      .map((row) => [...row].reverse())
      .reverse();
    const g = guessLayout([...widths].reverse(), flipped)!;
    expect(g.upsideDown).toBe(true);
  });

  it('handles a single column of rows', () => {
    const g = guessLayout(
      [60, 400, 80],
      [
        [true, true, true],
        [true, true, false],
        [true, true, true],
        [true, true, false],
      ],
    )!;
    expect(g.halves).toEqual([{ serial: 0, name: 1, vote: 2 }]);
  });

  it('flags a column claimed by two halves (the rule before a vote column was missed)', () => {
    // serial | name+vote (merged) | serial | name | vote
    const merged = [70, 570, 70, 480, 90];
    const rows = Array.from({ length: 5 }, () => merged.map(() => true));
    const g = guessLayout(merged, rows)!;
    expect(g.sharedColumn).toBe(true);
    expect(guessLayout(widths, occ([[1], [3]]))!.sharedColumn).toBe(false);
  });

  it('finds the name column of short names, barely wider than a generous vote column', () => {
    // A districts ballot retyped as one table sized by its content (Chromium's table layout):
    // the left names (临颍县...) are narrower than 1.8x the median column, the right ones are not.
    const narrow = [48, 100, 70, 48, 143, 70];
    const rows = Array.from({ length: 5 }, (_, r) => narrow.map((_, c) => r === 0 || c % 3 !== 2 || r === 2));
    const g = guessLayout(narrow, rows)!;
    expect(g.halves).toEqual([
      { serial: 0, name: 1, vote: 2 },
      { serial: 3, name: 4, vote: 5 },
    ]);
    // Names as wide as the vote column (small print), or a vote column wider than them.
    for (const ws of [
      [40, 70, 62, 40, 80, 62],
      [42, 100, 166, 42, 114, 166],
    ]) {
      expect(guessLayout(ws, rows)!.halves).toEqual([
        { serial: 0, name: 1, vote: 2 },
        { serial: 3, name: 4, vote: 5 },
      ]);
    }
    // Without text in the column it is no name column: empty wide cells stay unclaimed.
    const blankLeft = rows.map((row, r) => row.map((v, c) => (c === 1 && r > 0 ? false : v)));
    expect(guessLayout(narrow, blankLeft)!.halves).toEqual([{ serial: 3, name: 4, vote: 5 }]);
  });

  it('gives up when no column is wider than the others', () => {
    expect(guessLayout([80, 80, 80], [[true, true, true]])).toBeNull();
  });
});
