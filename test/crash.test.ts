import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadElection } from '../src/election/load.js';
import { verifyAudit } from '../src/store/audit.js';
import { openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';

/**
 * The daemon as it runs in production (node bin/ballot-inbox.js run, from dist/), killed with
 * SIGKILL at random moments while it works through an inbox folder, then started again until the
 * folder is empty. Nothing may be lost and nothing counted twice: the final tally equals the one
 * worked out from the fixtures' truth, and the audit chain verifies.
 */
const MAILS = Number(process.env.CRASH_TEST_MAILS ?? 40);
const LATE = 2;
const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 5);
const ROOT = resolve('.');

let dir: string;
let inbox: string;
let configPath: string;
const logs: string[] = [];

function daemon(args: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/ballot-inbox.js'), '--config', configPath, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stdout!.on('data', (d: Buffer) => logs.push(d.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null)
      res({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => res({ code, signal }));
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    newest = Math.max(newest, ent.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function distIsStale(): boolean {
  const main = join(ROOT, 'dist/cli/main.js');
  return !existsSync(main) || statSync(main).mtimeMs < newestMtime(join(ROOT, 'src'));
}

const waiting = (): number => readdirSync(inbox).filter((f) => f.endsWith('.eml')).length;

beforeAll(() => {
  // The daemon runs from dist/, as in production. `npm test` builds first; a run of this file alone
  // builds when dist/ is older than the sources (never while other test files may be using dist/).
  if (distIsStale()) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'crash-'));
  inbox = join(dir, 'inbox');
  mkdirSync(inbox);
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      'scripts/make-mail-fixtures.ts',
      '--bulk',
      String(MAILS),
      '--late',
      String(LATE),
      '--out',
      inbox,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  configPath = join(dir, 'ballot-inbox.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      election: join(ROOT, 'config/election-2023.json'),
      dataDir: join(dir, 'var'),
      source: { type: 'folder', path: inbox, pollSeconds: 0.2 },
      // A kill can land in the same mail several times; the budget only has to outlast this test's kills.
      limits: { maxAttempts: KILLS + 3 },
      recognizer: { workers: 2 },
      http: { host: '127.0.0.1', port: 0 },
      log: { level: 'info' },
    }),
  );
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('daemon under kill -9', () => {
  it('loses no mail and counts no ballot twice across random kills and restarts', async () => {
    const expected = JSON.parse(readFileSync(join(inbox, 'expected-tally.json'), 'utf8')) as Record<
      string,
      unknown
    > & {
      ballots_recorded: number;
    };
    let kills = 0;
    for (let round = 0; round < KILLS && waiting() > 0; round++) {
      const child = daemon(['run']);
      // Anywhere from start-up (pool loading) to the middle of the backlog.
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 4000));
      child.kill('SIGKILL');
      const end = await exited(child);
      if (end.signal === 'SIGKILL') kills++;
    }
    expect(kills).toBeGreaterThan(0);
    // Then let it finish: --once delivers what waits (and resumes what a kill left pending).
    for (let i = 0; i < 3 && waiting() > 0; i++) {
      const end = await exited(daemon(['run', '--once']));
      expect(end.code).toBe(0);
    }
    expect(waiting()).toBe(0);
    expect(readdirSync(join(inbox, 'processed')).filter((f) => f.endsWith('.eml'))).toHaveLength(MAILS);
    expect(existsSync(join(inbox, 'failed'))).toBe(false);

    const db = openDatabase(join(dir, 'var', 'ballot-inbox.db'));
    try {
      const { ballots_recorded, notes: _notes, ...tally } = expected;
      expect(db.prepare(`SELECT status, COUNT(*) AS n FROM mails GROUP BY status`).all()).toEqual([
        { status: 'processed', n: MAILS },
      ]);
      expect((db.prepare('SELECT COUNT(*) AS n FROM ballots').get() as { n: number }).n).toBe(
        ballots_recorded,
      );
      expect(computeTally(db, loadElection('config/election-2023.json'))).toEqual(tally);
      expect(verifyAudit(db).ok).toBe(true);
    } finally {
      db.close();
    }
  }, 600_000);

  it('stops cleanly on SIGTERM, finishing the mail in hand', async () => {
    // More mail for a running daemon to be busy with.
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        'scripts/make-mail-fixtures.ts',
        '--bulk',
        '6',
        '--tag',
        'more',
        '--out',
        join(dir, 'more'),
      ],
      { cwd: ROOT, stdio: 'ignore' },
    );
    for (const f of readdirSync(join(dir, 'more')).filter((x) => x.endsWith('.eml')))
      writeFileSync(join(inbox, f), readFileSync(join(dir, 'more', f)));
    logs.length = 0;
    const child = daemon(['run', '--health-every', '1']);
    const started = Date.now();
    while (Date.now() - started < 240_000 && !logs.join('').includes('"msg":"mail stored"'))
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const end = await exited(child);
    expect(end.code).toBe(0);
    const db = openDatabase(join(dir, 'var', 'ballot-inbox.db'));
    try {
      // Whatever was in hand was finished, not left half-done.
      const pending = db.prepare(`SELECT id, attempts, error FROM mails WHERE status = 'pending'`).all();
      if (pending.length > 0) console.error(logs.join('').split('\n').slice(-40).join('\n'));
      expect(pending).toEqual([]);
      expect(verifyAudit(db).ok).toBe(true);
    } finally {
      db.close();
    }
    expect(logs.join('')).toContain('"msg":"daemon stopped"');
  }, 360_000);
});
