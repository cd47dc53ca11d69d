import { describe, expect, it } from 'vitest';
import { tableToCsv } from './csv.js';
import type { ReportTable } from './tables.js';

const table: ReportTable = {
  id: 't',
  title: '表',
  columns: [
    { header: '名称', width: 10, type: 'text' },
    { header: '得票', width: 10, type: 'int' },
    { header: '得票率', width: 10, type: 'percent' },
  ],
  rows: [
    ['“人人持证、技能河南”', 12, 0.5],
    ['含,逗号 "引号"', 0, 0],
    ['=HYPERLINK("x")', 3, 1 / 3],
  ],
};

describe('tableToCsv', () => {
  it('starts with a BOM, ends lines with CRLF, quotes what needs it and writes shares as percentages', () => {
    const csv = tableToCsv(table);
    expect(csv.startsWith('\uFEFF名称,得票,得票率\r\n')).toBe(true);
    expect(csv.split('\r\n').slice(1)).toEqual([
      '“人人持证、技能河南”,12,50.0%',
      '"含,逗号 ""引号""",0,0.0%',
      `"'=HYPERLINK(""x"")",3,33.3%`,
      '',
    ]);
  });
});
