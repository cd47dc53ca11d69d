/**
 * The report's stylesheet, inlined so the HTML stays one file that opens offline.
 * Serif (宋体-like) body and sans (黑体-like) headings as in Chinese official documents;
 * only fonts already on the reader's machine are named, never downloaded.
 * Printing: A4, page numbers in the margin, headings kept with what follows, table headers
 * repeated on each page, and nothing that depends on colour alone.
 */
export const REPORT_CSS = `
@page { size: A4; margin: 16mm 15mm 17mm 15mm;
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 8.5pt; color: #333; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9e9e9; color: #111;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "STSong", serif;
  font-size: 10.5pt; line-height: 1.5; }
h1, h2, th, .figures, .stage, .sign, .chart text { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif; }
.page { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 16mm 15mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
.doc-head { text-align: center; border-bottom: 2.5pt double #000; padding-bottom: 3mm; margin-bottom: 4mm; }
.org { margin: 0 0 2mm; font-size: 11pt; letter-spacing: .08em; }
h1 { margin: 0; font-size: 17pt; line-height: 1.35; font-weight: 700; }
h1 .sub { display: block; font-size: 14pt; font-weight: 500; letter-spacing: .3em; margin-top: 1mm; }
.asof { margin: 2.5mm 0 0; font-size: 10.5pt; }
.stage { margin: 1.5mm auto 0; display: inline-block; padding: .6mm 3mm; border: 0.8pt solid #000; font-size: 9.5pt; }
.stage.open { border-style: dashed; }
.figures { display: flex; gap: 3mm; margin: 0 0 5mm; }
.fig { flex: 1; border: 0.8pt solid #000; border-top-width: 2.2pt; padding: 1.5mm 2mm; text-align: center; }
.fig .v { font-size: 17pt; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.fig .v small { font-size: 9pt; font-weight: 400; margin-left: .5mm; }
.fig .l { font-size: 9pt; line-height: 1.3; }
.fig .l small { display: block; font-size: 8pt; }
section { margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 0 0 1.5mm; padding-bottom: .8mm; border-bottom: 0.8pt solid #000; break-after: avoid; page-break-after: avoid; }
.note { margin: 0 0 2mm; font-size: 9pt; color: #222; }
.mark { font-size: 7.5pt; margin-right: 1mm; }
.prov { font-weight: 700; margin-right: .3mm; }
.mono { font-family: "DejaVu Sans Mono", "Consolas", "Menlo", monospace; font-size: 8.5pt; }
.hash { word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { font-weight: 700; font-size: 9.5pt; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.rank th { border-top: 1.2pt solid #000; border-bottom: 0.8pt solid #000; padding: 1mm 1.5mm; text-align: left; background: #efefef; }
table.rank th:nth-child(1), table.rank th:nth-child(2), table.rank th:nth-child(4), table.rank th:nth-child(5) { text-align: right; }
table.rank td { padding: .45mm 1.5mm; border-bottom: 0.4pt solid #bdbdbd; vertical-align: middle; }
table.rank tbody tr:last-child td { border-bottom: 1.2pt solid #000; }
table.rank tr.top td { font-weight: 700; }
table.rank tr.top td.name { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", sans-serif; font-weight: 500; }
table.rank tr.cut td { border-bottom: 1.6pt solid #000; }
table.rank sup { font-size: 7pt; margin-left: .3mm; }
col.c-rank { width: 13mm; } col.c-no { width: 11mm; } col.c-votes { width: 15mm; } col.c-share { width: 17mm; } col.c-bar { width: 42mm; }
.barcell { padding-top: 0; padding-bottom: 0; }
svg.bar { display: block; width: 100%; height: 3.2mm; }
table.grid th, table.grid td { border: 0.6pt solid #555; padding: .8mm 2mm; }
table.grid thead th { background: #efefef; border-bottom: 1pt solid #000; }
table.grid tbody th { text-align: left; font-weight: 500; }
table.status-table td { width: 26%; }
table.status-table tr.strong th, table.status-table tr.strong td { font-weight: 700; }
table.status-table tr.sub th, table.status-table tr.sub td { font-size: 9pt; }
.indent { padding-left: 4mm; }
table.status-table tr.total th, table.status-table tr.total td { border-top: 1.2pt solid #000; font-weight: 700; }
.two { display: flex; gap: 4mm; margin-top: 3mm; }
.two table { flex: 1; }
table.kv th { width: 62%; }
table.prov th { width: 24%; }
table.prov td, table.review-table td { font-size: 9.5pt; }
table + .note, figure + .note { margin-top: 1.5mm; }
figure { margin: 0 0 2mm; }
svg.chart { display: block; width: 100%; height: auto; }
svg.chart .tick { font-size: 10px; fill: #222; }
svg.chart .val { font-size: 9.5px; fill: #000; }
svg.chart .legend { font-size: 11px; fill: #000; }
table.intake-table td, table.intake-table th { text-align: right; }
table.intake-table td:first-child, table.intake-table th:first-child { text-align: left; }
table.review-table td:nth-child(3) { white-space: nowrap; }
table.sign { margin-top: 8mm; }
table.sign td { width: 33%; padding: 0 0 1mm; border-bottom: 0.6pt solid #000; font-size: 10.5pt; height: 10mm; vertical-align: bottom; }
table.sign td + td { padding-left: 6mm; }
.doc-foot { margin-top: 6mm; padding-top: 1.5mm; border-top: 0.6pt solid #000; font-size: 8pt; color: #333; text-align: center; }
@media print {
  body { background: #fff; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  .keep, figure, table.grid { break-inside: avoid; page-break-inside: avoid; }
  section.short { break-inside: avoid; page-break-inside: avoid; }
}
`;
