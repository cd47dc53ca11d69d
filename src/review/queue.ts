import type { Election } from '../election/election.js';
import { parseZonedDateTime } from '../election/zoned-time.js';
import { ballotStates } from '../store/ballot-state.js';
import type { Db } from '../store/db.js';
import { POSSIBLE_BALLOT_BELOW } from './page-rule.js';

/** SQL: page `p` has no standing staff decision (page-decision.ts); a withdrawn one ('machine') does not count. */
const PAGE_UNDECIDED = `COALESCE((SELECT d.outcome FROM page_decisions d WHERE d.page_id = p.id ORDER BY d.id DESC LIMIT 1), 'machine') = 'machine'`;

/** Everything a person may need to look at: ballots the machine doubted or rejected, and intake that failed. */
export type QueueEntry =
  | {
      readonly type: 'ballot';
      readonly ballotId: number;
      readonly mailId: number;
      readonly kind: string;
      readonly status: 'valid' | 'invalid' | 'review' | 'not_a_ballot';
      readonly reasons: readonly string[];
      readonly decidedBy: 'machine' | 'person';
      /** 'user:<name>' of the latest staff decision, when a person decided. */
      readonly actor: string | null;
      readonly certainty: number;
      readonly receivedAt: string;
      readonly from: string | null;
      readonly late: boolean;
      readonly duplicate: boolean;
    }
  | {
      readonly type: 'page';
      readonly pageId: number;
      readonly pageNo: number;
      readonly mailId: number;
      readonly reasons: readonly string[];
      readonly detail: string | null;
      readonly filename: string | null;
      readonly certainty: number;
      readonly receivedAt: string;
      readonly from: string | null;
    }
  | {
      readonly type: 'attachment';
      readonly attachmentId: number;
      readonly mailId: number;
      readonly reasons: readonly string[];
      readonly detail: string | null;
      readonly filename: string | null;
      readonly certainty: number;
      readonly receivedAt: string;
      readonly from: string | null;
    }
  | {
      readonly type: 'mail';
      readonly mailId: number;
      readonly reasons: readonly string[];
      readonly detail: string | null;
      readonly subject: string | null;
      readonly certainty: number;
      readonly receivedAt: string;
      readonly from: string | null;
    };

export type QueueType = QueueEntry['type'];
export const QUEUE_TYPES: readonly QueueType[] = ['ballot', 'page', 'attachment', 'mail'];

export interface QueueFilter {
  /** open: what still needs a person; decided: ballots staff already decided. */
  readonly state: 'open' | 'decided';
  readonly type?: QueueType;
  readonly kind?: string;
  readonly reason?: string;
  /** Calendar days (YYYY-MM-DD) in the election's time zone, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

export interface Queue {
  readonly entries: readonly QueueEntry[];
  /** Per type, before the type filter, so the counts at the top stay put while staff switch type. */
  readonly counts: Readonly<Record<QueueType, number>>;
  readonly truncated: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayBounds(filter: QueueFilter, election: Election): { from: string; to: string } {
  const from =
    filter.from && DAY.test(filter.from)
      ? parseZonedDateTime(`${filter.from}T00:00:00`, election.timeZone)
      : null;
  const to =
    filter.to && DAY.test(filter.to) ? parseZonedDateTime(`${filter.to}T24:00:00`, election.timeZone) : null;
  return { from: from?.toISOString() ?? '0000', to: to?.toISOString() ?? '9999' };
}

export const QUEUE_LIMIT = 500;

/**
 * The queue, least certain first (machine confidence for ballots; intake failures count as 0:
 * nothing was read at all), then oldest first. Ballots staff already decided leave the open queue.
 */
export function loadQueue(db: Db, election: Election, filter: QueueFilter, limit = QUEUE_LIMIT): Queue {
  const { from, to } = dayBounds(filter, election);
  const inRange = (iso: string) => iso >= from && iso < to;
  const all: QueueEntry[] = [];

  const where =
    filter.state === 'decided'
      ? 'by_person = 1'
      : `by_person = 0 AND status IN ('review', 'invalid') AND duplicate = 0`;
  const states = ballotStates(db, { where });
  const mailInfo = new Map<number, { from_addr: string | null; subject: string | null }>();
  const mailOf = (id: number) => {
    let m = mailInfo.get(id);
    if (!m) {
      m = db.prepare('SELECT from_addr, subject FROM mails WHERE id = ?').get(id) as {
        from_addr: string | null;
        subject: string | null;
      };
      mailInfo.set(id, m);
    }
    return m;
  };
  for (const s of states) {
    if (!inRange(s.receivedAt)) continue;
    const reasons = s.status === 'review' ? s.reviewReasons : s.reason ? [s.reason] : [];
    all.push({
      type: 'ballot',
      ballotId: s.ballotId,
      mailId: s.mailId,
      kind: s.kind,
      status: s.status,
      reasons: filter.state === 'decided' && s.reason ? [s.reason] : reasons,
      decidedBy: s.decidedBy,
      actor:
        s.decidedBy === 'person' && s.adjudicationId !== null
          ? ((
              db.prepare('SELECT actor FROM adjudications WHERE id = ?').get(s.adjudicationId) as
                { actor: string } | undefined
            )?.actor ?? null)
          : null,
      certainty: s.confidence,
      receivedAt: s.receivedAt,
      from: mailOf(s.mailId).from_addr,
      late: s.late || s.mailDuplicate,
      duplicate: s.duplicate,
    });
  }

  if (filter.state === 'open') {
    const pages = db
      .prepare(
        `SELECT p.id, p.page_no, a.mail_id, a.filename, pr.status, pr.quality,
                COALESCE(pr.reason, CASE WHEN pr.status = 'not_a_ballot' THEN 'not_a_ballot' END) AS reason,
                pr.detail, m.received_at, m.from_addr
         FROM pages p
         JOIN page_readings pr ON pr.page_id = p.id
           AND pr.version = (SELECT MAX(version) FROM page_readings x WHERE x.page_id = p.id)
         JOIN attachments a ON a.id = p.attachment_id
         JOIN mails m ON m.id = a.mail_id
         WHERE (pr.status = 'unreadable'
                -- The rule of pageGoesToPerson (page-rule.ts). The recognizer found a ruled table it could
                -- not read as a ballot (a blurred photo, a cut table): a person looks, so that no ballot
                -- disappears as "not a ballot" unseen.
                OR (pr.status = 'not_a_ballot' AND COALESCE(pr.quality, 0) < ${POSSIBLE_BALLOT_BELOW})
                -- Ballots were read on the page, but another table on it was not (cut by the frame,
                -- too blurred): a person looks for the ballot the machine missed.
                OR (pr.status = 'ballots' AND pr.reason = 'unread_table'))
           -- A person entered the ballots on it, or confirmed it holds none: handled.
           AND ${PAGE_UNDECIDED}
           AND m.received_at >= ? AND m.received_at < ?`,
      )
      .all(from, to) as {
      status: string;
      quality: number | null;
      id: number;
      page_no: number;
      mail_id: number;
      filename: string | null;
      reason: string | null;
      detail: string | null;
      received_at: string;
      from_addr: string | null;
    }[];
    for (const p of pages)
      all.push({
        type: 'page',
        pageId: p.id,
        pageNo: p.page_no,
        mailId: p.mail_id,
        reasons: [p.reason ?? 'unreadable'],
        detail: p.detail,
        filename: p.filename,
        certainty: p.status === 'unreadable' ? 0 : (p.quality ?? 0),
        receivedAt: p.received_at,
        from: p.from_addr,
      });

    const atts = db
      .prepare(
        `SELECT a.id, a.mail_id, a.filename, a.reason, a.detail, m.received_at, m.from_addr
         FROM attachments a JOIN mails m ON m.id = a.mail_id
         WHERE a.status = 'rejected' AND m.received_at >= ? AND m.received_at < ?`,
      )
      .all(from, to) as {
      id: number;
      mail_id: number;
      filename: string | null;
      reason: string | null;
      detail: string | null;
      received_at: string;
      from_addr: string | null;
    }[];
    for (const a of atts)
      all.push({
        type: 'attachment',
        attachmentId: a.id,
        mailId: a.mail_id,
        reasons: [a.reason ?? 'unsupported_format'],
        detail: a.detail,
        filename: a.filename,
        certainty: 0,
        receivedAt: a.received_at,
        from: a.from_addr,
      });

    const mails = db
      .prepare(
        `SELECT id, status, reason, error, subject, received_at, from_addr FROM mails
         WHERE (status = 'failed'
                -- A mail without ballots stays until a person has decided every page it brought.
                OR (reason = 'no_ballot' AND (NOT EXISTS (SELECT 1 FROM pages p JOIN attachments a ON a.id = p.attachment_id WHERE a.mail_id = mails.id)
                  OR EXISTS (SELECT 1 FROM pages p JOIN attachments a ON a.id = p.attachment_id WHERE a.mail_id = mails.id AND ${PAGE_UNDECIDED}))))
           AND received_at >= ? AND received_at < ?`,
      )
      .all(from, to) as {
      id: number;
      status: string;
      reason: string | null;
      error: string | null;
      subject: string | null;
      received_at: string;
      from_addr: string | null;
    }[];
    for (const m of mails)
      all.push({
        type: 'mail',
        mailId: m.id,
        reasons: [m.reason ?? (m.status === 'failed' ? 'processing_failed' : 'no_ballot')],
        detail: m.error,
        subject: m.subject,
        certainty: 0,
        receivedAt: m.received_at,
        from: m.from_addr,
      });
  }

  const matches = (e: QueueEntry) =>
    (!filter.kind || (e.type === 'ballot' && e.kind === filter.kind)) &&
    (!filter.reason || e.reasons.includes(filter.reason));
  const filtered = all.filter(matches);
  const counts: Record<QueueType, number> = { ballot: 0, page: 0, attachment: 0, mail: 0 };
  for (const e of filtered) counts[e.type]++;
  const shown = filtered
    .filter((e) => !filter.type || e.type === filter.type)
    .sort(
      (a, b) =>
        a.certainty - b.certainty ||
        (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0) ||
        entryKey(a).localeCompare(entryKey(b)),
    );
  return { entries: shown.slice(0, limit), counts, truncated: shown.length > limit };
}

export function entryKey(e: QueueEntry): string {
  switch (e.type) {
    case 'ballot':
      return `b${e.ballotId}`;
    case 'page':
      return `p${e.pageId}`;
    case 'attachment':
      return `a${e.attachmentId}`;
    case 'mail':
      return `m${e.mailId}`;
  }
}

/** The ballots before and after one in the queue order, for J/K and "next after deciding". */
export function neighbours(queue: Queue, ballotId: number): { prev: number | null; next: number | null } {
  const ids = queue.entries.flatMap((e) => (e.type === 'ballot' ? [e.ballotId] : []));
  const i = ids.indexOf(ballotId);
  if (i < 0) return { prev: null, next: ids[0] ?? null };
  return { prev: ids[i - 1] ?? null, next: ids[i + 1] ?? null };
}

/** Filter from a query string; anything unexpected is ignored rather than refused. */
export function parseFilter(q: Record<string, unknown>, election: Election): QueueFilter {
  const str = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const type = str('type');
  const kind = str('kind');
  const reason = str('reason');
  const from = str('from');
  const to = str('to');
  return {
    state: str('state') === 'decided' ? 'decided' : 'open',
    ...(type && (QUEUE_TYPES as readonly string[]).includes(type) ? { type: type as QueueType } : {}),
    ...(kind && election.ballots.some((b) => b.kind === kind) ? { kind } : {}),
    ...(reason && /^[a-z_]{1,40}$/.test(reason) ? { reason } : {}),
    ...(from && DAY.test(from) ? { from } : {}),
    ...(to && DAY.test(to) ? { to } : {}),
  };
}

export function filterQuery(f: QueueFilter): string {
  const p = new URLSearchParams();
  if (f.state !== 'open') p.set('state', f.state);
  if (f.type) p.set('type', f.type);
  if (f.kind) p.set('kind', f.kind);
  if (f.reason) p.set('reason', f.reason);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  return p.toString();
}
