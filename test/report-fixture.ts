/**
 * A database with one of everything a report shows, spread over four days of the vote
 * (Asia/Shanghai): valid, blank, overvote, in review, decided by a person, duplicate bytes,
 * a repeated mail, a late mail, a mail without ballot, a failed mail and an unreadable page.
 */
import type { Election } from '../src/election/election.js';
import { appendAudit } from '../src/store/audit.js';
import type { Db } from '../src/store/db.js';
import { seedBallots, seedMail } from './helpers/fixture-db.js';

/** A person's decision on a ballot, the way the review site records it. */
export function adjudicate(
  db: Db,
  ballotId: number,
  decision: { outcome: 'accept' | 'invalid'; marks?: number[]; reason?: string; at: Date },
): void {
  const reading = db
    .prepare('SELECT id, kind FROM ballot_readings WHERE ballot_id = ? ORDER BY version DESC LIMIT 1')
    .get(ballotId) as { id: number; kind: string };
  db.prepare(
    `INSERT INTO adjudications (ballot_id, ballot_reading_id, actor, outcome, kind, marks_json, verdict_status,
       verdict_reason, note, created_at)
     VALUES (?, ?, 'user:zhang', ?, ?, ?, ?, ?, NULL, ?)`,
  ).run(
    ballotId,
    reading.id,
    decision.outcome,
    reading.kind,
    decision.outcome === 'accept' ? JSON.stringify(decision.marks ?? []) : null,
    decision.outcome === 'accept' ? 'valid' : 'invalid',
    decision.outcome === 'invalid' ? (decision.reason ?? 'staff_invalid') : null,
    decision.at.toISOString(),
  );
  appendAudit(db, {
    actor: 'user:zhang',
    action: 'ballot.adjudicated',
    subjectType: 'ballot',
    subjectId: ballotId,
    detail: { outcome: decision.outcome },
    at: decision.at,
  });
}

/** A mail whose attachment page could not be read. */
function unreadablePage(db: Db, mailId: number, at: Date): void {
  const att = db
    .prepare(
      `INSERT INTO attachments (mail_id, part_path, filename, declared_type, format, origin, size, sha256, status)
       VALUES (?, 'u1', 'blurred.jpg', 'image/jpeg', 'jpeg', 'attachment', 10, ?, 'read')`,
    )
    .run(mailId, `unreadable-${mailId}`);
  const page = db
    .prepare('INSERT INTO pages (attachment_id, page_no) VALUES (?, 1)')
    .run(att.lastInsertRowid);
  db.prepare(
    `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, reason, created_at)
     VALUES (?, 1, 'test', 'x', 'unreadable', 'low_quality', ?)`,
  ).run(page.lastInsertRowid, at.toISOString());
}

/** Beijing wall clock → instant. */
const cst = (local: string): Date => new Date(`${local}+08:00`);
const plus = (d: Date, seconds: number): Date => new Date(d.getTime() + seconds * 1000);

export const FIXTURE_DAYS = ['2024-01-16', '2024-01-17', '2024-01-18', '2024-01-19'] as const;

export function seedReportFixture(db: Db, election: Election): { reviewBallot: number } {
  // Day 1: two good mails; one sheet carries both ballots.
  let t = cst('2024-01-16T10:00:00');
  const a = seedMail(db, { receivedAt: t });
  seedBallots(db, election, a, [
    { kind: 'projects', marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], readAt: plus(t, 5) },
    { kind: 'districts', marks: [1, 2, 3], readAt: plus(t, 5) },
  ]);
  t = cst('2024-01-16T23:30:00'); // still the 16th in Luohe, already the 16th 15:30 UTC
  const b = seedMail(db, { receivedAt: t });
  const [, bDistricts] = seedBallots(db, election, b, [
    { kind: 'projects', marks: [1, 2, 3, 16, 17], readAt: plus(t, 5) },
    { kind: 'districts', marks: [2], readAt: plus(t, 5) },
  ]);

  // Day 2: a blank and an overvote of each kind.
  t = cst('2024-01-17T09:00:00');
  const c = seedMail(db, { receivedAt: t });
  seedBallots(db, election, c, [{ kind: 'projects', marks: [], readAt: plus(t, 5) }]);
  const d = seedMail(db, { receivedAt: cst('2024-01-17T11:00:00') });
  seedBallots(db, election, d, [
    { kind: 'projects', marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], readAt: cst('2024-01-17T11:00:05') },
    { kind: 'districts', marks: [1, 2, 3, 4], readAt: cst('2024-01-17T11:00:05') },
  ]);

  // Day 3: one ballot left in review, one sent to review and then decided by a person,
  // duplicate bytes, and a whole mail sent twice.
  t = cst('2024-01-18T08:00:00');
  const e = seedMail(db, { receivedAt: t });
  const [reviewBallot] = seedBallots(db, election, e, [
    { kind: 'projects', marks: [5], uncertain: [6], readAt: plus(t, 5) },
  ]);
  const f = seedMail(db, { receivedAt: cst('2024-01-18T09:00:00') });
  const [personBallot] = seedBallots(db, election, f, [
    { kind: 'districts', marks: [5], uncertain: [6], readAt: cst('2024-01-18T09:00:05') },
  ]);
  adjudicate(db, personBallot as number, {
    outcome: 'accept',
    marks: [5, 6],
    at: cst('2024-01-19T10:00:00'),
  });
  adjudicate(db, bDistricts as number, { outcome: 'invalid', at: cst('2024-01-19T10:05:00') });
  const g = seedMail(db, { receivedAt: cst('2024-01-18T12:00:00') });
  seedBallots(db, election, g, [
    { kind: 'projects', marks: [1], duplicate: true, readAt: cst('2024-01-18T12:00:05') },
  ]);
  const h = seedMail(db, { receivedAt: cst('2024-01-18T13:00:00'), duplicateOf: a });
  seedBallots(db, election, h, [
    { kind: 'projects', marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], readAt: cst('2024-01-18T13:00:05') },
  ]);

  // Day 4: nothing usable arrives.
  const i = seedMail(db, { receivedAt: cst('2024-01-19T09:00:00'), reason: 'no_ballot' });
  unreadablePage(db, i, cst('2024-01-19T09:00:05'));
  seedMail(db, { receivedAt: cst('2024-01-19T15:00:00'), status: 'failed', reason: 'processing_failed' });

  // After the deadline (2024-01-23 24:00 in Luohe).
  t = cst('2024-01-24T09:00:00');
  const late = seedMail(db, { receivedAt: t, late: true });
  seedBallots(db, election, late, [{ kind: 'districts', marks: [2], readAt: plus(t, 5) }]);
  return { reviewBallot: reviewBallot as number };
}

/** A deterministic pseudo-random sequence (mulberry32), so a busy fixture is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Many ballots over the eight days of the vote, with popular and unpopular items, for looking
 * at the printed report the way officials will see it mid-vote.
 */
export function seedBusyVote(db: Db, election: Election, mails: number, seed = 2024): void {
  const rnd = random(seed);
  const pick = (count: number, weights: number[]): number[] => {
    const chosen = new Set<number>();
    while (chosen.size < count) {
      let r = rnd() * weights.reduce((s, w) => s + w, 0);
      let i = 0;
      while (r > (weights[i] ?? 0)) r -= weights[i++] ?? 0;
      chosen.add(i + 1);
    }
    return [...chosen].sort((x, y) => x - y);
  };
  const projectWeights = Array.from({ length: 39 }, (_, i) => 1 + ((i * 7919) % 13) + (i < 15 ? 4 : 0));
  const districtWeights = [9, 5, 7, 8, 6, 3, 2, 2];
  db.transaction(() => {
    for (let m = 0; m < mails; m++) {
      // More mail towards the deadline, as with every vote.
      const day = Math.min(7, Math.floor(Math.sqrt(rnd()) * 8));
      const at = new Date(Date.parse('2024-01-16T00:00:00+08:00') + day * 86_400_000 + rnd() * 86_000_000);
      const id = seedMail(db, { receivedAt: at });
      const readAt = new Date(at.getTime() + 5000);
      const u = rnd();
      const projects =
        u < 0.04 ? [] : u < 0.08 ? pick(12, projectWeights) : pick(u < 0.2 ? 6 : 10, projectWeights);
      const v = rnd();
      const districts =
        v < 0.03 ? [] : v < 0.06 ? pick(4, districtWeights) : pick(v < 0.2 ? 2 : 3, districtWeights);
      seedBallots(db, election, id, [
        rnd() < 0.05
          ? { kind: 'projects', marks: projects.slice(0, 5), uncertain: [38], readAt }
          : { kind: 'projects', marks: projects, readAt },
        { kind: 'districts', marks: districts, readAt },
      ]);
    }
  })();
}
