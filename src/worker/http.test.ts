import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedBallots, seedMail } from '../../test/helpers/fixture-db.js';
import { loadElection } from '../election/load.js';
import { createLogger } from '../log/logger.js';
import { type Db, openDatabase } from '../store/db.js';
import { createHttpServer } from './http.js';
import { createMetrics, type Metrics } from './metrics.js';

const election = loadElection('config/election-2023.json');
const logger = createLogger({ level: 'silent', pretty: false });
let db: Db;
let metrics: Metrics;

beforeEach(() => {
  db = openDatabase(':memory:');
  metrics = createMetrics(db);
});
afterEach(() => db.close());

describe('daemon HTTP', () => {
  it('answers /healthz with the daemon state and counters', async () => {
    const app = createHttpServer({
      db,
      metrics,
      logger,
      status: () => ({ state: 'running', source: 'folder:/x' }),
    });
    metrics.queueDepth(7);
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      state: 'running',
      source: 'folder:/x',
      queue: 7,
      errors: 0,
    });
    await app.close();
  });

  it('reports 503 on /healthz when the database is gone', async () => {
    const app = createHttpServer({ db, metrics, logger, status: () => ({ state: 'running', source: 'x' }) });
    db.close();
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(503);
    await app.close();
    db = openDatabase(':memory:');
  });

  it('exports mails, ballots by status, queue, errors and recognizer time in Prometheus format', async () => {
    const mail = seedMail(db);
    seedBallots(db, election, mail, [
      { kind: 'projects', marks: [1, 2] },
      { kind: 'projects', marks: [] },
      { kind: 'districts', marks: [1], uncertain: [2] },
    ]);
    seedMail(db, { status: 'failed', reason: 'processing_failed' });
    metrics.queueDepth(5);
    metrics.outcome({ status: 'stored', mailId: mail, ballots: 3, reason: null }, 1200);
    metrics.outcome({ status: 'failed', mailId: 2, error: 'x', final: true }, 300);
    metrics.pageRead(420, { status: 'ballots', ballots: [], quality: 1 });
    const app = createHttpServer({ db, metrics, logger, status: () => ({ state: 'running', source: 'x' }) });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const body = res.body;
    expect(body).toContain('ballot_inbox_ballots{kind="projects",status="valid",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_ballots{kind="projects",status="invalid",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_ballots{kind="districts",status="review",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_mails{status="processed",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_mails{status="failed",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_ingest_outcomes_total{outcome="parked",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_errors_total{kind="mail_parked",app="ballot_inbox"} 1');
    expect(body).toContain('ballot_inbox_recognizer_ms_bucket{le="500",app="ballot_inbox"} 1');
    // Two mails were delivered since the source counted five waiting.
    expect(body).toContain('ballot_inbox_queue_depth{app="ballot_inbox"} 3');
    await app.close();
  });
});
