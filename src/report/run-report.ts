import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { appendAudit } from '../store/audit.js';
import type { Db } from '../store/db.js';
import { type EmailOutcome, readSmtpSecret, sendReportMail, type SmtpConfig } from './email.js';
import { emailSummary } from './email-summary.js';
import { gatherReport } from './gather.js';
import { renderReportFiles, XLSX_NAME } from './render.js';
import type { ReportData } from './report-data.js';
import { type WrittenReport, writeReportFolder } from './write-report.js';

export interface ReportRequest {
  /** The moment to report on; defaults to now. */
  readonly at?: Date;
  /** Folder under which the dated report folder is made; defaults to config.reportDir. */
  readonly outDir?: string;
  /** Mail the report to config.report.smtp.to. */
  readonly email: boolean;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

export type ReportOutcome =
  | {
      readonly status: 'written';
      readonly data: ReportData;
      readonly report: WrittenReport;
      readonly email: EmailOutcome;
    }
  | { readonly status: 'failed'; readonly error: string };

/** The SMTP settings with secretFile anchored at the config file's folder, like every other path in it. */
function smtpOf(config: AppConfig): SmtpConfig | undefined {
  const smtp = config.report.smtp;
  if (!smtp?.secretFile || isAbsolute(smtp.secretFile) || !config.configPath) return smtp;
  return { ...smtp, secretFile: resolve(dirname(config.configPath), smtp.secretFile) };
}

/**
 * The report stage's entry: gather as of a moment, render every format, write and record the
 * folder, then (if asked) mail it. The CLI and the daemon's nightly job both call this.
 */
export async function runReport(
  db: Db,
  config: AppConfig,
  request: ReportRequest,
  logger: Logger,
): Promise<ReportOutcome> {
  const log = logger.child({ stage: 'report' });
  const generatedAt = (request.now ?? (() => new Date()))();
  const at = request.at ?? generatedAt;
  let data: ReportData;
  let report: WrittenReport;
  try {
    data = gatherReport(db, config.election, { at, generatedAt });
    const files = await renderReportFiles(data);
    report = writeReportFolder(db, data, files, request.outDir ?? config.reportDir);
  } catch (err) {
    log.error({ err, at: at.toISOString() }, 'report could not be written');
    return { status: 'failed', error: (err as Error).message };
  }
  log.info({ dir: report.dir, at: at.toISOString(), audit_seq: report.audit.seq }, 'report written');

  if (!request.email) return { status: 'written', data, report, email: { status: 'not_requested' } };

  const email = await mailReport(config, data, report);
  // Delivery is recorded next to the report it concerns, whether it worked or not.
  db.transaction(() =>
    appendAudit(db, {
      actor: 'report',
      action: email.status === 'sent' ? 'report.emailed' : 'report.email_failed',
      subjectType: 'report',
      subjectId: null,
      detail:
        email.status === 'sent'
          ? { folder: report.name, message_id: email.messageId, accepted: email.accepted }
          : { folder: report.name, error: email.status === 'failed' ? email.error : email.status },
    }),
  ).immediate();
  if (email.status === 'sent') log.info({ dir: report.dir, accepted: email.accepted }, 'report mailed');
  else
    log.error(
      { dir: report.dir, error: email.status === 'failed' ? email.error : email.status },
      'report not mailed',
    );
  return { status: 'written', data, report, email };
}

async function mailReport(config: AppConfig, data: ReportData, report: WrittenReport): Promise<EmailOutcome> {
  const smtp = smtpOf(config);
  if (!smtp) return { status: 'failed', error: 'report.smtp is not configured' };
  const secret = readSmtpSecret(smtp);
  if (!secret.ok) return { status: 'failed', error: secret.error };
  const xlsx = report.files.find((f) => f.name === XLSX_NAME);
  if (!xlsx) throw new Error(`report ${report.name} has no ${XLSX_NAME}`);
  const content = readFileSync(join(report.dir, XLSX_NAME));
  // The dated name tells reports apart in a mailbox.
  const filename = `计票报告-${report.name}.xlsx`;
  const summary = emailSummary(data, {
    name: report.name,
    xlsxName: filename,
    xlsxSha256: xlsx.sha256,
    auditSeq: report.audit.seq,
  });
  return sendReportMail(smtp, secret.secret, {
    ...summary,
    attachments: [
      {
        filename,
        content,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    ],
  });
}
