import { reasonLabel } from '../election/reasons.js';
import { formatLocal } from '../election/zoned-time.js';
import { deadlineText, localMinutes as local } from './local-time.js';
import { escapeHtml as e } from './escape-html.js';
import { REPORT_CSS } from './report-css.js';
import type { KindSection, ReportData } from './report-data.js';
import { intakeChart, rankingBar } from './svg-charts.js';

const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function rankingSection(k: KindSection, heading: string): string {
  const max = Math.max(0, ...k.ranking.map((r) => r.votes));
  const lastHighlighted = k.ranking.map((r) => r.highlighted).lastIndexOf(true);
  const anyProvincial = k.ranking.some((r) => r.provincial);
  const tie = k.ranking.some((r) => r.tiedAtCut);
  const rows = k.ranking
    .map((r, i) => {
      const cls = [r.highlighted ? 'top' : '', i === lastHighlighted ? 'cut' : ''].filter(Boolean).join(' ');
      return (
        `<tr${cls ? ` class="${cls}"` : ''}>` +
        `<td class="num rank">${r.highlighted ? '<span class="mark">▶</span>' : ''}${r.rank}${r.tiedAtCut ? '<sup>并</sup>' : ''}</td>` +
        `<td class="num">${r.number}</td>` +
        `<td class="name">${r.provincial ? '<span class="prov">*</span>' : ''}${e(r.name)}</td>` +
        `<td class="num votes">${r.votes}</td>` +
        `<td class="num share">${pct(r.share)}</td>` +
        `<td class="barcell">${rankingBar(r.votes, max, r.highlighted)}</td>` +
        `</tr>`
      );
    })
    .join('\n');
  const notes = [
    `有效选票 <b>${k.ballots.valid}</b> 张,每张限选 ${k.maxMarks} 项。`,
    `得票前 ${k.highlightTop} 名以 <span class="mark">▶</span> 标示并加粗,粗线以上为前 ${k.highlightTop} 名。`,
    anyProvincial ? '带 <span class="prov">*</span> 者为省重点民生实事。' : '',
    '得票率 = 得票 ÷ 有效选票。',
    tie
      ? `<b>注意:</b>第 ${k.highlightTop} 名处有并列(标“并”),进入前 ${k.highlightTop} 名的项目多于 ${k.highlightTop} 项。`
      : '',
  ]
    .filter(Boolean)
    .join('');
  return `
<section class="ranking${k.ranking.length <= 12 ? ' short' : ''}" id="ranking-${e(k.kind)}">
  <h2>${heading}${e(k.label.zh)}得票排名</h2>
  <p class="note">${notes}</p>
  <table class="rank">
    <colgroup><col class="c-rank"><col class="c-no"><col class="c-name"><col class="c-votes"><col class="c-share"><col class="c-bar"></colgroup>
    <thead><tr><th>名次</th><th>序号</th><th>${k.kind === 'projects' ? '民生实事项目' : '名称'}</th><th>得票</th><th>得票率</th><th>得票对比</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</section>`;
}

function ballotStatusSection(data: ReportData, heading: string): string {
  const kinds = data.kinds;
  const head = kinds.map((k) => `<th>${e(k.label.zh)}</th>`).join('');
  const row = (label: string, values: (number | string)[], cls = ''): string =>
    `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${label}</th>${values.map((v) => `<td class="num">${v}</td>`).join('')}</tr>`;
  const reasonCodes = [...new Set(kinds.flatMap((k) => k.invalidByReason.map((r) => r.code)))];
  const lines = [
    row(
      '有效',
      kinds.map((k) => k.ballots.valid),
      'strong',
    ),
    row(
      '无效',
      kinds.map((k) => k.ballots.invalid),
      'strong',
    ),
    ...reasonCodes.map((code) =>
      row(
        `<span class="indent">其中:${e(reasonLabel(code))}</span>`,
        kinds.map((k) => k.invalidByReason.find((r) => r.code === code)?.count ?? 0),
        'sub',
      ),
    ),
    row(
      '待复核(尚未计入)',
      kinds.map((k) => k.ballots.review),
    ),
    row(
      `${e(reasonLabel('duplicate'))}(不计)`,
      kinds.map((k) => k.ballots.duplicate),
    ),
    row(
      `${e(reasonLabel('late'))}(不计)`,
      kinds.map((k) => k.ballots.late),
    ),
    row(
      '识别出的选票合计',
      kinds.map((k) => k.ballots.total),
      'total',
    ),
    row(
      '计入统计:机器判定',
      kinds.map((k) => k.decidedBy.machine),
    ),
    row(
      '计入统计:人工判定',
      kinds.map((k) => k.decidedBy.person),
    ),
  ];
  const m = data.mails;
  const p = data.pages;
  const mailRows: (readonly [string, number])[] = [
    ['收到邮件', m.received],
    [e(reasonLabel('late')), m.late],
    [e(reasonLabel('duplicate')), m.duplicate],
    [e(reasonLabel('no_ballot')), m.without_ballot],
    [e(reasonLabel('processing_failed')), m.failed],
    ['处理中', data.mailsPending],
    ...data.rejectedAttachments.map((r) => [`附件被拒:${e(reasonLabel(r.code))}`, r.count] as const),
  ];
  const pageRows: (readonly [string, number])[] = [
    ['页面总数', p.total],
    ['含选票的页面', p.withBallots],
    [e(reasonLabel('not_a_ballot')), p.notABallot],
    [e(reasonLabel('unreadable')), p.unreadable],
    ['尚未识别', p.unread],
  ];
  const kv = (rows: readonly (readonly [string, number])[]): string =>
    rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td class="num">${v}</td></tr>`).join('');
  return `
<section class="status keep">
  <h2>${heading}选票与邮件统计</h2>
  <table class="grid status-table">
    <thead><tr><th>单位:张</th>${head}</tr></thead>
    <tbody>${lines.join('')}</tbody>
  </table>
  <div class="two">
    <table class="grid kv"><thead><tr><th>邮件</th><th>封</th></tr></thead><tbody>${kv(mailRows)}</tbody></table>
    <table class="grid kv"><thead><tr><th>附件页面</th><th>页</th></tr></thead><tbody>${kv(pageRows)}</tbody></table>
  </div>
</section>`;
}

function intakeSection(data: ReportData, heading: string): string {
  const days = data.intake.map((d) => d.day);
  const chart =
    days.length > 0
      ? intakeChart(
          days,
          data.kinds.map((k) => ({
            label: k.label.zh,
            values: data.intake.map((d) => d.ballots[k.kind] ?? 0),
          })),
          { label: '收到邮件', values: data.intake.map((d) => d.mails) },
        )
      : '<p class="note">尚未收到邮件。</p>';
  const rows = data.intake
    .map(
      (d) =>
        `<tr><td>${e(d.day)}</td><td class="num">${d.mails}</td><td class="num">${d.lateMails}</td><td class="num">${d.duplicateMails}</td>` +
        data.kinds.map((k) => `<td class="num">${d.ballots[k.kind] ?? 0}</td>`).join('') +
        '</tr>',
    )
    .join('');
  return `
<section class="intake">
  <h2>${heading}每日收件(${e(data.election.timeZone)} 时间)</h2>
  <figure>${chart}</figure>
  <table class="grid intake-table">
    <thead><tr><th>日期</th><th>收到邮件</th><th>截止后收到</th><th>重复提交</th>${data.kinds.map((k) => `<th>${e(k.label.zh)}</th>`).join('')}</tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="note">选票按所在邮件的收件日期计;重复提交和不是选票的页面不计。</p>
</section>`;
}

function reviewSection(data: ReportData, heading: string): string {
  const tz = data.election.timeZone;
  const rows = data.kinds
    .map((k) => {
      const reasons =
        k.review.byReason.length > 0
          ? k.review.byReason.map((r) => `${e(reasonLabel(r.code))} ${r.count}`).join(';')
          : '—';
      const oldest = k.review.oldestReceivedAt ? local(new Date(k.review.oldestReceivedAt), tz) : '—';
      return `<tr><th scope="row">${e(k.label.zh)}</th><td class="num">${k.review.count}</td><td>${oldest}</td><td>${reasons}</td></tr>`;
    })
    .join('');
  return `
<section class="review keep">
  <h2>${heading}待复核选票</h2>
  <table class="grid review-table">
    <thead><tr><th>选票类型</th><th>待复核</th><th>最早一张收于</th><th>复核原因(一张可有多项)</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
  <p class="note">待复核的选票由工作人员核对后才计入统计;人工判定与机器识别结果一并保存,互不覆盖。</p>
</section>`;
}

function provenanceSection(data: ReportData, heading: string): string {
  const p = data.provenance;
  const tz = data.election.timeZone;
  const versions = p.recognizerVersions.length
    ? p.recognizerVersions.map((v) => `${e(v.version)}(${v.ballots} 张)`).join(';')
    : '—';
  const older = p.recognizerVersions.some((v) => v.version !== p.currentRecognizer);
  return `
<section class="provenance keep">
  <h2>${heading}可核查信息</h2>
  <table class="grid kv prov">
    <tbody>
      <tr><th scope="row">统计截至</th><td>${e(formatLocal(p.at, tz))}(${e(tz)});UTC <span class="mono">${e(p.at.toISOString())}</span></td></tr>
      <tr><th scope="row">报告生成</th><td>${e(formatLocal(p.generatedAt, tz))}(${e(tz)})</td></tr>
      <tr><th scope="row">审计链</th><td>第 ${p.auditHead.seq} 条,哈希 <span class="mono hash">${e(p.auditHead.hash)}</span></td></tr>
      <tr><th scope="row">选举配置</th><td>${e(p.electionId)},哈希 <span class="mono hash">${e(p.electionHash)}</span></td></tr>
      <tr><th scope="row">识别程序版本</th><td>${versions};本软件当前版本 ${e(p.currentRecognizer)}${older ? '(版本不同的识别结果可用 <span class="mono">ballot-inbox reprocess</span> 按当前版本重新识别)' : ''}</td></tr>
      <tr><th scope="row">软件</th><td>${e(p.software.name)} ${e(p.software.version)}</td></tr>
    </tbody>
  </table>
  <p class="note">核对方法:在计票服务器上运行 <span class="mono">ballot-inbox audit verify</span> 确认审计链完整,且第 ${p.auditHead.seq} 条记录的哈希与上表一致;
  运行 <span class="mono">ballot-inbox report --at ${e(p.at.toISOString())}</span> 可按同一时刻重新生成本报告的全部数字。
  本报告各文件的 SHA-256 记在同一文件夹的 <span class="mono">SHA256SUMS</span> 中,并作为“report.written”记入审计链。</p>
  <table class="sign"><tr><td>制表人:</td><td>审核人:</td><td>日期:</td></tr></table>
</section>`;
}

/**
 * The printable report in Chinese: one self-contained file (inline CSS and SVG, no script,
 * no network), laid out for A4 and legible when printed in black and white.
 */
export function renderHtml(data: ReportData): string {
  const tz = data.election.timeZone;
  const p = data.provenance;
  const closed = p.at.getTime() >= data.election.closesAt.getTime();
  const review = data.kinds.reduce((s, k) => s + k.review.count, 0);
  const stage = closed
    ? review > 0
      ? `投票已截止,仍有 ${review} 张选票待复核,结果尚未最终确定。`
      : '投票已截止。'
    : '投票尚在进行,本报告为阶段性统计,不是最终结果。';
  let n = 0;
  const h = (): string => `${CN_NUMERALS[n++] ?? String(n)}、`;
  const figures = [
    ['收到邮件', '', data.mails.received, '封'],
    ...data.kinds.map((k) => ['有效选票', k.label.zh, k.ballots.valid, '张'] as const),
    ['无效选票', '各类选票合计', data.kinds.reduce((s, k) => s + k.ballots.invalid, 0), '张'],
    ['待复核', '尚未计入', review, '张'],
  ] as const;
  const sections = [
    ...data.kinds.map((k) => rankingSection(k, h())),
    ballotStatusSection(data, h()),
    intakeSection(data, h()),
    reviewSection(data, h()),
    provenanceSection(data, h()),
  ];
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(data.election.title)} 计票情况报告 ${e(local(p.at, tz))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main class="page">
<header class="doc-head">
  ${data.election.organizer ? `<p class="org">${e(data.election.organizer)}</p>` : ''}
  <h1>${e(data.election.title)}<span class="sub">计票情况报告</span></h1>
  <p class="asof">统计截至 <b>${e(local(p.at, tz))}</b>(${e(tz)})  投票截止 ${e(deadlineText(data.election.closesAt, tz))}</p>
  <p class="stage${closed ? '' : ' open'}">${e(stage)}</p>
</header>
<section class="figures">
  ${figures.map(([label, sub, value, unit]) => `<div class="fig"><div class="v">${value}<small>${unit}</small></div><div class="l">${e(label)}${sub ? `<small>${e(sub)}</small>` : ''}</div></div>`).join('\n  ')}
</section>
${sections.join('\n')}
<footer class="doc-foot">审计链第 ${p.auditHead.seq} 条 <span class="mono">${e(p.auditHead.hash.slice(0, 16))}…</span>  选举配置 <span class="mono">${e(p.electionHash.slice(0, 16))}…</span></footer>
</main>
</body>
</html>
`;
}
