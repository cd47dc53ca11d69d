import type { IncomingMail } from '../mail/incoming.js';
import type { ReadMail, ReadPage } from '../worker/read-mail.js';
import { appendAudit } from './audit.js';
import type { Db } from './db.js';

/**
 * The ingest pipeline's writes. Each exported function is one transaction, so a crash
 * leaves either the whole step or none of it; a mail's readings are written by recordRead
 * in a single transaction.
 */

export interface MailRow {
  readonly id: number;
  readonly status: 'pending' | 'processed' | 'failed';
  readonly reason: string | null;
  readonly error: string | null;
  readonly attempts: number;
  readonly late: number;
  readonly duplicate_of: number | null;
  readonly sha256: string;
  readonly received_at: string;
}

const MAIL_COLUMNS = 'id, status, reason, error, attempts, late, duplicate_of, sha256, received_at';

export function mailById(db: Db, id: number): MailRow | undefined {
  return db.prepare(`SELECT ${MAIL_COLUMNS} FROM mails WHERE id = ?`).get(id) as MailRow | undefined;
}

interface MailKey {
  source: string;
  account: string;
  folder: string;
  uidvalidity: number;
  uid: number;
}

/** IMAP-style key when the source has one (folder and CLI sources are remembered by content hash). */
export function mailKey(mail: IncomingMail): MailKey | null {
  if (mail.uidvalidity === null || mail.uid === null) return null;
  return {
    source: mail.source,
    account: mail.account,
    folder: mail.folder ?? '',
    uidvalidity: mail.uidvalidity,
    uid: mail.uid,
  };
}

/** Find the mail this delivery repeats: same mailbox key, else same bytes (the earliest original). */
export function findKnownMail(
  db: Db,
  mail: IncomingMail,
  sha256: string,
): { row: MailRow; by: 'key' | 'content' } | null {
  const key = mailKey(mail);
  if (key) {
    const hit = db
      .prepare(
        `SELECT m.${MAIL_COLUMNS.split(', ').join(', m.')} FROM mail_keys k JOIN mails m ON m.id = k.mail_id
         WHERE k.source = @source AND k.account = @account AND k.folder = @folder AND k.uidvalidity = @uidvalidity AND k.uid = @uid`,
      )
      .get(key) as MailRow | undefined;
    if (hit) return { row: hit, by: 'key' };
  }
  const byContent = db
    .prepare(
      `SELECT ${MAIL_COLUMNS} FROM mails WHERE sha256 = ? ORDER BY duplicate_of IS NOT NULL, id LIMIT 1`,
    )
    .get(sha256) as MailRow | undefined;
  return byContent ? { row: byContent, by: 'content' } : null;
}

function rememberKey(db: Db, mail: IncomingMail, mailId: number, now: string): boolean {
  const key = mailKey(mail);
  if (!key) return false;
  const info = db
    .prepare(
      `INSERT OR IGNORE INTO mail_keys (source, account, folder, uidvalidity, uid, mail_id, seen_at)
       VALUES (@source, @account, @folder, @uidvalidity, @uid, @mailId, @now)`,
    )
    .run({ ...key, mailId, now });
  return info.changes > 0;
}

function deliveryDetail(mail: IncomingMail): Record<string, unknown> {
  return {
    source: mail.source,
    account: mail.account,
    folder: mail.folder,
    uidvalidity: mail.uidvalidity,
    uid: mail.uid,
    sourceRef: mail.sourceRef,
  };
}

/**
 * A delivery of something already recorded. A known mailbox key is a plain re-delivery (nothing to
 * record); the same bytes under a new key or from a file (a mailbox reset, a resend, a copy) are
 * remembered under the new key and noted in the audit trail.
 */
export function recordRedelivery(
  db: Db,
  mail: IncomingMail,
  known: { row: MailRow; by: 'key' | 'content' },
): void {
  if (known.by === 'key') return;
  db.transaction(() => {
    const now = new Date().toISOString();
    rememberKey(db, mail, known.row.id, now);
    appendAudit(db, {
      actor: 'ingest',
      action: 'mail.duplicate',
      subjectType: 'mail',
      subjectId: known.row.id,
      detail: { by: 'content', sha256: known.row.sha256, ...deliveryDetail(mail) },
    });
  }).immediate();
}

export interface ReceiptHeaders {
  readonly messageId: string | null;
  readonly from: string | null;
  readonly subject: string | null;
  readonly date: Date | null;
}

export type ReceiptResult =
  | { readonly kind: 'new'; readonly mailId: number; readonly late: boolean }
  /** Same bytes recorded meanwhile (another process): treat as a re-delivery. */
  | { readonly kind: 'known'; readonly row: MailRow }
  /** Same Message-ID as an earlier mail: recorded as its duplicate, not read. */
  | { readonly kind: 'duplicate'; readonly mailId: number; readonly originalId: number };

/**
 * Record the arrival of a mail whose original is already in the blob store: the mails row
 * (pending), its mailbox key and 'mail.received'. A second mail with a Message-ID already
 * recorded is kept (its bytes may differ) but marked duplicate_of and never read.
 */
export function recordReceipt(
  db: Db,
  mail: IncomingMail,
  sha256: string,
  headers: ReceiptHeaders,
  closesAt: Date,
): ReceiptResult {
  return db
    .transaction((): ReceiptResult => {
      const again = findKnownMail(db, mail, sha256);
      if (again) return { kind: 'known', row: again.row };
      const now = new Date().toISOString();
      const late = mail.receivedAt.getTime() >= closesAt.getTime();
      const info = db
        .prepare(
          `INSERT INTO mails (source, account, folder, uidvalidity, uid, source_ref, sha256, size, message_id, from_addr,
             subject, date_header, received_at, status, late, created_at)
           VALUES (@source, @account, @folder, @uidvalidity, @uid, @sourceRef, @sha256, @size, @messageId, @from,
             @subject, @dateHeader, @receivedAt, 'pending', @late, @now)`,
        )
        .run({
          source: mail.source,
          account: mail.account,
          folder: mail.folder,
          uidvalidity: mail.uidvalidity,
          uid: mail.uid,
          sourceRef: mail.sourceRef,
          sha256,
          size: mail.raw.length,
          messageId: headers.messageId,
          from: headers.from,
          subject: headers.subject,
          dateHeader:
            headers.date && !Number.isNaN(headers.date.getTime()) ? headers.date.toISOString() : null,
          receivedAt: mail.receivedAt.toISOString(),
          late: late ? 1 : 0,
          now,
        });
      const mailId = Number(info.lastInsertRowid);
      rememberKey(db, mail, mailId, now);
      appendAudit(db, {
        actor: 'ingest',
        action: 'mail.received',
        subjectType: 'mail',
        subjectId: mailId,
        detail: {
          ...deliveryDetail(mail),
          sha256,
          size: mail.raw.length,
          messageId: headers.messageId,
          receivedAt: mail.receivedAt.toISOString(),
        },
      });
      if (headers.messageId) {
        const original = db
          .prepare(
            `SELECT id FROM mails WHERE message_id = ? AND id <> ? AND duplicate_of IS NULL ORDER BY id LIMIT 1`,
          )
          .get(headers.messageId, mailId) as { id: number } | undefined;
        if (original) {
          db.prepare(
            `UPDATE mails SET status = 'processed', reason = 'duplicate', duplicate_of = ?, processed_at = ? WHERE id = ?`,
          ).run(original.id, now, mailId);
          appendAudit(db, {
            actor: 'ingest',
            action: 'mail.duplicate',
            subjectType: 'mail',
            subjectId: mailId,
            detail: { by: 'message-id', messageId: headers.messageId, duplicateOf: original.id },
          });
          return { kind: 'duplicate', mailId, originalId: original.id };
        }
      }
      return { kind: 'new', mailId, late };
    })
    .immediate();
}

/** Count an attempt before it starts, so a mail that kills the process every time is still parked in the end. */
export function startAttempt(db: Db, mailId: number): number {
  return db
    .transaction(() => {
      db.prepare('UPDATE mails SET attempts = attempts + 1 WHERE id = ?').run(mailId);
      return (db.prepare('SELECT attempts FROM mails WHERE id = ?').get(mailId) as { attempts: number })
        .attempts;
    })
    .immediate();
}

/**
 * An attempt failed. Below the budget the mail stays pending (the source or the next start retries it);
 * at the budget it is parked as failed with its error, for staff. The original stays in the blob store.
 */
export function recordAttemptFailure(
  db: Db,
  mailId: number,
  error: string,
  final: boolean,
  reason: string = 'processing_failed',
): void {
  db.transaction(() => {
    const now = new Date().toISOString();
    const row = db.prepare('SELECT attempts, status FROM mails WHERE id = ?').get(mailId) as
      { attempts: number; status: string } | undefined;
    // Someone else (the review site's re-process, another process) finished it meanwhile: their result stands.
    if (!row || row.status !== 'pending') return;
    const attempts = row.attempts;
    if (final) {
      db.prepare(
        `UPDATE mails SET status = 'failed', reason = ?, error = ?, processed_at = ? WHERE id = ?`,
      ).run(reason, error, now, mailId);
    } else {
      db.prepare('UPDATE mails SET error = ? WHERE id = ?').run(error, mailId);
    }
    appendAudit(db, {
      actor: 'ingest',
      action: final ? 'mail.failed' : 'mail.attempt_failed',
      subjectType: 'mail',
      subjectId: mailId,
      detail: { attempts, error, reason: final ? reason : null },
    });
  }).immediate();
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export interface ReadingStamp {
  readonly recognizerVersion: string;
  readonly electionHash: string;
}

/** Insert one page reading (version n) and its ballots' readings; returns ids for audit. Call inside a transaction. */
export function insertPageReading(
  db: Db,
  args: {
    pageId: number;
    version: number;
    page: ReadPage;
    stamp: ReadingStamp;
    now: string;
    /** ballot id for each seq that already exists (re-reads); missing seqs get new ballots rows. */
    existingBallots: ReadonlyMap<number, number>;
    newBallot: (seq: number) => number;
    actor: string;
  },
): { pageReadingId: number; ballotIds: number[] } {
  const { page, stamp, now } = args;
  const r = page.reading;
  const pr = db
    .prepare(
      `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, reason, detail, quality, ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      args.pageId,
      args.version,
      stamp.recognizerVersion,
      stamp.electionHash,
      r.status,
      r.status === 'unreadable'
        ? r.reason
        : r.status === 'not_a_ballot'
          ? 'not_a_ballot'
          : r.unreadTables?.length
            ? 'unread_table'
            : null,
      r.status === 'unreadable'
        ? r.detail
        : r.status === 'not_a_ballot'
          ? json(r.notes)
          : r.unreadTables?.length
            ? json(r.unreadTables)
            : null,
      r.status === 'ballots' ? r.quality : r.status === 'not_a_ballot' ? r.confidence : null,
      page.ms,
      now,
    );
  const pageReadingId = Number(pr.lastInsertRowid);
  appendAudit(db, {
    actor: `recognizer@${stamp.recognizerVersion}`,
    action: 'page.read',
    subjectType: 'page',
    subjectId: args.pageId,
    detail: {
      version: args.version,
      recognizerVersion: stamp.recognizerVersion,
      status: r.status,
      ballots: page.ballots.length,
      ms: page.ms,
      ...(r.status === 'unreadable' ? { reason: r.reason } : {}),
    },
  });
  const insertReading = db.prepare(
    `INSERT INTO ballot_readings (ballot_id, page_reading_id, version, recognizer_version, election_hash, kind, kind_confidence,
       method, confidence, items_json, marks_json, doubts_json, notes_json, region_json, evidence_json, image_sha256,
       verdict_status, verdict_reason, review_reasons_json, created_at)
     VALUES (@ballotId, @pageReadingId, @version, @rv, @eh, @kind, @kindConfidence, @method, @confidence, @items, @marks,
       @doubts, @notes, @region, @evidence, @image, @status, @reason, @reviewReasons, @now)`,
  );
  const ballotIds: number[] = [];
  for (const [seq, b] of page.ballots.entries()) {
    const ballotId = args.existingBallots.get(seq + 1) ?? args.newBallot(seq + 1);
    ballotIds.push(ballotId);
    const v = b.verdict;
    const version =
      ((
        db.prepare('SELECT MAX(version) AS v FROM ballot_readings WHERE ballot_id = ?').get(ballotId) as {
          v: number | null;
        }
      ).v ?? 0) + 1;
    insertReading.run({
      ballotId,
      pageReadingId,
      version,
      rv: stamp.recognizerVersion,
      eh: stamp.electionHash,
      kind: b.reading.kind,
      kindConfidence: b.reading.kindConfidence,
      method: b.reading.method,
      confidence: b.reading.confidence,
      items: json(b.reading.items),
      marks: json(v.marks),
      doubts: json(b.reading.doubts),
      notes: json(b.reading.notes),
      region: b.reading.region ? json(b.reading.region) : null,
      evidence: json(b.reading.evidence),
      image: b.imageSha256,
      status: v.status,
      reason: v.status === 'invalid' ? v.reason : null,
      reviewReasons: json(v.status === 'review' ? v.reasons : []),
      now,
    });
    appendAudit(db, {
      actor: 'rules',
      action: args.actor === 'reprocess' ? 'ballot.reprocessed' : 'ballot.judged',
      subjectType: 'ballot',
      subjectId: ballotId,
      detail: {
        version,
        kind: b.reading.kind,
        verdict: v.status,
        reason: v.status === 'invalid' ? v.reason : null,
        reviewReasons: v.status === 'review' ? v.reasons : [],
        marks: v.marks,
        confidence: b.reading.confidence,
        recognizerVersion: stamp.recognizerVersion,
      },
    });
  }
  return { pageReadingId, ballotIds };
}

/**
 * Write everything read from a mail in one transaction: attachments (with their archive parents),
 * pages, page readings, ballots and ballot readings, each with its audit entry, and mark the mail
 * processed. Attachment bytes seen before (in an earlier mail or earlier in this one) are read and
 * stored but their ballots are flagged duplicate and never counted.
 */
export function recordRead(
  db: Db,
  mailId: number,
  read: ReadMail,
  stamp: ReadingStamp,
): { ballots: number; reason: string | null } {
  return db
    .transaction(() => {
      const now = new Date().toISOString();
      const mail = mailById(db, mailId);
      if (!mail) throw new Error(`mail ${mailId} vanished`);
      if (mail.status !== 'pending') throw new Error(`mail ${mailId} is already ${mail.status}`);
      const insertAttachment = db.prepare(
        `INSERT INTO attachments (mail_id, parent_id, part_path, filename, declared_type, format, origin, size, sha256, status, reason, detail, duplicate_of)
         VALUES (@mailId, @parentId, @partPath, @filename, @declaredType, @format, @origin, @size, @sha256, @status, @reason, @detail, @duplicateOf)`,
      );
      const earlierCopy = db.prepare(
        `SELECT id FROM attachments WHERE sha256 = ? AND status IN ('read', 'duplicate') ORDER BY id LIMIT 1`,
      );
      const insertPage = db.prepare(
        'INSERT INTO pages (attachment_id, page_no, image_sha256) VALUES (?, ?, ?)',
      );
      const insertBallot = db.prepare(
        'INSERT INTO ballots (page_id, seq, mail_id, attachment_id, duplicate, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const ids: number[] = [];
      let ballots = 0;
      for (const a of read.attachments) {
        const parentId = a.parent === null ? null : (ids[a.parent] ?? null);
        const copy =
          a.outcome.status === 'read' ? (earlierCopy.get(a.sha256) as { id: number } | undefined) : undefined;
        const status = a.outcome.status === 'read' && copy ? 'duplicate' : a.outcome.status;
        const info = insertAttachment.run({
          mailId,
          parentId,
          partPath: a.partPath,
          filename: a.filename,
          declaredType: a.declaredType,
          format: a.format,
          origin: a.origin,
          size: a.size,
          sha256: a.sha256,
          status,
          reason: a.outcome.status === 'rejected' ? a.outcome.reason : copy ? 'duplicate' : null,
          detail: a.outcome.status === 'rejected' ? a.outcome.detail : null,
          duplicateOf: copy?.id ?? null,
        });
        const attachmentId = Number(info.lastInsertRowid);
        ids.push(attachmentId);
        if (a.outcome.status === 'rejected') {
          appendAudit(db, {
            actor: 'ingest',
            action: 'attachment.rejected',
            subjectType: 'attachment',
            subjectId: attachmentId,
            detail: {
              mailId,
              partPath: a.partPath,
              filename: a.filename,
              reason: a.outcome.reason,
              detail: a.outcome.detail,
            },
          });
        }
        if (copy) {
          appendAudit(db, {
            actor: 'ingest',
            action: 'attachment.duplicate',
            subjectType: 'attachment',
            subjectId: attachmentId,
            detail: { mailId, sha256: a.sha256, duplicateOf: copy.id },
          });
        }
        if (a.outcome.status !== 'read') continue;
        for (const page of a.outcome.pages) {
          const pageId = Number(insertPage.run(attachmentId, page.pageNo, page.imageSha256).lastInsertRowid);
          const { ballotIds } = insertPageReading(db, {
            pageId,
            version: 1,
            page,
            stamp,
            now,
            existingBallots: new Map(),
            newBallot: (seq) =>
              Number(insertBallot.run(pageId, seq, mailId, attachmentId, copy ? 1 : 0, now).lastInsertRowid),
            actor: 'ingest',
          });
          ballots += ballotIds.length;
        }
      }
      const reason = ballots === 0 ? 'no_ballot' : null;
      db.prepare(
        `UPDATE mails SET status = 'processed', reason = ?, error = NULL, processed_at = ? WHERE id = ?`,
      ).run(reason, now, mailId);
      if (mail.late) {
        appendAudit(db, {
          actor: 'ingest',
          action: 'mail.late',
          subjectType: 'mail',
          subjectId: mailId,
          detail: { receivedAt: mail.received_at, ballots },
        });
      }
      if (reason === 'no_ballot') {
        appendAudit(db, {
          actor: 'ingest',
          action: 'mail.no_ballot',
          subjectType: 'mail',
          subjectId: mailId,
          detail: {
            attachments: read.attachments.length,
            rejected: read.attachments.filter((x) => x.outcome.status === 'rejected').length,
            pages: read.pages,
          },
        });
      }
      appendAudit(db, {
        actor: 'ingest',
        action: 'mail.stored',
        subjectType: 'mail',
        subjectId: mailId,
        detail: {
          attachments: read.attachments.length,
          pages: read.pages,
          ballots,
          reason,
          attempts: mail.attempts,
        },
      });
      return { ballots, reason };
    })
    .immediate();
}

/** A mail that cannot be parsed or is over the size limit: nothing to retry, parked for staff with its reason. */
export function recordUnreadableMail(db: Db, mailId: number, reason: string, detail: string): void {
  recordAttemptFailure(db, mailId, detail, true, reason);
}
