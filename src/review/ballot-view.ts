import sharp from 'sharp';
import { type BallotState, ballotState } from '../store/ballot-state.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { MANUAL_METHOD } from '../store/page-decision.js';

/** One vote cell as the machine read it; the box is in the straightened ballot image. */
export interface CellReading {
  readonly number: number;
  readonly score: number;
  readonly decision: 'marked' | 'unmarked' | 'uncertain';
  readonly box: { x: number; y: number; width: number; height: number } | null;
  readonly note?: string;
}

export interface HistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: Record<string, unknown>;
}

/** Everything the ballot page shows, read in one place so the page itself stays a pure function. */
export interface BallotView {
  readonly state: BallotState;
  readonly reading: {
    readonly id: number;
    readonly version: number;
    readonly kind: string;
    readonly kindConfidence: number;
    readonly method: string;
    readonly confidence: number;
    readonly cells: readonly CellReading[];
    readonly marks: readonly number[];
    readonly notes: readonly string[];
    readonly region: readonly (readonly [number, number])[] | null;
    readonly imageSha: string | null;
    readonly verdictStatus: string;
    readonly verdictReason: string | null;
    readonly reviewReasons: readonly string[];
    readonly recognizerVersion: string;
    readonly createdAt: string;
  };
  readonly mail: {
    readonly id: number;
    readonly from: string | null;
    readonly subject: string | null;
    readonly receivedAt: string;
    readonly messageId: string | null;
  };
  readonly attachment: {
    readonly id: number;
    readonly filename: string | null;
    readonly format: string | null;
  };
  readonly page: {
    readonly id: number;
    readonly pageNo: number;
    readonly hasImage: boolean;
    readonly ballotsOnPage: number;
  };
  readonly image: { readonly width: number; readonly height: number } | null;
  readonly pageImage: { readonly width: number; readonly height: number } | null;
  readonly history: readonly HistoryEntry[];
}

function parse<T>(json: string | null, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

/**
 * Width and height of a stored image as a person sees it, upright: a phone photo stored sideways with
 * EXIF orientation 5–8 has its width and height swapped. The recognizer reports regions in these upright
 * coordinates, and the site serves the image upright (uprightImage), so outlines drawn in a viewBox of
 * this size line up. Null when the image is missing or not one sharp can read.
 */
export async function imageSize(
  blobs: BlobStore,
  sha: string | null,
): Promise<{ width: number; height: number } | null> {
  if (!sha || !blobs.has(sha)) return null;
  try {
    const m = await sharp(blobs.get(sha)).metadata();
    const { width, height } = m.autoOrient;
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}

export async function loadBallotView(
  db: Db,
  blobs: BlobStore,
  ballotId: number,
): Promise<BallotView | undefined> {
  const state = ballotState(db, ballotId);
  if (!state) return undefined;
  const r = db.prepare('SELECT * FROM ballot_readings WHERE id = ?').get(state.readingId) as {
    id: number;
    version: number;
    kind: string;
    kind_confidence: number;
    method: string;
    confidence: number;
    items_json: string;
    marks_json: string;
    notes_json: string;
    region_json: string | null;
    image_sha256: string | null;
    verdict_status: string;
    verdict_reason: string | null;
    review_reasons_json: string;
    recognizer_version: string;
    created_at: string;
  };
  const b = db
    .prepare(
      `SELECT b.page_id, b.attachment_id, m.id AS mail_id, m.from_addr, m.subject, m.received_at, m.message_id,
              a.filename, a.format, p.page_no, p.image_sha256 AS page_sha,
              (SELECT COUNT(*) FROM ballots x WHERE x.page_id = b.page_id) AS on_page
       FROM ballots b JOIN mails m ON m.id = b.mail_id JOIN attachments a ON a.id = b.attachment_id
       JOIN pages p ON p.id = b.page_id WHERE b.id = ?`,
    )
    .get(ballotId) as {
    page_id: number;
    attachment_id: number;
    mail_id: number;
    from_addr: string | null;
    subject: string | null;
    received_at: string;
    message_id: string | null;
    filename: string | null;
    format: string | null;
    page_no: number;
    page_sha: string | null;
    on_page: number;
  };
  const history = (
    db
      .prepare(
        `SELECT seq, at, actor, action, detail FROM audit WHERE subject_type = 'ballot' AND subject_id = ? ORDER BY seq`,
      )
      .all(ballotId) as { seq: number; at: string; actor: string; action: string; detail: string }[]
  ).map((h) => ({ ...h, detail: parse<Record<string, unknown>>(h.detail, {}) }));
  const region = parse<[number, number][] | null>(r.region_json, null);
  return {
    state,
    reading: {
      id: r.id,
      version: r.version,
      kind: r.kind,
      kindConfidence: r.kind_confidence,
      method: r.method,
      confidence: r.confidence,
      cells: parse<CellReading[]>(r.items_json, []),
      marks: parse<number[]>(r.marks_json, []),
      notes: parse<string[]>(r.notes_json, []),
      region: Array.isArray(region) && region.length >= 3 ? region : null,
      imageSha: r.image_sha256,
      verdictStatus: r.verdict_status,
      verdictReason: r.verdict_reason,
      reviewReasons: parse<string[]>(r.review_reasons_json, []),
      recognizerVersion: r.recognizer_version,
      createdAt: r.created_at,
    },
    mail: {
      id: b.mail_id,
      from: b.from_addr,
      subject: b.subject,
      receivedAt: b.received_at,
      messageId: b.message_id,
    },
    attachment: { id: b.attachment_id, filename: b.filename, format: b.format },
    page: { id: b.page_id, pageNo: b.page_no, hasImage: b.page_sha !== null, ballotsOnPage: b.on_page },
    image: await imageSize(blobs, r.image_sha256),
    // A ballot entered by hand has no straightened image of its own: the page is what the person read.
    pageImage: b.on_page > 1 || r.method === MANUAL_METHOD ? await imageSize(blobs, b.page_sha) : null,
    history,
  };
}
