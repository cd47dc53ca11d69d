/**
 * Re-processing a page staff decided by hand: the staff's ballots survive a re-read, and only
 * `--override-human` replaces them — explicitly, in the audit trail — so no slip is counted twice.
 * The pipeline is real (parser, extractor, store); the reader is scripted by image width.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limitsSchema } from '../src/config/schema.js';
import { loadElection } from '../src/election/load.js';
import { extractPages } from '../src/extract/extract.js';
import type { Page } from '../src/extract/page.js';
import { createLogger } from '../src/log/logger.js';
import { parseMail } from '../src/mail/parse.js';
import type { BallotReading, PageReading } from '../src/recognize/reading.js';
import { loadQueue } from '../src/review/queue.js';
import { verifyAudit } from '../src/store/audit.js';
import { ballotStates } from '../src/store/ballot-state.js';
import { BlobStore } from '../src/store/blobs.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { type PageDecision, decidePage, latestPageDecision } from '../src/store/page-decision.js';
import { computeTally } from '../src/store/tally.js';
import { createIngestor } from '../src/worker/ingest-mail.js';
import { createReprocessor } from '../src/worker/reprocess.js';
import type { PageReader, Stages } from '../src/worker/stages.js';

const election = loadElection('config/election-2023.json');

type Script = { kind: string; marked: number[] }[];

/** Reads what the test says each image width holds; other widths are "not a ballot" (a table it could not read). */
class ScriptedReader implements PageReader {
  readonly byWidth = new Map<number, Script>();
  async read(page: Page): Promise<PageReading> {
    if (page.source !== 'image') throw new Error('test reader reads images only');
    const script = this.byWidth.get((await sharp(page.image).metadata()).width ?? 0);
    if (!script) return { status: 'not_a_ballot', confidence: 0.7, notes: ['table rejected'] };
    const ballots: BallotReading[] = script.map((b) => ({
      kind: b.kind,
      kindConfidence: 1,
      method: 'image',
      items: election.ballots
        .find((k) => k.kind === b.kind)!
        .items.map((it) => ({
          number: it.number,
          score: b.marked.includes(it.number) ? 0.8 : 0,
          decision: b.marked.includes(it.number) ? 'marked' : 'unmarked',
          box: null,
        })),
      confidence: 0.95,
      doubts: [],
      notes: [],
      region: null,
      image: null,
      evidence: { scripted: true },
    }));
    return { status: 'ballots', ballots, quality: 0.9 };
  }
  async close(): Promise<void> {}
}

let dir: string;
let db: Db;
let reader: ScriptedReader;

function pipeline() {
  const blobs = new BlobStore(join(dir, 'blobs'));
  const stages: Stages = { parseMail, extractPages, reader, workers: 1, recognizerVersion: 'test-2' };
  const deps = {
    db,
    blobs,
    election,
    limits: limitsSchema.parse({}),
    stages,
    logger: createLogger({ level: 'silent', pretty: false }),
  };
  const ingestor = createIngestor(deps);
  return { ingestor, reprocessor: createReprocessor({ ...deps, ingestor }) };
}

async function mailWithImage(width: number): Promise<Buffer> {
  const png = await sharp({ create: { width, height: 40, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();
  return new MailComposer({
    from: 'voter@example.cn',
    to: 'ballots@example.cn',
    subject: '选票',
    messageId: `<w${width}@x>`,
    text: '见附件',
    attachments: [{ filename: 'photo.png', content: png }],
  })
    .compile()
    .build();
}

async function ingest(width: number): Promise<number> {
  const { ingestor } = pipeline();
  const raw = await mailWithImage(width);
  await ingestor.handle({
    source: 'cli',
    account: 'test',
    folder: null,
    uidvalidity: null,
    uid: null,
    sourceRef: null,
    raw,
    receivedAt: new Date('2024-01-20T02:00:00Z'),
  });
  return (
    db
      .prepare(
        `SELECT p.id FROM pages p JOIN attachments a ON a.id = p.attachment_id JOIN mails m ON m.id = a.mail_id
         WHERE m.message_id = ?`,
      )
      .get(`<w${width}@x>`) as { id: number }
  ).id;
}

function enter(pageId: number, decision: PageDecision) {
  const r = decidePage(db, election, {
    pageId,
    seenPageReadingId: (
      db.prepare('SELECT MAX(id) AS id FROM page_readings WHERE page_id = ?').get(pageId) as { id: number }
    ).id,
    seenDecisionId: latestPageDecision(db, pageId)?.id ?? null,
    actor: { name: 'alice', role: 'reviewer' },
    decision,
  });
  if (!r.ok) throw new Error(r.error);
  return r;
}

const onPage = (pageId: number) =>
  ballotStates(db, { where: 'page_id = @p', params: { p: pageId } }).map((s) => ({
    seq: s.seq,
    origin: s.origin,
    status: s.status,
    marks: s.marks,
  }));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'reprocess-staff-'));
  db = openDatabase(join(dir, 'db.sqlite'));
  reader = new ScriptedReader();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('re-processing a page staff entered by hand', () => {
  it('keeps the staff ballot and does not add the machine’s reading of the same slip', async () => {
    const pageId = await ingest(201);
    expect(loadQueue(db, election, { state: 'open' }).entries.some((e) => e.type === 'page')).toBe(true);
    enter(pageId, { outcome: 'ballot', kind: 'projects', marks: [3, 7, 12] });
    expect(computeTally(db, election).projects!.ballots.valid).toBe(1);

    // A better recognizer now reads the photo, with one tick fewer.
    reader.byWidth.set(201, [{ kind: 'projects', marked: [3, 7] }]);
    const { reprocessor } = pipeline();
    const [result] = await reprocessor.reprocessPages(reprocessor.select({ status: 'all' }).pages, {
      actor: 'user:wang',
    });
    expect(result).toMatchObject({
      status: 'reread',
      changes: [{ after: 'valid', keptHumanDecision: true }],
    });
    expect(onPage(pageId)).toEqual([{ seq: 1, origin: 'staff', status: 'valid', marks: [3, 7, 12] }]);
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots.valid).toBe(1);
    expect(tally.projects!.votes['12']).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM page_readings WHERE page_id = ?').get(pageId)).toEqual({
      n: 1,
    });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('with --override-human, supersedes the staff ballot in the audit trail and counts the machine’s reading once', async () => {
    const pageId = await ingest(202);
    const entered = enter(pageId, { outcome: 'ballot', kind: 'projects', marks: [3, 7, 12] });
    const staffBallot = entered.ballot!.ballotId;
    reader.byWidth.set(202, [{ kind: 'projects', marked: [3, 7] }]);
    const { reprocessor } = pipeline();
    await reprocessor.reprocessPages([pageId], { overrideHuman: true, actor: 'user:wang' });

    expect(onPage(pageId)).toEqual([
      { seq: 1, origin: 'staff', status: 'not_a_ballot', marks: [] },
      { seq: 2, origin: 'recognizer', status: 'valid', marks: [3, 7] },
    ]);
    const tally = computeTally(db, election);
    expect(tally.projects!.ballots.valid).toBe(1);
    expect(tally.projects!.votes['12']).toBe(0);
    expect(
      db
        .prepare(
          `SELECT actor, action FROM audit WHERE subject_type = 'ballot' AND subject_id = ? ORDER BY seq`,
        )
        .all(staffBallot),
    ).toEqual([
      { actor: 'user:alice', action: 'ballot.entered' },
      { actor: 'user:wang', action: 'ballot.superseded' },
    ]);
    expect(latestPageDecision(db, pageId)).toMatchObject({ outcome: 'machine', actor: 'user:wang' });
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('never maps a machine ballot onto a staff one, even when the staff one sits between them', async () => {
    // The machine read one of two slips on the photo; staff entered the second.
    reader.byWidth.set(203, [{ kind: 'projects', marked: [1] }]);
    const pageId = await ingest(203);
    enter(pageId, { outcome: 'ballot', kind: 'districts', marks: [2] });
    reader.byWidth.set(203, [
      { kind: 'projects', marked: [1] },
      { kind: 'districts', marked: [2] },
    ]);
    const { reprocessor } = pipeline();
    await reprocessor.reprocessPages([pageId], { overrideHuman: true, actor: 'user:wang' });
    await reprocessor.reprocessPages([pageId], { overrideHuman: true, actor: 'user:wang' });
    expect(onPage(pageId)).toEqual([
      { seq: 1, origin: 'recognizer', status: 'valid', marks: [1] },
      { seq: 2, origin: 'staff', status: 'not_a_ballot', marks: [] },
      { seq: 3, origin: 'recognizer', status: 'valid', marks: [2] },
    ]);
    expect(computeTally(db, election).districts!.ballots.valid).toBe(1);
    expect(verifyAudit(db).ok).toBe(true);
  });
});
