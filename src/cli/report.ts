import type { Command } from 'commander';
import { resolve } from 'node:path';
import { parseZonedDateTime } from '../election/zoned-time.js';
import { runReport } from '../report/run-report.js';
import { contextFor, printJson } from './context.js';
import { UsageError } from './tally.js';

interface ReportOptions {
  at?: string;
  out?: string;
  email?: boolean;
  json?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'Write the tally report (HTML, CSV, XLSX, manifest) into a dated folder and record it in the audit trail',
    )
    .option(
      '--at <datetime>',
      "report the count as it stood then: 2024-01-20T02:00 is the election's wall clock, add Z or +08:00 for an explicit offset",
    )
    .option(
      '--out <dir>',
      'folder to create the dated report folder in (default: report.dir, or <dataDir>/reports)',
    )
    .option('--email', 'also mail the XLSX and a summary to report.smtp.to')
    .option('--json', 'print what was written as JSON')
    .action(async (opts: ReportOptions, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { election } = ctx.config;
      let at: Date | undefined;
      if (opts.at !== undefined) {
        at = parseZonedDateTime(opts.at, election.timeZone) ?? undefined;
        if (!at) throw new UsageError(`--at: "${opts.at}" is not a date-time like 2024-01-20T02:00`);
        if (at.getTime() > Date.now()) throw new UsageError(`--at: ${opts.at} is in the future`);
      }
      if (opts.email && !ctx.config.report.smtp)
        throw new UsageError('--email: no report.smtp section in the config');
      const db = ctx.openDb();
      try {
        const outcome = await runReport(
          db,
          ctx.config,
          {
            ...(at ? { at } : {}),
            ...(opts.out ? { outDir: resolve(opts.out) } : {}),
            email: opts.email === true,
          },
          ctx.logger,
        );
        if (outcome.status === 'failed') {
          if (opts.json) printJson({ status: 'failed', error: outcome.error });
          else process.stderr.write(`ballot-inbox report: not written: ${outcome.error}\n`);
          process.exitCode = 1;
          return;
        }
        const { report, email, data } = outcome;
        if (email.status === 'failed') process.exitCode = 1;
        if (opts.json) {
          printJson({
            status: 'written',
            dir: report.dir,
            folder: report.name,
            at: data.provenance.at.toISOString(),
            generated_at: data.provenance.generatedAt.toISOString(),
            audit_head: data.provenance.auditHead,
            election_hash: data.provenance.electionHash,
            files: report.files,
            manifest_sha256: report.manifestSha256,
            audit_entry: report.audit,
            email,
            tally: data.tally,
          });
          return;
        }
        const lines = [
          `report written: ${report.dir}`,
          ...report.files.map((f) => `  ${f.sha256}  ${f.name}`),
          `recorded as audit entry ${report.audit.seq} (report.written)`,
        ];
        if (email.status === 'sent') lines.push(`mailed to ${email.accepted.join(', ')}`);
        if (email.status === 'failed') lines.push(`NOT mailed: ${email.error}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        db.close();
      }
    });
}
