import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/db.js';
import type { Metrics } from './metrics.js';

/**
 * The daemon's HTTP server: /healthz and /metrics here; the review site mounts itself on the same
 * instance. To mount, pass `mount` to startDaemon (src/worker/daemon.ts), e.g.
 *   mount: (app) => app.register(reviewPlugin, { prefix: '/' })
 * It runs after these routes are registered and before the server listens.
 */
export interface HttpDeps {
  readonly db: Db;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** What the daemon is doing, for /healthz. */
  readonly status: () => { readonly state: string; readonly source: string };
}

export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    // Request lines (info) would drown the pipeline's log at one scrape every few seconds; warnings stay.
    loggerInstance: deps.logger.child({ stage: 'http' }, { level: 'warn' }) as FastifyBaseLogger,
  }) as unknown as FastifyInstance;
  app.get('/healthz', async (_req, reply) => {
    // The database answering is what "healthy" means: without it nothing can be stored.
    try {
      deps.db.prepare('SELECT 1').get();
    } catch (err) {
      return reply.code(503).send({ ok: false, error: (err as Error).message });
    }
    return { ok: true, ...deps.status(), ...deps.metrics.snapshot() };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  return app;
}
