import type { Command } from 'commander';
import { join } from 'node:path';
import { createLogger } from '../log/logger.js';
import { BlobStore } from '../store/blobs.js';
import { createIngestor } from '../worker/ingest-mail.js';
import { Progress } from '../worker/progress.js';
import { createStages } from '../worker/real-stages.js';
import { createReprocessor, type ReprocessFilter, type ReprocessResult } from '../worker/reprocess.js';
import { contextFor, printJson } from './context.js';
import { UsageError } from './tally.js';

const STATUSES = ['review', 'invalid', 'unreadable', 'failed', 'all'] as const;

export function registerReprocess(program: Command): void {
  program
    .command('reprocess')
    .description(
      'Re-read stored originals with the current recognizer and config; readings are added as new versions',
    )
    .option('--status <status>', `what to re-read: ${STATUSES.join(', ')}`, 'review')
    .option('--since <date>', 'only mails received at or after this date-time (ISO 8601)')
    .option('--kind <kind>', 'only ballots of this kind')
    .option('--override-human', 'hand ballots a person decided back to the new machine reading (needs --as)')
    .option('--as <name>', 'the staff member asking (recorded as user:<name>)')
    .option('--json', 'print one JSON document with every change')
    .action(
      async (
        opts: {
          status: string;
          since?: string;
          kind?: string;
          overrideHuman?: boolean;
          as?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (!(STATUSES as readonly string[]).includes(opts.status))
          throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        const since = opts.since ? new Date(opts.since) : undefined;
        if (since && Number.isNaN(since.getTime()))
          throw new UsageError(`--since: "${opts.since}" is not a date-time`);
        if (opts.overrideHuman && !opts.as)
          throw new UsageError('--override-human needs --as NAME (who decided)');
        const ctx = contextFor(cmd);
        if (opts.kind && !ctx.config.election.ballots.some((b) => b.kind === opts.kind))
          throw new UsageError(`--kind: no ballot kind "${opts.kind}" in the election`);
        const db = ctx.openDb();
        const stages = await createStages(ctx.config);
        // Progress goes to stderr whatever the log format, so a person sees it.
        const progress = new Progress(createLogger({ level: 'info' }), 'reprocess', 5000);
        const results: ReprocessResult[] = [];
        try {
          const blobs = new BlobStore(join(ctx.config.dataDir, 'blobs'));
          const deps = {
            db,
            blobs,
            election: ctx.config.election,
            limits: ctx.config.limits,
            stages,
            logger: ctx.logger,
          };
          const reprocessor = createReprocessor({ ...deps, ingestor: createIngestor(deps) });
          const filter: ReprocessFilter = {
            status: opts.status as ReprocessFilter['status'],
            ...(since ? { since } : {}),
            ...(opts.kind ? { kind: opts.kind } : {}),
          };
          const options = {
            overrideHuman: opts.overrideHuman ?? false,
            ...(opts.as ? { actor: `user:${opts.as}` } : {}),
          };
          const selected = reprocessor.select(filter);
          progress.waiting(selected.mails.length + selected.pages.length);
          for (const mailId of selected.mails) {
            const r = await reprocessor.reprocessMail(mailId, options);
            results.push(r);
            progress.tick(r.status);
          }
          // Pages go to the recognizer pool a few at a time so every core has one; each page's new
          // reading is its own transaction, so the order of finishing does not matter.
          let next = 0;
          const lane = async (): Promise<void> => {
            for (let i = next++; i < selected.pages.length; i = next++) {
              for (const r of await reprocessor.reprocessPages([selected.pages[i]!], options))
                results.push(r);
              progress.tick('page');
            }
          };
          await Promise.all(Array.from({ length: Math.max(2, stages.workers * 2) }, lane));
          progress.finish();
        } finally {
          await stages.reader.close();
          db.close();
        }
        const changes = results.flatMap((r) => (r.status === 'reread' ? r.changes : []));
        const changed = changes.filter((c) => c.before !== c.after);
        if (opts.json) {
          printJson({ results, changed: changed.length });
          return;
        }
        for (const c of changed)
          process.stdout.write(
            `ballot ${c.ballotId}: ${c.before ?? 'new'} -> ${c.after}${c.keptHumanDecision ? ' (a person decided; kept)' : ''}\n`,
          );
        const ingested = results.filter((r) => r.status === 'ingested').length;
        process.stdout.write(
          `re-read ${results.length - ingested} mails' pages (${changes.length} ballots, ${changed.length} changed), ` +
            `${ingested} failed mails tried again\n`,
        );
      },
    );
}
