import type { Command } from 'commander';
import { join } from 'node:path';
import { createPathsSource } from '../mail/folder-source.js';
import type { IngestOutcome } from '../mail/incoming.js';
import { BlobStore } from '../store/blobs.js';
import { createIngestor } from '../worker/ingest-mail.js';
import { Progress } from '../worker/progress.js';
import { createStages } from '../worker/real-stages.js';
import { contextFor, printJson } from './context.js';

function describe(o: IngestOutcome): string {
  switch (o.status) {
    case 'stored':
      return `stored as mail ${o.mailId}: ${o.ballots} ballot${o.ballots === 1 ? '' : 's'}${o.reason ? ` (${o.reason})` : ''}`;
    case 'already_seen':
      return `already recorded (mail ${o.mailId})`;
    case 'failed':
      return `${o.final ? 'parked as failed' : 'failed'}${o.mailId !== null ? ` (mail ${o.mailId})` : ''}: ${o.error.split('\n')[0]}`;
    default: {
      const never: never = o;
      return String(never);
    }
  }
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('Ingest .eml files or folders of them (read once, files left in place) into the database')
    .argument('<paths...>', '.eml files or folders (searched recursively)')
    .option('--json', 'print one JSON document with every file and its outcome')
    .action(async (paths: string[], opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const db = ctx.openDb();
      const stages = await createStages(ctx.config);
      const results: { file: string; outcome: IngestOutcome }[] = [];
      const progress = new Progress(ctx.logger, 'ingest');
      try {
        const ingestor = createIngestor({
          db,
          blobs: new BlobStore(join(ctx.config.dataDir, 'blobs')),
          election: ctx.config.election,
          limits: ctx.config.limits,
          stages,
          logger: ctx.logger,
        });
        // The CLI source reports each file through the handler, so wrap it to know which file gave which outcome.
        const source = createPathsSource(paths, {
          logger: ctx.logger,
          concurrency: Math.max(2, stages.workers * 2),
          onBacklog: (n) => progress.waiting(n),
        });
        await source.drain(async (mail) => {
          const outcome = await ingestor.handle(mail);
          if (outcome.status !== 'failed' || outcome.final) {
            results.push({ file: mail.sourceRef ?? '?', outcome });
            progress.tick(outcome.status);
            if (!opts.json) process.stdout.write(`${mail.sourceRef}: ${describe(outcome)}\n`);
          }
          return outcome;
        });
        progress.finish();
      } finally {
        await stages.reader.close();
        db.close();
      }
      const count = (s: string): number => results.filter((r) => r.outcome.status === s).length;
      const ballots = results.reduce(
        (n, r) => n + (r.outcome.status === 'stored' ? r.outcome.ballots : 0),
        0,
      );
      const summary = {
        files: results.length,
        stored: count('stored'),
        already_seen: count('already_seen'),
        failed: count('failed'),
        ballots,
      };
      if (opts.json) printJson({ summary, results });
      else
        process.stdout.write(
          `\n${summary.files} mail files: ${summary.stored} stored (${ballots} ballots), ${summary.already_seen} already recorded, ${summary.failed} failed\n`,
        );
      // A mail parked as failed is a recorded result; only a file that could not be recorded at all is an error.
      if (results.some((r) => r.outcome.status === 'failed' && r.outcome.mailId === null))
        process.exitCode = 1;
    });
}
