import { tableToCsv } from './csv.js';
import { renderHtml } from './html.js';
import type { ReportData } from './report-data.js';
import { reportTables } from './tables.js';
import { tablesToXlsx } from './xlsx.js';

export interface RenderedFile {
  readonly name: string;
  readonly bytes: Buffer;
}

export const XLSX_NAME = 'tally.xlsx';
export const HTML_NAME = 'index.html';

/** Every file of a report, from one ReportData: index.html, one CSV per table, tally.xlsx. */
export async function renderReportFiles(data: ReportData): Promise<RenderedFile[]> {
  const tables = reportTables(data);
  return [
    { name: HTML_NAME, bytes: Buffer.from(renderHtml(data), 'utf8') },
    ...tables.map((t) => ({ name: `${t.id}.csv`, bytes: Buffer.from(tableToCsv(t), 'utf8') })),
    { name: XLSX_NAME, bytes: await tablesToXlsx(tables, data) },
  ];
}
