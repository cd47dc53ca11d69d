import { describe, expect, it } from 'vitest';
import { seedMail, seedUnreadPage } from '../../test/helpers/fixture-db.js';
import { loadElection } from '../election/load.js';
import { loadQueue } from '../review/queue.js';
import { adjudicate } from './adjudicate.js';
import { verifyAudit } from './audit.js';
import { ballotState, ballotStates } from './ballot-state.js';
import { type Db, openDatabase } from './db.js';
import { type PageDecision, decidePage, latestPageDecision } from './page-decision.js';
import { computeTally } from './tally.js';

const election = loadElection('config/election-2023.json');
const alice = { name: 'alice', role: 'reviewer' as const };
const root = { name: 'root', role: 'admin' as const };

function latestReading(db: Db, pageId: number): number {
  return (
    db.prepare('SELECT MAX(id) AS id FROM page_readings WHERE page_id = ?').get(pageId) as { id: number }
  ).id;
}

/** What the form the person submits carries: what they saw, and what they decided. */
function decide(
  db: Db,
  pageId: number,
  decision: PageDecision,
  actor: { name: string; role: 'reviewer' | 'admin' } = alice,
  note?: string,
) {
  return decidePage(db, election, {
    pageId,
    seenPageReadingId: latestReading(db, pageId),
    seenDecisionId: latestPageDecision(db, pageId)?.id ?? null,
    actor,
    decision,
    ...(note ? { note } : {}),
  });
}

function setup(mail: Parameters<typeof seedMail>[1] = {}, page: Parameters<typeof seedUnreadPage>[3] = {}) {
  const db = openDatabase(':memory:');
  const mailId = seedMail(db, { reason: 'no_ballot', ...mail });
  const pageId = seedUnreadPage(db, election, mailId, page);
  return { db, mailId, pageId };
}

const pageEntries = (db: Db) =>
  loadQueue(db, election, { state: 'open' }).entries.filter((e) => e.type === 'page' || e.type === 'mail');

describe('a ballot entered by staff from a page the machine did not read', () => {
  it('is a real ballot of the page, judged by the rules, counted like a recognized one, with the person in the audit trail', () => {
    const { db, mailId, pageId } = setup();
    expect(pageEntries(db).map((e) => e.type)).toEqual(['mail', 'page']);

    const r = decide(
      db,
      pageId,
      { outcome: 'ballot', kind: 'projects', marks: [12, 3, 7] },
      alice,
      '模糊照片',
    );
    expect(r.ok).toBe(true);
    const ballotId = r.ok ? r.ballot!.ballotId : -1;
    expect(ballotState(db, ballotId)).toMatchObject({
      pageId,
      mailId,
      seq: 1,
      kind: 'projects',
      status: 'valid',
      marks: [3, 7, 12],
      decidedBy: 'person',
      origin: 'staff',
      counts: true,
    });
    expect(
      db.prepare('SELECT method, recognizer_version FROM ballot_readings WHERE ballot_id = ?').get(ballotId),
    ).toEqual({
      method: 'manual',
      recognizer_version: 'staff',
    });
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots).toEqual({ valid: 1, invalid: 0, review: 0 });
    expect([tally.projects!.votes['3'], tally.projects!.votes['7'], tally.projects!.votes['12']]).toEqual([
      1, 1, 1,
    ]);
    // The mail no longer counts as one without a ballot.
    expect(tally.mails.without_ballot).toBe(0);

    const audit = db
      .prepare(
        `SELECT actor, action, subject_type, detail FROM audit WHERE actor = 'user:alice' ORDER BY seq`,
      )
      .all() as { actor: string; action: string; subject_type: string; detail: string }[];
    expect(audit.map((a) => a.action)).toEqual(['ballot.entered', 'page.decided', 'mail.reason_changed']);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({
      kind: 'projects',
      marks: [3, 7, 12],
      verdict: 'valid',
      note: '模糊照片',
    });
    expect(verifyAudit(db).ok).toBe(true);

    // Handled: neither the page nor its mail waits in the queue any more.
    expect(pageEntries(db)).toEqual([]);
  });

  it('applies the ballot kind’s rules: too many ticks is an overvote, none is blank', () => {
    const { db, pageId } = setup();
    const projects = election.ballots.find((b) => b.kind === 'projects')!;
    const tooMany = projects.items.slice(0, projects.maxMarks + 1).map((i) => i.number);
    const over = decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: tooMany });
    expect(over.ok && over.ballot).toMatchObject({ status: 'invalid', reason: 'overvote' });
    const blank = decide(db, pageId, { outcome: 'ballot', kind: 'districts', marks: [] });
    expect(blank.ok && blank.ballot).toMatchObject({ status: 'invalid', reason: 'blank', kind: 'districts' });
    const tally = computeTally(db, election);
    expect(tally.projects!.invalid_by_reason.overvote).toBe(1);
    expect(tally.districts!.invalid_by_reason.blank).toBe(1);
  });

  it('takes several ballots from one page, and refuses the same form sent twice', () => {
    const { db, pageId } = setup();
    const seen = { seenPageReadingId: latestReading(db, pageId), seenDecisionId: null };
    const first = decidePage(db, election, {
      pageId,
      ...seen,
      actor: alice,
      decision: { outcome: 'ballot', kind: 'projects', marks: [1] },
    });
    expect(first.ok).toBe(true);
    // A double click posts the same form again: nothing is counted twice.
    const again = decidePage(db, election, {
      pageId,
      ...seen,
      actor: alice,
      decision: { outcome: 'ballot', kind: 'projects', marks: [1] },
    });
    expect(again).toEqual({ ok: false, error: 'stale' });
    const second = decide(db, pageId, { outcome: 'ballot', kind: 'districts', marks: [2, 5] });
    expect(second.ok).toBe(true);
    expect(
      ballotStates(db, { where: 'page_id = @p', params: { p: pageId } }).map((s) => [s.seq, s.kind]),
    ).toEqual([
      [1, 'projects'],
      [2, 'districts'],
    ]);
    expect(computeTally(db, election).projects!.votes['1']).toBe(1);
  });

  it('records but does not count a ballot from a late mail or a repeated attachment', () => {
    const late = setup({ late: true, receivedAt: new Date(election.closesAt.getTime() + 60_000) });
    const r1 = decide(late.db, late.pageId, { outcome: 'ballot', kind: 'projects', marks: [4] });
    expect(r1.ok && r1.ballot).toMatchObject({ status: 'valid', late: true, counts: false });
    expect(computeTally(late.db, election).projects!.votes['4']).toBe(0);
    expect(computeTally(late.db, election).projects!.ballots.valid).toBe(0);

    const dup = setup({}, { duplicate: true });
    const r2 = decide(dup.db, dup.pageId, { outcome: 'ballot', kind: 'projects', marks: [4] });
    expect(r2.ok && r2.ballot).toMatchObject({ status: 'valid', duplicate: true, counts: false });
    expect(computeTally(dup.db, election).projects!.votes['4']).toBe(0);
  });

  it('refuses item numbers that are not on the ballot and kinds not in the election', () => {
    const { db, pageId } = setup();
    expect(decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [999] })).toEqual({
      ok: false,
      error: 'bad_marks',
    });
    expect(decide(db, pageId, { outcome: 'ballot', kind: 'mayor', marks: [1] })).toEqual({
      ok: false,
      error: 'unknown_kind',
    });
    expect(db.prepare('SELECT COUNT(*) AS n FROM ballots').get()).toEqual({ n: 0 });
  });

  it('lets an admin withdraw a ballot entered by mistake, like any staff decision', () => {
    const { db, pageId } = setup();
    const r = decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [9] });
    const s = r.ok ? r.ballot! : undefined;
    const seen = { seenReadingId: s!.readingId, seenAdjudicationId: s!.adjudicationId };
    const byReviewer = adjudicate(db, election, {
      ballotId: s!.ballotId,
      ...seen,
      actor: alice,
      decision: { outcome: 'not_a_ballot' },
    });
    expect(byReviewer).toEqual({ ok: false, error: 'needs_admin' });
    // There is no machine reading behind it to hand back to.
    expect(
      adjudicate(db, election, {
        ballotId: s!.ballotId,
        ...seen,
        actor: root,
        decision: { outcome: 'machine' },
      }),
    ).toEqual({ ok: false, error: 'no_machine_reading' });
    const byAdmin = adjudicate(db, election, {
      ballotId: s!.ballotId,
      ...seen,
      actor: root,
      decision: { outcome: 'not_a_ballot' },
    });
    expect(byAdmin.ok).toBe(true);
    expect(computeTally(db, election).projects!.votes['9']).toBe(0);
  });
});

describe('confirming that a page holds no ballot', () => {
  it('takes the page out of the queue; a reviewer can no longer enter a ballot there, an admin can', () => {
    const { db, pageId } = setup();
    const r = decide(db, pageId, { outcome: 'not_a_ballot' }, alice, '自拍照');
    expect(r).toMatchObject({ ok: true, ballot: null });
    expect(pageEntries(db)).toEqual([]);
    expect(
      db
        .prepare(
          `SELECT actor, action FROM audit WHERE subject_type = 'page' AND subject_id = ? ORDER BY seq DESC LIMIT 1`,
        )
        .get(pageId),
    ).toEqual({ actor: 'user:alice', action: 'page.decided' });
    expect(decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [1] })).toEqual({
      ok: false,
      error: 'needs_admin',
    });
    expect(decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [1] }, root).ok).toBe(true);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('is refused while ballots stand on the page', () => {
    const { db, pageId } = setup();
    decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [1] });
    expect(decide(db, pageId, { outcome: 'not_a_ballot' })).toEqual({ ok: false, error: 'has_ballots' });
  });

  it('means "no other ballot here" on a page where the machine read ballots but saw another table', () => {
    const { db, pageId } = setup();
    decide(db, pageId, { outcome: 'ballot', kind: 'projects', marks: [1] });
    // The latest machine reading: ballots read, and a table it could not read.
    db.prepare(
      `UPDATE page_readings SET status = 'ballots', reason = 'unread_table', detail = '["cut by the frame"]'
       WHERE id = (SELECT MAX(id) FROM page_readings WHERE page_id = ?)`,
    ).run(pageId);
    const r = decide(db, pageId, { outcome: 'not_a_ballot' });
    expect(r).toMatchObject({ ok: true, ballot: null });
    // The ballot entered before still stands and counts.
    expect(computeTally(db, election).projects!.votes['1']).toBe(1);
    expect(pageEntries(db)).toEqual([]);
  });
});
