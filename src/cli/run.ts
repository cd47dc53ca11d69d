import type { Command } from 'commander';
import { mountReview } from '../review/mount.js';
import { createStages } from '../worker/real-stages.js';
import { ALLOCATOR_ENV, missingAllocatorSettings, runtimeGlibcVersion } from '../worker/allocator.js';
import { runDaemon } from '../worker/daemon.js';
import { contextFor } from './context.js';

/** How long in-hand mails may take to finish after SIGTERM before the process leaves them pending for the next start. */
const SHUTDOWN_GRACE_MS = 60_000;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run the daemon in the foreground: watch the configured source, read, judge, record')
    .option('--once', 'deliver what is waiting now, then exit')
    .option('--health-every <seconds>', 'seconds between health lines in the log', '60')
    .action(async (opts: { once?: boolean; healthEvery: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const missing = missingAllocatorSettings(process.env, runtimeGlibcVersion());
      if (missing.length > 0)
        ctx.logger.warn(
          { missing, recommended: ALLOCATOR_ENV },
          'glibc malloc is not bounded for image work: the memory used will keep growing; start the daemon with these in the environment (npm start and the Docker image do)',
        );
      const db = ctx.openDb();
      const stop = new AbortController();
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals): void => {
        signals++;
        if (signals === 1) {
          ctx.logger.info(
            { signal: sig },
            'stopping: finishing the mails in hand (send again to leave them pending)',
          );
          stop.abort();
          // Whatever is unfinished stays pending with its original stored; the next start resumes it.
          setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
        } else {
          ctx.logger.warn({ signal: sig }, 'stopping now; mails in hand stay pending');
          process.exit(130);
        }
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
      // Signals are handled from here on, so a stop during the recognizer's start-up is orderly too.
      const stages = await createStages(ctx.config);
      try {
        const result = await runDaemon({
          config: ctx.config,
          db,
          stages,
          logger: ctx.logger,
          once: opts.once ?? false,
          signal: stop.signal,
          healthEverySeconds: Number(opts.healthEvery) || 60,
          // The staff review site shares the daemon's HTTP server, database and recognizer.
          mount: (app) => mountReview(app, { config: ctx.config, db, logger: ctx.logger, stages }),
        });
        if (opts.once) ctx.logger.info(result, 'run --once finished');
      } finally {
        await stages.reader.close();
        db.close();
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}
