import type { Cell, ReportTable } from './tables.js';

/** Excel opens a CSV as UTF-8 (not the local ANSI code page) only when it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';

function formatCell(value: Cell, type: ReportTable['columns'][number]['type']): string {
  if (typeof value === 'number') {
    // One decimal is what the HTML prints; the exact count is in the votes column beside it.
    return type === 'percent' ? `${(value * 100).toFixed(1)}%` : String(value);
  }
  return value;
}

function quote(field: string): string {
  // A leading = + - @ would make a spreadsheet evaluate the cell; item names come from config, but be safe.
  const guarded = /^[=+\-@]/.test(field) && Number.isNaN(Number(field)) ? `'${field}` : field;
  return /[",\r\n]/.test(guarded) || guarded !== field ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted. */
export function tableToCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => quote(c.header)).join(',')];
  for (const row of table.rows) {
    lines.push(row.map((v, i) => quote(formatCell(v, table.columns[i]?.type ?? 'text'))).join(','));
  }
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
