import { readFileSync } from 'node:fs';
import type { Election } from '../election/election.js';
import { localDay } from '../election/zoned-time.js';
import { RECOGNIZER_VERSION } from '../recognize/recognizer.js';
import { GENESIS_HASH } from '../store/audit.js';
import { ballotStates } from '../store/ballot-state.js';
import type { Db } from '../store/db.js';
import { computeTally } from '../store/tally.js';
import { rankItems } from './ranking.js';
import type { IntakeDay, KindSection, PagesSummary, ReasonCount, ReportData } from './report-data.js';

/** src/report and dist/report both sit two folders below package.json. */
function softwareVersion(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return { name: pkg.name ?? 'ballot-inbox', version: pkg.version ?? 'unknown' };
  } catch {
    // A report must still be written from an unusual install; the provenance then says so.
    return { name: 'ballot-inbox', version: 'unknown' };
  }
}

function countBy<T>(list: readonly T[], key: (t: T) => string[]): ReasonCount[] {
  const m = new Map<string, number>();
  for (const t of list) for (const k of key(t)) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

/** Every day from `first` to `last` (YYYY-MM-DD, inclusive); calendar arithmetic in UTC is exact for dates. */
function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Read what the report shows, as of `at`. Ballot numbers come from `computeTally` (the same
 * count as `tally --json`); the extra breakdowns come from `ballotStates` at the same moment,
 * so a report for a past moment sees only mail that had arrived and decisions made by then.
 */
export function gatherReport(
  db: Db,
  election: Election,
  options: { at: Date; generatedAt: Date },
): ReportData {
  const { at, generatedAt } = options;
  const atIso = at.toISOString();
  // One read transaction: the daemon may write while we read, and the numbers must agree with each other.
  return db.transaction(() => {
    const tally = computeTally(db, election, at);
    const states = ballotStates(db, { at });

    const kinds: KindSection[] = election.ballots.map((b) => {
      const t = tally[b.kind];
      if (!t) throw new Error(`computeTally returned no entry for ballot kind ${b.kind}`);
      const mine = states.filter((s) => s.kind === b.kind && s.status !== 'not_a_ballot');
      const duplicate = mine.filter((s) => s.duplicate || s.mailDuplicate).length;
      const late = mine.filter((s) => s.late && !s.duplicate && !s.mailDuplicate).length;
      const counted = mine.filter((s) => s.counts);
      const waiting = mine.filter(
        (s) => s.status === 'review' && !s.duplicate && !s.mailDuplicate && !s.late,
      );
      const oldest = waiting.map((s) => s.receivedAt).sort()[0] ?? null;
      return {
        kind: b.kind,
        label: b.label,
        title: b.title,
        maxMarks: b.maxMarks,
        highlightTop: b.highlightTop,
        ranking: rankItems(b, t),
        ballots: {
          ...t.ballots,
          duplicate,
          late,
          total: t.ballots.valid + t.ballots.invalid + t.ballots.review + duplicate + late,
        },
        invalidByReason: Object.entries(t.invalid_by_reason).map(([code, count]) => ({ code, count })),
        decidedBy: {
          machine: counted.filter((s) => s.decidedBy === 'machine').length,
          person: counted.filter((s) => s.decidedBy === 'person').length,
        },
        review: {
          count: t.ballots.review,
          oldestReceivedAt: oldest,
          byReason: countBy(waiting, (s) => (s.reviewReasons.length > 0 ? s.reviewReasons : ['unknown'])),
        },
      };
    });

    const mailRows = db
      .prepare(
        `SELECT received_at, late, duplicate_of IS NOT NULL AS dup, status FROM mails WHERE received_at <= ?`,
      )
      .all(atIso) as { received_at: string; late: number; dup: number; status: string }[];
    const mailsPending = mailRows.filter((m) => m.status === 'pending').length;

    const byDay = new Map<string, IntakeDay>();
    const dayOf = (iso: string): IntakeDay => {
      const day = localDay(new Date(iso), election.timeZone);
      let d = byDay.get(day);
      if (!d) {
        d = {
          day,
          mails: 0,
          lateMails: 0,
          duplicateMails: 0,
          ballots: Object.fromEntries(election.ballots.map((b) => [b.kind, 0])),
        };
        byDay.set(day, d);
      }
      return d;
    };
    for (const m of mailRows) {
      const d = dayOf(m.received_at) as { mails: number; lateMails: number; duplicateMails: number };
      d.mails++;
      if (m.late) d.lateMails++;
      if (m.dup) d.duplicateMails++;
    }
    for (const s of states) {
      if (s.status === 'not_a_ballot' || s.duplicate || s.mailDuplicate) continue;
      const perKind = dayOf(s.receivedAt).ballots as Record<string, number>;
      if (s.kind in perKind) perKind[s.kind] = (perKind[s.kind] ?? 0) + 1;
    }
    const seen = [...byDay.keys()].sort();
    const intake: IntakeDay[] =
      seen.length === 0
        ? []
        : daysBetween(seen[0] as string, seen[seen.length - 1] as string).map(
            (day) =>
              byDay.get(day) ?? {
                day,
                mails: 0,
                lateMails: 0,
                duplicateMails: 0,
                ballots: Object.fromEntries(election.ballots.map((b) => [b.kind, 0])),
              },
          );

    const pageRows = db
      .prepare(
        `SELECT pr.status AS status, COUNT(*) AS n
         FROM pages p
         JOIN attachments a ON a.id = p.attachment_id
         JOIN mails m ON m.id = a.mail_id
         LEFT JOIN page_readings pr ON pr.page_id = p.id AND pr.version = (
           SELECT MAX(x.version) FROM page_readings x WHERE x.page_id = p.id AND x.created_at <= @at)
         WHERE m.received_at <= @at
         GROUP BY pr.status`,
      )
      .all({ at: atIso }) as { status: string | null; n: number }[];
    const pageCount = (s: string | null): number => pageRows.find((r) => r.status === s)?.n ?? 0;
    const pages: PagesSummary = {
      total: pageRows.reduce((sum, r) => sum + r.n, 0),
      withBallots: pageCount('ballots'),
      notABallot: pageCount('not_a_ballot'),
      unreadable: pageCount('unreadable'),
      unread: pageCount(null),
    };

    const rejectedAttachments = db
      .prepare(
        `SELECT COALESCE(a.reason, 'unknown') AS code, COUNT(*) AS count
         FROM attachments a JOIN mails m ON m.id = a.mail_id
         WHERE a.status = 'rejected' AND m.received_at <= ?
         GROUP BY code ORDER BY count DESC, code`,
      )
      .all(atIso) as ReasonCount[];

    const versionOf = db.prepare('SELECT recognizer_version AS v FROM ballot_readings WHERE id = ?').pluck();
    const versions = countBy(
      states.filter((s) => s.status !== 'not_a_ballot'),
      (s) => [String(versionOf.get(s.readingId) ?? 'unknown')],
    );

    const head = db
      .prepare('SELECT seq, hash FROM audit WHERE at <= ? ORDER BY seq DESC LIMIT 1')
      .get(atIso) as { seq: number; hash: string } | undefined;

    return {
      election: {
        id: election.id,
        title: election.title,
        organizer: election.organizer,
        timeZone: election.timeZone,
        closesAt: election.closesAt,
        closesAtText: election.closesAtText,
      },
      kinds,
      mails: tally.mails,
      mailsPending,
      rejectedAttachments,
      pages,
      intake,
      provenance: {
        generatedAt,
        at,
        auditHead: head ?? { seq: 0, hash: GENESIS_HASH },
        electionId: election.id,
        electionHash: election.hash,
        recognizerVersions: versions.map((v) => ({ version: v.code, ballots: v.count })),
        currentRecognizer: RECOGNIZER_VERSION,
        software: softwareVersion(),
      },
      tally,
    };
  })();
}
