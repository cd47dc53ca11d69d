import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IngestOutcome } from '../mail/incoming.js';
import type { PageReading } from '../recognize/reading.js';
import { BALLOT_STATE_SQL } from '../store/ballot-state.js';
import type { Db } from '../store/db.js';

/**
 * Prometheus metrics of the daemon. Event counters (outcomes, pages read, recognizer time) are
 * counted as things happen; the totals by status are read from the database at scrape time, so
 * they are right even after a restart and agree with `tally`.
 */
export interface Metrics {
  readonly registry: Registry;
  outcome(outcome: IngestOutcome, ms: number): void;
  pageRead(ms: number, reading: PageReading): void;
  queueDepth(waiting: number): void;
  error(kind: string): void;
  /** Figures for the periodic health line. */
  snapshot(): { mailsDone: number; pagesRead: number; errors: number; queue: number };
}

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

export function createMetrics(db: Db): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'ballot_inbox' });
  const outcomes = new Counter({
    name: 'ballot_inbox_ingest_outcomes_total',
    help: 'Mail deliveries handled by this process, by outcome (stored, already_seen, failed, parked)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const mailMs = new Histogram({
    name: 'ballot_inbox_mail_seconds',
    help: 'Time from delivery to outcome per mail',
    buckets: [0.1, 0.3, 1, 3, 10, 30, 100, 300],
    registers: [registry],
  });
  const pages = new Counter({
    name: 'ballot_inbox_pages_read_total',
    help: 'Pages read by the recognizer in this process, by result',
    labelNames: ['status'],
    registers: [registry],
  });
  const recognizerMs = new Histogram({
    name: 'ballot_inbox_recognizer_ms',
    help: 'Recognizer time per page in milliseconds',
    buckets: [50, 100, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 30000, 120000],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'ballot_inbox_errors_total',
    help: 'Errors by kind (attempt failed, mail parked, source error)',
    labelNames: ['kind'],
    registers: [registry],
  });
  new Gauge({
    name: 'ballot_inbox_queue_depth',
    help: 'Mails waiting at the source (counted on its last pass, less those delivered since)',
    registers: [registry],
    collect() {
      this.set(sourceWaiting);
    },
  });
  new Gauge({
    name: 'ballot_inbox_mails',
    help: 'Mails recorded, by status (pending, processed, failed) and late/duplicate',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = db
        .prepare(
          `SELECT status, COUNT(*) AS n, COALESCE(SUM(late), 0) AS late, COALESCE(SUM(duplicate_of IS NOT NULL), 0) AS dup
           FROM mails GROUP BY status`,
        )
        .all() as { status: string; n: number; late: number; dup: number }[];
      let late = 0;
      let dup = 0;
      for (const r of rows) {
        this.set({ status: r.status }, r.n);
        late += r.late;
        dup += r.dup;
      }
      this.set({ status: 'late' }, late);
      this.set({ status: 'duplicate' }, dup);
    },
  });
  new Gauge({
    name: 'ballot_inbox_pages',
    help: 'Pages recorded',
    registers: [registry],
    collect() {
      this.set((db.prepare('SELECT COUNT(*) AS n FROM pages').get() as { n: number }).n);
    },
  });
  new Gauge({
    name: 'ballot_inbox_ballots',
    help: 'Ballots by current status (latest reading overlaid by staff decisions), all mails',
    labelNames: ['kind', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = db
        .prepare(`SELECT kind, status, COUNT(*) AS n FROM (${BALLOT_STATE_SQL}) GROUP BY kind, status`)
        .all({ at: FAR_FUTURE }) as { kind: string; status: string; n: number }[];
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
    },
  });

  let sourceWaiting = 0;
  let mailsDone = 0;
  let pagesRead = 0;
  let errorCount = 0;

  return {
    registry,
    outcome(outcome, ms) {
      const label = outcome.status === 'failed' && outcome.final ? 'parked' : outcome.status;
      outcomes.inc({ outcome: label });
      mailMs.observe(ms / 1000);
      mailsDone++;
      sourceWaiting = Math.max(0, sourceWaiting - 1);
      if (outcome.status === 'failed') {
        errorCount++;
        errors.inc({ kind: outcome.final ? 'mail_parked' : 'attempt_failed' });
      }
    },
    pageRead(ms, reading) {
      pages.inc({ status: reading.status });
      recognizerMs.observe(ms);
      pagesRead++;
    },
    queueDepth(waiting) {
      sourceWaiting = waiting;
    },
    error(kind) {
      errorCount++;
      errors.inc({ kind });
    },
    snapshot() {
      return { mailsDone, pagesRead, errors: errorCount, queue: sourceWaiting };
    },
  };
}
