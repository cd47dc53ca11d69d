import { describe, expect, it } from 'vitest';
import { loadElection } from '../election/load.js';
import { distinctiveChars, matchKind } from './kind-match.js';

const election = loadElection('config/election-2023.json');
const [projects, districts] = election.ballots;

describe('matchKind', () => {
  it('tells the kinds apart by their item row count', () => {
    expect(
      matchKind({ rowCount: projects!.items.length, maxSerialRead: null, titleText: '' }, election.ballots)
        ?.kind.kind,
    ).toBe('projects');
    expect(
      matchKind({ rowCount: districts!.items.length, maxSerialRead: null, titleText: '' }, election.ballots)
        ?.kind.kind,
    ).toBe('districts');
  });

  it('uses the distinctive words of the title', () => {
    expect(distinctiveChars(districts!, election.ballots).length).toBeGreaterThan(0);
    const d = matchKind(
      { rowCount: 20, maxSerialRead: null, titleText: districts!.title },
      election.ballots,
    )!;
    const p = matchKind({ rowCount: 20, maxSerialRead: null, titleText: projects!.title }, election.ballots)!;
    expect(d.score).toBeGreaterThan(p.kind.kind === 'districts' ? 0 : -1);
    expect(p.kind.kind).toBe('projects');
  });

  it('is as sure of the larger kind from a serial past the smaller one as from its last item', () => {
    const n = projects!.items.length;
    const past = matchKind({ rowCount: n, maxSerialRead: 9, titleText: '' }, election.ballots)!;
    const last = matchKind({ rowCount: n, maxSerialRead: 39, titleText: '' }, election.ballots)!;
    expect(past.kind.kind).toBe('projects');
    expect(past.score).toBeCloseTo(last.score);
    // Within the smaller kind's numbers, a serial says less: 8 is no more than a districts ballot has.
    const within = matchKind({ rowCount: n, maxSerialRead: 8, titleText: '' }, election.ballots)!;
    expect(within.score).toBeLessThan(last.score);
    // Past every number of a kind, it is not that kind.
    const d = matchKind(
      { rowCount: districts!.items.length, maxSerialRead: 9, titleText: '' },
      election.ballots,
    )!;
    expect(d.score).toBeLessThan(
      matchKind({ rowCount: districts!.items.length, maxSerialRead: 8, titleText: '' }, election.ballots)!
        .score,
    );
  });

  it('is not sure when the row count fits no kind', () => {
    const m = matchKind({ rowCount: 15, maxSerialRead: 15, titleText: '' }, election.ballots)!;
    expect(m.rowsMatch).toBe(false);
  });
});
