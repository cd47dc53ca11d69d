import { reasonLabel } from '../election/reasons.js';

/** The review site's interface text, in one table. Reason labels come from election/reasons.ts. */
export type Lang = 'zh' | 'en';

export const LABELS = {
  appName: { zh: '选票复核', en: 'Ballot review' },
  queue: { zh: '待复核队列', en: 'Review queue' },
  tally: { zh: '计票结果', en: 'Tally' },
  logout: { zh: '退出', en: 'Log out' },
  login: { zh: '登录', en: 'Log in' },
  loginTitle: { zh: '工作人员登录', en: 'Staff login' },
  userName: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  loginFailed: { zh: '用户名或密码错误。', en: 'Wrong user name or password.' },
  loginThrottled: {
    zh: '尝试次数过多,请稍后再试。',
    en: 'Too many attempts. Please wait and try again.',
  },
  loginExpired: { zh: '登录表单已过期,请重新输入。', en: 'The login form expired; please try again.' },
  roleReviewer: { zh: '复核员', en: 'Reviewer' },
  roleAdmin: { zh: '管理员', en: 'Administrator' },
  // Queue
  open: { zh: '待处理', en: 'To do' },
  decided: { zh: '已人工处理', en: 'Decided by staff' },
  all: { zh: '全部', en: 'All' },
  typeBallot: { zh: '选票', en: 'Ballot' },
  typePage: { zh: '无法读取的页面', en: 'Unreadable page' },
  typeAttachment: { zh: '被拒附件', en: 'Rejected attachment' },
  typeMail: { zh: '问题邮件', en: 'Mail problem' },
  statusReview: { zh: '待复核', en: 'In review' },
  statusInvalid: { zh: '无效', en: 'Invalid' },
  statusValid: { zh: '有效', en: 'Valid' },
  statusNotABallot: { zh: '不是选票', en: 'Not a ballot' },
  filterType: { zh: '类别', en: 'Type' },
  filterState: { zh: '范围', en: 'Show' },
  filterKind: { zh: '选票类型', en: 'Ballot kind' },
  filterReason: { zh: '原因', en: 'Reason' },
  filterFrom: { zh: '收件日期从', en: 'Received from' },
  filterTo: { zh: '至', en: 'to' },
  filterApply: { zh: '筛选', en: 'Filter' },
  filterClear: { zh: '清除', en: 'Clear' },
  anyOption: { zh: '不限', en: 'Any' },
  colItem: { zh: '事项', en: 'Item' },
  colReasons: { zh: '原因', en: 'Reasons' },
  colConfidence: { zh: '把握', en: 'Certainty' },
  colReceived: { zh: '收件时间', en: 'Received' },
  colSender: { zh: '发件人', en: 'Sender' },
  queueEmpty: { zh: '没有符合条件的待处理事项。', en: 'Nothing matches: the queue is clear.' },
  queueTruncated: {
    zh: '仅显示前 {n} 条,请用筛选缩小范围。',
    en: 'Showing the first {n}; filter to narrow.',
  },
  late: { zh: '截止后收到', en: 'Late' },
  duplicate: { zh: '重复', en: 'Duplicate' },
  decidedDone: { zh: '已记录对第 {n} 号选票的决定。', en: 'Decision on ballot {n} recorded.' },
  // Ballot page
  ballot: { zh: '选票', en: 'Ballot' },
  mail: { zh: '邮件', en: 'Mail' },
  from: { zh: '发件人', en: 'From' },
  subject: { zh: '主题', en: 'Subject' },
  received: { zh: '收件时间', en: 'Received' },
  attachment: { zh: '附件', en: 'Attachment' },
  page: { zh: '页', en: 'Page' },
  original: { zh: '下载原件', en: 'Download original' },
  machineReading: { zh: '机器判读', en: 'Machine reading' },
  currentState: { zh: '当前状态', en: 'Current state' },
  decidedByPerson: { zh: '人工决定', en: 'decided by staff' },
  decidedByMachine: { zh: '机器判定', en: 'machine verdict' },
  confidence: { zh: '把握度', en: 'Certainty' },
  marks: { zh: '勾选', en: 'Marks' },
  noMarks: { zh: '无', en: 'none' },
  yourReading: { zh: '您的判读', en: 'Your reading' },
  selectedCount: { zh: '已选 {n} 项 / 最多 {max} 项', en: '{n} selected / at most {max}' },
  overLimitHint: {
    zh: '超过上限,确认后将判为“{label}”。',
    en: 'Over the limit: accepting will record "{label}".',
  },
  blankHint: { zh: '未选任何项,确认后将按规则判定。', en: 'Nothing selected: the rules will judge it.' },
  kindLabel: { zh: '选票类型', en: 'Ballot kind' },
  accept: { zh: '按此判读确认', en: 'Accept this reading' },
  markInvalid: { zh: '判为无效', en: 'Mark invalid' },
  notABallot: { zh: '不是选票', en: 'Not a ballot' },
  handBack: { zh: '撤销人工决定(恢复机器判读)', en: 'Withdraw staff decisions (back to machine)' },
  invalidReason: { zh: '无效原因', en: 'Reason' },
  note: { zh: '说明', en: 'Note' },
  notePlaceholder: {
    zh: '为什么这样判定(可选;“工作人员判为无效”必填)',
    en: 'Why (optional; required for "invalidated by staff")',
  },
  confirmNotBallot: { zh: '确定这不是选票吗?', en: 'Record that this is not a ballot?' },
  confirmInvalid: { zh: '确定判为无效吗?', en: 'Record this ballot as invalid?' },
  prev: { zh: '上一张', en: 'Previous' },
  next: { zh: '下一张', en: 'Next' },
  backToQueue: { zh: '返回队列', en: 'Back to queue' },
  shortcuts: {
    zh: '快捷键:A 确认 · I 无效 · N 不是选票 · J/K 下一张/上一张 · 数字键 切换对应序号',
    en: 'Keys: A accept · I invalid · N not a ballot · J/K next/previous · digits toggle that item',
  },
  legendMarked: { zh: '已勾选', en: 'Marked' },
  legendEmpty: { zh: '空白', en: 'Empty' },
  legendUncertain: { zh: '不确定', en: 'Uncertain' },
  legendSelected: { zh: '您的选择', en: 'Your choice' },
  score: { zh: '墨迹', en: 'ink' },
  pageImage: { zh: '整页图像(框出的是本张选票)', en: 'Whole page (this ballot outlined)' },
  noImage: { zh: '没有图像(文本或文档来源)。', en: 'No image (text or document source).' },
  history: { zh: '处理记录', en: 'History' },
  readOnlyDecided: {
    zh: '此选票已由工作人员决定。如需更改,请联系管理员。',
    en: 'Staff already decided this ballot. Ask an administrator to change it.',
  },
  reprocessBallot: { zh: '重新识别此选票', en: 'Re-read this ballot' },
  reprocessMail: { zh: '重新处理整封邮件', en: 'Re-process the whole mail' },
  reprocessed: { zh: '已重新处理。', en: 'Re-processed.' },
  reprocessFailed: {
    zh: '重新处理失败,原有判读未改变。错误已记入日志。',
    en: 'Re-processing failed; the readings are unchanged. The error is in the log.',
  },
  viewMail: { zh: '查看整封邮件', en: 'View the whole mail' },
  notes: { zh: '识别说明', en: 'Reader notes' },
  // Page screen: entering ballots by hand
  enterBallot: { zh: '按图录入选票', en: 'Enter a ballot from this page' },
  enterBallotHelp: {
    zh: '选择选票类型,勾选图中打了“√”的事项,然后记录。一页上有几张选票就分别录入几次;按选举规则判定有效或无效。',
    en: 'Pick the ballot kind, tick the items marked on the image, and record it. Enter each slip on the page separately; the election rules judge it.',
  },
  enterNotePlaceholder: {
    zh: '可选,例如“照片中的第二张”',
    en: 'optional, e.g. "the second slip in the photo"',
  },
  recordBallot: { zh: '记录为选票', en: 'Record this ballot' },
  confirmNoOtherBallot: { zh: '确认:本页没有其他选票', en: 'Confirm: no other ballot on this page' },
  confirmNotABallot: { zh: '确认:不是选票', en: 'Confirm: not a ballot' },
  ballotsOnPage: { zh: '本页的选票', en: 'Ballots on this page' },
  noBallotsOnPage: { zh: '本页还没有选票。', en: 'No ballot on this page yet.' },
  enteredByStaff: { zh: '人工录入', en: 'entered by staff' },
  pageReading: { zh: '机器判读', en: 'Machine reading' },
  reviewPage: { zh: '复核此页', en: 'Review this page' },
  lateNotCounted: {
    zh: '此邮件在投票截止后收到:录入的选票会被记录,但不计入票数。',
    en: 'This mail arrived after voting closed: ballots entered are recorded but not counted.',
  },
  duplicateNotCounted: {
    zh: '此附件与先前邮件中的附件完全相同:录入的选票会被记录,但不计入票数。',
    en: 'This attachment repeats one from an earlier mail: ballots entered are recorded but not counted.',
  },
  ballotEntered: {
    zh: '已记录第 {n} 号选票(人工录入)。如本页还有其他选票,请继续录入。',
    en: 'Ballot {n} recorded (entered by staff). If the page holds another slip, enter it too.',
  },
  pageConfirmedNot: { zh: '已确认本页不是选票。', en: 'Recorded: this page holds no ballot.' },
  pageDecidedNot: {
    zh: '工作人员已确认本页不是选票。如需从本页录入选票,请联系管理员。',
    en: 'Staff confirmed this page holds no ballot. Ask an administrator to enter a ballot from it.',
  },
  err_page_stale: {
    zh: '此页面在您打开后已有变化(重新识别或他人已录入),请查看最新状态后再操作。',
    en: 'The page changed after you opened it (re-read, or someone entered a ballot). Check it again.',
  },
  err_has_ballots: {
    zh: '本页已有选票,不能确认为“不是选票”。',
    en: 'Ballots stand on this page; it cannot be confirmed as holding none.',
  },
  // Mail page
  attachments: { zh: '附件', en: 'Attachments' },
  pages: { zh: '页面', en: 'Pages' },
  ballots: { zh: '选票', en: 'Ballots' },
  mailStatus: { zh: '处理状态', en: 'Status' },
  open_: { zh: '打开', en: 'Open' },
  mail_processed: { zh: '已处理', en: 'Processed' },
  mail_failed: { zh: '处理失败', en: 'Failed' },
  mail_pending: { zh: '等待处理', en: 'Pending' },
  att_read: { zh: '已读取', en: 'Read' },
  att_rejected: { zh: '已拒收', en: 'Rejected' },
  att_duplicate: { zh: '重复', en: 'Duplicate' },
  att_container: { zh: '压缩包/转发邮件', en: 'Container' },
  // Tally
  votes: { zh: '票数', en: 'Votes' },
  validBallots: { zh: '有效票', en: 'Valid ballots' },
  invalidBallots: { zh: '无效票', en: 'Invalid ballots' },
  inReview: { zh: '待复核', en: 'In review' },
  // Errors
  err_stale: {
    zh: '此选票在您打开后已有变化(重新识别或他人已处理),请查看最新状态后再决定。',
    en: 'The ballot changed after you opened it (re-read or decided by someone else). Check it again.',
  },
  err_needs_admin: {
    zh: '此选票已由工作人员决定,复核员不能更改。请联系管理员。',
    en: 'Staff already decided this ballot; reviewers cannot change it. Ask an administrator.',
  },
  err_bad_marks: { zh: '所选序号不在此选票上。', en: 'A selected number is not on this ballot.' },
  err_unknown_kind: { zh: '未知的选票类型。', en: 'Unknown ballot kind.' },
  err_note_required: {
    zh: '“工作人员判为无效”需要填写说明。',
    en: '"Invalidated by staff" needs a note saying why.',
  },
  err_not_found: { zh: '找不到此选票。', en: 'No such ballot.' },
  err_no_machine_reading: {
    zh: '此选票由工作人员人工录入,没有可恢复的机器判读。如录入有误,请判为“不是选票”。',
    en: 'Staff entered this ballot by hand; there is no machine reading to go back to. If it was entered by mistake, mark it "not a ballot".',
  },
  err_bad_request: { zh: '请求不完整。', en: 'Incomplete request.' },
  forbidden: {
    zh: '请求被拒绝(表单已失效,请刷新页面)。',
    en: 'Refused (the form expired; reload the page).',
  },
  notFound: { zh: '找不到该页面。', en: 'Not found.' },
  language: { zh: 'English', en: '中文' },
} as const satisfies Record<string, Record<Lang, string>>;

export type LabelKey = keyof typeof LABELS;

export function t(lang: Lang, key: LabelKey, vars: Record<string, string | number> = {}): string {
  return LABELS[key][lang].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  );
}

export function reason(lang: Lang, code: string): string {
  return reasonLabel(code, lang);
}

export function langOf(value: unknown): Lang {
  return value === 'en' ? 'en' : 'zh';
}
