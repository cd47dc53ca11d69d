import { describe, expect, it } from 'vitest';
import type { PageReading } from '../recognize/reading.js';
import { pageGoesToPerson, POSSIBLE_BALLOT_BELOW } from './page-rule.js';

describe('which pages go to a person as pages', () => {
  it('sends unreadable pages and doubted "not a ballot" pages, not confident ones', () => {
    expect(pageGoesToPerson({ status: 'unreadable', reason: 'corrupt_file', detail: 'x' })).toBe(true);
    const notBallot = (confidence: number): PageReading => ({
      status: 'not_a_ballot',
      confidence,
      notes: [],
    });
    expect(pageGoesToPerson(notBallot(POSSIBLE_BALLOT_BELOW - 0.01))).toBe(true);
    expect(pageGoesToPerson(notBallot(0.95))).toBe(false);
  });

  it('sends a page of ballots only when another table on it was not read', () => {
    expect(pageGoesToPerson({ status: 'ballots', ballots: [], quality: 1 })).toBe(false);
    expect(pageGoesToPerson({ status: 'ballots', ballots: [], quality: 1, unreadTables: [] })).toBe(false);
    expect(
      pageGoesToPerson({
        status: 'ballots',
        ballots: [],
        quality: 1,
        unreadTables: ['only 6 x 0 ruling lines'],
      }),
    ).toBe(true);
  });
});
