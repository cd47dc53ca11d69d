import { describe, expect, it } from 'vitest';
import { loadElection } from '../election/load.js';
import { seedBallots, seedMail } from '../../test/helpers/fixture-db.js';
import { openDatabase } from './db.js';
import { computeTally } from './tally.js';
import { verifyAudit } from './audit.js';

const election = loadElection('config/election-2023.json');

describe('computeTally', () => {
  it('prints zero counts for every item of both ballots on an empty database', () => {
    const db = openDatabase(':memory:');
    const t = computeTally(db, election);
    expect(Object.keys(t.projects!.votes)).toHaveLength(39);
    expect(Object.keys(t.districts!.votes)).toHaveLength(8);
    expect(Object.values(t.projects!.votes).every((v) => v === 0)).toBe(true);
    expect(t.mails).toEqual({ received: 0, late: 0, duplicate: 0, without_ballot: 0, failed: 0 });
  });

  it('counts valid ballots of on-time, non-duplicate mails only', () => {
    const db = openDatabase(':memory:');
    const m1 = seedMail(db);
    seedBallots(db, election, m1, [
      { kind: 'projects', marks: [1, 2, 3] },
      { kind: 'districts', marks: [2] },
    ]);
    const m2 = seedMail(db);
    seedBallots(db, election, m2, [{ kind: 'projects', marks: [] }]); // blank
    seedBallots(db, election, m2, [{ kind: 'projects', marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] }]); // overvote
    seedBallots(db, election, m2, [{ kind: 'projects', marks: [5], uncertain: [6] }]); // review
    seedBallots(db, election, m2, [{ kind: 'projects', marks: [1], duplicate: true }]); // duplicate bytes
    const late = seedMail(db, { late: true, receivedAt: new Date('2024-01-24T01:00:00Z') });
    seedBallots(db, election, late, [{ kind: 'districts', marks: [2] }]);
    seedMail(db, { reason: 'no_ballot' });

    const t = computeTally(db, election);
    expect(t.projects!.votes['1']).toBe(1);
    expect(t.projects!.votes['5']).toBe(0);
    expect(t.projects!.ballots).toEqual({ valid: 1, invalid: 2, review: 1 });
    expect(t.projects!.invalid_by_reason).toEqual({ blank: 1, overvote: 1 });
    expect(t.districts!.votes['2']).toBe(1);
    expect(t.mails).toEqual({ received: 4, late: 1, duplicate: 0, without_ballot: 1, failed: 0 });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('counts only what had arrived by the moment asked for', () => {
    const db = openDatabase(':memory:');
    const early = seedMail(db, { receivedAt: new Date('2024-01-18T00:00:00Z') });
    seedBallots(db, election, early, [
      { kind: 'districts', marks: [1], readAt: new Date('2024-01-18T00:00:05Z') },
    ]);
    const later = seedMail(db, { receivedAt: new Date('2024-01-20T00:00:00Z') });
    seedBallots(db, election, later, [
      { kind: 'districts', marks: [1], readAt: new Date('2024-01-20T00:00:05Z') },
    ]);
    expect(computeTally(db, election, new Date('2024-01-19T00:00:00Z')).districts!.votes['1']).toBe(1);
    expect(computeTally(db, election).districts!.votes['1']).toBe(2);
  });
});
