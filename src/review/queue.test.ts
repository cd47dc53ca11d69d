import { describe, expect, it } from 'vitest';
import { seedMail } from '../../test/helpers/fixture-db.js';
import { loadElection } from '../election/load.js';
import { openDatabase } from '../store/db.js';
import { loadQueue } from './queue.js';

const election = loadElection('config/election-2023.json');

/** A page read as not_a_ballot with the recognizer's confidence (or with ballots and `reason`). */
function seedPage(
  db: ReturnType<typeof openDatabase>,
  confidence: number,
  detail: string,
  status: 'not_a_ballot' | 'ballots' = 'not_a_ballot',
  reason: string | null = null,
): number {
  const mailId = seedMail(db);
  const att = db
    .prepare(
      `INSERT INTO attachments (mail_id, part_path, filename, origin, size, sha256, status)
       VALUES (?, '1', 'photo.jpg', 'attachment', 10, ?, 'read')`,
    )
    .run(mailId, 'a'.repeat(63) + String(mailId % 10));
  const page = db
    .prepare('INSERT INTO pages (attachment_id, page_no) VALUES (?, 1)')
    .run(att.lastInsertRowid);
  db.prepare(
    `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, reason, detail, quality, created_at)
     VALUES (?, 1, 'test', ?, ?, ?, ?, ?, '2024-01-20T02:00:01.000Z')`,
  ).run(page.lastInsertRowid, election.hash, status, reason, detail, confidence);
  return Number(page.lastInsertRowid);
}

describe('review queue: pages the machine called "not a ballot"', () => {
  it('shows a page where a table was found but not read, and leaves out a page with no table', () => {
    const db = openDatabase(':memory:');
    const unreadTable = seedPage(db, 0.8, 'table rejected: serial numbers not read');
    seedPage(db, 0.95, 'no ruled table found');
    const pages = loadQueue(db, election, { state: 'open' }).entries.filter((e) => e.type === 'page');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ pageId: unreadTable, reasons: ['not_a_ballot'] });
  });
});

describe('review queue: a page with ballots read and another table not read', () => {
  it('lists the page so a person looks for the ballot the machine missed', () => {
    const db = openDatabase(':memory:');
    const missed = seedPage(db, 0.7, '["matches no ballot kind (2 rows)"]', 'ballots', 'unread_table');
    seedPage(db, 0.9, '', 'ballots', null);
    const pages = loadQueue(db, election, { state: 'open' }).entries.filter((e) => e.type === 'page');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ pageId: missed, reasons: ['unread_table'] });
  });
});
