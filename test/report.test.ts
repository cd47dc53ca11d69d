import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppConfig, loadAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { RECOGNIZER_VERSION } from '../src/recognize/recognizer.js';
import { runReport } from '../src/report/run-report.js';
import type { WrittenReport } from '../src/report/write-report.js';
import { verifyAudit } from '../src/store/audit.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { computeTally, type Tally } from '../src/store/tally.js';
import { FIXTURE_DAYS, seedReportFixture } from './report-fixture.js';

const logger = createLogger({ level: 'silent', pretty: false });

/** RFC 4180 reader, enough for what the report writes (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

function readCsv(dir: string, name: string): { header: string[]; rows: string[][] } {
  const raw = readFileSync(join(dir, name));
  // Excel needs the BOM to read UTF-8; without it the Chinese headers turn to mojibake.
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parseCsv(raw.toString('utf8').slice(1));
  return { header: header ?? [], rows };
}

/** The numbers a report shows, as read back from the CSV files a user opens. */
function tallyFromCsv(
  dir: string,
  config: AppConfig,
): Omit<Tally, 'mails'> & { mails: Record<string, number> } {
  const out: Record<string, unknown> = {};
  const status = readCsv(dir, 'ballots-by-status.csv');
  expect(status.header).toEqual(['选票类型', '有效', '无效', '待复核', '重复提交', '截止后收到', '合计']);
  const reasons = readCsv(dir, 'invalid-reasons.csv');
  for (const b of config.election.ballots) {
    const ranking = readCsv(dir, `ranking-${b.kind}.csv`);
    expect(ranking.rows).toHaveLength(b.items.length);
    const votes = Object.fromEntries(ranking.rows.map((r) => [r[1] as string, Number(r[4])]));
    const s = status.rows.find((r) => r[0] === b.label.zh) as string[];
    out[b.kind] = {
      votes,
      ballots: { valid: Number(s[1]), invalid: Number(s[2]), review: Number(s[3]) },
      invalid_by_reason: Object.fromEntries(
        reasons.rows.filter((r) => r[0] === b.label.zh).map((r) => [r[1] as string, Number(r[3])]),
      ),
    };
  }
  const mails = readCsv(dir, 'mails.csv').rows.filter((r) => r[1]?.startsWith('mails.'));
  out.mails = Object.fromEntries(
    mails.filter((r) => r[1] !== 'mails.pending').map((r) => [(r[1] as string).slice(6), Number(r[2])]),
  );
  return out as Omit<Tally, 'mails'> & { mails: Record<string, number> };
}

async function readXlsx(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function sheetRows(ws: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('report of the fixture database', () => {
  let dir: string;
  let db: Db;
  let config: AppConfig;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-'));
    config = loadAppConfig('config/ballot-inbox.json');
    db = openDatabase(':memory:');
    seedReportFixture(db, config.election);
  });
  afterEach(() => db.close());

  async function report(at?: Date): Promise<WrittenReport> {
    const outcome = await runReport(db, config, { email: false, outDir: dir, ...(at ? { at } : {}) }, logger);
    if (outcome.status !== 'written') throw new Error(outcome.error);
    return outcome.report;
  }

  it('prints in its CSV files exactly the numbers of computeTally (tally --json)', async () => {
    const tally = computeTally(db, config.election);
    const r = await report();
    expect(tallyFromCsv(r.dir, config)).toEqual(tally);
    // And the fixture is what we think it is, so the comparison is not between two empty counts.
    expect(tally.projects!.ballots).toEqual({ valid: 2, invalid: 2, review: 1 });
    expect(tally.districts!.ballots).toEqual({ valid: 2, invalid: 2, review: 0 });
    expect(tally.districts!.invalid_by_reason).toEqual({ blank: 0, overvote: 1, staff_invalid: 1 });
    expect(tally.mails).toEqual({ received: 11, late: 1, duplicate: 1, without_ballot: 1, failed: 1 });
  });

  it('ranks by votes with shared places, highlights the places the vote asks for and marks provincial items', async () => {
    const r = await report();
    const { rows } = readCsv(r.dir, 'ranking-projects.csv');
    // Items 1, 2, 3 have two votes each; 4–10, 16, 17 one each; the rest none.
    expect(rows.slice(0, 4).map((x) => [x[0], x[1], x[4]])).toEqual([
      ['1', '1', '2'],
      ['1', '2', '2'],
      ['1', '3', '2'],
      ['4', '4', '1'],
    ]);
    const highlighted = rows.filter((x) => x[6]?.startsWith('是'));
    // Places 1–10: three items share place 1, nine share place 4 (4–10, 16, 17), so twelve stand on them.
    expect(highlighted).toHaveLength(12);
    expect(highlighted.filter((x) => x[6] === '是(并列)')).toHaveLength(9);
    expect(rows.find((x) => x[1] === '1')?.[3]).toBe('*');
    expect(rows.find((x) => x[1] === '16')?.[3]).toBe('');
    expect(rows.find((x) => x[1] === '1')?.[2]).toBe('“人人持证、技能河南”');
    expect(rows.find((x) => x[1] === '1')?.[5]).toBe('100.0%');
    expect(rows.filter((x) => x[4] === '0').every((x) => x[6] === '')).toBe(true);
  });

  it('counts duplicates, late ballots, machine and person decisions, review reasons and intake per local day', async () => {
    const r = await report();
    const status = readCsv(r.dir, 'ballots-by-status.csv').rows;
    // projects: valid 2, invalid 2, review 1, duplicate 2 (same bytes; repeated mail), late 0.
    expect(status.find((x) => x[0] === '民生实事选票')).toEqual([
      '民生实事选票',
      '2',
      '2',
      '1',
      '2',
      '0',
      '7',
    ]);
    expect(status.find((x) => x[0] === '县区(功能区)选票')).toEqual([
      '县区(功能区)选票',
      '2',
      '2',
      '0',
      '0',
      '1',
      '5',
    ]);
    const decided = readCsv(r.dir, 'decided-by.csv').rows;
    expect(decided.find((x) => x[0] === '民生实事选票')).toEqual(['民生实事选票', '4', '0', '4']);
    expect(decided.find((x) => x[0] === '县区(功能区)选票')).toEqual(['县区(功能区)选票', '2', '2', '4']);
    const review = readCsv(r.dir, 'review-backlog.csv').rows;
    expect(review.find((x) => x[0] === '民生实事选票' && x[1] === 'total')?.[3]).toBe('1');
    expect(review.find((x) => x[0] === '民生实事选票' && x[1] === 'marginal_mark')?.[2]).toBe(
      '勾选痕迹不确定',
    );
    expect(review.find((x) => x[0] === '民生实事选票' && x[1] === 'total')?.[2]).toContain(
      '2024-01-18 08:00',
    );
    const intake = readCsv(r.dir, 'intake-per-day.csv').rows;
    // Day by Luohe's clock (the 23:30 mail of the 16th is still the 16th), then the late mail's day, gaps filled.
    expect(intake.map((x) => x[0])).toEqual([
      ...FIXTURE_DAYS,
      '2024-01-20',
      '2024-01-21',
      '2024-01-22',
      '2024-01-23',
      '2024-01-24',
    ]);
    expect(intake[0]).toEqual(['2024-01-16', '2', '0', '0', '2', '2']);
    expect(intake[2]).toEqual(['2024-01-18', '4', '0', '1', '1', '1']);
    expect(intake[8]).toEqual(['2024-01-24', '1', '1', '0', '0', '1']);
    const mails = Object.fromEntries(readCsv(r.dir, 'mails.csv').rows.map((x) => [x[1], x[2]]));
    expect(mails['pages.unreadable']).toBe('1');
    expect(mails['pages.ballots']).toBe('9');
  });

  it('writes a readable XLSX with the same numbers, one sheet per table, frozen Chinese headers', async () => {
    const tally = computeTally(db, config.election);
    const r = await report();
    const wb = await readXlsx(join(r.dir, 'tally.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '民生实事选票排名',
      '县区(功能区)选票排名',
      '选票状态',
      '无效原因',
      '邮件与页面',
      '每日收件',
      '待复核',
      '判定方式',
      '可核查信息',
    ]);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, printTitlesRow: '1:1' });
      ws.columns.forEach((c) => expect(c.width).toBeGreaterThanOrEqual(8));
    }
    for (const b of config.election.ballots) {
      const rows = sheetRows(wb.getWorksheet(`${b.label.zh}排名`)!);
      expect(rows[0]?.slice(0, 5)).toEqual(['名次', '序号', expect.any(String), '省重点(*)', '得票']);
      const votes = Object.fromEntries(rows.slice(1).map((x) => [String(x[1]), x[4]]));
      // Numbers, not text: officials sum and sort them in Excel.
      expect(votes).toEqual(tally[b.kind]!.votes);
      expect(rows.slice(1).every((x) => typeof x[5] === 'number')).toBe(true);
      expect(wb.getWorksheet(`${b.label.zh}排名`)!.getColumn(6).numFmt).toBe('0.0%');
    }
    const status = sheetRows(wb.getWorksheet('选票状态')!);
    expect(status.slice(1).map((x) => x.slice(1, 4))).toEqual(
      config.election.ballots.map((b) => [
        tally[b.kind]!.ballots.valid,
        tally[b.kind]!.ballots.invalid,
        tally[b.kind]!.ballots.review,
      ]),
    );
    const reasons = sheetRows(wb.getWorksheet('无效原因')!).slice(1);
    for (const b of config.election.ballots)
      expect(Object.fromEntries(reasons.filter((x) => x[0] === b.label.zh).map((x) => [x[1], x[3]]))).toEqual(
        tally[b.kind]!.invalid_by_reason,
      );
    const mails = Object.fromEntries(sheetRows(wb.getWorksheet('邮件与页面')!).map((x) => [x[1], x[2]]));
    for (const [k, v] of Object.entries(tally.mails)) expect(mails[`mails.${k}`]).toBe(v);
    const prov = Object.fromEntries(sheetRows(wb.getWorksheet('可核查信息')!).map((x) => [x[1], x[2]]));
    expect(prov['election.hash']).toBe(config.election.hash);
    expect(prov['recognizer.test']).toBe(12);
    expect(prov['recognizer.current']).toBe(RECOGNIZER_VERSION);
  });

  it('shows the same numbers in the HTML, self-contained and in Chinese', async () => {
    const tally = computeTally(db, config.election);
    const r = await report();
    const html = readFileSync(join(r.dir, 'index.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="zh-CN">/);
    // Nothing to fetch: no scripts, no external stylesheets, fonts or images.
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)|src=|https?:\/\//);
    for (const b of config.election.ballots) {
      const section = html.split(`id="ranking-${b.kind}"`)[1]!.split('</section>')[0]!;
      const rows = [
        ...section.matchAll(
          /<td class="num">(\d+)<\/td><td class="name">(?:<span class="prov">\*<\/span>)?([^<]+)<\/td><td class="num votes">(\d+)<\/td>/g,
        ),
      ];
      expect(rows).toHaveLength(b.items.length);
      expect(Object.fromEntries(rows.map((m) => [m[1], Number(m[3])]))).toEqual(tally[b.kind]!.votes);
      const highlighted = (section.match(/<tr class="top/g) ?? []).length;
      // Projects: places 1 and 4 hold twelve items; districts: five items share place 1.
      expect(highlighted).toBe(b.kind === 'projects' ? 12 : 5);
    }
    expect(html).toContain('<span class="prov">*</span>“人人持证、技能河南”');
    expect(html).toContain('空白票(未勾选)');
    expect(html).toContain('多选无效');
    expect(html).toContain('工作人员判为无效');
    expect(html).toContain('投票截止 2024-01-23 24:00');
    expect(html).toContain(config.election.hash);
    expect(html).toContain('<svg class="chart"');
  });

  it('records itself: manifest and SHA256SUMS hash every file, and the audit chain gets report.written', async () => {
    const headBefore = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const r = await report();
    expect(readdirSync(dir)).toEqual([r.name]); // no temporary folder left behind
    expect(r.name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}$/);
    const files = readdirSync(r.dir).sort();
    expect(files).toContain('index.html');
    expect(files).toContain('tally.xlsx');
    expect(files).toContain('ranking-projects.csv');
    const sums = readFileSync(join(r.dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums).toHaveLength(files.length - 1);
    for (const line of sums) {
      const [hash, name] = line.split('  ') as [string, string];
      expect(
        createHash('sha256')
          .update(readFileSync(join(r.dir, name)))
          .digest('hex'),
      ).toBe(hash);
    }
    const manifest = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as {
      audit_head: { seq: number; hash: string };
      files: { name: string; sha256: string }[];
    };
    expect(manifest.audit_head).toEqual(headBefore);
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      files.filter((f) => !['manifest.json', 'SHA256SUMS'].includes(f)),
    );
    const entry = db.prepare("SELECT * FROM audit WHERE action = 'report.written'").get() as {
      seq: number;
      detail: string;
    };
    expect(entry.seq).toBe(headBefore.seq + 1);
    const detail = JSON.parse(entry.detail) as {
      files: Record<string, string>;
      audit_head: unknown;
      folder: string;
    };
    expect(detail.folder).toBe(r.name);
    expect(detail.audit_head).toEqual(headBefore);
    for (const f of r.files) expect(detail.files[f.name]).toBe(f.sha256);
    expect(verifyAudit(db).ok).toBe(true);

    // A second report for the same minute gets its own folder and leaves the first untouched.
    const manifestAt = new Date(
      (JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { at: string }).at,
    );
    const again = await report(manifestAt);
    expect(again.name).toBe(`${r.name}-2`);
    expect(readFileSync(join(r.dir, 'SHA256SUMS'), 'utf8').trim().split('\n')).toEqual(sums);
  });

  it('reports a past moment with only the mail that had arrived and the decisions made by then', async () => {
    // End of the 17th in Luohe: days 1 and 2 only; no person had decided anything yet.
    const at = new Date('2024-01-17T23:59:59+08:00');
    const then = computeTally(db, config.election, at);
    const r = await report(at);
    expect(r.name).toBe('2024-01-17T2359');
    expect(tallyFromCsv(r.dir, config)).toEqual(then);
    expect(then.mails.received).toBe(4);
    expect(then.projects!.ballots).toEqual({ valid: 2, invalid: 2, review: 0 });
    // Mail B's districts ballot was valid until a person invalidated it on the 19th.
    expect(then.districts!.ballots).toEqual({ valid: 2, invalid: 1, review: 0 });
    expect(readCsv(r.dir, 'intake-per-day.csv').rows.map((x) => x[0])).toEqual(['2024-01-16', '2024-01-17']);
    const decided = readCsv(r.dir, 'decided-by.csv').rows;
    expect(decided.every((x) => x[2] === '0')).toBe(true);
    const prov = Object.fromEntries(readCsv(r.dir, 'provenance.csv').rows.map((x) => [x[1], x[2]]));
    expect(prov['report.at']).toBe(at.toISOString());
    const html = readFileSync(join(r.dir, 'index.html'), 'utf8');
    expect(html).toContain('统计截至 <b>2024-01-17 23:59</b>');
    expect(html).toContain('投票尚在进行');
  });
});

describe('report of an empty database', () => {
  it('is written with every item at zero, nothing highlighted and no chart to draw', async () => {
    const config = loadAppConfig('config/ballot-inbox.json');
    const db = openDatabase(':memory:');
    const dir = mkdtempSync(join(tmpdir(), 'report-empty-'));
    const out = await runReport(db, config, { email: false, outDir: dir }, logger);
    if (out.status !== 'written') throw new Error(out.error);
    expect(tallyFromCsv(out.report.dir, config)).toEqual(computeTally(db, config.election));
    const html = readFileSync(join(out.report.dir, 'index.html'), 'utf8');
    expect(html).toContain('尚未收到邮件');
    expect(html).not.toContain('<tr class="top');
    expect(readCsv(out.report.dir, 'intake-per-day.csv').rows).toEqual([]);
    expect(verifyAudit(db).ok).toBe(true);
    db.close();
  });
});
