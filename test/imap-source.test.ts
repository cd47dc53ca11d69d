import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapSourceSchema } from '../src/config/schema.js';
import { createImapSource } from '../src/mail/imap-source.js';
import { type Dovecot, dovecotSkipReason, startDovecot } from './helpers/dovecot.js';
import { memoryLogger, recordingHandler, sha256, tinyMail, waitFor } from './helpers/imap-recorder.js';

const skip = dovecotSkipReason();
if (skip) console.warn(skip);

const SECRET_ENV = 'BALLOT_TEST_IMAP_CODE';

function sourceConfig(d: Dovecot, extra: Record<string, unknown> = {}) {
  return imapSourceSchema.parse({
    type: 'imap',
    host: d.host,
    port: d.port,
    tls: false,
    user: d.user,
    secretEnv: SECRET_ENV,
    reconnect: { minSeconds: 0.2, maxSeconds: 1 },
    ...extra,
  });
}

describe.skipIf(skip !== null)('IMAP source against a real Dovecot', () => {
  let d: Dovecot;
  const env = () => ({ [SECRET_ENV]: d.password });

  beforeAll(async () => {
    d = await startDovecot();
  });
  afterAll(async () => {
    await d?.dispose();
  });

  it('hands over each mail byte for byte with UID, UIDVALIDITY and INTERNALDATE, then flags it stored', async () => {
    const mailbox = '选票'; // a non-ASCII mailbox name travels as modified UTF-7
    const when = new Date('2026-11-28T09:30:00Z');
    const mails = [tinyMail(1), tinyMail(2), tinyMail(3)];
    const uids = await d.append(mailbox, mails, when);
    const { logger } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox }), logger, { env: env() });
    const rec = recordingHandler();

    expect(await source.drain(rec.handler)).toEqual({ delivered: 3 });
    expect(rec.deliveries.map((x) => x.mail.uid)).toEqual(uids);
    for (const [i, { mail }] of rec.deliveries.entries()) {
      expect(mail.raw.equals(mails[i]!)).toBe(true);
      expect(mail.source).toBe('imap');
      expect(mail.folder).toBe(mailbox);
      expect(mail.account).toBe(`${d.user}@127.0.0.1`);
      expect(mail.uidvalidity).toBeGreaterThan(0);
      expect(mail.receivedAt.toISOString()).toBe(when.toISOString());
    }
    const flags = await d.flags(mailbox);
    for (const uid of uids) expect([...flags.get(uid)!]).toContain('$BallotInboxStored');
    // Flagged mail is not handed over again.
    expect(await source.drain(rec.handler)).toEqual({ delivered: 0 });
  });

  it('moves stored mail into a folder with a Chinese name and final failures into another; a retryable failure stays', async () => {
    const mailbox = 'INBOX';
    const [ok, bad, later] = [tinyMail(11, 'move'), tinyMail(12, 'move'), tinyMail(13, 'move')];
    await d.append(mailbox, [ok!, bad!, later!]);
    const { logger } = memoryLogger();
    const source = createImapSource(
      sourceConfig(d, {
        mailbox,
        onStored: { action: 'move', folder: '已处理' },
        onFailed: { action: 'move', folder: '处理失败' },
      }),
      logger,
      { env: env() },
    );
    let laterAttempts = 0;
    const rec = recordingHandler({
      decide: (mail) => {
        const h = sha256(mail.raw);
        if (h === sha256(bad!)) return { status: 'failed', mailId: 7, error: 'no ballot found', final: true };
        if (h === sha256(later!) && ++laterAttempts === 1)
          return { status: 'failed', mailId: 8, error: 'recognizer busy', final: false };
        return undefined;
      },
    });

    expect(await source.drain(rec.handler)).toEqual({ delivered: 3 });
    const hashesIn = async (folder: string) => {
      const c = await d.client();
      try {
        if (!(await c.list()).some((m) => m.path === folder)) return [];
        await c.mailboxOpen(folder, { readOnly: true });
        const out: string[] = [];
        for await (const m of c.fetch('1:*', { source: true })) out.push(sha256(m.source!));
        return out;
      } finally {
        await c.logout();
      }
    };
    expect(await hashesIn('已处理')).toEqual([sha256(ok!)]);
    expect(await hashesIn('处理失败')).toEqual([sha256(bad!)]);
    expect(await hashesIn('INBOX')).toEqual([sha256(later!)]);

    // Next round: the retryable one comes again, is stored, and moves.
    expect(await source.drain(rec.handler)).toEqual({ delivered: 1 });
    expect(await hashesIn('INBOX')).toEqual([]);
    expect(await hashesIn('已处理')).toEqual([sha256(ok!), sha256(later!)]);
  });

  it('flags a final failure with the failed keyword and does not fetch it again', async () => {
    const mailbox = 'flags-test';
    const [good, bad] = [tinyMail(21, 'kw'), tinyMail(22, 'kw')];
    const [goodUid, badUid] = await d.append(mailbox, [good!, bad!]);
    const { logger } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox }), logger, { env: env() });
    const rec = recordingHandler({
      decide: (mail) =>
        mail.uid === badUid ? { status: 'failed', mailId: 3, error: 'unreadable', final: true } : undefined,
    });
    expect(await source.drain(rec.handler)).toEqual({ delivered: 2 });
    const flags = await d.flags(mailbox);
    expect([...flags.get(goodUid!)!]).toContain('$BallotInboxStored');
    expect([...flags.get(badUid!)!]).toContain('$BallotInboxFailed');
    expect([...flags.get(badUid!)!]).not.toContain('$BallotInboxStored');
    expect(await source.drain(rec.handler)).toEqual({ delivered: 0 });
  });

  it("marks stored mail \\Seen with the 'seen' action and then skips it", async () => {
    const mailbox = 'seen-test';
    const [uid] = await d.append(mailbox, [tinyMail(31, 'seen')]);
    const { logger } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox, onStored: { action: 'seen' } }), logger, {
      env: env(),
    });
    const rec = recordingHandler();
    expect(await source.drain(rec.handler)).toEqual({ delivered: 1 });
    expect([...(await d.flags(mailbox)).get(uid!)!]).toContain('\\Seen');
    expect(await source.drain(rec.handler)).toEqual({ delivered: 0 });
  });

  it('sends the configured IMAP ID and never writes the secret to the log, even at trace level', async () => {
    const mailbox = 'id-test';
    await d.append(mailbox, [tinyMail(41, 'id')]);
    const { logger, text } = memoryLogger();
    const source = createImapSource(
      sourceConfig(d, { mailbox, clientInfo: { name: 'ballot-inbox-test', version: '9.9', vendor: 'city' } }),
      logger,
      { env: env() },
    );
    expect(await source.drain(recordingHandler().handler)).toEqual({ delivered: 1 });
    expect(d.log()).toMatch(/ID sent: name=ballot-inbox-test, version=9\.9, vendor=city/);
    const out = text();
    // The protocol exchange is in the log (so the check below has something to look at)...
    expect(out).toMatch(/LOGIN/);
    expect(out).toContain(d.user);
    // ...but not the password.
    expect(out).not.toContain(d.password);
  });

  it('reports a refused login without the attempted secret and without crashing', async () => {
    const { logger, text } = memoryLogger();
    const wrong = 'wrong-code-4711-zz';
    const source = createImapSource(sourceConfig(d, { mailbox: 'INBOX' }), logger, {
      env: { [SECRET_ENV]: wrong },
    });
    await expect(source.drain(recordingHandler().handler)).rejects.toThrow(/IMAP/);
    expect(text()).toMatch(/login refused/);
    expect(text()).not.toContain(wrong);

    // run() keeps retrying with backoff instead of throwing, and stops when asked.
    const stop = new AbortController();
    const running = source.run(recordingHandler().handler, stop.signal);
    await waitFor(
      'two more login attempts from run()',
      () => (text().match(/login refused/g) ?? []).length >= 3,
    );
    stop.abort();
    await running;
    expect(text()).not.toContain(wrong);
  });

  it('picks up mail appended while running, through IDLE, well before the poll interval', async () => {
    const mailbox = 'idle-test';
    await d.append(mailbox, [tinyMail(51, 'idle')]);
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox, pollSeconds: 300 }), logger, { env: env() });
    const rec = recordingHandler();
    const stop = new AbortController();
    const running = source.run(rec.handler, stop.signal);
    try {
      await waitFor('first mail', () => rec.deliveries.length === 1);
      await waitFor('IDLE started', () => text().includes('IDLE'));
      const t0 = Date.now();
      await d.append(mailbox, [tinyMail(52, 'idle')]);
      await waitFor('second mail', () => rec.deliveries.length === 2, 10_000);
      expect(Date.now() - t0).toBeLessThan(5_000);
    } finally {
      stop.abort();
      await running;
    }
    expect(rec.stored.size).toBe(2);
  });

  it('hands over up to `concurrency` mails at once, oldest first, and reports backlog and outcomes', async () => {
    const mailbox = 'concurrency-test';
    const uids = await d.append(
      mailbox,
      Array.from({ length: 7 }, (_, i) => tinyMail(70 + i, 'conc')),
    );
    const { logger } = memoryLogger();
    const backlog: number[] = [];
    const outcomes: string[] = [];
    let inHand = 0;
    let most = 0;
    const started: number[] = [];
    const inner = recordingHandler({ delayMs: 80 });
    const source = createImapSource(sourceConfig(d, { mailbox }), logger, {
      env: env(),
      concurrency: 3,
      batchMessages: 4, // two batches: the pool spans batch boundaries correctly
      onBacklog: (n) => backlog.push(n),
      onDelivered: (o) => outcomes.push(o.status),
    });
    const handler = async (mail: Parameters<typeof inner.handler>[0]) => {
      started.push(mail.uid!);
      most = Math.max(most, ++inHand);
      try {
        return await inner.handler(mail);
      } finally {
        inHand--;
      }
    };
    expect(await source.drain(handler)).toEqual({ delivered: 7 });
    expect(most).toBe(3);
    expect(started).toEqual(uids);
    expect(backlog).toEqual([7]);
    expect(outcomes).toEqual(Array(7).fill('stored'));
    const flags = await d.flags(mailbox);
    expect([...flags.values()].every((f) => f.has('$BallotInboxStored'))).toBe(true);
  });

  it('fails to start with a clear error when the secret is missing or a move would loop', () => {
    const { logger } = memoryLogger();
    expect(() => createImapSource(sourceConfig(d), logger, { env: {} })).toThrow(
      new RegExp(`${SECRET_ENV} is not set`),
    );
    expect(() =>
      createImapSource(sourceConfig(d, { onStored: { action: 'move', folder: 'INBOX' } }), logger, {
        env: env(),
      }),
    ).toThrow(/into the watched mailbox INBOX/);
  });
});

describe.skipIf(skip !== null)('IMAP source over TLS', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await startDovecot({ tls: true });
  });
  afterAll(async () => {
    await d?.dispose();
  });

  it('connects with implicit TLS and with STARTTLS, and refuses an untrusted certificate unless told otherwise', async () => {
    await d.append('INBOX', [tinyMail(61, 'tls'), tinyMail(62, 'tls')]);
    const env = { [SECRET_ENV]: d.password };

    const implicit = memoryLogger();
    const overTls = createImapSource(
      sourceConfig(d, { port: d.tlsPort, tls: true, rejectUnauthorized: false }),
      implicit.logger,
      { env },
    );
    const rec = recordingHandler({
      decide: () => ({ status: 'failed', mailId: null, error: 'not yet', final: false }),
    });
    expect(await overTls.drain(rec.handler)).toEqual({ delivered: 2 });
    expect(implicit.text()).toMatch(/"secure":true[^\n]*IMAP connected/);

    const starttls = memoryLogger();
    const upgraded = createImapSource(
      sourceConfig(d, { tls: false, rejectUnauthorized: false }),
      starttls.logger,
      {
        env,
      },
    );
    expect(await upgraded.drain(recordingHandler().handler)).toEqual({ delivered: 2 });
    expect(starttls.text()).toMatch(/"secure":true[^\n]*IMAP connected/);

    const strict = memoryLogger();
    const checked = createImapSource(sourceConfig(d, { port: d.tlsPort, tls: true }), strict.logger, { env });
    await expect(checked.drain(recordingHandler().handler)).rejects.toThrow(/certificate/i);
  });
});
