import { describe, expect, it } from 'vitest';
import type { BallotKind } from '../election/election.js';
import type { KindTally } from '../store/tally.js';
import { rankItems } from './ranking.js';

const kind = (n: number, top: number): BallotKind => ({
  kind: 'k',
  title: 't',
  label: { zh: '选票', en: 'ballot' },
  items: Array.from({ length: n }, (_, i) => ({ number: i + 1, name: `项目${i + 1}`, provincial: i < 2 })),
  itemLabel: { zh: '项目', en: 'item' },
  markedLabel: '投票',
  maxMarks: top,
  rules: { underLimit: 'valid', blank: 'invalid', overLimit: 'invalid' },
  highlightTop: top,
});

const tally = (votes: number[], valid: number): KindTally => ({
  votes: Object.fromEntries(votes.map((v, i) => [String(i + 1), v])),
  ballots: { valid, invalid: 0, review: 0 },
  invalid_by_reason: {},
});

describe('rankItems', () => {
  it('gives equal votes the same place, skips the places they take, and keeps ballot order inside a tie', () => {
    const r = rankItems(kind(5, 3), tally([1, 5, 3, 5, 0], 6));
    expect(r.map((x) => [x.number, x.rank, x.votes])).toEqual([
      [2, 1, 5],
      [4, 1, 5],
      [3, 3, 3],
      [1, 4, 1],
      [5, 5, 0],
    ]);
    expect(r.map((x) => x.highlighted)).toEqual([true, true, true, false, false]);
    expect(r.some((x) => x.tiedAtCut)).toBe(false);
    expect(r[0]?.share).toBeCloseTo(5 / 6);
    expect(r.find((x) => x.number === 1)?.provincial).toBe(true);
  });

  it('highlights every item of a tie that straddles the cut and flags it', () => {
    const r = rankItems(kind(5, 2), tally([4, 2, 2, 2, 1], 5));
    expect(r.filter((x) => x.highlighted).map((x) => x.number)).toEqual([1, 2, 3, 4]);
    expect(r.filter((x) => x.tiedAtCut).map((x) => x.number)).toEqual([2, 3, 4]);
  });

  it('highlights nothing without votes and gives a share of 0 without valid ballots', () => {
    const r = rankItems(kind(4, 2), tally([0, 0, 0, 0], 0));
    expect(r.every((x) => !x.highlighted && x.rank === 1 && x.share === 0)).toBe(true);
  });
});
