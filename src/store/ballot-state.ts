import type { Db } from './db.js';

/** Where a ballot stands now (or at a past moment): the latest machine reading, overlaid by the latest staff decision. */
export interface BallotState {
  readonly ballotId: number;
  readonly mailId: number;
  readonly pageId: number;
  readonly seq: number;
  readonly kind: string;
  readonly status: 'valid' | 'invalid' | 'review' | 'not_a_ballot';
  readonly reason: string | null;
  readonly marks: number[];
  readonly decidedBy: 'machine' | 'person';
  /** 'staff': a person entered this ballot from the page image (page-decision.ts); 'recognizer': the machine found it. */
  readonly origin: 'recognizer' | 'staff';
  readonly readingId: number;
  readonly adjudicationId: number | null;
  readonly confidence: number;
  readonly reviewReasons: string[];
  /** Bytes already recorded in an earlier mail: never counted. */
  readonly duplicate: boolean;
  /** Mail received after the deadline: recorded, not counted. */
  readonly late: boolean;
  /** The whole mail repeats an earlier one. */
  readonly mailDuplicate: boolean;
  readonly receivedAt: string;
  /** decided (valid/invalid), on time and not a duplicate: what the tally counts. */
  readonly counts: boolean;
}

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * One SQL for "current state" so the tally, reports, review queue and CLI can never disagree.
 * `at` (ISO, UTC) restricts to what had arrived and been read/decided by then.
 */
export const BALLOT_STATE_SQL = `
WITH lr AS (
  SELECT br.* FROM ballot_readings br
  WHERE br.created_at <= @at
    AND br.version = (SELECT MAX(x.version) FROM ballot_readings x WHERE x.ballot_id = br.ballot_id AND x.created_at <= @at)
),
la AS (
  SELECT a.* FROM adjudications a
  WHERE a.created_at <= @at
    AND a.id = (SELECT MAX(y.id) FROM adjudications y WHERE y.ballot_id = a.ballot_id AND y.created_at <= @at)
)
SELECT
  b.id AS ballot_id, b.mail_id, b.page_id, b.seq, b.duplicate, b.origin,
  m.late, m.duplicate_of, m.received_at,
  lr.id AS reading_id, lr.confidence, lr.review_reasons_json,
  CASE WHEN la.id IS NOT NULL AND la.outcome <> 'machine' THEN 1 ELSE 0 END AS by_person,
  la.id AS adjudication_id,
  CASE WHEN la.id IS NOT NULL AND la.outcome <> 'machine' THEN COALESCE(la.kind, lr.kind) ELSE lr.kind END AS kind,
  CASE WHEN la.id IS NOT NULL AND la.outcome <> 'machine' THEN la.verdict_status ELSE lr.verdict_status END AS status,
  CASE WHEN la.id IS NOT NULL AND la.outcome <> 'machine' THEN la.verdict_reason ELSE lr.verdict_reason END AS reason,
  CASE WHEN la.id IS NOT NULL AND la.outcome <> 'machine' THEN COALESCE(la.marks_json, '[]') ELSE lr.marks_json END AS marks_json
FROM ballots b
JOIN lr ON lr.ballot_id = b.id
JOIN mails m ON m.id = b.mail_id
LEFT JOIN la ON la.ballot_id = b.id
WHERE m.received_at <= @at
`;

interface Row {
  ballot_id: number;
  mail_id: number;
  page_id: number;
  seq: number;
  duplicate: number;
  origin: BallotState['origin'];
  late: number;
  duplicate_of: number | null;
  received_at: string;
  reading_id: number;
  confidence: number;
  review_reasons_json: string;
  by_person: number;
  adjudication_id: number | null;
  kind: string;
  status: BallotState['status'];
  reason: string | null;
  marks_json: string;
}

function toState(r: Row): BallotState {
  const duplicate = r.duplicate === 1;
  const late = r.late === 1;
  const mailDuplicate = r.duplicate_of !== null;
  return {
    ballotId: r.ballot_id,
    mailId: r.mail_id,
    pageId: r.page_id,
    seq: r.seq,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    marks: JSON.parse(r.marks_json) as number[],
    decidedBy: r.by_person ? 'person' : 'machine',
    origin: r.origin,
    readingId: r.reading_id,
    adjudicationId: r.adjudication_id,
    confidence: r.confidence,
    reviewReasons: JSON.parse(r.review_reasons_json) as string[],
    duplicate,
    late,
    mailDuplicate,
    receivedAt: r.received_at,
    counts: (r.status === 'valid' || r.status === 'invalid') && !duplicate && !late && !mailDuplicate,
  };
}

export function ballotStates(
  db: Db,
  options: { at?: Date; where?: string; params?: Record<string, unknown> } = {},
) {
  const at = options.at ? options.at.toISOString() : FAR_FUTURE;
  const sql = `SELECT * FROM (${BALLOT_STATE_SQL}) s ${options.where ? `WHERE ${options.where}` : ''} ORDER BY ballot_id`;
  return (db.prepare(sql).all({ at, ...(options.params ?? {}) }) as Row[]).map(toState);
}

export function ballotState(db: Db, ballotId: number): BallotState | undefined {
  return ballotStates(db, { where: 'ballot_id = @id', params: { id: ballotId } })[0];
}
