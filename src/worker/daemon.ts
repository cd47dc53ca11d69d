import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { type ReportSchedule, scheduleReports } from '../report/schedule.js';
import { createFolderSource } from '../mail/folder-source.js';
import type { IngestOutcome, MailSource } from '../mail/incoming.js';
import { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { createHttpServer } from './http.js';
import { createIngestor } from './ingest-mail.js';
import { createMetrics } from './metrics.js';
import { Progress } from './progress.js';
import type { Stages } from './stages.js';

export interface DaemonOptions {
  readonly config: AppConfig;
  readonly db: Db;
  readonly stages: Stages;
  readonly logger: Logger;
  /** Deliver what is waiting, then stop (`run --once`). */
  readonly once: boolean;
  /** Stop watching when this aborts (the CLI wires SIGTERM/SIGINT to it). */
  readonly signal: AbortSignal;
  /** The mail source; by default the one the config names (see sourceFor). */
  readonly source?: MailSource;
  /** Mount more routes (the review site) on the daemon's HTTP server before it listens. */
  readonly mount?: (app: FastifyInstance) => Promise<unknown> | unknown;
  /** Seconds between health lines in the log. */
  readonly healthEverySeconds?: number;
}

/**
 * The one switch between mail sources. The IMAP source (src/mail/imap-source.ts,
 * createImapSource(config.source, logger)) plugs in at the 'imap' case.
 */
export async function sourceFor(
  config: AppConfig,
  logger: Logger,
  hooks: { concurrency: number; onBacklog: (n: number) => void; onDelivered: (o: IngestOutcome) => void },
): Promise<MailSource> {
  const source = config.source;
  switch (source.type) {
    case 'folder':
      return createFolderSource(source.path, {
        logger,
        concurrency: hooks.concurrency,
        pollSeconds: source.pollSeconds,
        onBacklog: hooks.onBacklog,
        onDelivered: hooks.onDelivered,
      });
    case 'imap': {
      const { createImapSource } = await import('../mail/imap-source.js');
      return createImapSource(source, logger, {
        concurrency: hooks.concurrency,
        onBacklog: hooks.onBacklog,
        onDelivered: hooks.onDelivered,
      });
    }
    default: {
      const never: never = source;
      throw new Error(`unknown source ${JSON.stringify(never)}`);
    }
  }
}

function outcomeLabel(o: IngestOutcome): string {
  return o.status === 'failed' ? (o.final ? 'parked' : 'retry') : o.status;
}

/**
 * The daemon: resume mails a crash left half-done, then watch the source until the signal aborts
 * (or, with `once`, deliver what waits and return). Mails in hand when the signal comes are finished;
 * a mail cut off harder (kill -9) stays pending with its original stored and is resumed at the next
 * start, and its re-delivery is recognised by key or content hash.
 */
export async function runDaemon(options: DaemonOptions): Promise<{ delivered: number }> {
  const { config, db, stages, logger } = options;
  const log = logger.child({ stage: 'worker' });
  const metrics = createMetrics(db);
  const progress = new Progress(log, 'ingest');
  const ingestor = createIngestor({
    db,
    blobs: new BlobStore(join(config.dataDir, 'blobs')),
    election: config.election,
    limits: config.limits,
    stages,
    logger,
    observer: {
      onOutcome: (o, ms) => metrics.outcome(o, ms),
      onPageRead: (ms, r) => metrics.pageRead(ms, r),
    },
  });
  let state = 'starting';
  const source =
    options.source ??
    (await sourceFor(config, logger, {
      // Two mails in hand per reader keeps every core busy while the other mail is parsed or written.
      concurrency: Math.max(2, stages.workers * 2),
      onBacklog: (n) => {
        metrics.queueDepth(n);
        progress.waiting(n);
      },
      onDelivered: (o) => progress.tick(outcomeLabel(o)),
    }));

  let app: FastifyInstance | null = null;
  if (!options.once && config.http.enabled) {
    app = createHttpServer({ db, metrics, logger, status: () => ({ state, source: source.name }) });
    if (options.mount) await options.mount(app);
    await app.listen({ host: config.http.host, port: config.http.port });
    log.info({ host: config.http.host, port: config.http.port }, 'http: /healthz and /metrics');
  }

  const everyMs = (options.healthEverySeconds ?? 60) * 1000;
  const health = setInterval(() => {
    const s = metrics.snapshot();
    const pending = (
      db.prepare(`SELECT COUNT(*) AS n FROM mails WHERE status = 'pending'`).get() as { n: number }
    ).n;
    log.info({ state, ...s, pending, rssMb: Math.round(process.memoryUsage().rss / 1e6) }, 'health');
  }, everyMs);
  health.unref();

  // The nightly report (config.report.cron on the election's clock); not for a one-shot `run --once`.
  let reports: ReportSchedule | null = null;
  try {
    if (!options.once) reports = scheduleReports(db, config, logger);
    state = 'resuming';
    const resumed = await ingestor.resumePending(options.signal);
    if (resumed.resumed > 0) log.info(resumed, 'resumed mails left pending by an earlier run');
    state = 'running';
    log.info({ source: source.name, workers: stages.workers, once: options.once }, 'daemon started');
    let delivered = 0;
    if (options.once) delivered = (await source.drain(ingestor.handle)).delivered;
    else await source.run(ingestor.handle, options.signal);
    progress.finish();
    return { delivered };
  } finally {
    state = 'stopping';
    clearInterval(health);
    await reports?.stop();
    if (app) await app.close();
    log.info('daemon stopped');
  }
}
