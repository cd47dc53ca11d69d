/** `ballot-inbox report` as a person types it, and the daemon's nightly schedule. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/load.js';
import { ConfigError } from '../src/election/load.js';
import { createLogger } from '../src/log/logger.js';
import { scheduleReports } from '../src/report/schedule.js';
import { appendAudit } from '../src/store/audit.js';
import { openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { seedReportFixture } from './report-fixture.js';

const run = promisify(execFile);

/** A config file and database in a temp folder, as an operator would have them. */
function workspace(): { dir: string; configPath: string; dbPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
  const configPath = join(dir, 'ballot-inbox.json');
  writeFileSync(
    configPath,
    JSON.stringify({ election: resolve('config/election-2023.json'), dataDir: join(dir, 'var') }),
  );
  const dbPath = join(dir, 'var', 'ballot-inbox.db');
  const db = openDatabase(dbPath);
  seedReportFixture(db, loadAppConfig(configPath).election);
  db.close();
  return { dir, configPath, dbPath };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', '--log-level', 'warn', ...args],
      {
        env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ballot-inbox report', () => {
  it('writes the report of a past moment (election wall clock) and prints it as JSON', async () => {
    const ws = workspace();
    const out = join(ws.dir, 'out');
    const r = await cli([
      '--config',
      ws.configPath,
      'report',
      '--at',
      '2024-01-17T23:59:59',
      '--out',
      out,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      status: string;
      folder: string;
      dir: string;
      at: string;
      tally: unknown;
      files: { name: string }[];
      audit_entry: { seq: number };
    };
    expect(json.status).toBe('written');
    expect(json.folder).toBe('2024-01-17T2359');
    expect(json.at).toBe('2024-01-17T15:59:59.000Z');
    expect(readdirSync(out)).toEqual(['2024-01-17T2359']);
    expect(json.files.map((f) => f.name)).toContain('tally.xlsx');
    const db = openDatabase(ws.dbPath);
    // Later mail (the 18th on) is not in it; the numbers are the tally's at that moment.
    expect(json.tally).toEqual(computeTally(db, loadAppConfig(ws.configPath).election, new Date(json.at)));
    expect((json.tally as { mails: { received: number } }).mails.received).toBe(4);
    expect(db.prepare("SELECT seq FROM audit WHERE action = 'report.written'").pluck().get()).toBe(
      json.audit_entry.seq,
    );
    db.close();
  });

  it('writes under the configured report folder by default and names the files it wrote', async () => {
    const ws = workspace();
    const r = await cli(['--config', ws.configPath, 'report']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^report written: .*var\/reports\/\d{4}-\d{2}-\d{2}T\d{4}\n/);
    expect(r.stdout).toContain('  tally.xlsx');
    expect(r.stdout).toMatch(/recorded as audit entry \d+ \(report\.written\)/);
    expect(readdirSync(join(ws.dir, 'var', 'reports'))).toHaveLength(1);
  });

  it('refuses a malformed or future --at, and --email without SMTP settings, before writing anything', async () => {
    const ws = workspace();
    const bad = await cli(['--config', ws.configPath, 'report', '--at', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--at: "yesterday" is not a date-time');
    const future = await cli(['--config', ws.configPath, 'report', '--at', '2999-01-01T00:00']);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('is in the future');
    const mail = await cli(['--config', ws.configPath, 'report', '--email']);
    expect(mail.code).toBe(2);
    expect(mail.stderr).toContain('no report.smtp section');
    expect(existsSync(join(ws.dir, 'var', 'reports'))).toBe(false);
  });
});

describe('nightly report schedule', () => {
  it("runs at the cron time on the election's clock and writes a report when it fires", async () => {
    const ws = workspace();
    const config = loadAppConfig(ws.configPath);
    const db = openDatabase(ws.dbPath);
    const schedule = scheduleReports(db, config, createLogger({ level: 'silent', pretty: false }));
    const next = schedule.nextRun();
    // 02:00 in Luohe is 18:00 UTC the day before, whatever zone this machine is in.
    expect(next?.getUTCHours()).toBe(18);
    expect(next?.getUTCMinutes()).toBe(0);
    expect(next!.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    const outcome = await schedule.runNow();
    expect(outcome.status).toBe('written');
    expect(readdirSync(config.reportDir)).toHaveLength(1);
    await schedule.stop();
    expect(schedule.nextRun()).toBeNull();
    db.close();
  });

  it('makes up a nightly report missed while the daemon was down, and only then', async () => {
    const ws = workspace();
    const config = loadAppConfig(ws.configPath);
    const db = openDatabase(ws.dbPath);
    const silent = createLogger({ level: 'silent', pretty: false });
    const written = (): number => (existsSync(config.reportDir) ? readdirSync(config.reportDir).length : 0);
    // 2024-01-20 12:00 UTC: the last 02:00 in Luohe was 2024-01-19 18:00 UTC.
    const clock = (): Date => new Date('2024-01-20T12:00:00Z');
    const settle = (s: ReturnType<typeof scheduleReports>) => s.stop();

    // A fresh installation (no report ever written) does not write one on its first start.
    await settle(scheduleReports(db, config, silent, undefined, clock));
    expect(written()).toBe(0);

    const report = (at: string) =>
      appendAudit(db, {
        actor: 'report',
        action: 'report.written',
        subjectType: 'report',
        subjectId: null,
        detail: { folder: 'earlier' },
        at: new Date(at),
      });
    // A report written after the last due time covers it: nothing to make up.
    report('2024-01-19T18:00:05Z');
    await settle(scheduleReports(db, config, silent, undefined, clock));
    expect(written()).toBe(0);

    // Two days later with no report since: the 02:00 run was missed and is made up at start.
    const later = (): Date => new Date('2024-01-22T12:00:00Z');
    await settle(scheduleReports(db, config, silent, undefined, later));
    expect(written()).toBe(1);
    db.close();
  });

  it('rejects a cron expression that cannot be read, naming the setting', () => {
    const ws = workspace();
    const config = loadAppConfig(ws.configPath);
    const db = openDatabase(ws.dbPath);
    expect(() =>
      scheduleReports(
        db,
        { ...config, report: { ...config.report, cron: 'nightly at two' } },
        createLogger({ level: 'silent', pretty: false }),
      ),
    ).toThrow(ConfigError);
    db.close();
  });
});
