import { Cron } from 'croner';
import type { AppConfig } from '../config/load.js';
import { ConfigError } from '../election/load.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/db.js';
import { type ReportOutcome, runReport } from './run-report.js';

export interface ReportSchedule {
  /** When the next report is due, or null once stopped. */
  nextRun(): Date | null;
  /** Run one report now, as the schedule would (tests, and `kill -USR2`-style triggers). */
  runNow(): Promise<ReportOutcome>;
  /** No more runs; resolves once a report being written has finished, so the database can close. */
  stop(): Promise<void>;
}

/**
 * The nightly report, for the daemon: config.report.cron read on the election's wall clock
 * (02:00 means 02:00 in Luohe, whatever the server's zone), mailed when SMTP is configured.
 * A run that comes while the previous one is still going is skipped rather than piled up.
 */
export function scheduleReports(
  db: Db,
  config: AppConfig,
  logger: Logger,
  onDone?: (outcome: ReportOutcome) => void,
  now: () => Date = () => new Date(),
): ReportSchedule {
  const log = logger.child({ stage: 'report' });
  let running: Promise<ReportOutcome> | null = null;
  const run = (): Promise<ReportOutcome> => {
    if (running) return running;
    running = runReport(db, config, { email: config.report.smtp !== undefined }, logger)
      .then((outcome) => {
        if (outcome.status === 'failed') log.error({ error: outcome.error }, 'scheduled report failed');
        onDone?.(outcome);
        return outcome;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  let cron: Cron;
  try {
    cron = new Cron(config.report.cron, { timezone: config.election.timeZone, name: 'report' }, () => {
      void run();
    });
  } catch (err) {
    throw new ConfigError(
      `report.cron: "${config.report.cron}" is not a cron expression (${(err as Error).message})`,
    );
  }
  log.info(
    { cron: config.report.cron, timeZone: config.election.timeZone, next: cron.nextRun()?.toISOString() },
    'reports scheduled',
  );
  // A nightly run missed while the daemon was down (stopped over the cron time, a crash, a
  // host reboot) is made up at start, so officials never find a night without a report.
  // Only once reports are being made: a fresh installation does not write one on its first start.
  const missed = missedRun(db, cron, now());
  if (missed) {
    log.warn({ due: missed.toISOString() }, 'the last scheduled report was not written; writing it now');
    void run();
  }
  return {
    nextRun: () => cron.nextRun(),
    runNow: run,
    stop: async () => {
      cron.stop();
      if (running) await running;
    },
  };
}

/** The last time the schedule was due, when no report has been written since it; else null. */
export function missedRun(db: Db, cron: Pick<Cron, 'previousRuns'>, now: Date): Date | null {
  const due = cron.previousRuns(1, now)[0];
  const last = db.prepare(`SELECT MAX(at) AS at FROM audit WHERE action = 'report.written'`).get() as {
    at: string | null;
  };
  if (!due || last.at === null) return null;
  return new Date(last.at) < due ? due : null;
}
