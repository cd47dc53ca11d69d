import { type BallotState, ballotStates } from '../store/ballot-state.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { type PageDecisionRow, latestPageDecision } from '../store/page-decision.js';
import { type HistoryEntry, imageSize } from './ballot-view.js';

/** One page of an attachment, as staff see it when they enter the ballots on it by hand (or say there are none). */
export interface PageView {
  readonly page: {
    readonly id: number;
    readonly pageNo: number;
    readonly hasImage: boolean;
  };
  /** Upright size of the page image (EXIF orientation applied), or null without an image. */
  readonly image: { readonly width: number; readonly height: number } | null;
  readonly attachment: {
    readonly id: number;
    readonly filename: string | null;
    readonly format: string | null;
    readonly status: string;
  };
  readonly mail: {
    readonly id: number;
    readonly from: string | null;
    readonly subject: string | null;
    readonly receivedAt: string;
    readonly late: boolean;
    readonly duplicateOf: number | null;
  };
  /** The latest machine reading of the page. */
  readonly reading: {
    readonly id: number;
    readonly version: number;
    readonly status: string;
    readonly reason: string | null;
    readonly detail: string | null;
    readonly quality: number | null;
    readonly recognizerVersion: string;
  } | null;
  /** Every ballot on the page, found by the machine or entered by staff, in page order. */
  readonly ballots: readonly BallotState[];
  readonly decision: PageDecisionRow | null;
  /** The page's audit entries and those of the ballots on it, oldest first. */
  readonly history: readonly (HistoryEntry & { readonly subject: string })[];
}

export async function loadPageView(db: Db, blobs: BlobStore, pageId: number): Promise<PageView | undefined> {
  const p = db
    .prepare(
      `SELECT p.id, p.page_no, p.image_sha256, a.id AS attachment_id, a.filename, a.format, a.status AS attachment_status,
              m.id AS mail_id, m.from_addr, m.subject, m.received_at, m.late, m.duplicate_of
       FROM pages p JOIN attachments a ON a.id = p.attachment_id JOIN mails m ON m.id = a.mail_id
       WHERE p.id = ?`,
    )
    .get(pageId) as
    | {
        id: number;
        page_no: number;
        image_sha256: string | null;
        attachment_id: number;
        filename: string | null;
        format: string | null;
        attachment_status: string;
        mail_id: number;
        from_addr: string | null;
        subject: string | null;
        received_at: string;
        late: number;
        duplicate_of: number | null;
      }
    | undefined;
  if (!p) return undefined;
  const r = db
    .prepare(
      `SELECT id, version, status, reason, detail, quality, recognizer_version FROM page_readings
       WHERE page_id = ? ORDER BY version DESC LIMIT 1`,
    )
    .get(pageId) as
    | {
        id: number;
        version: number;
        status: string;
        reason: string | null;
        detail: string | null;
        quality: number | null;
        recognizer_version: string;
      }
    | undefined;
  const ballots = ballotStates(db, { where: 'page_id = @p', params: { p: pageId } }).sort(
    (x, y) => x.seq - y.seq,
  );
  const ids = ballots.map((b) => b.ballotId);
  const history = (
    db
      .prepare(
        `SELECT seq, at, actor, action, subject_type, subject_id, detail FROM audit
         WHERE (subject_type = 'page' AND subject_id = ?)
            OR (subject_type = 'ballot' AND subject_id IN (SELECT value FROM json_each(?)))
         ORDER BY seq`,
      )
      .all(pageId, JSON.stringify(ids)) as {
      seq: number;
      at: string;
      actor: string;
      action: string;
      subject_type: string;
      subject_id: number | null;
      detail: string;
    }[]
  ).map((h) => ({
    seq: h.seq,
    at: h.at,
    actor: h.actor,
    action: h.action,
    subject: `${h.subject_type} #${h.subject_id ?? ''}`,
    detail: parseDetail(h.detail),
  }));
  return {
    page: { id: p.id, pageNo: p.page_no, hasImage: p.image_sha256 !== null },
    image: await imageSize(blobs, p.image_sha256),
    attachment: {
      id: p.attachment_id,
      filename: p.filename,
      format: p.format,
      status: p.attachment_status,
    },
    mail: {
      id: p.mail_id,
      from: p.from_addr,
      subject: p.subject,
      receivedAt: p.received_at,
      late: p.late === 1,
      duplicateOf: p.duplicate_of,
    },
    reading: r
      ? {
          id: r.id,
          version: r.version,
          status: r.status,
          reason: r.reason,
          detail: r.detail,
          quality: r.quality,
          recognizerVersion: r.recognizer_version,
        }
      : null,
    ballots,
    decision: latestPageDecision(db, pageId) ?? null,
    history,
  };
}

function parseDetail(json: string): Record<string, unknown> {
  try {
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return {};
  }
}
