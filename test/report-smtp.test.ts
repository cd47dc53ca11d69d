/** Report delivery against a real SMTP server on loopback (smtp-server), with login. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, loadAppConfig } from '../src/config/load.js';
import { runReport } from '../src/report/run-report.js';
import { openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { seedReportFixture } from './report-fixture.js';

const SECRET = 'sq-授权码-7f3a9c';
const SECRET_ENV = 'BALLOT_INBOX_TEST_SMTP_SECRET';

describe('report by e-mail', () => {
  let server: SMTPServer;
  let port: number;
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true, // loopback only
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, cb) {
        if (auth.username === 'reporter' && auth.password === SECRET) cb(null, { user: 'reporter' });
        else cb(new Error('535 Authentication failed'));
      },
      onData(stream, session, cb) {
        envelopes.push(session.envelope.rcptTo.map((r) => r.address));
        simpleParser(stream)
          .then((m) => {
            received.push(m);
            cb();
          })
          .catch(cb);
      },
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((res) => server.close(() => res()));
    delete process.env[SECRET_ENV];
  });

  function configWithSmtp(): AppConfig {
    const base = loadAppConfig('config/ballot-inbox.json');
    return {
      ...base,
      report: {
        ...base.report,
        smtp: {
          host: '127.0.0.1',
          port,
          secure: false,
          user: 'reporter',
          secretEnv: SECRET_ENV,
          from: 'ballot-inbox@example.cn',
          to: ['duchaju@example.cn', 'jilu@example.cn'],
          rejectUnauthorized: true,
        },
      },
    };
  }

  function capturingLogger(): { logger: pino.Logger; lines: string[] } {
    const lines: string[] = [];
    return { logger: pino({ level: 'trace' }, { write: (s: string) => lines.push(s) }), lines };
  }

  it('mails the XLSX and a Chinese summary to every recipient, and records the delivery', async () => {
    process.env[SECRET_ENV] = SECRET;
    const config = configWithSmtp();
    const db = openDatabase(':memory:');
    seedReportFixture(db, config.election);
    const { logger, lines } = capturingLogger();
    const before = received.length;
    const out = await runReport(
      db,
      config,
      { email: true, outDir: mkdtempSync(join(tmpdir(), 'report-mail-')) },
      logger,
    );
    if (out.status !== 'written') throw new Error(out.error);
    expect(out.email.status).toBe('sent');
    expect(received).toHaveLength(before + 1);
    const mail = received[received.length - 1] as ParsedMail;
    expect(envelopes[envelopes.length - 1]).toEqual(['duchaju@example.cn', 'jilu@example.cn']);
    expect(mail.subject).toContain('【计票报告】2023漯河·群众最满意的民生实事');

    const tally = computeTally(db, config.election);
    expect(mail.text).toContain(
      `民生实事选票:有效 ${tally.projects!.ballots.valid} 张,无效 ${tally.projects!.ballots.invalid} 张`,
    );
    expect(mail.text).toContain(`收到邮件 ${tally.mails.received} 封`);
    expect(mail.text).toContain('前 10 名:');
    expect(mail.text).toContain(`附件 计票报告-${out.report.name}.xlsx 为全部统计表`);

    expect(mail.attachments).toHaveLength(1);
    const att = mail.attachments[0]!;
    expect(att.filename).toBe(`计票报告-${out.report.name}.xlsx`);
    expect(att.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const onDisk = readFileSync(join(out.report.dir, 'tally.xlsx'));
    expect(createHash('sha256').update(att.content).digest('hex')).toBe(
      createHash('sha256').update(onDisk).digest('hex'),
    );
    expect(mail.text).toContain(createHash('sha256').update(onDisk).digest('hex'));

    const emailed = db.prepare("SELECT detail FROM audit WHERE action = 'report.emailed'").get() as {
      detail: string;
    };
    expect(JSON.parse(emailed.detail)).toMatchObject({ folder: out.report.name });
    expect(lines.join('')).toContain('report mailed');
    expect(lines.join('')).not.toContain(SECRET);
    db.close();
  });

  it('keeps the written report and records the failure when the server refuses the login', async () => {
    process.env[SECRET_ENV] = 'wrong-secret-value';
    const config = configWithSmtp();
    const db = openDatabase(':memory:');
    seedReportFixture(db, config.election);
    const { logger, lines } = capturingLogger();
    const before = received.length;
    const out = await runReport(
      db,
      config,
      { email: true, outDir: mkdtempSync(join(tmpdir(), 'report-mail-')) },
      logger,
    );
    if (out.status !== 'written') throw new Error(out.error);
    expect(out.email.status).toBe('failed');
    expect(received).toHaveLength(before);
    expect(readFileSync(join(out.report.dir, 'index.html'), 'utf8')).toContain('计票情况报告');
    const failed = db.prepare("SELECT detail FROM audit WHERE action = 'report.email_failed'").get() as {
      detail: string;
    };
    expect(JSON.parse(failed.detail).error).toMatch(/535|auth/i);
    expect(lines.join('')).not.toContain('wrong-secret-value');
    expect(failed.detail).not.toContain('wrong-secret-value');
    db.close();
  });

  it('refuses to log in without the secret the config names', async () => {
    delete process.env[SECRET_ENV];
    const config = configWithSmtp();
    const db = openDatabase(':memory:');
    const out = await runReport(
      db,
      config,
      { email: true, outDir: mkdtempSync(join(tmpdir(), 'report-mail-')) },
      capturingLogger().logger,
    );
    if (out.status !== 'written') throw new Error(out.error);
    expect(out.email).toEqual({ status: 'failed', error: `environment variable ${SECRET_ENV} is not set` });
    db.close();
  });
});
