import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import type { AppConfig } from '../config/load.js';
import type { Logger } from '../log/logger.js';
import { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { createIngestor } from '../worker/ingest-mail.js';
import { type Reprocessor, createReprocessor } from '../worker/reprocess.js';
import type { Stages } from '../worker/stages.js';
import { type ReviewDeps, reviewPlugin } from './routes.js';

export interface MountOptions {
  readonly config: AppConfig;
  readonly db: Db;
  readonly logger: Logger;
  /**
   * The recognizer stages for the re-process buttons: the daemon passes its own; `ballot-inbox review`
   * passes a function that starts them on the first re-process request. Without stages there are no buttons.
   */
  readonly stages?: Stages | (() => Promise<Stages>);
}

/** The review site's dependencies from the service config, with re-processing wired to the worker. */
export function reviewDeps(o: MountOptions): ReviewDeps {
  const blobs = new BlobStore(join(o.config.dataDir, 'blobs'));
  const base = {
    db: o.db,
    election: o.config.election,
    blobs,
    logger: o.logger,
    secureCookies: o.config.http.secureCookies,
  };
  const stagesOf = o.stages;
  if (!stagesOf) return base;
  let reprocessor: Promise<Reprocessor> | null = null;
  const get = () =>
    (reprocessor ??= (async () => {
      const stages = typeof stagesOf === 'function' ? await stagesOf() : stagesOf;
      const deps = {
        db: o.db,
        blobs,
        election: o.config.election,
        limits: o.config.limits,
        stages,
        logger: o.logger,
      };
      return createReprocessor({ ...deps, ingestor: createIngestor(deps) });
    })());
  // A person's decision stays on top of the new reading (overrideHuman false): re-reading never undoes staff work.
  return {
    ...base,
    reprocess: {
      mail: async (mailId, actor) => (await get()).reprocessMail(mailId, { actor }),
      ballot: async (ballotId, actor) => (await get()).reprocessBallot(ballotId, { actor }),
    },
  };
}

/**
 * Mount the review site on the daemon's fastify instance (runDaemon's `mount` option):
 *   mount: (app) => mountReview(app, { config, db, logger, stages })
 */
export async function mountReview(app: FastifyInstance, o: MountOptions): Promise<void> {
  await app.register(reviewPlugin, reviewDeps(o));
}
