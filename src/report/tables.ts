import { reasonLabel } from '../election/reasons.js';
import { formatLocal } from '../election/zoned-time.js';
import { deadlineText } from './local-time.js';
import type { ReportData } from './report-data.js';

/** How a cell is written: integers and fractions stay numbers in XLSX; CSV writes fractions as percentages. */
export type ColumnType = 'text' | 'int' | 'percent';

export interface Column {
  readonly header: string;
  /** Width in characters, for the XLSX sheet (a CJK character counts about two). */
  readonly width: number;
  readonly type: ColumnType;
}

export type Cell = string | number;

/** One table of the report: one CSV file and one XLSX sheet. */
export interface ReportTable {
  /** File stem of the CSV ("ranking-projects"). */
  readonly id: string;
  /** Sheet name (Chinese, at most 31 characters, none of []:*?/\). */
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly Cell[])[];
}

const text = (header: string, width: number): Column => ({ header, width, type: 'text' });
const int = (header: string, width = 10): Column => ({ header, width, type: 'int' });

/**
 * The report's tables, in the order they appear in the workbook. CSV and XLSX are both written
 * from these rows, so the two cannot disagree; the HTML reads the same ReportData.
 */
export function reportTables(data: ReportData): ReportTable[] {
  const tz = data.election.timeZone;
  const tables: ReportTable[] = [];

  for (const k of data.kinds) {
    tables.push({
      id: `ranking-${k.kind}`,
      title: `${k.label.zh}排名`.slice(0, 31),
      columns: [
        int('名次', 8),
        int('序号', 8),
        text(k.kind === 'projects' ? '民生实事项目' : '名称', 44),
        text('省重点(*)', 11),
        int('得票', 10),
        { header: '得票率(占有效票)', width: 18, type: 'percent' },
        text(`前${k.highlightTop}名`, 10),
      ],
      rows: k.ranking.map((r) => [
        r.rank,
        r.number,
        r.name,
        r.provincial ? '*' : '',
        r.votes,
        r.share,
        r.highlighted ? (r.tiedAtCut ? '是(并列)' : '是') : '',
      ]),
    });
  }

  tables.push({
    id: 'ballots-by-status',
    title: '选票状态',
    columns: [
      text('选票类型', 22),
      int('有效'),
      int('无效'),
      int('待复核'),
      int('重复提交'),
      int('截止后收到', 12),
      int('合计'),
    ],
    rows: data.kinds.map((k) => [
      k.label.zh,
      k.ballots.valid,
      k.ballots.invalid,
      k.ballots.review,
      k.ballots.duplicate,
      k.ballots.late,
      k.ballots.total,
    ]),
  });

  tables.push({
    id: 'invalid-reasons',
    title: '无效原因',
    columns: [text('选票类型', 22), text('原因代码', 14), text('原因', 26), int('张数')],
    rows: data.kinds.flatMap((k) =>
      k.invalidByReason.map((r) => [k.label.zh, r.code, reasonLabel(r.code, 'zh'), r.count]),
    ),
  });

  tables.push({
    id: 'mails',
    title: '邮件与页面',
    columns: [text('项目', 30), text('代码', 22), int('数量')],
    rows: [
      ['收到邮件', 'mails.received', data.mails.received],
      [reasonLabel('late'), 'mails.late', data.mails.late],
      [reasonLabel('duplicate'), 'mails.duplicate', data.mails.duplicate],
      [reasonLabel('no_ballot'), 'mails.without_ballot', data.mails.without_ballot],
      [reasonLabel('processing_failed'), 'mails.failed', data.mails.failed],
      ['处理中', 'mails.pending', data.mailsPending],
      ...data.rejectedAttachments.map((r): Cell[] => [
        `附件被拒:${reasonLabel(r.code)}`,
        `attachments.${r.code}`,
        r.count,
      ]),
      ['页面总数', 'pages.total', data.pages.total],
      ['含选票的页面', 'pages.ballots', data.pages.withBallots],
      [reasonLabel('not_a_ballot'), 'pages.not_a_ballot', data.pages.notABallot],
      [reasonLabel('unreadable'), 'pages.unreadable', data.pages.unreadable],
      ['尚未识别', 'pages.unread', data.pages.unread],
    ],
  });

  tables.push({
    id: 'intake-per-day',
    title: '每日收件',
    columns: [
      text('日期', 12),
      int('收到邮件'),
      int('截止后收到', 12),
      int('重复提交'),
      ...data.kinds.map((k) => int(k.label.zh, 20)),
    ],
    rows: data.intake.map((d) => [
      d.day,
      d.mails,
      d.lateMails,
      d.duplicateMails,
      ...data.kinds.map((k) => d.ballots[k.kind] ?? 0),
    ]),
  });

  tables.push({
    id: 'review-backlog',
    title: '待复核',
    columns: [text('选票类型', 22), text('原因代码', 18), text('原因', 30), int('张数')],
    rows: data.kinds.flatMap((k) => [
      [
        k.label.zh,
        'total',
        k.review.oldestReceivedAt
          ? `合计(最早一张收于 ${formatLocal(new Date(k.review.oldestReceivedAt), tz)})`
          : '合计',
        k.review.count,
      ],
      ...k.review.byReason.map((r): Cell[] => [k.label.zh, r.code, reasonLabel(r.code), r.count]),
    ]),
  });

  tables.push({
    id: 'decided-by',
    title: '判定方式',
    columns: [text('选票类型', 22), int('机器判定'), int('人工判定'), int('计入统计', 12)],
    rows: data.kinds.map((k) => [
      k.label.zh,
      k.decidedBy.machine,
      k.decidedBy.person,
      k.decidedBy.machine + k.decidedBy.person,
    ]),
  });

  const p = data.provenance;
  tables.push({
    id: 'provenance',
    title: '可核查信息',
    columns: [text('项目', 26), text('代码', 24), text('值', 70)],
    rows: [
      ['评选', 'election.title', data.election.title],
      ['主办单位', 'election.organizer', data.election.organizer ?? ''],
      ['时区', 'election.time_zone', tz],
      ['投票截止', 'election.closes_at', deadlineText(data.election.closesAt, tz)],
      ['统计截至(本地时间)', 'report.at_local', formatLocal(p.at, tz)],
      ['统计截至(UTC)', 'report.at', p.at.toISOString()],
      ['报告生成(UTC)', 'report.generated_at', p.generatedAt.toISOString()],
      ['审计链条目序号', 'audit.head_seq', p.auditHead.seq],
      ['审计链头哈希', 'audit.head_hash', p.auditHead.hash],
      ['选举配置编号', 'election.id', p.electionId],
      ['选举配置哈希', 'election.hash', p.electionHash],
      ...p.recognizerVersions.map((v): Cell[] => [
        '识别程序版本(选票张数)',
        `recognizer.${v.version}`,
        v.ballots,
      ]),
      ['当前识别程序版本', 'recognizer.current', p.currentRecognizer],
      ['软件版本', 'software.version', `${p.software.name} ${p.software.version}`],
    ],
  });

  return tables;
}
