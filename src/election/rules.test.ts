import { describe, expect, it } from 'vitest';
import { loadElection } from './load.js';
import { judge, judgeConfirmed } from './rules.js';
import type { BallotKind } from './election.js';

const election = loadElection('config/election-2023.json');
const projects = election.ballots.find((b) => b.kind === 'projects')!;
const districts = election.ballots.find((b) => b.kind === 'districts')!;
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

describe('judge: the limit rule "限选N项,多选无效"', () => {
  for (const [ballot, limit] of [
    [projects, 10],
    [districts, 3],
  ] as [BallotKind, number][]) {
    describe(ballot.kind, () => {
      it('no mark is an invalid blank ballot', () => {
        expect(judgeConfirmed([], ballot)).toEqual({ status: 'invalid', reason: 'blank', marks: [] });
      });
      it('one mark is valid (fewer than the limit is allowed)', () => {
        expect(judgeConfirmed([2], ballot)).toEqual({ status: 'valid', marks: [2] });
      });
      it(`exactly ${limit} marks is valid`, () => {
        expect(judgeConfirmed(range(limit), ballot)).toEqual({ status: 'valid', marks: range(limit) });
      });
      it(`${limit + 1} marks voids the ballot as an overvote`, () => {
        expect(judgeConfirmed(range(limit + 1), ballot)).toEqual({
          status: 'invalid',
          reason: 'overvote',
          marks: range(limit + 1),
        });
      });
    });
  }
});

describe('judge: readings the rules must not trust', () => {
  it('sends an unknown item number to review', () => {
    const v = judge({ marked: [1, 40], uncertain: [], doubts: [] }, projects);
    expect(v).toMatchObject({ status: 'review', reasons: ['unknown_item'] });
  });
  it('sends a duplicate item number to review', () => {
    const v = judge({ marked: [3, 3], uncertain: [], doubts: [] }, districts);
    expect(v).toMatchObject({ status: 'review', reasons: ['duplicate_item'], marks: [3] });
  });
  it('sends uncertain marks to review, carrying the best reading', () => {
    const v = judge({ marked: [1, 2], uncertain: [5], doubts: [] }, districts);
    expect(v).toEqual({ status: 'review', reasons: ['marginal_mark'], marks: [1, 2] });
  });
  it('a blank reading with one uncertain cell is not called blank', () => {
    expect(judge({ marked: [], uncertain: [4], doubts: [] }, districts).status).toBe('review');
  });
  it('is an overvote whatever the uncertain cells are, once the definite marks exceed the limit', () => {
    const v = judge({ marked: [1, 2, 3, 4], uncertain: [5], doubts: [] }, districts);
    expect(v).toEqual({ status: 'invalid', reason: 'overvote', marks: [1, 2, 3, 4] });
  });
  it('an overvote by definite marks is not sent to review for a faint or corrected cell', () => {
    for (const doubt of ['marginal_mark', 'correction'] as const) {
      const v = judge({ marked: [1, 2, 3, 4], uncertain: [6], doubts: [doubt] }, districts);
      expect(v).toEqual({ status: 'invalid', reason: 'overvote', marks: [1, 2, 3, 4] });
    }
  });
  it('a cell doubt within the limit still goes to review, with its reason', () => {
    const v = judge({ marked: [1, 2, 3], uncertain: [6], doubts: ['correction'] }, districts);
    expect(v).toEqual({ status: 'review', reasons: ['correction'], marks: [1, 2, 3] });
  });
  it('an overvote read with a doubt about the rows or the kind goes to review', () => {
    for (const doubt of [
      'row_unplaced',
      'kind_uncertain',
      'ocr_disagrees',
      'layout_uncertain',
      'low_quality',
    ] as const) {
      const v = judge({ marked: [1, 2, 3, 4], uncertain: [6], doubts: ['marginal_mark', doubt] }, districts);
      expect(v.status).toBe('review');
    }
  });
  it('keeps reader doubts (kind unclear) even when the marks look fine', () => {
    const v = judge({ marked: [1], uncertain: [], doubts: ['kind_uncertain'] }, districts);
    expect(v).toEqual({ status: 'review', reasons: ['kind_uncertain'], marks: [1] });
  });
});

describe('judge: rules come from the config', () => {
  it('an election that requires exactly the limit voids an undervote', () => {
    const strict: BallotKind = { ...districts, rules: { ...districts.rules, underLimit: 'invalid' } };
    expect(judgeConfirmed([1], strict)).toEqual({ status: 'invalid', reason: 'undervote', marks: [1] });
    expect(judgeConfirmed([1, 2, 3], strict).status).toBe('valid');
  });
  it('an election that accepts blank ballots counts them as valid', () => {
    const lenient: BallotKind = { ...districts, rules: { ...districts.rules, blank: 'valid' } };
    expect(judgeConfirmed([], lenient).status).toBe('valid');
  });
});
