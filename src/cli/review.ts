import type { Command } from 'commander';
import { reviewDeps } from '../review/mount.js';
import { createReviewServer } from '../review/server.js';
import type { Stages } from '../worker/stages.js';
import { contextFor } from './context.js';
import { UsageError } from './tally.js';

export function registerReview(program: Command): void {
  program
    .command('review')
    .description('Serve the staff review site on its own (the daemon serves it too, on its HTTP port)')
    .option('--port <n>', 'port (default: http.port from the config)')
    .option('--host <host>', 'address to listen on (default: http.host from the config, loopback)')
    .option('--no-reprocess', 'hide the re-process buttons (no recognizer is started)')
    .action(async (opts: { port?: string; host?: string; reprocess: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const port = opts.port === undefined ? ctx.config.http.port : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port: "${opts.port}" is not a port`);
      const host = opts.host ?? ctx.config.http.host;
      const db = ctx.openDb();
      // The recognizer starts only when someone first presses a re-process button.
      const started: { stages: Promise<Stages> | null } = { stages: null };
      const startStages = (): Promise<Stages> =>
        (started.stages ??= import('../worker/real-stages.js').then((m) => m.createStages(ctx.config)));
      const app = await createReviewServer(
        reviewDeps({
          config: ctx.config,
          db,
          logger: ctx.logger,
          ...(opts.reprocess ? { stages: startStages } : {}),
        }),
      );
      await app.listen({ host, port });
      const address = app.server.address();
      const shown = typeof address === 'object' && address ? `${host}:${address.port}` : `${host}:${port}`;
      ctx.logger.info({ host, port }, `review site on http://${shown}/`);
      process.stderr.write(`review site: http://${shown}/\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await app.close();
      if (started.stages) await (await started.stages).reader.close();
      db.close();
    });
}
