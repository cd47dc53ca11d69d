import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/review/password.js';
import { openDatabase } from '../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'review-cli-'));
const config = join(dir, 'config.json');
writeFileSync(
  config,
  JSON.stringify({ election: resolve('config/election-2023.json'), dataDir: join(dir, 'data') }),
);
const cli = (args: string[], input = '') =>
  spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', '-c', config, ...args], {
    input,
    encoding: 'utf8',
    timeout: 90_000,
  });

describe('ballot-inbox user', () => {
  it('adds an account from --password-stdin with a scrypt hash, refuses a second one, disables it', async () => {
    const add = cli(['user', 'add', '李娜', '--role', 'reviewer', '--password-stdin'], 'a-long-password\n');
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('created reviewer 李娜\n');
    const again = cli(['user', 'add', '李娜', '--role', 'admin', '--password-stdin'], 'another-password\n');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');

    const db = openDatabase(join(dir, 'data', 'ballot-inbox.db'));
    const row = db.prepare('SELECT role, password_hash FROM users WHERE name = ?').get('李娜') as {
      role: string;
      password_hash: string;
    };
    db.close();
    expect(row.role).toBe('reviewer');
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('a-long-password', row.password_hash)).toBe(true);

    expect(cli(['user', 'disable', '李娜']).stdout).toContain('disabled 李娜');
    expect(JSON.parse(cli(['user', 'list', '--json']).stdout)).toMatchObject([
      { name: '李娜', role: 'reviewer', disabled: true },
    ]);
  }, 300_000);

  it('refuses a short password, and refuses to ask for one without a terminal', () => {
    expect(cli(['user', 'add', 'y', '--role', 'admin', '--password-stdin'], 'short\n').stderr).toContain(
      'at least 10',
    );
    const r = cli(['user', 'add', 'z', '--role', 'admin']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  }, 180_000);
});
