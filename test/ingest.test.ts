import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, parseAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { createPathsSource } from '../src/mail/folder-source.js';
import type { IngestOutcome } from '../src/mail/incoming.js';
import { verifyAudit } from '../src/store/audit.js';
import { BlobStore } from '../src/store/blobs.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { createIngestor, type Ingestor } from '../src/worker/ingest-mail.js';
import { createStages } from '../src/worker/real-stages.js';
import type { Stages } from '../src/worker/stages.js';

/**
 * The committed fixture mails (scripts/make-mail-fixtures.ts) through the real parser, extractor
 * and recognizer pool: the count must equal the one worked out from the fixtures' ground truth.
 */
const FIXTURES = resolve('fixtures/mail');
const logger = createLogger({ level: 'silent', pretty: false });

let dir: string;
let config: AppConfig;
let db: Db;
let stages: Stages;
let ingestor: Ingestor;

async function ingestAll(): Promise<Map<string, IngestOutcome>> {
  const outcomes = new Map<string, IngestOutcome>();
  await createPathsSource([FIXTURES], { logger, concurrency: 4 }).drain(async (mail) => {
    const o = await ingestor.handle(mail);
    outcomes.set(mail.sourceRef!.split('/').pop()!, o);
    return o;
  });
  return outcomes;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-fixtures-'));
  config = parseAppConfig(
    { election: resolve('config/election-2023.json'), dataDir: dir, recognizer: { workers: 2 } },
    dir,
    null,
  );
  db = openDatabase(join(dir, 'db.sqlite'));
  stages = await createStages(config);
  ingestor = createIngestor({
    db,
    blobs: new BlobStore(join(dir, 'blobs')),
    election: config.election,
    limits: config.limits,
    stages,
    logger,
  });
});

afterAll(async () => {
  await stages?.reader.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest of the fixture mails', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected-tally.json'), 'utf8')) as Record<
    string,
    unknown
  > & { ballots_recorded: number };

  it('counts exactly what the voters marked, with every case recorded as such', async () => {
    const outcomes = await ingestAll();
    expect(outcomes.size).toBe(readdirSync(FIXTURES).filter((f) => f.endsWith('.eml')).length);
    expect(outcomes.get('01-single-image.eml')).toMatchObject({ status: 'stored', ballots: 1 });
    expect(outcomes.get('03-multi-page-pdf.eml')).toMatchObject({ status: 'stored', ballots: 2 });
    expect(outcomes.get('06-zip.eml')).toMatchObject({ status: 'stored', ballots: 2 });
    expect(outcomes.get('07-late.eml')).toMatchObject({ status: 'stored', ballots: 1 });
    expect(outcomes.get('08-duplicate-attachment.eml')).toMatchObject({ status: 'stored', ballots: 1 });
    expect(outcomes.get('09-same-message-id.eml')).toMatchObject({ status: 'already_seen' });
    for (const name of ['10-no-ballot.eml', '11-unsupported-doc.eml', '12-corrupt-attachment.eml'])
      expect(outcomes.get(name)).toMatchObject({ status: 'stored', ballots: 0, reason: 'no_ballot' });

    const { ballots_recorded, notes: _notes, ...tally } = expected;
    expect(computeTally(db, config.election)).toEqual(tally);
    expect((db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n).toBe(ballots_recorded);
    const rejected = db
      .prepare(`SELECT filename, reason FROM attachments WHERE status = 'rejected' ORDER BY id`)
      .all();
    expect(rejected).toEqual([
      { filename: '选票.doc', reason: 'unsupported_format' },
      { filename: 'broken.png', reason: 'corrupt_file' },
    ]);
    const zipChildren = db
      .prepare(
        `SELECT COUNT(*) AS n FROM attachments WHERE parent_id IN (SELECT id FROM attachments WHERE format = 'zip')`,
      )
      .get() as { n: number };
    expect(zipChildren.n).toBe(2);
    expect(verifyAudit(db).ok).toBe(true);
  });

  it('counts nothing twice when the whole set arrives again', async () => {
    const before = computeTally(db, config.election);
    const ballots = (db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n;
    const outcomes = await ingestAll();
    expect([...outcomes.values()].every((o) => o.status === 'already_seen')).toBe(true);
    expect(computeTally(db, config.election)).toEqual(before);
    expect((db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n).toBe(ballots);
    expect(verifyAudit(db).ok).toBe(true);
  });
});
