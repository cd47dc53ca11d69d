import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The CLI as a user runs it: the compiled bin (npm ci / npm test build dist/ first). */
function cli(args: string[], env: Record<string, string | undefined> = {}) {
  // An undefined value removes the variable from the environment the CLI starts with.
  const merged = Object.entries({ ...process.env, LOG_FORMAT: 'json', ...env }).filter(
    (e): e is [string, string] => e[1] !== undefined,
  );
  const r = spawnSync(process.execPath, [resolve('bin/ballot-inbox.js'), ...args], {
    encoding: 'utf8',
    env: Object.fromEntries(merged),
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'cli-'));

describe('ballot-inbox CLI', () => {
  it('--help lists every command', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['scan', 'ingest', 'run', 'tally', 'reprocess', 'review', 'report', 'audit']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    }
  });

  it('tally --json on an empty database prints zero counts for all 39 + 8 items', () => {
    const db = join(tmp(), 'empty.db');
    const r = cli(['tally', '--json', '--db', db]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(Object.keys(t.projects.votes)).toEqual(Array.from({ length: 39 }, (_, i) => String(i + 1)));
    expect(Object.keys(t.districts.votes)).toEqual(Array.from({ length: 8 }, (_, i) => String(i + 1)));
    expect(t.projects.ballots).toEqual({ valid: 0, invalid: 0, review: 0 });
    expect(t.districts.invalid_by_reason).toEqual({ blank: 0, overvote: 0 });
    expect(t.mails).toEqual({ received: 0, late: 0, duplicate: 0, without_ballot: 0, failed: 0 });
  });

  it('tally without --json is a readable ranking labelled from the seeds', () => {
    const r = cli(['tally', '--db', join(tmp(), 'e.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('青少年儿童近视防控及视力筛查');
    expect(r.stdout).toContain('市城乡一体化示范区');
  });

  it('refuses a config with a misspelt key, naming it', () => {
    const dir = tmp();
    const election = JSON.parse(readFileSync('config/election-2023.json', 'utf8'));
    election.election.ballots[0].maxMark = election.election.ballots[0].maxMarks;
    election.election.ballots[0].items = resolve('seeds/2023/projects.json');
    election.election.ballots[1].items = resolve('seeds/2023/districts.json');
    writeFileSync(join(dir, 'election.json'), JSON.stringify(election));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ election: 'election.json' }));
    const r = cli(['tally', '--json', '--config', join(dir, 'config.json'), '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('election.ballots[0].maxMark: unknown key');
    expect(r.stdout).toBe('');
  });

  it('refuses an impossible limit, naming the key', () => {
    const dir = tmp();
    const election = JSON.parse(readFileSync('config/election-2023.json', 'utf8'));
    election.election.ballots[1].maxMarks = 0;
    election.election.ballots[0].items = resolve('seeds/2023/projects.json');
    election.election.ballots[1].items = resolve('seeds/2023/districts.json');
    writeFileSync(join(dir, 'election.json'), JSON.stringify(election));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ election: 'election.json' }));
    const r = cli(['tally', '--config', join(dir, 'config.json'), '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('election.ballots[1].maxMarks');
  });

  it('audit verify passes on a new database and prints the head', () => {
    const r = cli(['audit', 'verify', '--db', join(tmp(), 'a.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/audit chain OK: 0 entries, head 0{64}/);
  });

  it('run warns, naming the settings, when glibc malloc is left unbounded, and not when they are set', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'inbox'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        election: resolve('config/election-2023.json'),
        dataDir: join(dir, 'var'),
        source: { type: 'folder', path: join(dir, 'inbox') },
        recognizer: { workers: 1 },
        http: { host: '127.0.0.1', port: 0 },
      }),
    );
    const run = (env: Record<string, string | undefined>) =>
      cli(['run', '--once', '--config', join(dir, 'config.json')], env);
    const bare = run({ MALLOC_ARENA_MAX: undefined, MALLOC_MMAP_THRESHOLD_: undefined });
    expect(bare.code).toBe(0);
    const warning = bare.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; missing?: string[] })
      .find((l) => l.msg.startsWith('glibc malloc is not bounded'));
    expect(warning?.missing).toEqual(['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_']);
    const set = run({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '4194304' });
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('run --once finished');
    expect(set.stderr).not.toContain('glibc malloc is not bounded');
  }, 60_000);
});
