import type { Election } from '../election/election.js';
import { ballotStates } from './ballot-state.js';
import type { Db } from './db.js';

export interface KindTally {
  /** Valid votes per item number ("1" … "39"), every item present. */
  votes: Record<string, number>;
  ballots: { valid: number; invalid: number; review: number };
  invalid_by_reason: Record<string, number>;
}

export type Tally = Record<string, KindTally> & {
  mails: { received: number; late: number; duplicate: number; without_ballot: number; failed: number };
};

/**
 * The count officials see. Votes come from valid ballots of on-time, non-duplicate mails;
 * a ballot in review counts only once a person resolves it. `at` gives the count as it stood then.
 */
export function computeTally(db: Db, election: Election, at?: Date): Tally {
  const kinds: Record<string, KindTally> = {};
  for (const b of election.ballots) {
    const reasons: Record<string, number> = { blank: 0, overvote: 0 };
    if (b.rules.underLimit === 'invalid') reasons.undervote = 0;
    kinds[b.kind] = {
      votes: Object.fromEntries(b.items.map((i) => [String(i.number), 0])),
      ballots: { valid: 0, invalid: 0, review: 0 },
      invalid_by_reason: reasons,
    };
  }
  for (const s of ballotStates(db, at ? { at } : {})) {
    if (s.duplicate || s.late || s.mailDuplicate || s.status === 'not_a_ballot') continue;
    const t = kinds[s.kind];
    if (!t) continue; // a kind no longer in the config: the election file changed under old data
    t.ballots[s.status]++;
    if (s.status === 'invalid') {
      const r = s.reason ?? 'unknown';
      t.invalid_by_reason[r] = (t.invalid_by_reason[r] ?? 0) + 1;
    } else if (s.status === 'valid') {
      for (const n of s.marks) if (String(n) in t.votes) t.votes[String(n)] = (t.votes[String(n)] ?? 0) + 1;
    }
  }
  const atIso = (at ?? new Date('9999-12-31T23:59:59.999Z')).toISOString();
  const m = db
    .prepare(
      `SELECT
         COUNT(*) AS received,
         COALESCE(SUM(late), 0) AS late,
         COALESCE(SUM(duplicate_of IS NOT NULL), 0) AS duplicate,
         COALESCE(SUM(status = 'processed' AND reason = 'no_ballot'), 0) AS without_ballot,
         COALESCE(SUM(status = 'failed'), 0) AS failed
       FROM mails WHERE received_at <= ?`,
    )
    .get(atIso) as Tally['mails'];
  return { ...kinds, mails: m } as Tally;
}
