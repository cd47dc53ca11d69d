import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, parseAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { receivedAtOf } from '../src/mail/folder-source.js';
import { verifyAudit } from '../src/store/audit.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { runDaemon } from '../src/worker/daemon.js';
import { createStages } from '../src/worker/real-stages.js';
import type { Stages } from '../src/worker/stages.js';
import { type Dovecot, dovecotSkipReason, startDovecot } from './helpers/dovecot.js';

/**
 * The committed fixture mails (scripts/make-mail-fixtures.ts) put in a real mailbox, each with
 * the INTERNALDATE its Received header names (so the late one is late), then `run --once` with the
 * IMAP source and the real parser, extractor and recognizer: the count must equal the one worked
 * out from the fixtures' ground truth, and every mail must end up marked. BALLOT_MAIL_FIXTURES
 * points at another generated set.
 */
const FIXTURES = resolve(process.env.BALLOT_MAIL_FIXTURES ?? 'fixtures/mail');
const EXPECTED = join(FIXTURES, 'expected-tally.json');
const dovecotSkip = dovecotSkipReason();
const skip =
  dovecotSkip ??
  (existsSync(EXPECTED)
    ? null
    : `skipping IMAP fixture test: ${EXPECTED} not generated yet (make-mail-fixtures)`);
if (skip) console.warn(skip);

const SECRET_ENV = 'BALLOT_FIXTURE_IMAP_CODE';

describe.skipIf(skip !== null)('fixture mails through IMAP and the daemon', () => {
  let d: Dovecot;
  let dir: string;
  let config: AppConfig;
  let db: Db;
  let stages: Stages;
  const files = existsSync(FIXTURES)
    ? readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];

  beforeAll(async () => {
    d = await startDovecot();
    process.env[SECRET_ENV] = d.password;
    dir = mkdtempSync(join(tmpdir(), 'imap-fixtures-'));
    config = parseAppConfig(
      {
        election: resolve('config/election-2023.json'),
        dataDir: dir,
        recognizer: { workers: 2 },
        http: { enabled: false },
        source: {
          type: 'imap',
          host: d.host,
          port: d.port,
          tls: false,
          user: d.user,
          secretEnv: SECRET_ENV,
          mailbox: '选票',
        },
      },
      dir,
      null,
    );
    db = openDatabase(config.dbPath);
    stages = await createStages(config);
    for (const f of files) {
      const path = join(FIXTURES, f);
      const raw = readFileSync(path);
      await d.append('选票', [raw], receivedAtOf(raw, statSync(path).mtime).at);
    }
  });

  afterAll(async () => {
    delete process.env[SECRET_ENV];
    await stages?.reader.close();
    db?.close();
    await d?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const once = () =>
    runDaemon({
      config,
      db,
      stages,
      logger: createLogger({ level: 'silent', pretty: false }),
      once: true,
      signal: new AbortController().signal,
    });

  it('counts exactly what the voters marked and marks every mail in the mailbox', async () => {
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, unknown> & {
      ballots_recorded: number;
    };
    expect(await once()).toEqual({ delivered: files.length });
    const { ballots_recorded, notes: _notes, ...tally } = expected;
    expect(computeTally(db, config.election)).toEqual(tally);
    expect((db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n).toBe(ballots_recorded);
    const flags = await d.flags('选票');
    expect(flags.size).toBe(files.length);
    expect([...flags.values()].every((f) => f.has('$BallotInboxStored'))).toBe(true);
    // Every mailbox key is remembered, the same-Message-ID resend pointing at its first copy.
    const keys = db.prepare(`SELECT COUNT(*) AS n FROM mail_keys WHERE folder = '选票'`).get() as {
      n: number;
    };
    expect(keys.n).toBe(files.length);
    expect(verifyAudit(db).ok).toBe(true);
    // Real recognition of every page on two shared cores.
  }, 600_000);

  it('hands nothing over again and the count stands', async () => {
    const before = computeTally(db, config.election);
    expect(await once()).toEqual({ delivered: 0 });
    expect(computeTally(db, config.election)).toEqual(before);
  });
});
