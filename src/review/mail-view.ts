import { type BallotState, ballotStates } from '../store/ballot-state.js';
import type { Db } from '../store/db.js';

/** Everything that came in one mail: its attachments, their pages and the ballots found on them. */
export interface MailView {
  readonly mail: {
    readonly id: number;
    readonly from: string | null;
    readonly subject: string | null;
    readonly receivedAt: string;
    readonly dateHeader: string | null;
    readonly messageId: string | null;
    readonly status: string;
    readonly reason: string | null;
    readonly error: string | null;
    readonly late: boolean;
    readonly duplicateOf: number | null;
  };
  readonly attachments: readonly {
    readonly id: number;
    readonly parentId: number | null;
    readonly filename: string | null;
    readonly format: string | null;
    readonly size: number;
    readonly status: string;
    readonly reason: string | null;
    readonly detail: string | null;
    readonly pages: readonly {
      readonly id: number;
      readonly pageNo: number;
      readonly hasImage: boolean;
      readonly status: string | null;
      readonly reason: string | null;
      readonly detail: string | null;
      readonly ballots: readonly BallotState[];
    }[];
  }[];
}

export function loadMailView(db: Db, mailId: number): MailView | undefined {
  const m = db.prepare('SELECT * FROM mails WHERE id = ?').get(mailId) as
    | {
        id: number;
        from_addr: string | null;
        subject: string | null;
        received_at: string;
        date_header: string | null;
        message_id: string | null;
        status: string;
        reason: string | null;
        error: string | null;
        late: number;
        duplicate_of: number | null;
      }
    | undefined;
  if (!m) return undefined;
  const states = ballotStates(db, { where: 'mail_id = @mail', params: { mail: mailId } });
  const atts = db
    .prepare(
      'SELECT id, parent_id, filename, format, size, status, reason, detail FROM attachments WHERE mail_id = ? ORDER BY id',
    )
    .all(mailId) as {
    id: number;
    parent_id: number | null;
    filename: string | null;
    format: string | null;
    size: number;
    status: string;
    reason: string | null;
    detail: string | null;
  }[];
  const pagesOf = db.prepare(
    `SELECT p.id, p.page_no, p.image_sha256, pr.status, pr.reason, pr.detail FROM pages p
     LEFT JOIN page_readings pr ON pr.page_id = p.id
       AND pr.version = (SELECT MAX(version) FROM page_readings x WHERE x.page_id = p.id)
     WHERE p.attachment_id = ? ORDER BY p.page_no`,
  );
  return {
    mail: {
      id: m.id,
      from: m.from_addr,
      subject: m.subject,
      receivedAt: m.received_at,
      dateHeader: m.date_header,
      messageId: m.message_id,
      status: m.status,
      reason: m.reason,
      error: m.error,
      late: m.late === 1,
      duplicateOf: m.duplicate_of,
    },
    attachments: atts.map((a) => ({
      id: a.id,
      parentId: a.parent_id,
      filename: a.filename,
      format: a.format,
      size: a.size,
      status: a.status,
      reason: a.reason,
      detail: a.detail,
      pages: (
        pagesOf.all(a.id) as {
          id: number;
          page_no: number;
          image_sha256: string | null;
          status: string | null;
          reason: string | null;
          detail: string | null;
        }[]
      ).map((p) => ({
        id: p.id,
        pageNo: p.page_no,
        hasImage: p.image_sha256 !== null,
        status: p.status,
        reason: p.reason,
        detail: p.detail,
        ballots: states.filter((s) => s.pageId === p.id).sort((x, y) => x.seq - y.seq),
      })),
    })),
  };
}
