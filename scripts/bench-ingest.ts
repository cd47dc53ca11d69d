/**
 * End-to-end ingest throughput from a local folder: .eml files → parse → extract → recognizer pool
 * → rules → one SQLite transaction per mail, exactly as the daemon does (`run --once` on a folder).
 *
 *   npm run bench:ingest -- [--mails N] [--workers W] [--inbox DIR] [--json]
 *
 * Without --inbox it writes N one-ballot mails from fixtures/recognize (scripts/make-mail-fixtures.ts
 * --bulk) into a temporary folder. Prints mails/min, ballot pages/min, per-page recognizer time and
 * peak RSS (worker threads included: they live in this process).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { parseAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { createFolderSource } from '../src/mail/folder-source.js';
import type { IngestOutcome } from '../src/mail/incoming.js';
import { verifyAudit } from '../src/store/audit.js';
import { BlobStore } from '../src/store/blobs.js';
import { openDatabase } from '../src/store/db.js';
import { createIngestor } from '../src/worker/ingest-mail.js';
import { createStages } from '../src/worker/real-stages.js';

const opts = new Command()
  .name('bench-ingest')
  .option('--mails <n>', 'mails to generate', '40')
  .option('--workers <n>', 'recognizer threads (default: one per core)', String(availableParallelism()))
  .option('--inbox <dir>', 'use these .eml files (copied; the folder is not changed)')
  .option('--json', 'print JSON only')
  .parse()
  .opts<{ mails: string; workers: string; inbox?: string; json?: boolean }>();

const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
const inbox = join(dir, 'inbox');
if (opts.inbox) cpSync(resolve(opts.inbox), inbox, { recursive: true });
else
  execFileSync(
    process.execPath,
    [
      resolve('node_modules/tsx/dist/cli.mjs'),
      'scripts/make-mail-fixtures.ts',
      '--bulk',
      opts.mails,
      '--out',
      inbox,
    ],
    { stdio: 'ignore' },
  );
const files = readdirSync(inbox).filter((f) => f.endsWith('.eml')).length;

const config = parseAppConfig(
  {
    election: resolve('config/election-2023.json'),
    dataDir: join(dir, 'var'),
    recognizer: { workers: Number(opts.workers) },
  },
  dir,
  null,
);
const logger = createLogger({ level: 'warn', pretty: false });
const db = openDatabase(config.dbPath);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

const tStart = performance.now();
const stages = await createStages(config);
const tReady = performance.now();
const pageMs: number[] = [];
let pages = 0;
const outcomes: IngestOutcome[] = [];
const ingestor = createIngestor({
  db,
  blobs: new BlobStore(join(config.dataDir, 'blobs')),
  election: config.election,
  limits: config.limits,
  stages,
  logger,
  observer: {
    onPageRead: (ms) => {
      pages++;
      pageMs.push(ms);
    },
    onOutcome: (o) => outcomes.push(o),
  },
});
await createFolderSource(inbox, { logger, concurrency: Math.max(2, stages.workers * 2), settleMs: 0 }).drain(
  ingestor.handle,
);
const tDone = performance.now();
clearInterval(sampler);
await stages.reader.close();

const minutes = (tDone - tReady) / 60_000;
const sorted = [...pageMs].sort((a, b) => a - b);
const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const ballots = (db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n;
const result = {
  mails: files,
  stored: outcomes.filter((o) => o.status === 'stored').length,
  failed: outcomes.filter((o) => o.status === 'failed').length,
  pages,
  ballots,
  workers: stages.workers,
  startupSeconds: Math.round((tReady - tStart) / 100) / 10,
  seconds: Math.round((tDone - tReady) / 100) / 10,
  mailsPerMinute: Math.round((files / minutes) * 10) / 10,
  pagesPerMinute: Math.round((pages / minutes) * 10) / 10,
  recognizerMsPerPage: { p50: pct(0.5), p90: pct(0.9), max: sorted.at(-1) ?? 0 },
  peakRssMb: Math.round(peakRss / 1e6),
  auditOk: verifyAudit(db).ok,
};
db.close();
rmSync(dir, { recursive: true, force: true });

if (opts.json) console.log(JSON.stringify(result, null, 2));
else
  console.log(
    [
      `ingest bench: ${result.mails} mails, ${result.pages} pages, ${result.ballots} ballots, ${result.workers} recognizer threads`,
      `  start-up        ${result.startupSeconds} s (recognizer pool)`,
      `  wall time       ${result.seconds} s`,
      `  mails/min       ${result.mailsPerMinute}`,
      `  pages/min       ${result.pagesPerMinute}`,
      `  recognizer/page p50 ${result.recognizerMsPerPage.p50} ms, p90 ${result.recognizerMsPerPage.p90} ms, max ${result.recognizerMsPerPage.max} ms`,
      `  peak RSS        ${result.peakRssMb} MB`,
      `  outcomes        stored ${result.stored}, failed ${result.failed}; audit ${result.auditOk ? 'OK' : 'BROKEN'}`,
    ].join('\n'),
  );
