import type { Limits } from '../config/schema.js';
import type { Election } from '../election/election.js';
import type { Logger } from '../log/logger.js';
import type { IncomingMail, IngestOutcome, MailHandler } from '../mail/incoming.js';
import type { PageReading } from '../recognize/reading.js';
import { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import {
  findKnownMail,
  mailById,
  type MailRow,
  recordAttemptFailure,
  recordRead,
  recordReceipt,
  recordRedelivery,
  recordUnreadableMail,
  startAttempt,
} from '../store/record-mail.js';
import { readMail } from './read-mail.js';
import type { ParseMailResult, Stages } from './stages.js';

/** Counters the daemon turns into metrics and progress lines. All optional: the CLI and tests need none. */
export interface IngestObserver {
  onOutcome?(outcome: IngestOutcome, ms: number): void;
  onPageRead?(ms: number, reading: PageReading): void;
}

export interface IngestorDeps {
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly election: Election;
  readonly limits: Limits;
  readonly stages: Stages;
  readonly logger: Logger;
  readonly observer?: IngestObserver;
}

export interface Ingestor {
  /** The MailHandler a MailSource drives. Never throws: every failure is an outcome. */
  readonly handle: MailHandler;
  /** Work the mails left pending by a crash or a failed attempt, from their stored originals. */
  resumePending(signal?: AbortSignal): Promise<{ resumed: number }>;
  /** Process one recorded mail again from its stored original (reprocess of a parked mail). */
  processStored(mailId: number): Promise<IngestOutcome>;
}

/**
 * The pipeline for one mail: store the original, remember it, parse, extract, read, judge, and
 * write it all in one transaction. Only a 'stored' outcome tells the source to act on the mailbox.
 *
 * Exactly once: a delivery is matched to an earlier one by mailbox key, then by content hash,
 * then by Message-ID; a mail is worked by one caller at a time (same-content deliveries that
 * arrive together wait for the first); and the readings are written only while the mail is still
 * pending, in the transaction that marks it processed.
 */
export function createIngestor(deps: IngestorDeps): Ingestor {
  const { db, blobs, election, limits, stages, logger } = deps;
  const log = logger.child({ stage: 'ingest' });
  const inFlight = new Map<string, Promise<IngestOutcome>>();

  const stamp = { recognizerVersion: stages.recognizerVersion, electionHash: election.hash };

  async function parse(raw: Buffer): Promise<ParseMailResult> {
    if (raw.length > limits.maxMailBytes)
      return { ok: false, reason: 'too_large', detail: `${raw.length} bytes > limit ${limits.maxMailBytes}` };
    try {
      return await stages.parseMail(raw, limits);
    } catch (err) {
      return { ok: false, reason: 'parse_failed', detail: (err as Error).message };
    }
  }

  /** One attempt at reading a recorded, pending mail. */
  async function work(row: MailRow, raw: Buffer, parsed: ParseMailResult | null): Promise<IngestOutcome> {
    const mlog = log.child({ mailId: row.id });
    if (row.attempts >= limits.maxAttempts) {
      // Every earlier attempt ended without a word (the process died): park it rather than die again.
      const error =
        row.error ?? `no attempt finished in ${row.attempts} tries (the process stopped each time)`;
      recordAttemptFailure(db, row.id, error, true);
      mlog.error({ attempts: row.attempts, error }, 'mail parked as failed');
      return { status: 'failed', mailId: row.id, error, final: true };
    }
    const attempt = startAttempt(db, row.id);
    try {
      const result = parsed ?? (await parse(raw));
      if (!result.ok) {
        // The bytes themselves are the problem: a retry would fail the same way.
        recordUnreadableMail(db, row.id, result.reason, result.detail);
        mlog.warn({ reason: result.reason, detail: result.detail }, 'mail cannot be read; parked for staff');
        return { status: 'failed', mailId: row.id, error: `${result.reason}: ${result.detail}`, final: true };
      }
      const read = await readMail(
        {
          stages,
          election,
          limits,
          blobs,
          logger: mlog,
          finalAttempt: attempt >= limits.maxAttempts,
          ...(deps.observer?.onPageRead ? { onPageRead: deps.observer.onPageRead } : {}),
        },
        result.mail,
      );
      const stored = recordRead(db, row.id, read, stamp);
      mlog.info(
        {
          attempt,
          attachments: read.attachments.length,
          pages: read.pages,
          ballots: stored.ballots,
          reason: stored.reason,
        },
        'mail stored',
      );
      return { status: 'stored', mailId: row.id, ballots: stored.ballots, reason: stored.reason };
    } catch (err) {
      const error = (err as Error).stack ?? String(err);
      const final = attempt >= limits.maxAttempts;
      try {
        recordAttemptFailure(db, row.id, error, final);
      } catch (recordErr) {
        // The database itself failed; the mail stays pending and is retried from its original.
        mlog.error({ err: recordErr }, 'could not record the failed attempt');
      }
      const current = mailById(db, row.id);
      if (current && current.status === 'processed') return outcomeOf(current);
      mlog[final ? 'error' : 'warn'](
        { attempt, err },
        final ? 'mail parked as failed' : 'mail attempt failed; will retry',
      );
      return { status: 'failed', mailId: row.id, error: (err as Error).message, final };
    }
  }

  function outcomeOf(row: MailRow): IngestOutcome {
    if (row.status === 'failed')
      return { status: 'failed', mailId: row.id, error: row.error ?? row.reason ?? 'failed', final: true };
    return { status: 'already_seen', mailId: row.duplicate_of ?? row.id };
  }

  async function deliver(mail: IncomingMail): Promise<IngestOutcome> {
    // The original goes to disk before anything else, so nothing later can lose it.
    const sha256 = blobs.put(mail.raw);
    const known = findKnownMail(db, mail, sha256);
    if (known) {
      recordRedelivery(db, mail, known);
      if (known.row.status !== 'pending') return outcomeOf(known.row);
      return work(known.row, mail.raw, null);
    }
    const parsed = await parse(mail.raw);
    const headers = parsed.ok
      ? {
          messageId: parsed.mail.messageId,
          from: parsed.mail.from,
          subject: parsed.mail.subject,
          date: parsed.mail.date,
        }
      : { messageId: null, from: null, subject: null, date: null };
    const receipt = recordReceipt(db, mail, sha256, headers, election.closesAt);
    switch (receipt.kind) {
      case 'known':
        if (receipt.row.status !== 'pending') return outcomeOf(receipt.row);
        return work(receipt.row, mail.raw, parsed);
      case 'duplicate':
        log.info(
          { mailId: receipt.mailId, duplicateOf: receipt.originalId },
          'same Message-ID as an earlier mail',
        );
        return { status: 'already_seen', mailId: receipt.originalId };
      case 'new': {
        const row = mailById(db, receipt.mailId);
        if (!row) throw new Error(`mail ${receipt.mailId} not found right after insert`);
        return work(row, mail.raw, parsed);
      }
      default: {
        const never: never = receipt;
        throw new Error(`unexpected receipt ${String(never)}`);
      }
    }
  }

  /** Deliveries of the same bytes share one piece of work, so two copies arriving together are read once. */
  function once(sha256: string, job: () => Promise<IngestOutcome>): Promise<IngestOutcome> {
    const running = inFlight.get(sha256);
    if (running) {
      return running.then(async () => {
        // The first delivery has finished; this one now sees its record and acts accordingly.
        return once(sha256, job);
      });
    }
    const p = job().finally(() => inFlight.delete(sha256));
    inFlight.set(sha256, p);
    return p;
  }

  const handle: MailHandler = async (mail) => {
    const started = performance.now();
    let outcome: IngestOutcome;
    try {
      outcome = await once(BlobStore.hash(mail.raw), () => deliver(mail));
    } catch (err) {
      // Storing the original or recording the receipt failed (disk full, database locked): nothing was
      // acknowledged, so the source keeps the mail and delivers it again.
      log.error({ err, sourceRef: mail.sourceRef, uid: mail.uid }, 'mail could not be recorded');
      outcome = { status: 'failed', mailId: null, error: (err as Error).message, final: false };
    }
    deps.observer?.onOutcome?.(outcome, performance.now() - started);
    return outcome;
  };

  async function processStored(mailId: number): Promise<IngestOutcome> {
    const row = mailById(db, mailId);
    if (!row) return { status: 'failed', mailId, error: `no mail ${mailId}`, final: true };
    if (row.status !== 'pending') return outcomeOf(row);
    return once(row.sha256, async () => {
      const fresh = mailById(db, mailId);
      if (!fresh || fresh.status !== 'pending') return fresh ? outcomeOf(fresh) : outcomeOf(row);
      return work(fresh, blobs.get(fresh.sha256), null);
    });
  }

  async function resumePending(signal?: AbortSignal): Promise<{ resumed: number }> {
    const ids = (
      db.prepare(`SELECT id FROM mails WHERE status = 'pending' ORDER BY id`).all() as { id: number }[]
    ).map((r) => r.id);
    let resumed = 0;
    for (const id of ids) {
      if (signal?.aborted) break;
      resumed++;
      const outcome = await processStored(id);
      deps.observer?.onOutcome?.(outcome, 0);
    }
    return { resumed };
  }

  return { handle, resumePending, processStored };
}
