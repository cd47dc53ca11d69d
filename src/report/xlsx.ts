import ExcelJS from 'exceljs';
import type { ReportData } from './report-data.js';
import type { ReportTable } from './tables.js';

/** One sheet per table: header on row 1, frozen and filterable; numbers stay numbers. */
export async function tablesToXlsx(tables: readonly ReportTable[], data: ReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = `${data.provenance.software.name} ${data.provenance.software.version}`;
  wb.title = `${data.election.title} 计票报告`;
  // Fixed dates keep the workbook a function of the report's moment, not of when the bytes were made.
  wb.created = data.provenance.generatedAt;
  wb.modified = data.provenance.generatedAt;

  for (const t of tables) {
    const ws = wb.addWorksheet(t.title, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }],
      // Printed from Excel too: A4 (paper size 9), as wide as the page, header row on every page.
      pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.pageSetup.printTitlesRow = '1:1';
    ws.columns = t.columns.map((c) => ({ header: c.header, width: c.width }));
    for (const row of t.rows) ws.addRow([...row]);
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: 'middle', wrapText: true };
    header.height = 22;
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
      cell.border = { bottom: { style: 'thin', color: { argb: 'FF000000' } } };
    });
    t.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      if (c.type === 'percent') col.numFmt = '0.0%';
      if (c.type === 'int') col.numFmt = '0';
    });
    if (t.rows.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
