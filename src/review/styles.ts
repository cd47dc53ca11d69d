/** The whole stylesheet, inline in every page (no build step, no CDN). State colours: green marked, grey empty, amber uncertain. */
export const CSS = `
:root {
  --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --bg: #f4f6f8; --card: #fff;
  --primary: #1d4ed8; --primary-dark: #1e3a8a;
  --green: #15803d; --green-bg: #dcfce7; --grey: #9aa3ae; --grey-bg: #eef0f3;
  --amber: #b45309; --amber-bg: #fef3c7; --red: #b91c1c; --red-bg: #fee2e2; --blue-bg: #dbeafe;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
html { font-size: 16px; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif;
  line-height: 1.6; }
a { color: var(--primary); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: #0f2a4a; color: #fff; display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 56px; }
header.top .brand { font-size: 18px; font-weight: 700; letter-spacing: 0.04em; color: #fff; }
header.top nav { display: flex; gap: 4px; flex: 1; }
header.top nav a { color: #cfe0f5; padding: 8px 14px; border-radius: 6px; font-size: 15px; }
header.top nav a.on, header.top nav a:hover { background: rgba(255,255,255,0.12); color: #fff; text-decoration: none; }
header.top .who { display: flex; align-items: center; gap: 14px; font-size: 14px; color: #cfe0f5; }
header.top .who a, header.top .who button { color: #fff; }
header.top form { margin: 0; }
.linkbtn { background: none; border: 0; padding: 0; font: inherit; cursor: pointer; color: var(--primary); }
main { padding: 20px 24px 48px; max-width: 1500px; margin: 0 auto; }
h1 { font-size: 22px; margin: 4px 0 16px; }
h2 { font-size: 17px; margin: 0 0 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin-bottom: 16px; }
.flash { padding: 12px 16px; border-radius: 8px; margin-bottom: 16px; font-size: 15px; }
.flash.ok { background: var(--green-bg); color: #14532d; border: 1px solid #86efac; }
.flash.err { background: var(--red-bg); color: #7f1d1d; border: 1px solid #fca5a5; }
.counts { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
.count { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 18px; min-width: 150px; color: var(--ink); }
.count:hover { border-color: var(--primary); text-decoration: none; }
.count.on { border-color: var(--primary); box-shadow: inset 0 0 0 1px var(--primary); }
.count .n { font-size: 26px; font-weight: 700; display: block; line-height: 1.2; }
.count .l { font-size: 14px; color: var(--muted); }
.count.tally { margin-left: auto; }
.count.tally, .count.good { background: #f0fdf4; border-color: #bbf7d0; }
.count.tally .n, .count.good .n { color: var(--green); }
form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
form.filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); gap: 4px; }
select, input[type=date], input[type=text], input[type=password], textarea {
  font: inherit; font-size: 15px; padding: 7px 10px; border: 1px solid #b8c1cc; border-radius: 6px; background: #fff; color: var(--ink); }
textarea { width: 100%; min-height: 44px; height: 44px; resize: vertical; }
.btn { display: inline-flex; align-items: center; justify-content: center; gap: 8px; font: inherit; font-size: 15px; font-weight: 600;
  padding: 9px 18px; min-height: 42px; border-radius: 8px; border: 1px solid #b8c1cc; background: #fff; color: var(--ink); cursor: pointer; }
.btn:hover { background: #f1f4f8; text-decoration: none; }
.btn[aria-disabled=true] { opacity: 0.4; pointer-events: none; }
.btn.primary { background: var(--primary); border-color: var(--primary); color: #fff; }
.btn.primary:hover { background: var(--primary-dark); }
.btn.good { background: var(--green); border-color: var(--green); color: #fff; }
.btn.good:hover { background: #166534; }
.btn.warn { background: #fff; border-color: var(--red); color: var(--red); }
.btn.warn:hover { background: var(--red-bg); }
.btn.big { font-size: 17px; min-height: 52px; padding: 12px 22px; }
.btn kbd, kbd { font-family: ui-monospace, monospace; font-size: 12px; border: 1px solid currentColor; border-radius: 4px; padding: 0 5px; opacity: 0.8; }
table.list { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
table.list th { text-align: left; font-size: 13px; color: var(--muted); font-weight: 600; padding: 10px 14px; background: #f8fafc; border-bottom: 1px solid var(--line); }
table.list td { padding: 12px 14px; border-bottom: 1px solid #edf0f3; vertical-align: middle; font-size: 15px; }
table.list tr:last-child td { border-bottom: 0; }
table.list tr.row:hover td { background: #f5f9ff; cursor: pointer; }
table.list td a.open { font-weight: 600; }
table.list tr.cur td { background: #eaf2ff; }
.tag { display: inline-block; font-size: 13px; line-height: 1.4; padding: 2px 9px; border-radius: 999px; margin: 1px 4px 1px 0; white-space: nowrap; }
.tag.review { background: var(--amber-bg); color: #92400e; }
.tag.invalid { background: var(--red-bg); color: var(--red); }
.tag.valid { background: var(--green-bg); color: var(--green); }
.tag.grey, .tag.not_a_ballot { background: var(--grey-bg); color: #4b5563; }
.tag.person { background: var(--blue-bg); color: var(--primary-dark); }
.meter { display: inline-flex; align-items: center; gap: 8px; font-variant-numeric: tabular-nums; }
.meter .bar { width: 70px; height: 8px; background: var(--grey-bg); border-radius: 4px; overflow: hidden; }
.meter .bar i { display: block; height: 100%; background: var(--amber); }
.meter.hi .bar i { background: var(--green); }
.meter.lo .bar i { background: var(--red); }
.muted { color: var(--muted); }
.small { font-size: 13px; }
.mono { font-family: ui-monospace, monospace; font-size: 13px; }
.empty { padding: 40px; text-align: center; color: var(--muted); background: var(--card); border: 1px dashed var(--line); border-radius: 10px; }
/* Ballot page */
.ballot-head { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; margin-bottom: 12px; }
.ballot-head h1 { margin: 0; }
.ballot-head .nav { margin-left: auto; display: flex; gap: 8px; }
.ballot-grid { display: grid; grid-template-columns: minmax(360px, 1.1fr) minmax(420px, 1fr); gap: 18px; align-items: start; }
.imgwrap { position: relative; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 10px; }
.imgwrap svg { display: block; width: 100%; height: auto; max-height: 88vh; }
.imgwrap img { display: block; width: 100%; height: auto; max-height: 88vh; object-fit: contain; }
ul.plain { list-style: none; margin: 0; padding: 0; font-size: 15px; }
ul.plain li { margin-bottom: 6px; }
.cell { cursor: pointer; stroke-width: 3; }
.cell.m-marked { stroke: var(--green); }
.cell.m-unmarked { stroke: var(--grey); }
.cell.m-uncertain { stroke: #d97706; stroke-dasharray: 6 3; stroke-width: 4; }
.cell { fill: transparent; }
.cell.sel { fill: rgba(21,128,61,0.28); }
.cell.m-uncertain.sel { fill: rgba(21,128,61,0.28); }
.cell.m-uncertain:not(.sel) { fill: rgba(245,158,11,0.22); }
.cell:hover { stroke: var(--primary); stroke-dasharray: none; }
.legend { display: flex; gap: 16px; font-size: 13px; color: var(--muted); margin-top: 8px; flex-wrap: wrap; }
.legend span::before { content: ""; display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: -2px; margin-right: 6px; border: 3px solid; }
.legend .lm::before { border-color: var(--green); }
.legend .le::before { border-color: var(--grey); }
.legend .lu::before { border-color: #d97706; border-style: dashed; background: #fde68a; }
.legend .ls::before { border-color: var(--green); background: rgba(21,128,61,0.35); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; font-size: 15px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.items { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; max-height: max(260px, calc(100vh - 480px)); overflow: auto; padding: 2px; }
.items.few { grid-template-columns: 1fr; }
.item { display: flex; align-items: center; gap: 10px; padding: 8px 10px; border: 1px solid var(--line); border-radius: 8px; cursor: pointer; font-size: 14px; line-height: 1.35; min-height: 46px; background: #fff; }
.item:hover { border-color: var(--primary); }
.item input { width: 20px; height: 20px; flex: none; accent-color: var(--green); }
.item .no { font-weight: 700; min-width: 1.8em; text-align: right; font-variant-numeric: tabular-nums; }
.item .nm { flex: 1; }
.item .sc { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.item.d-uncertain { border-color: #f59e0b; background: #fffbeb; }
.item.on { border-color: var(--green); background: var(--green-bg); }
.item.changed .no::after { content: " ✎"; color: var(--primary); font-weight: 400; }
.selcount { font-size: 15px; font-weight: 600; margin: 8px 0 0; }
.selcount.over { color: var(--red); }
.hint { font-size: 13px; color: var(--red); min-height: 1.3em; }
.kindrow { margin: -6px 0 10px; }
.card > h2 + form .kindrow { margin-top: -4px; }
.actions { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 12px; }
.invalid-panel { margin-top: 12px; padding: 12px; border: 1px solid #fca5a5; border-radius: 8px; background: #fff7f7; }
.invalid-panel[hidden] { display: none; }
.invalid-panel .row { display: flex; gap: 10px; align-items: center; margin-bottom: 8px; flex-wrap: wrap; }
.keys { font-size: 13px; color: var(--muted); margin-top: 10px; }
ol.history { margin: 0; padding-left: 20px; font-size: 14px; }
ol.history li { margin-bottom: 6px; }
.login { max-width: 400px; margin: 10vh auto; }
.login label { display: block; margin-bottom: 14px; font-size: 14px; color: var(--muted); }
.login input { width: 100%; margin-top: 4px; font-size: 17px; padding: 10px 12px; }
.login .btn { width: 100%; }
.thumbs { display: flex; gap: 12px; flex-wrap: wrap; }
.thumbs figure { margin: 0; width: 280px; }
.thumbs img { width: 280px; height: 360px; object-fit: contain; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.thumbs figcaption { font-size: 13px; }
table.votes td { padding: 8px 14px; }
table.votes td.bar { width: 40%; }
table.votes td.num { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; width: 90px; }
@media (max-width: 1000px) { .ballot-grid { grid-template-columns: 1fr; } .items { grid-template-columns: 1fr; } }
`;
