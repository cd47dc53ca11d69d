import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limitsSchema } from '../config/schema.js';
import type { Election } from '../election/election.js';
import { loadElection } from '../election/load.js';
import { extractPages } from '../extract/extract.js';
import type { Page } from '../extract/page.js';
import { createLogger } from '../log/logger.js';
import type { IncomingMail } from '../mail/incoming.js';
import { parseMail } from '../mail/parse.js';
import type { BallotReading, PageReading } from '../recognize/reading.js';
import { verifyAudit } from '../store/audit.js';
import { BlobStore } from '../store/blobs.js';
import { type Db, openDatabase } from '../store/db.js';
import { computeTally } from '../store/tally.js';
import { createIngestor } from './ingest-mail.js';
import { createReprocessor } from './reprocess.js';
import type { PageReader, Stages } from './stages.js';

/**
 * The pipeline's bookkeeping (exactly once, duplicates, lateness, retries, reprocess) with the real
 * parser and extractor and a reader whose answers the test sets: each test image's width selects
 * the ballots it "holds". Recognition itself is tested against real fixtures in test/ingest.test.ts.
 */
const election: Election = loadElection('config/election-2023.json');
const logger = createLogger({ level: 'silent', pretty: false });

type Script = { kind: string; marked: number[]; uncertain?: number[] }[];

class ScriptedReader implements PageReader {
  readonly byWidth = new Map<number, Script>();
  failuresLeft = 0;
  /** Answers like the pool does for a page whose thread crashed or timed out. */
  unfinishedLeft = 0;
  reads = 0;
  async read(page: Page): Promise<PageReading> {
    this.reads++;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('reader crashed');
    }
    if (this.unfinishedLeft > 0) {
      this.unfinishedLeft--;
      return {
        status: 'unreadable',
        reason: 'processing_failed',
        detail: 'page timed out',
      } as unknown as PageReading;
    }
    if (page.source !== 'image') throw new Error('test reader reads images only');
    const { width } = await sharp(page.image).metadata();
    const script = this.byWidth.get(width ?? 0);
    if (!script) return { status: 'not_a_ballot', confidence: 0.9, notes: ['no table'] };
    const ballots: BallotReading[] = script.map((b) => {
      const kind = election.ballots.find((k) => k.kind === b.kind)!;
      return {
        kind: b.kind,
        kindConfidence: 1,
        method: 'image',
        items: kind.items.map((it) => ({
          number: it.number,
          score: b.marked.includes(it.number) ? 0.8 : 0,
          decision: b.marked.includes(it.number)
            ? 'marked'
            : (b.uncertain ?? []).includes(it.number)
              ? 'uncertain'
              : 'unmarked',
          box: { x: 0, y: it.number * 10, width: 10, height: 10 },
        })),
        confidence: 0.95,
        doubts: [],
        notes: [],
        region: null,
        image: null,
        evidence: { scripted: true },
      };
    });
    return { status: 'ballots', ballots, quality: 0.9 };
  }
  async close(): Promise<void> {}
}

async function png(width: number): Promise<Buffer> {
  return sharp({ create: { width, height: 40, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
}

async function eml(opts: {
  messageId: string;
  attachments?: { filename: string; content: Buffer }[];
  subject?: string;
}): Promise<Buffer> {
  return new MailComposer({
    from: 'voter@example.cn',
    to: 'ballots@example.cn',
    subject: opts.subject ?? '选票',
    messageId: opts.messageId,
    text: '见附件',
    attachments: opts.attachments ?? [],
  })
    .compile()
    .build();
}

const ON_TIME = new Date('2024-01-20T02:00:00Z');
const LATE = new Date(election.closesAt.getTime() + 1000);

function incoming(raw: Buffer, extra: Partial<IncomingMail> = {}): IncomingMail {
  return {
    source: 'cli',
    account: 'test',
    folder: null,
    uidvalidity: null,
    uid: null,
    sourceRef: null,
    raw,
    receivedAt: ON_TIME,
    ...extra,
  };
}

let dir: string;
let db: Db;
let blobs: BlobStore;
let reader: ScriptedReader;

function setup(maxAttempts = 3, maxMailBytes = 64 * 1024 * 1024) {
  const stages: Stages = { parseMail, extractPages, reader, workers: 2, recognizerVersion: 'test-1' };
  const limits = limitsSchema.parse({ maxAttempts, maxMailBytes });
  const deps = { db, blobs, election, limits, stages, logger };
  const ingestor = createIngestor(deps);
  return { ingestor, reprocessor: createReprocessor({ ...deps, ingestor }) };
}

const count = (sql: string, ...params: unknown[]): number =>
  (db.prepare(sql).get(...params) as { n: number }).n;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  blobs = new BlobStore(join(dir, 'blobs'));
  reader = new ScriptedReader();
  reader.byWidth.set(101, [{ kind: 'projects', marked: [1, 2, 3] }]);
  reader.byWidth.set(102, [{ kind: 'districts', marked: [4] }]);
  reader.byWidth.set(103, [
    { kind: 'projects', marked: [5] },
    { kind: 'districts', marked: [1, 2, 3, 4] },
  ]);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest pipeline', () => {
  it('stores every ballot of a mail in one go, counts them and records the audit trail', async () => {
    const { ingestor } = setup();
    const raw = await eml({
      messageId: '<a@x>',
      attachments: [
        { filename: 'a.png', content: await png(101) },
        { filename: 'b.png', content: await png(103) },
      ],
    });
    const outcome = await ingestor.handle(incoming(raw));
    expect(outcome).toMatchObject({ status: 'stored', ballots: 3, reason: null });
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots).toEqual({ valid: 2, invalid: 0, review: 0 });
    expect(tally.projects!.votes['1']).toBe(1);
    expect(tally.projects!.votes['5']).toBe(1);
    expect(tally.districts!.ballots).toEqual({ valid: 0, invalid: 1, review: 0 });
    expect(tally.districts!.invalid_by_reason.overvote).toBe(1);
    expect(verifyAudit(db).ok).toBe(true);
    const actions = (db.prepare('SELECT action FROM audit ORDER BY seq').all() as { action: string }[]).map(
      (r) => r.action,
    );
    expect(actions[0]).toBe('mail.received');
    expect(actions.filter((a) => a === 'page.read')).toHaveLength(2);
    expect(actions.filter((a) => a === 'ballot.judged')).toHaveLength(3);
    expect(actions.at(-1)).toBe('mail.stored');
    expect(blobs.has(BlobStore.hash(raw))).toBe(true);
    // seq follows the order on the page
    expect(
      db
        .prepare('SELECT seq FROM ballots WHERE page_id = (SELECT MAX(page_id) FROM ballots) ORDER BY seq')
        .all(),
    ).toEqual([{ seq: 1 }, { seq: 2 }]);
  });

  it('never counts a resend twice: same bytes, a mailbox reset, or the same Message-ID', async () => {
    const { ingestor } = setup();
    const raw = await eml({
      messageId: '<same@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    const first = await ingestor.handle(
      incoming(raw, { source: 'imap', account: 'u@h', folder: 'INBOX', uidvalidity: 1, uid: 7 }),
    );
    expect(first.status).toBe('stored');
    // the same UID again, then the same mail under a new UIDVALIDITY after a mailbox reset
    expect(
      await ingestor.handle(
        incoming(raw, { source: 'imap', account: 'u@h', folder: 'INBOX', uidvalidity: 1, uid: 7 }),
      ),
    ).toEqual({ status: 'already_seen', mailId: 1 });
    expect(
      await ingestor.handle(
        incoming(raw, { source: 'imap', account: 'u@h', folder: 'INBOX', uidvalidity: 2, uid: 1 }),
      ),
    ).toEqual({ status: 'already_seen', mailId: 1 });
    expect(count('SELECT COUNT(*) AS n FROM mail_keys')).toBe(2);
    // the same message again with other transport headers (other bytes, same Message-ID)
    const resent = Buffer.concat([Buffer.from('X-Resent: yes\r\n'), raw]);
    expect(await ingestor.handle(incoming(resent))).toEqual({ status: 'already_seen', mailId: 1 });
    expect(count('SELECT COUNT(*) AS n FROM ballots')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM mails WHERE duplicate_of = 1')).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'mail.duplicate'`)).toBe(2);
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots.valid).toBe(1);
    expect(tally.mails).toMatchObject({ received: 2, duplicate: 1 });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('reads the same bytes delivered twice at once only once', async () => {
    const { ingestor } = setup();
    const raw = await eml({
      messageId: '<twin@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    const outcomes = await Promise.all([ingestor.handle(incoming(raw)), ingestor.handle(incoming(raw))]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already_seen', 'stored']);
    expect(count('SELECT COUNT(*) AS n FROM ballots')).toBe(1);
  });

  it('reads an attachment sent again in a new mail but does not count it', async () => {
    const { ingestor } = setup();
    const image = await png(101);
    await ingestor.handle(
      incoming(await eml({ messageId: '<1@x>', attachments: [{ filename: 'a.png', content: image }] })),
    );
    const second = await ingestor.handle(
      incoming(
        await eml({
          messageId: '<2@x>',
          attachments: [
            { filename: 'again.png', content: image },
            { filename: 'new.png', content: await png(102) },
          ],
        }),
      ),
    );
    expect(second).toMatchObject({ status: 'stored', ballots: 2 });
    const atts = db
      .prepare('SELECT status, duplicate_of FROM attachments WHERE mail_id = 2 ORDER BY id')
      .all();
    expect(atts).toEqual([
      { status: 'duplicate', duplicate_of: 1 },
      { status: 'read', duplicate_of: null },
    ]);
    expect(count('SELECT COUNT(*) AS n FROM ballots WHERE duplicate = 1')).toBe(1);
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots.valid).toBe(1);
    expect(tally.districts!.ballots.valid).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'attachment.duplicate'`)).toBe(1);
  });

  it('records a late mail with its ballots read but not counted', async () => {
    const { ingestor } = setup();
    const raw = await eml({
      messageId: '<late@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    expect(await ingestor.handle(incoming(raw, { receivedAt: LATE }))).toMatchObject({
      status: 'stored',
      ballots: 1,
    });
    expect(count('SELECT late AS n FROM mails WHERE id = 1')).toBe(1);
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots.valid).toBe(0);
    expect(tally.mails.late).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'mail.late'`)).toBe(1);
    // exactly at the deadline is late too
    const edge = await eml({
      messageId: '<edge@x>',
      attachments: [{ filename: 'b.png', content: await png(102) }],
    });
    await ingestor.handle(incoming(edge, { receivedAt: election.closesAt }));
    expect(count('SELECT late AS n FROM mails WHERE id = 2')).toBe(1);
  });

  it('gives a mail without ballots the reason no_ballot and keeps the refused files with their reasons', async () => {
    const { ingestor } = setup();
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024)]);
    const raw = await eml({
      messageId: '<doc@x>',
      attachments: [
        { filename: 'ballot.doc', content: ole },
        { filename: 'broken.png', content: (await png(101)).subarray(0, 60) },
        { filename: 'photo.png', content: await png(150) },
      ],
    });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({
      status: 'stored',
      ballots: 0,
      reason: 'no_ballot',
    });
    const atts = db.prepare('SELECT filename, status, reason FROM attachments ORDER BY id').all();
    expect(atts).toEqual([
      { filename: 'ballot.doc', status: 'rejected', reason: 'unsupported_format' },
      { filename: 'broken.png', status: 'rejected', reason: 'corrupt_file' },
      { filename: 'photo.png', status: 'read', reason: null },
    ]);
    expect(count(`SELECT COUNT(*) AS n FROM page_readings WHERE status = 'not_a_ballot'`)).toBe(1);
    expect(computeTally(db, election).mails.without_ballot).toBe(1);
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'attachment.rejected'`)).toBe(2);
  });

  it('parks a mail over the size limit for staff with its reason, keeping the original', async () => {
    const { ingestor } = setup(3, 4000);
    const raw = await eml({
      messageId: '<big@x>',
      attachments: [{ filename: 'a.png', content: Buffer.alloc(5000, 1) }],
    });
    const outcome = await ingestor.handle(incoming(raw));
    expect(outcome).toMatchObject({ status: 'failed', final: true });
    expect(db.prepare('SELECT status, reason FROM mails').get()).toEqual({
      status: 'failed',
      reason: 'too_large',
    });
    expect(blobs.has(BlobStore.hash(raw))).toBe(true);
    expect(reader.reads).toBe(0);
  });

  it('retries a mail whose reading throws, then stores it', async () => {
    const { ingestor } = setup(3);
    reader.failuresLeft = 2;
    const raw = await eml({
      messageId: '<retry@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'failed', final: false, mailId: 1 });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'failed', final: false });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'stored', ballots: 1 });
    expect(db.prepare('SELECT status, attempts, error FROM mails').get()).toEqual({
      status: 'processed',
      attempts: 3,
      error: null,
    });
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'mail.attempt_failed'`)).toBe(2);
  });

  it('reads a page again when the recognizer could not finish it, and records it unreadable on the last attempt', async () => {
    const { ingestor } = setup(2);
    reader.unfinishedLeft = 1;
    const raw = await eml({
      messageId: '<slow@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'failed', final: false });
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'stored', ballots: 1 });
    // Always unfinished: the last attempt keeps the other pages and marks this one unreadable for staff.
    reader.unfinishedLeft = 3;
    const raw2 = await eml({
      messageId: '<slow2@x>',
      attachments: [
        { filename: 'b.png', content: await png(102) },
        { filename: 'c.png', content: await png(103) },
      ],
    });
    expect(await ingestor.handle(incoming(raw2))).toMatchObject({ status: 'failed', final: false });
    const last = await ingestor.handle(incoming(raw2));
    expect(last).toMatchObject({ status: 'stored' });
    expect(
      count(
        `SELECT COUNT(*) AS n FROM page_readings WHERE status = 'unreadable' AND reason = 'processing_failed'`,
      ),
    ).toBe(1);
  });

  it('parks a mail that keeps failing, and a reprocess later reads it from the stored original', async () => {
    const { ingestor, reprocessor } = setup(2);
    reader.failuresLeft = 100;
    const raw = await eml({
      messageId: '<bad@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    await ingestor.handle(incoming(raw));
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'failed', final: true });
    expect(db.prepare('SELECT status, reason FROM mails').get()).toEqual({
      status: 'failed',
      reason: 'processing_failed',
    });
    expect(computeTally(db, election).mails.failed).toBe(1);
    // delivered again after parking: still parked, nothing read
    expect(await ingestor.handle(incoming(raw))).toMatchObject({ status: 'failed', final: true });
    reader.failuresLeft = 0;
    expect(reprocessor.select({ status: 'failed' }).mails).toEqual([1]);
    const result = await reprocessor.reprocessMail(1, { actor: 'user:wang' });
    expect(result).toMatchObject({ status: 'ingested', outcome: { status: 'stored', ballots: 1 } });
    expect(computeTally(db, election).projects!.ballots.valid).toBe(1);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('resumes a mail left pending by a crash, and parks one that crashed the process every time', async () => {
    const { ingestor } = setup(3);
    const raw = await eml({
      messageId: '<crash@x>',
      attachments: [{ filename: 'a.png', content: await png(101) }],
    });
    // What a kill -9 during reading leaves behind: the original and a pending mail with one attempt.
    blobs.put(raw);
    db.prepare(
      `INSERT INTO mails (source, account, sha256, size, received_at, status, attempts, created_at)
       VALUES ('cli', 'test', ?, ?, ?, 'pending', 1, ?)`,
    ).run(BlobStore.hash(raw), raw.length, ON_TIME.toISOString(), ON_TIME.toISOString());
    db.prepare(
      `INSERT INTO mails (source, account, sha256, size, received_at, status, attempts, created_at)
       VALUES ('cli', 'test', ?, 4, ?, 'pending', 3, ?)`,
    ).run(blobs.put(Buffer.from('poison')), ON_TIME.toISOString(), ON_TIME.toISOString());
    expect(await ingestor.resumePending()).toEqual({ resumed: 2 });
    expect(db.prepare('SELECT id, status, attempts FROM mails ORDER BY id').all()).toEqual([
      { id: 1, status: 'processed', attempts: 2 },
      { id: 2, status: 'failed', attempts: 3 },
    ]);
    expect(await ingestor.handle(incoming(raw))).toEqual({ status: 'already_seen', mailId: 1 });
  });

  it('reprocess adds a new reading version and keeps a person’s decision unless overridden', async () => {
    const { ingestor, reprocessor } = setup();
    const image = await png(101);
    await ingestor.handle(
      incoming(await eml({ messageId: '<r@x>', attachments: [{ filename: 'a.png', content: image }] })),
    );
    await ingestor.handle(
      incoming(
        await eml({ messageId: '<s@x>', attachments: [{ filename: 'b.png', content: await png(102) }] }),
      ),
    );
    // A person invalidates ballot 2.
    db.prepare(
      `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, verdict_status, verdict_reason, created_at)
       VALUES (2, 2, 'user:li', 'invalid', 'invalid', 'staff_invalid', ?)`,
    ).run(new Date().toISOString());
    // The new recognizer reads different marks.
    reader.byWidth.set(101, [{ kind: 'projects', marked: [7, 8] }]);
    reader.byWidth.set(102, [{ kind: 'districts', marked: [2] }]);
    const results = await reprocessor.reprocessPages(reprocessor.select({ status: 'all' }).pages);
    expect(results).toHaveLength(2);
    expect(db.prepare('SELECT ballot_id, version FROM ballot_readings ORDER BY id').all()).toEqual([
      { ballot_id: 1, version: 1 },
      { ballot_id: 2, version: 1 },
      { ballot_id: 1, version: 2 },
      { ballot_id: 2, version: 2 },
    ]);
    let tally = computeTally(db, election);
    expect(tally.projects!.votes['7']).toBe(1);
    expect(tally.projects!.votes['1']).toBe(0);
    expect(tally.districts!.invalid_by_reason.staff_invalid).toBe(1);
    const r2 = await reprocessor.reprocessBallot(2, { overrideHuman: true, actor: 'user:wang' });
    expect(r2).toMatchObject({
      status: 'reread',
      changes: [{ ballotId: 2, after: 'valid', keptHumanDecision: false }],
    });
    tally = computeTally(db, election);
    expect(tally.districts!.votes['2']).toBe(1);
    expect(db.prepare(`SELECT actor, outcome FROM adjudications ORDER BY id DESC LIMIT 1`).get()).toEqual({
      actor: 'user:wang',
      outcome: 'machine',
    });
    expect(count(`SELECT COUNT(*) AS n FROM audit WHERE action = 'ballot.reprocessed'`)).toBe(3);
    expect(verifyAudit(db).ok).toBe(true);
  });
});
