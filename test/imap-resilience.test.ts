import { afterEach, describe, expect, it } from 'vitest';
import { imapSourceSchema } from '../src/config/schema.js';
import { createImapSource } from '../src/mail/imap-source.js';
import { type Dovecot, dovecotSkipReason, startDovecot } from './helpers/dovecot.js';
import { type ImapProxy, startImapProxy } from './helpers/imap-proxy.js';
import { memoryLogger, recordingHandler, sha256, tinyMail, waitFor } from './helpers/imap-recorder.js';

const skip = dovecotSkipReason();
if (skip) console.warn(skip);

function sourceConfig(d: Dovecot, extra: Record<string, unknown> = {}) {
  return imapSourceSchema.parse({
    type: 'imap',
    host: d.host,
    port: d.port,
    tls: false,
    user: d.user,
    secretEnv: 'CODE',
    reconnect: { minSeconds: 0.2, maxSeconds: 1 },
    ...extra,
  });
}

/** The lines our code (not imapflow's protocol trace) logged. */
function ownLines(text: string): { msg: string; [k: string]: unknown }[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; component?: string })
    .filter((o) => o.component !== 'imapflow');
}

describe.skipIf(skip !== null)('IMAP source when the server misbehaves', () => {
  let d: Dovecot | null = null;
  let stop: AbortController | null = null;
  let running: Promise<void> | null = null;
  let proxy: ImapProxy | null = null;

  afterEach(async () => {
    stop?.abort();
    await running;
    await proxy?.close();
    proxy = null;
    await d?.dispose();
    d = null;
  });

  it('reconnects after a Dovecot restart mid-run: nothing lost, nothing counted twice, marked mail not handed over again', async () => {
    d = await startDovecot();
    const mailbox = 'restart';
    const mails = Array.from({ length: 6 }, (_, i) => tinyMail(100 + i, 'restart'));
    await d.append(mailbox, mails);
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox, pollSeconds: 30 }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler({ delayMs: 150 });
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);

    await waitFor('two mails handed over', () => rec.deliveries.length >= 2);
    await d.restart();
    await waitFor('all six stored', () => rec.stored.size === 6, 30_000);
    // A mail appended after the restart arrives on the new session.
    const late = tinyMail(199, 'restart');
    await d.append(mailbox, [late]);
    await waitFor('the late mail', () => rec.stored.has(sha256(late)), 30_000);

    expect(rec.stored.size).toBe(7);
    for (const m of [...mails, late]) expect(rec.stored.has(sha256(m))).toBe(true);
    // At most the one mail in flight during the restart comes twice, and then as already seen.
    const repeats = rec.deliveries.filter((x) => x.outcome.status === 'already_seen');
    expect(repeats.length).toBeLessThanOrEqual(1);
    expect(rec.deliveries.length).toBe(7 + repeats.length);
    const flags = await d.flags(mailbox);
    expect([...flags.values()].every((f) => f.has('$BallotInboxStored'))).toBe(true);
    expect(ownLines(text()).some((l) => l.msg === 'reconnecting to the IMAP server')).toBe(true);
  });

  it('polls a server without IDLE (like 163.com) and picks up mail appended later', async () => {
    d = await startDovecot({ idle: false });
    const mailbox = 'INBOX';
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox, pollSeconds: 1 }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler();
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);
    await waitFor('connected', () =>
      ownLines(text()).some((l) => l.msg === 'IMAP connected and mailbox selected'),
    );
    await d.append(mailbox, [tinyMail(201, 'poll')]);
    await waitFor('polled mail', () => rec.stored.size === 1, 10_000);
    await d.append(mailbox, [tinyMail(202, 'poll')]);
    await waitFor('second polled mail', () => rec.stored.size === 2, 10_000);
    const connected = ownLines(text()).find((l) => l.msg === 'IMAP connected and mailbox selected');
    expect(connected?.idle).toBe(false);
    // No IDLE command was ever sent to a server that does not offer it.
    expect(text()).not.toMatch(/"msg":"\S+ IDLE"/);
    expect(text()).toMatch(/"msg":"\S+ NOOP"/);
  });

  it('polls instead of IDLE when the config says idle: false', async () => {
    d = await startDovecot();
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { idle: false, pollSeconds: 1 }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler();
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);
    await waitFor('connected', () =>
      ownLines(text()).some((l) => l.msg === 'IMAP connected and mailbox selected'),
    );
    await d.append('INBOX', [tinyMail(301, 'noidle')]);
    await waitFor('polled mail', () => rec.stored.size === 1, 10_000);
    expect(text()).not.toMatch(/"msg":"\S+ IDLE"/);
  });

  it('survives a mailbox reset (new UIDVALIDITY, keywords gone): the same mail comes again but is counted once', async () => {
    d = await startDovecot();
    const mailbox = '选票箱';
    const [a, b, c] = [tinyMail(401, 'reset'), tinyMail(402, 'reset'), tinyMail(403, 'reset')];
    const createdAt = Date.now();
    await d.append(mailbox, [a!, b!]);
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { mailbox, pollSeconds: 1 }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler();
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);
    await waitFor('first two', () => rec.stored.size === 2);
    const firstUidValidity = rec.deliveries[0]!.mail.uidvalidity;

    // Dovecot derives UIDVALIDITY from the clock; make sure the new mailbox gets a new one.
    await new Promise((r) => setTimeout(r, Math.max(0, 1_100 - (Date.now() - createdAt))));
    // The provider rebuilds the mailbox (the server goes away meanwhile) and restores the mail
    // without our keywords, plus one new mail.
    await d.wipeMailbox(mailbox);
    await d.append(mailbox, [a!, b!, c!]);

    await waitFor('the new mail', () => rec.stored.has(sha256(c!)), 30_000);
    await waitFor('all re-presented', () => rec.deliveries.length === 5, 10_000);
    expect(rec.stored.size).toBe(3);
    const again = rec.deliveries.slice(2);
    expect(again.map((x) => x.outcome.status).sort()).toEqual(['already_seen', 'already_seen', 'stored']);
    expect(again.every((x) => x.mail.uidvalidity !== firstUidValidity)).toBe(true);
    expect(ownLines(text()).some((l) => /UIDVALIDITY changed/.test(l.msg))).toBe(true);
    const flags = await d.flags(mailbox);
    expect(flags.size).toBe(3);
    expect([...flags.values()].every((f) => f.has('$BallotInboxStored'))).toBe(true);
  });

  it('still finds new mail when IDLE goes quiet (the server never reports it), by polling anyway', async () => {
    d = await startDovecot();
    // Swallow every new-mail notice: IDLE is accepted and then says nothing, as some servers do.
    proxy = await startImapProxy(d.port, (line) => (/^\* \d+ (EXISTS|RECENT)\r\n$/.test(line) ? null : line));
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { port: proxy.port, pollSeconds: 1 }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler();
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);
    await waitFor('IDLE in use', () => /"msg":"\S+ IDLE"/.test(text()));
    await d.append('INBOX', [tinyMail(501, 'quiet')]);
    await waitFor('mail found by the poll', () => rec.stored.size === 1, 10_000);
    expect(text()).not.toMatch(/"msg":"\* \d+ EXISTS"/);
  });

  it('marks mail \\Seen and says why when the server keeps no custom keywords (PERMANENTFLAGS without \\*)', async () => {
    d = await startDovecot();
    proxy = await startImapProxy(d.port, (line) =>
      line.includes('[PERMANENTFLAGS') ? line.replace(/ \\\*\)/, ')') : line,
    );
    const mailbox = 'nokeywords';
    const [uid] = await d.append(mailbox, [tinyMail(601, 'nokw')]);
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { port: proxy.port, mailbox }), logger, {
      env: { CODE: d.password },
    });
    const rec = recordingHandler();
    expect(await source.drain(rec.handler)).toEqual({ delivered: 1 });
    const flags = (await d.flags(mailbox)).get(uid!)!;
    expect([...flags]).toContain('\\Seen');
    expect([...flags]).not.toContain('$BallotInboxStored');
    expect(ownLines(text()).some((l) => /does not keep the keyword \$BallotInboxStored/.test(l.msg))).toBe(
      true,
    );
    expect(await source.drain(rec.handler)).toEqual({ delivered: 0 });
  });

  it('logs in afresh now and then without handing anything over twice', async () => {
    d = await startDovecot();
    await d.append('INBOX', [tinyMail(701, 'renew')]);
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { pollSeconds: 0.3 }), logger, {
      env: { CODE: d.password },
      sessionMaxMs: 200,
    });
    const rec = recordingHandler();
    stop = new AbortController();
    running = source.run(rec.handler, stop.signal);
    await waitFor(
      'three sessions',
      () => ownLines(text()).filter((l) => l.msg === 'IMAP connected and mailbox selected').length >= 3,
    );
    await d.append('INBOX', [tinyMail(702, 'renew')]);
    await waitFor('second mail', () => rec.stored.size === 2);
    expect(rec.deliveries).toHaveLength(2);
    expect(ownLines(text()).some((l) => l.msg === 'renewing the IMAP session')).toBe(true);
    expect(ownLines(text()).some((l) => l.msg === 'reconnecting to the IMAP server')).toBe(false);
  });

  it('explains an "Unsafe Login" refusal of SELECT (163/126/yeah.net without ID) and keeps retrying', async () => {
    d = await startDovecot();
    proxy = await startImapProxy(d.port, (line) =>
      /^\S+ OK \[READ-WRITE\] Select completed/.test(line)
        ? `${line.split(' ')[0]} NO SELECT Unsafe Login. Please contact kefu@188.com for help\r\n`
        : line,
    );
    const { logger, text } = memoryLogger();
    const source = createImapSource(sourceConfig(d, { port: proxy.port }), logger, {
      env: { CODE: d.password },
    });
    await expect(source.drain(recordingHandler().handler)).rejects.toThrow(/Unsafe Login/);
    stop = new AbortController();
    running = source.run(recordingHandler().handler, stop.signal);
    await waitFor(
      'two refusals',
      () => ownLines(text()).filter((l) => /Unsafe Login.*clientInfo/.test(l.msg)).length >= 2,
    );
  });
});
