/**
 * End-to-end ingest throughput from a local IMAP server: a throw-away Dovecot on loopback is
 * filled with mails, then the daemon (`run --once` path: IMAP source → ingest pipeline with the
 * real parser, extractor and recognizer → SQLite) works through the mailbox. Prints mails/min,
 * ballot pages/min and the peak RSS of this process (the recognizer threads included, Dovecot not).
 *
 *   npx tsx scripts/bench-ingest-imap.ts --mails /tmp/inbox        # .eml files, e.g. from
 *       npx tsx scripts/make-mail-fixtures.ts --bulk 200 --out /tmp/inbox
 *   npx tsx scripts/bench-ingest-imap.ts --synthetic 100            # one-ballot mails made from
 *       the recognizer fixtures (fixtures/recognize/), each image altered by one pixel so no two
 *       mails share bytes
 *
 * Needs /usr/sbin/dovecot (Debian: dovecot-imapd).
 */
import { Command } from 'commander';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import sharp from 'sharp';
import { parseAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { createImapSource } from '../src/mail/imap-source.js';
import { openDatabase } from '../src/store/db.js';
import { runDaemon } from '../src/worker/daemon.js';
import { createStages } from '../src/worker/real-stages.js';
import { dovecotSkipReason, startDovecot } from '../test/helpers/dovecot.js';

const program = new Command()
  .name('bench-ingest-imap')
  .option('--mails <dir>', 'folder of .eml files to put in the mailbox')
  .option('--synthetic <n>', 'make N one-ballot mails from the recognizer fixtures instead')
  .option('--images <dir>', 'ballot images for --synthetic', 'fixtures/recognize')
  .option('--election <path>', 'election config', 'config/election-2023.json')
  .option('--workers <n>', 'recognizer threads (0 = one per core)', '0')
  .option(
    '--transport-only',
    'hand mails to a handler that only says "stored": measures the IMAP source alone',
  )
  .option('--json', 'print the result as one JSON line')
  .parse();
const opts = program.opts<{
  mails?: string;
  synthetic?: string;
  images: string;
  election: string;
  workers: string;
  transportOnly?: boolean;
  json?: boolean;
}>();

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);

async function syntheticMails(n: number, dir: string): Promise<Buffer[]> {
  const images = readdirSync(dir)
    .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()) && !/not|blank/i.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (images.length === 0) throw new Error(`no .png/.jpg ballot images in ${dir}`);
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const path = images[i % images.length]!;
    const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    // One pixel in the corner differs per mail: distinct bytes, the same ballot to read.
    data[i % data.length] = (data[i % data.length]! + 1 + Math.floor(i / data.length)) % 256;
    const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .png()
      .toBuffer();
    out.push(
      await new MailComposer({
        from: `voter${i}@example.cn`,
        to: 'ballots@example.cn',
        subject: `选票 ${i}`,
        messageId: `<bench-${i}-${Date.now()}@example.cn>`,
        text: '见附件',
        attachments: [{ filename: `ballot-${i}.png`, content: png }],
      })
        .compile()
        .build(),
    );
  }
  return out;
}

function emlFiles(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((f) => extname(f).toLowerCase() === '.eml')
    .sort()
    .map((f) => readFileSync(join(dir, f)));
}

async function main(): Promise<void> {
  const skip = dovecotSkipReason();
  if (skip) throw new Error(skip);
  let mails: Buffer[];
  if (opts.mails) mails = emlFiles(opts.mails);
  else if (opts.synthetic) mails = await syntheticMails(Number(opts.synthetic), opts.images);
  else throw new Error('give --mails DIR or --synthetic N');
  if (mails.length === 0) throw new Error('no mails to put in the mailbox');

  const work = mkdtempSync(join(tmpdir(), 'bench-imap-'));
  const dovecot = await startDovecot();
  try {
    const secretEnv = 'BENCH_IMAP_CODE';
    process.env[secretEnv] = dovecot.password;
    const config = parseAppConfig(
      {
        election: resolve(opts.election),
        dataDir: join(work, 'var'),
        http: { enabled: false },
        recognizer: { workers: Number(opts.workers) },
        log: { level: 'warn' },
        source: {
          type: 'imap',
          host: dovecot.host,
          port: dovecot.port,
          tls: false,
          user: dovecot.user,
          secretEnv,
          onStored: { action: 'move', folder: '已处理' },
          onFailed: { action: 'move', folder: '失败' },
        },
      },
      work,
      null,
    );
    // Arrived an hour before the deadline, so lateness does not change what is counted.
    const arrived = new Date(config.election.closesAt.getTime() - 3_600_000);
    const appendStart = performance.now();
    await dovecot.append('INBOX', mails, arrived);
    const appendSeconds = (performance.now() - appendStart) / 1000;

    if (opts.transportOnly) {
      if (config.source.type !== 'imap') throw new Error('unreachable: the bench configures IMAP');
      let peak = process.memoryUsage().rss;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const source = createImapSource(config.source, createLogger({ level: 'warn', pretty: false }));
      let id = 0;
      const t = performance.now();
      const { delivered } = await source.drain(async () => ({
        status: 'stored',
        mailId: ++id,
        ballots: 0,
        reason: null,
      }));
      const secs = (performance.now() - t) / 1000;
      clearInterval(sample);
      const bytes = mails.reduce((a, m) => a + m.length, 0);
      process.stdout.write(
        `${JSON.stringify({
          mode: 'transport-only',
          mails: mails.length,
          delivered,
          megabytes: round(bytes / 1e6),
          seconds: round(secs),
          mailsPerMin: round((delivered / secs) * 60),
          peakRssMb: Math.round(peak / 1e6),
        })}\n`,
      );
      return;
    }

    const db = openDatabase(config.dbPath);
    const stages = await createStages(config);
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const t0 = performance.now();
    const { delivered } = await runDaemon({
      config,
      db,
      stages,
      logger: createLogger({ level: 'warn', pretty: false }),
      once: true,
      signal: new AbortController().signal,
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await stages.reader.close();

    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const pages = n('SELECT COUNT(*) AS n FROM pages');
    const ballots = n('SELECT COUNT(*) AS n FROM ballots');
    const failed = n(`SELECT COUNT(*) AS n FROM mails WHERE status != 'processed'`);
    db.close();
    const left = (await dovecot.flags('INBOX')).size;
    const result = {
      mails: mails.length,
      delivered,
      pages,
      ballots,
      notProcessed: failed,
      leftInInbox: left,
      workers: stages.workers,
      appendSeconds: round(appendSeconds),
      seconds: round(seconds),
      mailsPerMin: round((delivered / seconds) * 60),
      pagesPerMin: round((pages / seconds) * 60),
      peakRssMb: Math.round(peakRss / 1e6),
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `${result.delivered}/${result.mails} mails, ${result.pages} pages, ${result.ballots} ballots in ${result.seconds} s ` +
          `(${result.workers} recognizer threads): ${result.mailsPerMin} mails/min, ${result.pagesPerMin} pages/min, ` +
          `peak RSS ${result.peakRssMb} MB; ${result.leftInInbox} left in INBOX, ${result.notProcessed} not processed; ` +
          `APPEND took ${result.appendSeconds} s\n`,
      );
  } finally {
    await dovecot.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-ingest-imap: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
