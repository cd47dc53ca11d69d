import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAppConfig } from '../src/config/load.js';
import type { Election } from '../src/election/election.js';
import { extractPages } from '../src/extract/extract.js';
import type { Page } from '../src/extract/page.js';
import { createLogger } from '../src/log/logger.js';
import { parseMail } from '../src/mail/parse.js';
import type { PageReading } from '../src/recognize/reading.js';
import { verifyAudit } from '../src/store/audit.js';
import { openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { runDaemon } from '../src/worker/daemon.js';
import type { PageReader, Stages } from '../src/worker/stages.js';
import { type Dovecot, dovecotSkipReason, startDovecot } from './helpers/dovecot.js';
import { waitFor } from './helpers/imap-recorder.js';

/**
 * The daemon as `ballot-inbox run` drives it, with the source the config names (IMAP, Dovecot),
 * the real ingest pipeline, parser, extractor and database; only the page reader is scripted
 * (each test image's width says which ballots it holds), so the tally can be asserted exactly.
 * Recognition accuracy has its own tests.
 */
const skip = dovecotSkipReason();
if (skip) console.warn(skip);

const SECRET_ENV = 'BALLOT_E2E_IMAP_CODE';
const ON_TIME = new Date('2024-01-20T02:00:00Z');
const DONE = '已计票';

class ScriptedReader implements PageReader {
  constructor(
    private readonly election: Election,
    private readonly byWidth: Map<number, { kind: string; marked: number[] }[]>,
  ) {}
  async read(page: Page): Promise<PageReading> {
    if (page.source !== 'image') return { status: 'not_a_ballot', confidence: 0.9, notes: ['not an image'] };
    const { width } = await sharp(page.image).metadata();
    const script = this.byWidth.get(width ?? 0);
    if (!script) return { status: 'not_a_ballot', confidence: 0.9, notes: ['no table'] };
    return {
      status: 'ballots',
      quality: 0.9,
      ballots: script.map((b) => ({
        kind: b.kind,
        kindConfidence: 1,
        method: 'image',
        items: this.election.ballots
          .find((k) => k.kind === b.kind)!
          .items.map((it) => ({
            number: it.number,
            score: b.marked.includes(it.number) ? 0.8 : 0,
            decision: b.marked.includes(it.number) ? 'marked' : 'unmarked',
            box: { x: 0, y: it.number * 10, width: 10, height: 10 },
          })),
        confidence: 0.95,
        doubts: [],
        notes: [],
        region: null,
        image: null,
        evidence: { scripted: true },
      })),
    };
  }
  async close(): Promise<void> {}
}

const png = (width: number) =>
  sharp({ create: { width, height: 40, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer();

async function ballotMail(id: string, widths: number[]): Promise<Buffer> {
  return new MailComposer({
    from: `${id}@example.cn`,
    to: 'ballots@163.example',
    subject: '选票',
    messageId: `<${id}@example.cn>`,
    text: '见附件',
    attachments: await Promise.all(
      widths.map(async (w, i) => ({ filename: `票${i + 1}.png`, content: await png(w) })),
    ),
  })
    .compile()
    .build();
}

describe.skipIf(skip !== null)('daemon with the IMAP source against Dovecot', () => {
  let d: Dovecot;
  let dir: string;
  beforeAll(async () => {
    d = await startDovecot();
    dir = mkdtempSync(join(tmpdir(), 'imap-daemon-'));
    process.env[SECRET_ENV] = d.password;
  });
  afterAll(async () => {
    delete process.env[SECRET_ENV];
    await d?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const configFor = (mailbox: string, name: string) =>
    parseAppConfig(
      {
        election: resolve('config/election-2023.json'),
        dataDir: join(dir, name),
        http: { enabled: false },
        source: {
          type: 'imap',
          host: d.host,
          port: d.port,
          tls: false,
          user: d.user,
          secretEnv: SECRET_ENV,
          mailbox,
          pollSeconds: 2,
          onStored: { action: 'move', folder: DONE },
          reconnect: { minSeconds: 0.2, maxSeconds: 1 },
        },
      },
      dir,
      null,
    );

  it('counts the ballots of mails in the mailbox and of mail arriving later, each once, and moves them', async () => {
    const config = configFor('INBOX', 'run');
    const db = openDatabase(config.dbPath);
    const reader = new ScriptedReader(
      config.election,
      new Map([
        [101, [{ kind: 'projects', marked: [1, 2, 3] }]],
        [102, [{ kind: 'districts', marked: [4] }]],
        [104, [{ kind: 'districts', marked: [4] }]],
        [
          103,
          [
            { kind: 'projects', marked: [5] },
            { kind: 'districts', marked: [1, 2, 3, 4] },
          ],
        ],
      ]),
    );
    const stages: Stages = { parseMail, extractPages, reader, workers: 2, recognizerVersion: 'test-1' };
    const first = await ballotMail('a', [101, 103]);
    await d.append('INBOX', [first, await ballotMail('b', [102]), first /* a resend */], ON_TIME);

    const stop = new AbortController();
    const daemon = runDaemon({
      config,
      db,
      stages,
      logger: createLogger({ level: 'silent', pretty: false }),
      once: false,
      signal: stop.signal,
    });
    try {
      const inFolder = async (f: string) => (await d.flags(f)).size;
      await waitFor('three mails moved', async () => (await inFolder(DONE)) === 3, 30_000);
      // A different scan (an identical image would be the same ballot sent twice).
      await d.append('INBOX', [await ballotMail('c', [104])], ON_TIME);
      await waitFor('the later mail moved', async () => (await inFolder(DONE)) === 4, 30_000);
      expect(await inFolder('INBOX')).toBe(0);
    } finally {
      stop.abort();
      await daemon;
    }

    const tally = computeTally(db, config.election);
    console.log(
      JSON.stringify(tally.mails),
      JSON.stringify(
        db.prepare('SELECT id, source, folder, uidvalidity, uid, status, duplicate_of FROM mails').all(),
      ),
    );
    expect(tally.projects!.ballots).toEqual({ valid: 2, invalid: 0, review: 0 });
    expect(tally.projects!.votes['1']).toBe(1);
    expect(tally.projects!.votes['5']).toBe(1);
    expect(tally.districts!.ballots).toEqual({ valid: 2, invalid: 1, review: 0 });
    expect(tally.districts!.votes['4']).toBe(2);
    // The resend is no new mail: its mailbox key points at the first one.
    expect(tally.mails).toMatchObject({ received: 3, duplicate: 0, late: 0, failed: 0 });
    const keys = db
      .prepare(`SELECT uid, mail_id FROM mail_keys WHERE source = 'imap' AND folder = 'INBOX' ORDER BY uid`)
      .all() as { uid: number; mail_id: number }[];
    expect(keys.map((k) => k.uid)).toEqual([1, 2, 3, 4]);
    expect(keys[2]!.mail_id).toBe(keys[0]!.mail_id);
    const received = db.prepare(`SELECT DISTINCT received_at AS at FROM mails`).all() as { at: string }[];
    expect(received.map((r) => r.at)).toEqual([ON_TIME.toISOString()]);
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  });

  it('run --once delivers what waits in the mailbox and returns', async () => {
    const config = configFor('一次', 'once');
    const db = openDatabase(config.dbPath);
    const reader = new ScriptedReader(config.election, new Map([[105, [{ kind: 'projects', marked: [7] }]]]));
    const stages: Stages = { parseMail, extractPages, reader, workers: 2, recognizerVersion: 'test-1' };
    await d.append('一次', [await ballotMail('once-1', [105]), await ballotMail('once-2', [])], ON_TIME);
    const result = await runDaemon({
      config,
      db,
      stages,
      logger: createLogger({ level: 'silent', pretty: false }),
      once: true,
      signal: new AbortController().signal,
    });
    expect(result).toEqual({ delivered: 2 });
    const tally = computeTally(db, config.election);
    expect(tally.projects!.votes['7']).toBe(1);
    expect(tally.mails).toMatchObject({ received: 2, without_ballot: 1 });
    expect((await d.flags('一次')).size).toBe(0);
    expect((await d.flags(DONE)).size).toBeGreaterThanOrEqual(2);
    db.close();
  });
});
