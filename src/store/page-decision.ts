import type { Election } from '../election/election.js';
import { ballotKind } from '../election/election.js';
import { judgeConfirmed } from '../election/rules.js';
import { appendAudit } from './audit.js';
import { type BallotState, ballotState, ballotStates } from './ballot-state.js';
import type { Db } from './db.js';
import type { Role } from './users.js';

/**
 * Staff decisions about a whole page: "this page holds a ballot, here are its marks" (as many times as
 * the page holds slips) or "this page holds no ballot". A ballot entered by hand is an ordinary ballots
 * row (origin 'staff') with a reading of method 'manual' and a staff decision on top, so the tally,
 * reports, the late-mail and duplicate-attachment rules and the audit trail treat it like any other.
 */

export const MANUAL_METHOD = 'manual';
/** recognizer_version of a reading a person entered: no recognizer was involved. */
export const MANUAL_READER = 'staff';

export interface PageDecisionRow {
  readonly id: number;
  readonly pageId: number;
  readonly pageReadingId: number;
  readonly actor: string;
  readonly outcome: 'ballots' | 'not_a_ballot' | 'machine';
  readonly ballotId: number | null;
  readonly note: string | null;
  readonly createdAt: string;
}

export function latestPageDecision(db: Db, pageId: number): PageDecisionRow | undefined {
  const r = db
    .prepare('SELECT * FROM page_decisions WHERE page_id = ? ORDER BY id DESC LIMIT 1')
    .get(pageId) as
    | {
        id: number;
        page_id: number;
        page_reading_id: number;
        actor: string;
        outcome: PageDecisionRow['outcome'];
        ballot_id: number | null;
        note: string | null;
        created_at: string;
      }
    | undefined;
  return r
    ? {
        id: r.id,
        pageId: r.page_id,
        pageReadingId: r.page_reading_id,
        actor: r.actor,
        outcome: r.outcome,
        ballotId: r.ballot_id,
        note: r.note,
        createdAt: r.created_at,
      }
    : undefined;
}

/** A person has decided this page (entered ballots from it, or confirmed it holds none) and nobody withdrew that. */
export function pageDecidedByPerson(db: Db, pageId: number): boolean {
  const d = latestPageDecision(db, pageId);
  return d !== undefined && d.outcome !== 'machine';
}

export type PageDecision =
  /** One ballot read from the page by a person: its kind and the items ticked. The election rules judge it. */
  | { readonly outcome: 'ballot'; readonly kind: string; readonly marks: readonly number[] }
  | { readonly outcome: 'not_a_ballot' };

export interface PageDecisionInput {
  readonly pageId: number;
  /** The page reading and the latest page decision the person saw: if either changed since, the decision is stale. */
  readonly seenPageReadingId: number;
  readonly seenDecisionId: number | null;
  readonly actor: { readonly name: string; readonly role: Role };
  readonly decision: PageDecision;
  readonly note?: string;
  readonly at?: Date;
}

export type PageDecisionError =
  | 'not_found'
  /** Re-read, or someone else decided (or entered a ballot) after the page was opened: a resubmitted form lands here. */
  | 'stale'
  /** A person confirmed this page holds no ballot: only an admin may now enter one. */
  | 'needs_admin'
  | 'unknown_kind'
  /** Marks outside the ballot's items or repeated. */
  | 'bad_marks'
  /** "Not a ballot" on a page that still has ballots standing. */
  | 'has_ballots';

export type PageDecisionResult =
  | { readonly ok: true; readonly decisionId: number; readonly ballot: BallotState | null }
  | { readonly ok: false; readonly error: PageDecisionError };

interface PageFacts {
  page_id: number;
  attachment_id: number;
  attachment_status: string;
  mail_id: number;
  mail_status: string;
  mail_reason: string | null;
  duplicate_of: number | null;
  reading_id: number | null;
  reading_reason: string | null;
}

function pageFacts(db: Db, pageId: number): PageFacts | undefined {
  return db
    .prepare(
      `SELECT p.id AS page_id, a.id AS attachment_id, a.status AS attachment_status, m.id AS mail_id,
              m.status AS mail_status, m.reason AS mail_reason, m.duplicate_of,
              pr.id AS reading_id, pr.reason AS reading_reason
       FROM pages p JOIN attachments a ON a.id = p.attachment_id JOIN mails m ON m.id = a.mail_id
       -- The latest machine reading of the page, found once for both of its columns.
       LEFT JOIN page_readings pr
         ON pr.id = (SELECT id FROM page_readings WHERE page_id = p.id ORDER BY version DESC LIMIT 1)
       WHERE p.id = ?`,
    )
    .get(pageId) as PageFacts | undefined;
}

/**
 * Record a person's decision about a page, in one transaction with its audit entries. Entering a ballot
 * adds a ballots row (next seq on the page), a reading of method 'manual' judged by the election rules,
 * and a staff decision ('accept') by the same person, so the ballot counts as decided by a person.
 */
export function decidePage(db: Db, election: Election, input: PageDecisionInput): PageDecisionResult {
  const at = input.at ?? new Date();
  const now = at.toISOString();
  const note = input.note?.trim() ? input.note.trim().slice(0, 2000) : null;
  const actor = `user:${input.actor.name}`;
  return db.transaction((): PageDecisionResult => {
    const f = pageFacts(db, input.pageId);
    if (!f || f.reading_id === null || f.duplicate_of !== null) return { ok: false, error: 'not_found' };
    if (f.attachment_status !== 'read' && f.attachment_status !== 'duplicate')
      return { ok: false, error: 'not_found' };
    const latest = latestPageDecision(db, input.pageId);
    if (f.reading_id !== input.seenPageReadingId || (latest?.id ?? null) !== input.seenDecisionId)
      return { ok: false, error: 'stale' };
    const d = input.decision;
    const standing = ballotStates(db, { where: 'page_id = @p', params: { p: input.pageId } }).filter(
      (s) => s.status !== 'not_a_ballot',
    );

    if (d.outcome === 'not_a_ballot') {
      // On a page where the machine read ballots but saw another table it could not read,
      // this decision means "no other ballot here": the ballots read stand.
      if (standing.length > 0 && f.reading_reason !== 'unread_table')
        return { ok: false, error: 'has_ballots' };
      const id = insertDecision(db, input.pageId, f.reading_id, actor, 'not_a_ballot', null, note, now);
      appendAudit(db, {
        actor,
        action: 'page.decided',
        subjectType: 'page',
        subjectId: input.pageId,
        detail: {
          decisionId: id,
          outcome: 'not_a_ballot',
          pageReadingId: f.reading_id,
          role: input.actor.role,
          note,
        },
        at,
      });
      return { ok: true, decisionId: id, ballot: null };
    }

    // Overruling another person's "no ballot here" is an admin's call, as for ballots (adjudicate.ts).
    if (latest?.outcome === 'not_a_ballot' && input.actor.role !== 'admin')
      return { ok: false, error: 'needs_admin' };
    const kind = ballotKind(election, d.kind);
    if (!kind) return { ok: false, error: 'unknown_kind' };
    const verdict = judgeConfirmed(d.marks, kind);
    // With no machine doubts, only impossible marks (unknown or repeated numbers) ask for review.
    if (verdict.status === 'review') return { ok: false, error: 'bad_marks' };
    const reason = verdict.status === 'invalid' ? verdict.reason : null;
    const marks = [...verdict.marks];

    const seq =
      (
        db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM ballots WHERE page_id = ?').get(input.pageId) as {
          s: number;
        }
      ).s + 1;
    // Bytes already recorded in an earlier mail: entered and kept, never counted — as for a machine ballot.
    const duplicate = f.attachment_status === 'duplicate' ? 1 : 0;
    const ballotId = Number(
      db
        .prepare(
          `INSERT INTO ballots (page_id, seq, mail_id, attachment_id, duplicate, created_at, origin)
           VALUES (?, ?, ?, ?, ?, ?, 'staff')`,
        )
        .run(input.pageId, seq, f.mail_id, f.attachment_id, duplicate, now).lastInsertRowid,
    );
    const items = kind.items.map((it) => ({
      number: it.number,
      score: marks.includes(it.number) ? 1 : 0,
      decision: marks.includes(it.number) ? 'marked' : 'unmarked',
      box: null,
    }));
    const readingId = Number(
      db
        .prepare(
          `INSERT INTO ballot_readings (ballot_id, page_reading_id, version, recognizer_version, election_hash, kind,
             kind_confidence, method, confidence, items_json, marks_json, doubts_json, notes_json, region_json,
             evidence_json, image_sha256, verdict_status, verdict_reason, review_reasons_json, created_at)
           VALUES (?, ?, 1, ?, ?, ?, 1, ?, 1, ?, ?, '[]', ?, NULL, ?, NULL, ?, ?, '[]', ?)`,
        )
        .run(
          ballotId,
          f.reading_id,
          MANUAL_READER,
          election.hash,
          kind.kind,
          MANUAL_METHOD,
          JSON.stringify(items),
          JSON.stringify(marks),
          JSON.stringify(note ? [note] : []),
          JSON.stringify({ enteredBy: actor, role: input.actor.role }),
          verdict.status,
          reason,
          now,
        ).lastInsertRowid,
    );
    const adjudicationId = Number(
      db
        .prepare(
          `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, kind, marks_json, verdict_status,
             verdict_reason, note, created_at)
           VALUES (?, ?, ?, 'accept', ?, ?, ?, ?, ?, ?)`,
        )
        .run(ballotId, readingId, actor, kind.kind, JSON.stringify(marks), verdict.status, reason, note, now)
        .lastInsertRowid,
    );
    const decisionId = insertDecision(db, input.pageId, f.reading_id, actor, 'ballots', ballotId, note, now);
    const ballot = ballotState(db, ballotId);
    if (!ballot) throw new Error(`ballot ${ballotId} vanished inside its own transaction`);
    appendAudit(db, {
      actor,
      action: 'ballot.entered',
      subjectType: 'ballot',
      subjectId: ballotId,
      detail: {
        pageId: input.pageId,
        seq,
        kind: kind.kind,
        verdict: verdict.status,
        reason,
        marks,
        note,
        role: input.actor.role,
        readingId,
        adjudicationId,
        pageDecisionId: decisionId,
        late: ballot.late,
        duplicate: ballot.duplicate,
        counts: ballot.counts,
      },
      at,
    });
    appendAudit(db, {
      actor,
      action: 'page.decided',
      subjectType: 'page',
      subjectId: input.pageId,
      detail: {
        decisionId,
        outcome: 'ballots',
        ballotId,
        pageReadingId: f.reading_id,
        role: input.actor.role,
      },
      at,
    });
    // A mail recorded as holding no ballot now holds one (as a re-read that finds one would say).
    if (f.mail_status === 'processed' && f.mail_reason === 'no_ballot') {
      db.prepare('UPDATE mails SET reason = NULL WHERE id = ?').run(f.mail_id);
      appendAudit(db, {
        actor,
        action: 'mail.reason_changed',
        subjectType: 'mail',
        subjectId: f.mail_id,
        detail: { before: 'no_ballot', after: null, ballotId },
        at,
      });
    }
    return { ok: true, decisionId, ballot };
  })();
}

function insertDecision(
  db: Db,
  pageId: number,
  pageReadingId: number,
  actor: string,
  outcome: PageDecisionRow['outcome'],
  ballotId: number | null,
  note: string | null,
  now: string,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO page_decisions (page_id, page_reading_id, actor, outcome, ballot_id, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(pageId, pageReadingId, actor, outcome, ballotId, note, now).lastInsertRowid,
  );
}

/**
 * `reprocess --override-human` on a page a person decided: the person's page decision is withdrawn and
 * every ballot they entered from it is superseded (a staff decision 'not_a_ballot' by whoever asked, with
 * its audit entry), so the new machine reading stands alone and nothing is counted twice. Call inside the
 * re-process transaction; returns the superseded ballot ids.
 */
export function supersedePageDecisions(
  db: Db,
  pageId: number,
  pageReadingId: number,
  actor: string,
  why: string,
  now: string,
): number[] {
  if (!pageDecidedByPerson(db, pageId)) return [];
  const superseded: number[] = [];
  const staffBallots = ballotStates(db, {
    where: `page_id = @p AND ballot_id IN (SELECT id FROM ballots WHERE origin = 'staff')`,
    params: { p: pageId },
  });
  for (const s of staffBallots) {
    if (s.status === 'not_a_ballot') continue;
    const adjudicationId = Number(
      db
        .prepare(
          `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, verdict_status, note, created_at)
           VALUES (?, ?, ?, 'not_a_ballot', 'not_a_ballot', ?, ?)`,
        )
        .run(s.ballotId, s.readingId, actor, why, now).lastInsertRowid,
    );
    appendAudit(db, {
      actor,
      action: 'ballot.superseded',
      subjectType: 'ballot',
      subjectId: s.ballotId,
      detail: {
        adjudicationId,
        why,
        before: { kind: s.kind, status: s.status, reason: s.reason, marks: s.marks },
        after: { status: 'not_a_ballot' },
      },
    });
    superseded.push(s.ballotId);
  }
  const decisionId = insertDecision(db, pageId, pageReadingId, actor, 'machine', null, why, now);
  appendAudit(db, {
    actor,
    action: 'page.decided',
    subjectType: 'page',
    subjectId: pageId,
    detail: { decisionId, outcome: 'machine', why, superseded },
  });
  return superseded;
}
