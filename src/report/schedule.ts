import { Cron } from 'croner';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/db.js';
import { type ReportOutcome, runReport } from './run-report.js';

/**
 * The nightly report, for the daemon: config.report.cron read on the election's wall clock
 * (02:00 means 02:00 in Luohe, whatever the server's zone), mailed when SMTP is configured.
 * `protect` skips a run while the previous one is still going instead of piling them up.
 */
export function scheduleReports(
  db: Db,
  config: AppConfig,
  logger: Logger,
  onDone?: (outcome: ReportOutcome) => void,
): Cron {
  const log = logger.child({ stage: 'report' });
  return new Cron(
    config.report.cron,
    { timezone: config.election.timeZone, protect: true, name: 'nightly-report' },
    async () => {
      const outcome = await runReport(db, config, { email: config.report.smtp !== undefined }, logger);
      if (outcome.status === 'failed') log.error({ error: outcome.error }, 'nightly report failed');
      onDone?.(outcome);
    },
  );
}
