import { describe, expect, it } from 'vitest';
import { seedMail } from '../../test/helpers/fixture-db.js';
import { loadElection } from '../election/load.js';
import { openDatabase } from '../store/db.js';
import type { PageReading } from '../recognize/reading.js';
import { insertPageReading } from '../store/record-mail.js';
import { pageGoesToPerson } from './page-rule.js';
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

describe('review queue: the pages it lists are those pageGoesToPerson names', () => {
  it('agrees with the TypeScript rule (which the bench uses) for every kind of page reading', () => {
    const db = openDatabase(':memory:');
    const readings: PageReading[] = [
      { status: 'unreadable', reason: 'corrupt_file', detail: 'bad' },
      { status: 'not_a_ballot', confidence: 0.8, notes: ['table rejected'] },
      { status: 'not_a_ballot', confidence: 0.95, notes: ['no ruled table found'] },
      { status: 'ballots', ballots: [], quality: 0.9 },
      { status: 'ballots', ballots: [], quality: 0.9, unreadTables: ['only 2 x 0 ruling lines'] },
    ];
    const pageIds = readings.map((reading) => {
      // A page row for each, its reading stored the way the worker stores it.
      const pageId = seedPage(db, 1, '', 'ballots');
      db.prepare('DELETE FROM page_readings WHERE page_id = ?').run(pageId);
      insertPageReading(db, {
        pageId,
        version: 1,
        page: { pageNo: 1, imageSha256: null, reading, ms: 1, ballots: [] },
        stamp: { recognizerVersion: 'test', electionHash: election.hash },
        now: '2024-01-20T02:00:01.000Z',
        existingBallots: new Map(),
        newBallot: () => {
          throw new Error('no ballots here');
        },
        actor: 'test',
      });
      return pageId;
    });
    const listed = new Set(
      loadQueue(db, election, { state: 'open' })
        .entries.filter((e) => e.type === 'page')
        .map((e) => (e.type === 'page' ? e.pageId : 0)),
    );
    expect(pageIds.map((id) => listed.has(id))).toEqual(readings.map(pageGoesToPerson));
  });
});
