import { reasonLabel } from '../election/reasons.js';
import { formatLocal } from '../election/zoned-time.js';
import type { ReportData } from './report-data.js';

/** Subject and plain-text body of the report mail: the figures an official wants before opening the attachment. */
export function emailSummary(
  data: ReportData,
  report: { name: string; xlsxName: string; xlsxSha256: string; auditSeq: number },
): { subject: string; text: string } {
  const tz = data.election.timeZone;
  const p = data.provenance;
  const asOf = formatLocal(p.at, tz).slice(0, 16);
  const closed = p.at.getTime() >= data.election.closesAt.getTime();
  const m = data.mails;
  const lines: string[] = [
    `${data.election.title} 计票情况报告`,
    `统计截至 ${asOf}(${tz})。${closed ? '投票已截止。' : '投票尚在进行,以下为阶段性统计,不是最终结果。'}`,
    '',
    `收到邮件 ${m.received} 封(截止后收到 ${m.late},重复提交 ${m.duplicate},无选票 ${m.without_ballot},处理失败 ${m.failed})。`,
  ];
  for (const k of data.kinds) {
    const reasons = k.invalidByReason
      .filter((r) => r.count > 0)
      .map((r) => `${reasonLabel(r.code)} ${r.count}`)
      .join(',');
    lines.push(
      '',
      `${k.label.zh}:有效 ${k.ballots.valid} 张,无效 ${k.ballots.invalid} 张${reasons ? `(${reasons})` : ''},待复核 ${k.review.count} 张。`,
    );
    const top = k.ranking.filter((r) => r.highlighted);
    if (top.length > 0) {
      lines.push(`前 ${k.highlightTop} 名:`);
      for (const r of top)
        lines.push(
          `  ${r.rank}. ${r.provincial ? '*' : ''}${r.name} ${r.votes} 票${r.tiedAtCut ? '(并列)' : ''}`,
        );
    }
  }
  lines.push(
    '',
    `附件 ${report.xlsxName} 为全部统计表(每个表格一个工作表);完整报告(可打印的 HTML 与 CSV)保存在报告文件夹 ${report.name}。`,
    `附件 SHA-256:${report.xlsxSha256}`,
    `审计链第 ${p.auditHead.seq} 条,哈希 ${p.auditHead.hash};本报告记为审计链第 ${report.auditSeq} 条。`,
    '',
    '本邮件由计票系统自动发送。',
  );
  return { subject: `【计票报告】${data.election.title} 截至 ${asOf}`, text: `${lines.join('\n')}\n` };
}
