import type { Limits } from '../config/schema.js';
import type { Election } from '../election/election.js';
import type { Logger } from '../log/logger.js';
import type { IngestOutcome } from '../mail/incoming.js';
import { appendAudit } from '../store/audit.js';
import { ballotStates } from '../store/ballot-state.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { pageDecidedByPerson, supersedePageDecisions } from '../store/page-decision.js';
import { insertPageReading, mailById } from '../store/record-mail.js';
import type { Ingestor } from './ingest-mail.js';
import { type ReadContext, type ReadPage, readPage, TransientStageError } from './read-mail.js';
import type { Stages } from './stages.js';

/**
 * Re-reading stored originals with the current recognizer and election config. Nothing is
 * overwritten: every page read again gets a new page_readings version and each of its ballots a new
 * ballot_readings version; a ballot the new reading no longer finds gets a 'not_a_ballot' reading.
 * A person's decision stays on top of the new reading unless the caller overrides it, which is
 * recorded as a staff decision of its own (outcome 'machine'). A page a person decided as a whole
 * (ballots entered by hand, or "not a ballot" confirmed) is not re-read at all unless overridden; then
 * the ballots staff entered from it are superseded (page-decision.ts) so no slip is counted twice.
 */
export interface ReprocessDeps {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly election: Election;
  readonly limits: Limits;
  readonly stages: Stages;
  readonly logger: Logger;
  /** For mails that never got read (failed/pending): they go through the ingest pipeline again. */
  readonly ingestor: Ingestor;
}

export interface ReprocessOptions {
  /** Hand ballots a person decided back to the new machine reading. Needs `actor`. */
  readonly overrideHuman?: boolean;
  /** 'user:<name>' who asked; recorded on overrides and in the audit trail. */
  readonly actor?: string;
}

export interface BallotChange {
  readonly ballotId: number;
  readonly before: string | null;
  readonly after: string;
  readonly keptHumanDecision: boolean;
}

export type ReprocessResult =
  | {
      readonly status: 'reread';
      readonly mailId: number;
      readonly pages: number;
      readonly changes: readonly BallotChange[];
    }
  | { readonly status: 'ingested'; readonly mailId: number; readonly outcome: IngestOutcome }
  | { readonly status: 'skipped'; readonly mailId: number | null; readonly reason: string };

export interface ReprocessFilter {
  /** review | invalid: ballots now in that state; unreadable: pages where no ballot was found; failed: parked mails. */
  readonly status: 'review' | 'invalid' | 'unreadable' | 'failed' | 'all';
  readonly since?: Date;
  readonly kind?: string;
}

interface PageRow {
  id: number;
  attachment_id: number;
  page_no: number;
}

interface AttachmentRow {
  id: number;
  mail_id: number;
  sha256: string;
  filename: string | null;
  status: string;
}

export interface Reprocessor {
  reprocessMail(mailId: number, options?: ReprocessOptions): Promise<ReprocessResult>;
  reprocessBallot(ballotId: number, options?: ReprocessOptions): Promise<ReprocessResult>;
  /** Re-read the given pages (grouped per mail, one transaction per mail). */
  reprocessPages(pageIds: readonly number[], options?: ReprocessOptions): Promise<ReprocessResult[]>;
  /** What a filter selects: whole mails to run through the pipeline again, and pages to re-read. */
  select(filter: ReprocessFilter): { mails: number[]; pages: number[] };
}

export function createReprocessor(deps: ReprocessDeps): Reprocessor {
  const { db, blobs, election, limits, stages } = deps;
  const log = deps.logger.child({ stage: 'reprocess' });
  const stamp = { recognizerVersion: stages.recognizerVersion, electionHash: election.hash };
  const ctx: ReadContext = { stages, election, limits, blobs, logger: log };

  /** Extract the attachment again from its stored bytes and read the wanted pages. */
  async function readAttachmentPages(
    a: AttachmentRow,
    pageNos: ReadonlySet<number> | null,
  ): Promise<ReadPage[]> {
    const extracted = await stages.extractPages(blobs.get(a.sha256), a.filename, limits);
    if (!extracted.ok) {
      if (extracted.reason === 'processing_failed') throw new TransientStageError(extracted.detail);
      throw new Error(`attachment ${a.id} no longer extracts: ${extracted.reason}: ${extracted.detail}`);
    }
    const pages = extracted.pages.filter((p) => pageNos === null || pageNos.has(p.pageNo));
    return Promise.all(pages.map((p) => readPage(ctx, p)));
  }

  function latestAdjudication(ballotId: number): { outcome: string } | undefined {
    return db
      .prepare('SELECT outcome FROM adjudications WHERE ballot_id = ? ORDER BY id DESC LIMIT 1')
      .get(ballotId) as { outcome: string } | undefined;
  }

  /** Write the new readings of one mail's pages in one transaction. */
  function record(
    mailId: number,
    reads: readonly { attachment: AttachmentRow; page: ReadPage }[],
    options: ReprocessOptions,
  ): BallotChange[] {
    return db
      .transaction(() => {
        const now = new Date().toISOString();
        const changes: BallotChange[] = [];
        const insertPage = db.prepare(
          'INSERT INTO pages (attachment_id, page_no, image_sha256) VALUES (?, ?, ?)',
        );
        const insertBallot = db.prepare(
          'INSERT INTO ballots (page_id, seq, mail_id, attachment_id, duplicate, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        );
        // A ballot staff entered by hand may already hold the seq a new machine ballot would get.
        const freeSeq = (pageId: number, seq: number): number =>
          db.prepare('SELECT 1 FROM ballots WHERE page_id = ? AND seq = ?').get(pageId, seq)
            ? (db.prepare('SELECT MAX(seq) AS s FROM ballots WHERE page_id = ?').get(pageId) as { s: number })
                .s + 1
            : seq;
        for (const { attachment, page } of reads) {
          let pageRow = db
            .prepare('SELECT id, attachment_id, page_no FROM pages WHERE attachment_id = ? AND page_no = ?')
            .get(attachment.id, page.pageNo) as PageRow | undefined;
          pageRow ??= {
            id: Number(insertPage.run(attachment.id, page.pageNo, page.imageSha256).lastInsertRowid),
            attachment_id: attachment.id,
            page_no: page.pageNo,
          };
          const pageId = pageRow.id;
          // A page a person decided (entered ballots from, or confirmed holds none) is the person's call:
          // it is not re-read unless the caller overrides people, and then their decision is superseded.
          const personDecided = pageDecidedByPerson(db, pageId);
          if (personDecided && !options.overrideHuman) {
            for (const s of ballotStates(db, { where: 'page_id = @pageId', params: { pageId } })) {
              const st = `${s.status}${s.reason ? `:${s.reason}` : ''}`;
              changes.push({ ballotId: s.ballotId, before: st, after: st, keptHumanDecision: true });
            }
            continue;
          }
          const version =
            ((
              db.prepare('SELECT MAX(version) AS v FROM page_readings WHERE page_id = ?').get(pageId) as {
                v: number | null;
              }
            ).v ?? 0) + 1;
          // The machine's ballots by their order on the page (1, 2, …); ballots staff entered are never
          // matched to what the recognizer finds, and their seqs may sit between the machine's.
          const existing = new Map(
            (
              db
                .prepare(`SELECT id FROM ballots WHERE page_id = ? AND origin = 'recognizer' ORDER BY seq`)
                .all(pageId) as { id: number }[]
            ).map((r, i) => [i + 1, r.id] as const),
          );
          const before = new Map(
            ballotStates(db, { where: 'page_id = @pageId', params: { pageId } }).map(
              (s) => [s.ballotId, s] as const,
            ),
          );
          const { pageReadingId, ballotIds } = insertPageReading(db, {
            pageId,
            version,
            page,
            stamp,
            now,
            existingBallots: existing,
            newBallot: (seq) =>
              Number(
                insertBallot.run(
                  pageId,
                  freeSeq(pageId, seq),
                  mailId,
                  attachment.id,
                  attachment.status === 'duplicate' ? 1 : 0,
                  now,
                ).lastInsertRowid,
              ),
            actor: 'reprocess',
          });
          if (personDecided) {
            const actor = options.actor ?? 'user:unknown';
            for (const ballotId of supersedePageDecisions(
              db,
              pageId,
              pageReadingId,
              actor,
              'reprocess --override-human',
              now,
            )) {
              const prev = before.get(ballotId);
              changes.push({
                ballotId,
                before: prev ? `${prev.status}${prev.reason ? `:${prev.reason}` : ''}` : null,
                after: 'not_a_ballot',
                keptHumanDecision: false,
              });
            }
          }
          // Ballots the new reading no longer finds stay on record, marked as such.
          for (const [seq, ballotId] of existing) {
            if (seq <= page.ballots.length) continue;
            const prev = db
              .prepare('SELECT kind FROM ballot_readings WHERE ballot_id = ? ORDER BY version DESC LIMIT 1')
              .get(ballotId) as { kind: string } | undefined;
            const v =
              ((
                db
                  .prepare('SELECT MAX(version) AS v FROM ballot_readings WHERE ballot_id = ?')
                  .get(ballotId) as {
                  v: number | null;
                }
              ).v ?? 0) + 1;
            db.prepare(
              `INSERT INTO ballot_readings (ballot_id, page_reading_id, version, recognizer_version, election_hash, kind, kind_confidence,
                 method, confidence, items_json, marks_json, doubts_json, notes_json, region_json, evidence_json, image_sha256,
                 verdict_status, verdict_reason, review_reasons_json, created_at)
               VALUES (?, ?, ?, ?, ?, ?, 0, 'image', 0, '[]', '[]', '[]', ?, NULL, '{}', NULL, 'not_a_ballot', NULL, '[]', ?)`,
            ).run(
              ballotId,
              pageReadingId,
              v,
              stamp.recognizerVersion,
              stamp.electionHash,
              prev?.kind ?? 'unknown',
              JSON.stringify([`not found by page reading version ${version}`]),
              now,
            );
            appendAudit(db, {
              actor: 'rules',
              action: 'ballot.reprocessed',
              subjectType: 'ballot',
              subjectId: ballotId,
              detail: { version: v, verdict: 'not_a_ballot', recognizerVersion: stamp.recognizerVersion },
            });
            ballotIds.push(ballotId);
          }
          for (const ballotId of ballotIds) {
            const readingId = (
              db
                .prepare('SELECT id FROM ballot_readings WHERE ballot_id = ? ORDER BY version DESC LIMIT 1')
                .get(ballotId) as {
                id: number;
              }
            ).id;
            const adj = latestAdjudication(ballotId);
            const human = adj !== undefined && adj.outcome !== 'machine';
            if (human && options.overrideHuman) {
              const actor = options.actor ?? 'user:unknown';
              const info = db
                .prepare(
                  `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, note, created_at)
                   VALUES (?, ?, ?, 'machine', ?, ?)`,
                )
                .run(ballotId, readingId, actor, 'reprocess --override-human', now);
              appendAudit(db, {
                actor,
                action: 'ballot.adjudicated',
                subjectType: 'ballot',
                subjectId: ballotId,
                detail: {
                  adjudicationId: Number(info.lastInsertRowid),
                  outcome: 'machine',
                  readingId,
                  why: 'reprocess --override-human',
                },
              });
            }
            const after = ballotStates(db, { where: 'ballot_id = @id', params: { id: ballotId } })[0];
            const prev = before.get(ballotId);
            changes.push({
              ballotId,
              before: prev ? `${prev.status}${prev.reason ? `:${prev.reason}` : ''}` : null,
              after: after ? `${after.status}${after.reason ? `:${after.reason}` : ''}` : 'none',
              keptHumanDecision: human && !options.overrideHuman,
            });
          }
        }
        // A mail once without ballots may have some now (and the other way round).
        const count = (
          db
            .prepare(
              `SELECT COUNT(*) AS n FROM (SELECT b.id FROM ballots b JOIN ballot_readings br ON br.ballot_id = b.id
                 WHERE b.mail_id = ? AND br.version = (SELECT MAX(version) FROM ballot_readings x WHERE x.ballot_id = b.id)
                   AND br.verdict_status <> 'not_a_ballot')`,
            )
            .get(mailId) as { n: number }
        ).n;
        const mail = mailById(db, mailId);
        const reason = count === 0 ? 'no_ballot' : null;
        if (mail && mail.status === 'processed' && mail.duplicate_of === null && mail.reason !== reason) {
          db.prepare('UPDATE mails SET reason = ? WHERE id = ?').run(reason, mailId);
          appendAudit(db, {
            actor: 'reprocess',
            action: 'mail.reason_changed',
            subjectType: 'mail',
            subjectId: mailId,
            detail: { before: mail.reason, after: reason },
          });
        }
        return changes;
      })
      .immediate();
  }

  async function rereadMailPages(
    mailId: number,
    pageIds: readonly number[] | null,
    options: ReprocessOptions,
  ): Promise<ReprocessResult> {
    const attachments = db
      .prepare(
        `SELECT id, mail_id, sha256, filename, status FROM attachments WHERE mail_id = ? AND status IN ('read', 'duplicate') ORDER BY id`,
      )
      .all(mailId) as AttachmentRow[];
    const wanted = new Map<number, Set<number>>();
    if (pageIds) {
      for (const id of pageIds) {
        const p = db.prepare('SELECT id, attachment_id, page_no FROM pages WHERE id = ?').get(id) as
          PageRow | undefined;
        if (!p) continue;
        const set = wanted.get(p.attachment_id) ?? new Set<number>();
        set.add(p.page_no);
        wanted.set(p.attachment_id, set);
      }
    }
    const reads: { attachment: AttachmentRow; page: ReadPage }[] = [];
    for (const a of attachments) {
      if (pageIds && !wanted.has(a.id)) continue;
      for (const page of await readAttachmentPages(a, pageIds ? (wanted.get(a.id) ?? null) : null))
        reads.push({ attachment: a, page });
    }
    const changes = record(mailId, reads, options);
    log.info({ mailId, pages: reads.length, ballots: changes.length }, 'mail re-read');
    return { status: 'reread', mailId, pages: reads.length, changes };
  }

  async function reprocessMail(mailId: number, options: ReprocessOptions = {}): Promise<ReprocessResult> {
    const mail = mailById(db, mailId);
    if (!mail) return { status: 'skipped', mailId, reason: 'no such mail' };
    if (mail.duplicate_of !== null)
      return { status: 'skipped', mailId, reason: 'duplicate of an earlier mail' };
    if (mail.status === 'failed' || mail.status === 'pending') {
      // Never read to the end: a fresh attempt of the whole pipeline from the stored original.
      db.transaction(() => {
        db.prepare(`UPDATE mails SET status = 'pending', attempts = 0, reason = NULL WHERE id = ?`).run(
          mailId,
        );
        appendAudit(db, {
          actor: options.actor ?? 'reprocess',
          action: 'mail.reprocess',
          subjectType: 'mail',
          subjectId: mailId,
          detail: { before: mail.status, attempts: mail.attempts, error: mail.error },
        });
      }).immediate();
      return { status: 'ingested', mailId, outcome: await deps.ingestor.processStored(mailId) };
    }
    return rereadMailPages(mailId, null, options);
  }

  async function reprocessPages(
    pageIds: readonly number[],
    options: ReprocessOptions = {},
  ): Promise<ReprocessResult[]> {
    const byMail = new Map<number, number[]>();
    for (const id of pageIds) {
      const row = db
        .prepare('SELECT a.mail_id FROM pages p JOIN attachments a ON a.id = p.attachment_id WHERE p.id = ?')
        .get(id) as { mail_id: number } | undefined;
      if (!row) continue;
      byMail.set(row.mail_id, [...(byMail.get(row.mail_id) ?? []), id]);
    }
    const results: ReprocessResult[] = [];
    for (const [mailId, ids] of byMail) results.push(await rereadMailPages(mailId, ids, options));
    return results;
  }

  async function reprocessBallot(ballotId: number, options: ReprocessOptions = {}): Promise<ReprocessResult> {
    const row = db.prepare('SELECT page_id, mail_id FROM ballots WHERE id = ?').get(ballotId) as
      { page_id: number; mail_id: number } | undefined;
    if (!row) return { status: 'skipped', mailId: null, reason: `no ballot ${ballotId}` };
    return rereadMailPages(row.mail_id, [row.page_id], options);
  }

  function select(filter: ReprocessFilter): { mails: number[]; pages: number[] } {
    const since = filter.since ? filter.since.toISOString() : '0000';
    const ids = (sql: string, params: Record<string, unknown>): number[] =>
      (db.prepare(sql).all(params) as { id: number }[]).map((r) => r.id);
    const failed =
      filter.status === 'failed' || filter.status === 'all'
        ? ids(
            `SELECT id FROM mails WHERE status = 'failed' AND duplicate_of IS NULL AND received_at >= @since ORDER BY id`,
            {
              since,
            },
          )
        : [];
    let pages: number[] = [];
    if (filter.status === 'review' || filter.status === 'invalid' || filter.status === 'all') {
      const where = [
        'received_at >= @since',
        ...(filter.status === 'all' ? [] : ['status = @status']),
        ...(filter.kind ? ['kind = @kind'] : []),
      ].join(' AND ');
      pages = [
        ...new Set(
          ballotStates(db, {
            where,
            params: { since, status: filter.status, kind: filter.kind ?? null },
          }).map((s) => s.pageId),
        ),
      ];
    }
    if ((filter.status === 'unreadable' || filter.status === 'all') && !filter.kind) {
      const noBallot = ids(
        `SELECT p.id FROM pages p JOIN attachments a ON a.id = p.attachment_id JOIN mails m ON m.id = a.mail_id
         JOIN page_readings pr ON pr.page_id = p.id
           AND pr.version = (SELECT MAX(version) FROM page_readings x WHERE x.page_id = p.id)
         WHERE pr.status IN ('unreadable', 'not_a_ballot') AND m.received_at >= @since AND m.duplicate_of IS NULL ORDER BY p.id`,
        { since },
      );
      pages = [...new Set([...pages, ...noBallot])];
    }
    return { mails: failed, pages: pages.sort((a, b) => a - b) };
  }

  return { reprocessMail, reprocessBallot, reprocessPages, select };
}
