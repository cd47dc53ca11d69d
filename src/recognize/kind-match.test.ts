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

  it('is not sure when the row count fits no kind', () => {
    const m = matchKind({ rowCount: 15, maxSerialRead: 15, titleText: '' }, election.ballots)!;
    expect(m.rowsMatch).toBe(false);
  });
});
