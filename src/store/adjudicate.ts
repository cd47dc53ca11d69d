import type { Election } from '../election/election.js';
import { ballotKind } from '../election/election.js';
import type { InvalidReason } from '../election/reasons.js';
import { judgeConfirmed } from '../election/rules.js';
import { appendAudit } from './audit.js';
import { type BallotState, ballotState } from './ballot-state.js';
import type { Db } from './db.js';
import type { Role } from './users.js';

/** What a person decided about one ballot. */
export type Decision =
  /** The marks as the person reads them; the election rules then judge them (an overvote stays invalid). */
  | { readonly outcome: 'accept'; readonly marks: readonly number[]; readonly kind?: string }
  | { readonly outcome: 'invalid'; readonly reason: InvalidReason; readonly marks?: readonly number[] }
  | { readonly outcome: 'not_a_ballot' }
  /** Withdraw people's decisions: the latest machine reading stands again (admins only). */
  | { readonly outcome: 'machine' };

export interface AdjudicationInput {
  readonly ballotId: number;
  /** The reading and the decision the person was looking at: if either changed since, the decision is refused as stale. */
  readonly seenReadingId: number;
  readonly seenAdjudicationId: number | null;
  readonly actor: { readonly name: string; readonly role: Role };
  readonly decision: Decision;
  readonly note?: string;
  readonly at?: Date;
}

export type AdjudicationError =
  | 'not_found'
  /** The machine re-read the ballot, or someone else decided, after the page was opened. */
  | 'stale'
  /** A person already decided this ballot (or the decision withdraws people's decisions): admins only. */
  | 'needs_admin'
  | 'unknown_kind'
  /** Marks outside the ballot's items or repeated. */
  | 'bad_marks'
  /** "Invalid by staff" must say why. */
  | 'note_required'
  /** "Back to the machine" on a ballot staff entered by hand: there is no machine reading to go back to. */
  | 'no_machine_reading';

export type AdjudicationResult =
  | {
      readonly ok: true;
      readonly adjudicationId: number;
      readonly before: BallotState;
      readonly after: BallotState;
    }
  | { readonly ok: false; readonly error: AdjudicationError };

const INVALID_REASONS: readonly InvalidReason[] = ['blank', 'overvote', 'undervote', 'staff_invalid'];

export function isInvalidReason(v: string): v is InvalidReason {
  return (INVALID_REASONS as readonly string[]).includes(v);
}

function summary(s: BallotState) {
  return {
    kind: s.kind,
    status: s.status,
    reason: s.reason,
    marks: s.marks,
    decidedBy: s.decidedBy,
    readingId: s.readingId,
    adjudicationId: s.adjudicationId,
  };
}

/**
 * Record a person's decision beside the machine reading (never over it) and its audit
 * entry, in one transaction. The reading rows stay as they are; the ballot's current
 * state is the latest reading overlaid by the latest decision (ballot-state.ts).
 */
export function adjudicate(db: Db, election: Election, input: AdjudicationInput): AdjudicationResult {
  const at = input.at ?? new Date();
  const note = input.note?.trim() ? input.note.trim().slice(0, 2000) : null;
  return db.transaction((): AdjudicationResult => {
    const before = ballotState(db, input.ballotId);
    if (!before) return { ok: false, error: 'not_found' };
    if (before.readingId !== input.seenReadingId || before.adjudicationId !== input.seenAdjudicationId)
      return { ok: false, error: 'stale' };
    const d = input.decision;
    if (input.actor.role !== 'admin' && (before.decidedBy === 'person' || d.outcome === 'machine'))
      return { ok: false, error: 'needs_admin' };
    if (d.outcome === 'machine' && before.origin === 'staff')
      return { ok: false, error: 'no_machine_reading' };

    let row: {
      kind: string | null;
      marks: readonly number[] | null;
      status: string | null;
      reason: string | null;
    };
    switch (d.outcome) {
      case 'accept': {
        const kind = ballotKind(election, d.kind ?? before.kind);
        if (!kind) return { ok: false, error: 'unknown_kind' };
        const verdict = judgeConfirmed(d.marks, kind);
        // With no machine doubts left, only impossible marks (unknown or repeated numbers) can still ask for review.
        if (verdict.status === 'review') return { ok: false, error: 'bad_marks' };
        row = {
          kind: kind.kind,
          marks: verdict.marks,
          status: verdict.status,
          reason: verdict.status === 'invalid' ? verdict.reason : null,
        };
        break;
      }
      case 'invalid': {
        if (d.reason === 'staff_invalid' && !note) return { ok: false, error: 'note_required' };
        const kind = ballotKind(election, before.kind);
        const marks = d.marks ? [...new Set(d.marks)].sort((a, b) => a - b) : before.marks;
        if (kind && marks.some((n) => !kind.items.some((i) => i.number === n)))
          return { ok: false, error: 'bad_marks' };
        row = { kind: before.kind, marks, status: 'invalid', reason: d.reason };
        break;
      }
      case 'not_a_ballot':
        row = { kind: null, marks: null, status: 'not_a_ballot', reason: null };
        break;
      case 'machine':
        row = { kind: null, marks: null, status: null, reason: null };
        break;
      default: {
        const never: never = d;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }

    const info = db
      .prepare(
        `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, kind, marks_json, verdict_status,
           verdict_reason, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.ballotId,
        before.readingId,
        `user:${input.actor.name}`,
        d.outcome,
        row.kind,
        row.marks ? JSON.stringify(row.marks) : null,
        row.status,
        row.reason,
        note,
        at.toISOString(),
      );
    const adjudicationId = Number(info.lastInsertRowid);
    const after = ballotState(db, input.ballotId);
    if (!after) throw new Error(`ballot ${input.ballotId} vanished inside its own transaction`);
    appendAudit(db, {
      actor: `user:${input.actor.name}`,
      action: 'ballot.adjudicated',
      subjectType: 'ballot',
      subjectId: input.ballotId,
      detail: {
        adjudicationId,
        outcome: d.outcome,
        role: input.actor.role,
        note,
        before: summary(before),
        after: summary(after),
      },
      at,
    });
    return { ok: true, adjudicationId, before, after };
  })();
}
