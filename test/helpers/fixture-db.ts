/**
 * Builds databases for tests of the stages after recognition (tally, review, reports)
 * without running the recognizer: rows go in through the same tables and audit trail
 * the pipeline uses, with a reading whose verdict comes from the real election rules.
 */
import { createHash } from 'node:crypto';
import type { BallotKind, Election } from '../../src/election/election.js';
import { judge } from '../../src/election/rules.js';
import { appendAudit } from '../../src/store/audit.js';
import type { Db } from '../../src/store/db.js';

export interface SeedMail {
  receivedAt?: Date;
  from?: string;
  subject?: string;
  late?: boolean;
  duplicateOf?: number | null;
  status?: 'processed' | 'failed';
  reason?: string | null;
  messageId?: string;
}

export interface SeedBallot {
  kind: string;
  /** Item numbers read as definitely marked. */
  marks: number[];
  /** Item numbers the machine was unsure of. */
  uncertain?: number[];
  doubts?: string[];
  confidence?: number;
  duplicate?: boolean;
  /** A straightened ballot image blob hash, when the test stores one. */
  imageSha256?: string | null;
  readAt?: Date;
}

let counter = 0;

export function seedMail(db: Db, m: SeedMail = {}): number {
  counter++;
  const receivedAt = (m.receivedAt ?? new Date('2024-01-20T02:00:00Z')).toISOString();
  const sha = createHash('sha256').update(`mail-${counter}-${Math.random()}`).digest('hex');
  const info = db
    .prepare(
      `INSERT INTO mails (source, account, folder, sha256, size, message_id, from_addr, subject, received_at, status, reason,
         late, duplicate_of, created_at, processed_at)
       VALUES ('cli', 'test', NULL, ?, 1000, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      sha,
      m.messageId ?? `<seed-${counter}@test>`,
      m.from ?? `voter${counter}@example.cn`,
      m.subject ?? '选票',
      receivedAt,
      m.status ?? 'processed',
      m.reason ?? null,
      m.late ? 1 : 0,
      m.duplicateOf ?? null,
      receivedAt,
      receivedAt,
    );
  const id = Number(info.lastInsertRowid);
  appendAudit(db, {
    actor: 'test',
    action: 'mail.received',
    subjectType: 'mail',
    subjectId: id,
    detail: { sha256: sha },
  });
  return id;
}

function kindOf(election: Election, kind: string): BallotKind {
  const k = election.ballots.find((b) => b.kind === kind);
  if (!k) throw new Error(`no ballot kind ${kind}`);
  return k;
}

/** One attachment with one page holding the given ballots (several = a sheet with both tables, say). */
export function seedBallots(db: Db, election: Election, mailId: number, ballots: SeedBallot[]): number[] {
  counter++;
  const sha = createHash('sha256').update(`att-${counter}`).digest('hex');
  const att = db
    .prepare(
      `INSERT INTO attachments (mail_id, part_path, filename, declared_type, format, origin, size, sha256, status)
       VALUES (?, ?, 'ballot.jpg', 'image/jpeg', 'jpeg', 'attachment', 1000, ?, ?)`,
    )
    .run(mailId, String(counter), sha, ballots.some((b) => b.duplicate) ? 'duplicate' : 'read');
  const attachmentId = Number(att.lastInsertRowid);
  const page = db.prepare('INSERT INTO pages (attachment_id, page_no) VALUES (?, 1)').run(attachmentId);
  const pageId = Number(page.lastInsertRowid);
  const readAt = (ballots[0]?.readAt ?? new Date('2024-01-20T02:00:01Z')).toISOString();
  const pr = db
    .prepare(
      `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, quality, created_at)
       VALUES (?, 1, 'test', ?, 'ballots', 0.9, ?)`,
    )
    .run(pageId, election.hash, readAt);
  const pageReadingId = Number(pr.lastInsertRowid);
  return ballots.map((b, i) => {
    const kind = kindOf(election, b.kind);
    const uncertain = b.uncertain ?? [];
    const verdict = judge({ marked: b.marks, uncertain, doubts: (b.doubts ?? []) as never[] }, kind);
    const items = kind.items.map((it) => ({
      number: it.number,
      score: b.marks.includes(it.number) ? 0.12 : uncertain.includes(it.number) ? 0.03 : 0.001,
      decision: b.marks.includes(it.number)
        ? 'marked'
        : uncertain.includes(it.number)
          ? 'uncertain'
          : 'unmarked',
      box: { x: 10, y: 10 + 20 * it.number, width: 30, height: 18 },
    }));
    const ballot = db
      .prepare(
        `INSERT INTO ballots (page_id, seq, mail_id, attachment_id, duplicate, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(pageId, i + 1, mailId, attachmentId, b.duplicate ? 1 : 0, readAt);
    const ballotId = Number(ballot.lastInsertRowid);
    db.prepare(
      `INSERT INTO ballot_readings (ballot_id, page_reading_id, version, recognizer_version, election_hash, kind,
         kind_confidence, method, confidence, items_json, marks_json, doubts_json, notes_json, region_json, evidence_json,
         image_sha256, verdict_status, verdict_reason, review_reasons_json, created_at)
       VALUES (?, ?, 1, 'test', ?, ?, 0.99, 'image', ?, ?, ?, ?, '[]', NULL, '{}', ?, ?, ?, ?, ?)`,
    ).run(
      ballotId,
      pageReadingId,
      election.hash,
      b.kind,
      b.confidence ?? 0.95,
      JSON.stringify(items),
      JSON.stringify([...verdict.marks]),
      JSON.stringify(b.doubts ?? []),
      b.imageSha256 ?? null,
      verdict.status,
      verdict.status === 'invalid' ? verdict.reason : null,
      JSON.stringify(verdict.status === 'review' ? verdict.reasons : []),
      readAt,
    );
    appendAudit(db, {
      actor: 'test',
      action: 'ballot.judged',
      subjectType: 'ballot',
      subjectId: ballotId,
      detail: { verdict },
    });
    return ballotId;
  });
}

export interface SeedPage {
  /** What the recognizer made of the page. */
  status?: 'not_a_ballot' | 'unreadable';
  /** The recognizer's confidence that there is no ballot (not_a_ballot pages). */
  quality?: number;
  imageSha256?: string | null;
  /** The attachment's bytes were already recorded in an earlier mail. */
  duplicate?: boolean;
}

/** One attachment with one page the recognizer did not read as a ballot (a blurred photo, say). */
export function seedUnreadPage(db: Db, election: Election, mailId: number, p: SeedPage = {}): number {
  counter++;
  const sha = createHash('sha256').update(`page-att-${counter}`).digest('hex');
  const att = db
    .prepare(
      `INSERT INTO attachments (mail_id, part_path, filename, declared_type, format, origin, size, sha256, status)
       VALUES (?, ?, 'photo.jpg', 'image/jpeg', 'jpeg', 'attachment', 1000, ?, ?)`,
    )
    .run(mailId, String(counter), sha, p.duplicate ? 'duplicate' : 'read');
  const pageId = Number(
    db
      .prepare('INSERT INTO pages (attachment_id, page_no, image_sha256) VALUES (?, 1, ?)')
      .run(att.lastInsertRowid, p.imageSha256 ?? null).lastInsertRowid,
  );
  const status = p.status ?? 'not_a_ballot';
  db.prepare(
    `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, reason, detail, quality, created_at)
     VALUES (?, 1, 'test', ?, ?, ?, ?, ?, '2024-01-20T02:00:01.000Z')`,
  ).run(
    pageId,
    election.hash,
    status,
    status === 'unreadable' ? 'corrupt_file' : 'not_a_ballot',
    status === 'unreadable' ? 'JPEG decoded, no table found' : '["table rejected"]',
    status === 'not_a_ballot' ? (p.quality ?? 0.8) : null,
  );
  appendAudit(db, {
    actor: 'recognizer@test',
    action: 'page.read',
    subjectType: 'page',
    subjectId: pageId,
    detail: { status },
  });
  return pageId;
}
