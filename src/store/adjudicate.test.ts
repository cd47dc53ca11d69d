import { describe, expect, it } from 'vitest';
import { loadElection } from '../election/load.js';
import { seedBallots, seedMail } from '../../test/helpers/fixture-db.js';
import { adjudicate } from './adjudicate.js';
import { verifyAudit } from './audit.js';
import { ballotState } from './ballot-state.js';
import { openDatabase } from './db.js';
import { computeTally } from './tally.js';

const election = loadElection('config/election-2023.json');
const alice = { name: 'alice', role: 'reviewer' as const };
const root = { name: 'root', role: 'admin' as const };

function setup() {
  const db = openDatabase(':memory:');
  const mail = seedMail(db);
  const [ballotId] = seedBallots(db, election, mail, [{ kind: 'projects', marks: [5], uncertain: [6] }]);
  const s = ballotState(db, ballotId!)!;
  return {
    db,
    ballotId: ballotId!,
    seen: { seenReadingId: s.readingId, seenAdjudicationId: s.adjudicationId },
  };
}

describe('adjudicate', () => {
  it('counts a ballot in review once a person accepts corrected marks', () => {
    const { db, ballotId, seen } = setup();
    expect(computeTally(db, election).projects!.ballots.review).toBe(1);
    expect(computeTally(db, election).projects!.votes['6']).toBe(0);

    const r = adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'accept', marks: [5, 6] },
    });
    expect(r.ok).toBe(true);
    const t = computeTally(db, election);
    expect(t.projects!.ballots).toEqual({ valid: 1, invalid: 0, review: 0 });
    expect(t.projects!.votes['5']).toBe(1);
    expect(t.projects!.votes['6']).toBe(1);
    expect(ballotState(db, ballotId)).toMatchObject({ status: 'valid', decidedBy: 'person', marks: [5, 6] });
  });

  it('leaves the machine reading row exactly as it was', () => {
    const { db, ballotId, seen } = setup();
    const readingBefore = db.prepare('SELECT * FROM ballot_readings WHERE ballot_id = ?').all(ballotId);
    adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'accept', marks: [5, 6] },
    });
    expect(db.prepare('SELECT * FROM ballot_readings WHERE ballot_id = ?').all(ballotId)).toEqual(
      readingBefore,
    );
    const adj = db.prepare('SELECT * FROM adjudications WHERE ballot_id = ?').all(ballotId);
    expect(adj).toHaveLength(1);
    expect(adj[0]).toMatchObject({
      actor: 'user:alice',
      outcome: 'accept',
      verdict_status: 'valid',
      marks_json: '[5,6]',
    });
  });

  it('writes one audit entry with the actor, the state before and after, and the note', () => {
    const { db, ballotId, seen } = setup();
    adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'accept', marks: [5, 6] },
      note: '第6项有淡淡的勾',
    });
    const rows = db
      .prepare(`SELECT * FROM audit WHERE action = 'ballot.adjudicated' AND subject_id = ?`)
      .all(ballotId) as { actor: string; detail: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe('user:alice');
    const detail = JSON.parse(rows[0]!.detail);
    expect(detail.before).toMatchObject({ status: 'review', marks: [5], decidedBy: 'machine' });
    expect(detail.after).toMatchObject({ status: 'valid', marks: [5, 6], decidedBy: 'person' });
    expect(detail.note).toBe('第6项有淡淡的勾');
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('lets the rules judge the corrected marks: eleven ticks stay an overvote', () => {
    const { db, ballotId, seen } = setup();
    const marks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const r = adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'accept', marks },
    });
    expect(r.ok && r.after).toMatchObject({ status: 'invalid', reason: 'overvote' });
    expect(computeTally(db, election).projects!.invalid_by_reason.overvote).toBe(1);
  });

  it('refuses a reviewer who changes a ballot a person already decided, and lets an admin', () => {
    const { db, ballotId, seen } = setup();
    const first = adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'accept', marks: [5] },
    });
    if (!first.ok) throw new Error(first.error);
    const seen2 = { seenReadingId: seen.seenReadingId, seenAdjudicationId: first.adjudicationId };
    const bob = { name: 'bob', role: 'reviewer' as const };
    expect(
      adjudicate(db, election, { ballotId, ...seen2, actor: bob, decision: { outcome: 'not_a_ballot' } }),
    ).toEqual({ ok: false, error: 'needs_admin' });
    expect(ballotState(db, ballotId)!.status).toBe('valid');
    const r = adjudicate(db, election, {
      ballotId,
      ...seen2,
      actor: root,
      decision: { outcome: 'not_a_ballot' },
    });
    expect(r.ok).toBe(true);
    expect(ballotState(db, ballotId)).toMatchObject({ status: 'not_a_ballot', decidedBy: 'person' });
    expect(computeTally(db, election).projects!.votes['5']).toBe(0);
  });

  it('refuses a decision made on a page that is out of date', () => {
    const { db, ballotId, seen } = setup();
    adjudicate(db, election, { ballotId, ...seen, actor: root, decision: { outcome: 'accept', marks: [5] } });
    // A second admin who opened the page before the first decision:
    expect(
      adjudicate(db, election, {
        ballotId,
        ...seen,
        actor: root,
        decision: { outcome: 'accept', marks: [6] },
      }),
    ).toEqual({ ok: false, error: 'stale' });
  });

  it('requires a note when staff invalidate for their own reason, and refuses unknown items', () => {
    const { db, ballotId, seen } = setup();
    expect(
      adjudicate(db, election, {
        ballotId,
        ...seen,
        actor: alice,
        decision: { outcome: 'invalid', reason: 'staff_invalid' },
      }),
    ).toEqual({ ok: false, error: 'note_required' });
    expect(
      adjudicate(db, election, {
        ballotId,
        ...seen,
        actor: alice,
        decision: { outcome: 'accept', marks: [40] },
      }),
    ).toEqual({ ok: false, error: 'bad_marks' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM adjudications').get()).toEqual({ n: 0 });
    const r = adjudicate(db, election, {
      ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'invalid', reason: 'staff_invalid' },
      note: '选票上写有姓名',
    });
    expect(r.ok && r.after).toMatchObject({ status: 'invalid', reason: 'staff_invalid' });
  });

  it('hands a ballot back to the machine reading only for an admin', () => {
    const { db, ballotId, seen } = setup();
    expect(
      adjudicate(db, election, { ballotId, ...seen, actor: alice, decision: { outcome: 'machine' } }),
    ).toEqual({
      ok: false,
      error: 'needs_admin',
    });
    const r = adjudicate(db, election, { ballotId, ...seen, actor: root, decision: { outcome: 'machine' } });
    expect(r.ok && r.after).toMatchObject({ status: 'review', decidedBy: 'machine' });
  });
});
