/**
 * Every reason code the service can give, defined once with its labels.
 * Reports, the review screen, the CLI and the database all use these codes;
 * the labels are what officials read.
 */
export const REASONS = {
  // Verdict reasons: why a ballot does not count (election rules).
  blank: { zh: '空白票(未勾选)', en: 'Blank (no mark)', scope: 'ballot' },
  overvote: { zh: '多选无效', en: 'Too many marks (overvote)', scope: 'ballot' },
  undervote: { zh: '少选无效', en: 'Too few marks', scope: 'ballot' },
  staff_invalid: { zh: '工作人员判为无效', en: 'Invalidated by staff', scope: 'ballot' },

  // Review reasons: why the machine asks a person (recognizer doubts and reading problems).
  marginal_mark: { zh: '勾选痕迹不确定', en: 'Mark too faint or ambiguous', scope: 'review' },
  correction: { zh: '涂改或涂黑', en: 'Correction (scribbled over or filled)', scope: 'review' },
  row_unplaced: { zh: '无法定位行', en: 'A row could not be placed', scope: 'review' },
  kind_uncertain: { zh: '无法确定选票类型', en: 'Ballot kind unclear', scope: 'review' },
  ocr_disagrees: { zh: '文字识别与版面不一致', en: 'OCR disagrees with table geometry', scope: 'review' },
  table_incomplete: { zh: '表格不完整(部分在画面外)', en: 'Table partly out of frame', scope: 'review' },
  low_quality: { zh: '图像质量差', en: 'Poor image quality', scope: 'review' },
  layout_uncertain: { zh: '表格栏目无法确定', en: 'Table columns unclear', scope: 'review' },
  unknown_item: { zh: '出现未知序号', en: 'Unknown item number', scope: 'review' },
  duplicate_item: { zh: '序号重复', en: 'Item number read twice', scope: 'review' },
  mark_outside_cell: { zh: '投票栏外有勾选痕迹', en: 'Mark outside the vote column', scope: 'review' },

  // Page reasons.
  not_a_ballot: { zh: '不是选票', en: 'Not a ballot', scope: 'page' },
  unreadable: { zh: '无法读取', en: 'Unreadable', scope: 'page' },
  unread_table: {
    zh: '页面上还有未能识别的表格',
    en: 'Another table on the page could not be read',
    scope: 'page',
  },

  // Attachment and mail reasons (intake).
  unsupported_format: { zh: '不支持的文件格式', en: 'Unsupported file format', scope: 'intake' },
  corrupt_file: { zh: '文件损坏', en: 'Corrupt file', scope: 'intake' },
  too_large: { zh: '文件过大', en: 'File too large', scope: 'intake' },
  decompression_bomb: {
    zh: '解压后过大(疑似压缩炸弹)',
    en: 'Expands too much (decompression bomb)',
    scope: 'intake',
  },
  too_many_parts: { zh: '附件或页数过多', en: 'Too many attachments or pages', scope: 'intake' },
  encrypted: { zh: '文件已加密', en: 'Encrypted file', scope: 'intake' },
  no_ballot: { zh: '邮件中没有选票', en: 'No ballot in the mail', scope: 'intake' },
  late: { zh: '截止后收到', en: 'Received after the deadline', scope: 'intake' },
  duplicate: { zh: '重复提交', en: 'Duplicate submission', scope: 'intake' },
  parse_failed: { zh: '邮件解析失败', en: 'Mail could not be parsed', scope: 'intake' },
  processing_failed: { zh: '处理失败', en: 'Processing failed', scope: 'intake' },
} as const satisfies Record<string, { zh: string; en: string; scope: ReasonScope }>;

export type ReasonScope = 'ballot' | 'review' | 'page' | 'intake';
export type ReasonCode = keyof typeof REASONS;
export type InvalidReason = 'blank' | 'overvote' | 'undervote' | 'staff_invalid';
export type ReviewReason =
  | 'marginal_mark'
  | 'correction'
  | 'row_unplaced'
  | 'kind_uncertain'
  | 'ocr_disagrees'
  | 'table_incomplete'
  | 'low_quality'
  | 'layout_uncertain'
  | 'unknown_item'
  | 'duplicate_item'
  | 'mark_outside_cell';

export function reasonLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const entry = (REASONS as Record<string, { zh: string; en: string }>)[code];
  return entry ? entry[lang] : code;
}

export function isReasonCode(code: string): code is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, code);
}
