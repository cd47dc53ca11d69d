import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { mountReview } from '../src/review/mount.js';
import { openDatabase } from '../src/store/db.js';
import { createHttpServer } from '../src/worker/http.js';
import { createMetrics } from '../src/worker/metrics.js';

describe('review site on the daemon HTTP server', () => {
  it('keeps /healthz open and puts every review page behind the login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'review-mount-'));
    const config = parseAppConfig(
      { election: resolve('config/election-2023.json'), dataDir: dir },
      dir,
      null,
    );
    const db = openDatabase(join(dir, 'db.sqlite'));
    const logger = createLogger({ level: 'silent', pretty: false });
    const app = createHttpServer({
      db,
      metrics: createMetrics(db),
      logger,
      status: () => ({ state: 'running', source: 'test' }),
    });
    await mountReview(app, { config, db, logger });
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const queue = await app.inject({ method: 'GET', url: '/' });
    expect(queue.statusCode).toBe(303);
    expect(queue.headers.location).toBe('/login?next=%2F');
    const login = await app.inject({ method: 'GET', url: '/login' });
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('工作人员登录');
    const unknown = await app.inject({ method: 'GET', url: '/no/such/page' });
    expect(unknown.statusCode).toBe(303);
    await app.close();
    db.close();
  });
});
