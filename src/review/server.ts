import Fastify, { type FastifyInstance } from 'fastify';
import { type ReviewDeps, reviewPlugin } from './routes.js';

/**
 * A fastify instance serving only the review site, for `ballot-inbox review` when the
 * daemon is not running. The daemon registers `reviewPlugin` on its own instance instead.
 */
export async function createReviewServer(deps: ReviewDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: false });
  await app.register(reviewPlugin, deps);
  return app;
}
