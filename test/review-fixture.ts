/**
 * A review-site world for the tests: a database with ballots the machine doubted or rejected,
 * failed intake, real PNG images in the blob store, and two staff accounts.
 */
import sharp from 'sharp';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BallotKind, Election } from '../src/election/election.js';
import { loadElection } from '../src/election/load.js';
import { hashPassword } from '../src/review/password.js';
import type { ReviewDeps } from '../src/review/routes.js';
import { createLogger } from '../src/log/logger.js';
import { BlobStore } from '../src/store/blobs.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { createUser } from '../src/store/users.js';
import { seedBallots, seedMail, seedUnreadPage } from './helpers/fixture-db.js';

export const PASSWORDS = { alice: 'alice-password-1', root: 'root-password-12' } as const;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * A straightened ballot as the recognizer would store it, drawn so its vote cells sit exactly
 * where fixture-db.ts puts the boxes (x 10, y 10 + 20·n, 30×18): ticks in marked cells, a faint
 * stroke in uncertain ones.
 */
export async function ballotPng(kind: BallotKind, marked: number[], faint: number[] = []): Promise<Buffer> {
  const width = 460;
  const height = 10 + 20 * (kind.items.length + 1) + 20;
  const rows = kind.items.map((it) => {
    const y = 10 + 20 * it.number;
    const tick = marked.includes(it.number)
      ? `<path d="M 16 ${y + 9} l 6 6 l 12 -14" stroke="#1a1a8c" stroke-width="3" fill="none"/>`
      : faint.includes(it.number)
        ? `<path d="M 18 ${y + 10} l 4 4 l 8 -9" stroke="#9a9ac8" stroke-width="1.2" fill="none"/>`
        : '';
    return `<rect x="10" y="${y}" width="30" height="18" fill="none" stroke="#333" stroke-width="1"/>
      <text x="48" y="${y + 14}" font-size="13" font-family="Noto Sans CJK SC" fill="#111">${it.number}. ${esc(it.name)}</text>${tick}`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#fbfaf5"/>
    <text x="10" y="22" font-size="13" font-weight="bold" font-family="Noto Sans CJK SC">${esc(kind.title)}</text>
    ${rows.join('\n')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export interface ReviewWorld {
  readonly dir: string;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly election: Election;
  readonly deps: ReviewDeps;
  /** Ballot ids by role in the story. */
  readonly ballots: {
    /** Projects ballot: 5 marked, 6 uncertain; the machine asks a person. */
    readonly faint: number;
    /** Districts ballot the machine could not place (lowest confidence). */
    readonly unsure: number;
    /** Projects ballot with 11 ticks: invalid (overvote). */
    readonly overvote: number;
    /** Two tables on one sheet: the districts one is in review. */
    readonly sheetProjects: number;
    readonly sheetDistricts: number;
  };
  readonly mails: { readonly failed: number; readonly sheet: number };
}

/** Give a ballot a newer reading that knows where its table lies on the page (as a re-read would). */
function addRegion(db: Db, ballotId: number, region: [number, number][]): void {
  db.prepare(
    `INSERT INTO ballot_readings (ballot_id, page_reading_id, version, recognizer_version, election_hash, kind,
       kind_confidence, method, confidence, items_json, marks_json, doubts_json, notes_json, region_json, evidence_json,
       image_sha256, verdict_status, verdict_reason, review_reasons_json, created_at)
     SELECT ballot_id, page_reading_id, version + 1, recognizer_version, election_hash, kind, kind_confidence, method,
       confidence, items_json, marks_json, doubts_json, notes_json, ?, evidence_json, image_sha256, verdict_status,
       verdict_reason, review_reasons_json, created_at
     FROM ballot_readings WHERE ballot_id = ? ORDER BY version DESC LIMIT 1`,
  ).run(JSON.stringify(region), ballotId);
}

export async function makeReviewWorld(): Promise<ReviewWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'review-'));
  const db = openDatabase(join(dir, 'ballot-inbox.db'));
  const blobs = new BlobStore(join(dir, 'blobs'));
  const election = loadElection('config/election-2023.json');
  const projects = election.ballots.find((b) => b.kind === 'projects')!;
  const districts = election.ballots.find((b) => b.kind === 'districts')!;

  const faintPng = blobs.put(await ballotPng(projects, [5], [6]));
  const m1 = seedMail(db, {
    from: '王秀英 <wang.xiuying@163.com>',
    subject: '民生实事投票',
    receivedAt: new Date('2024-01-18T03:12:00Z'),
  });
  const [faint] = seedBallots(db, election, m1, [
    { kind: 'projects', marks: [5], uncertain: [6], confidence: 0.62, imageSha256: faintPng },
  ]);

  const unsurePng = blobs.put(await ballotPng(districts, [2], [3]));
  const m2 = seedMail(db, {
    from: 'li.ming@qq.com',
    subject: '县区选票',
    receivedAt: new Date('2024-01-19T08:40:00Z'),
  });
  const [unsure] = seedBallots(db, election, m2, [
    {
      kind: 'districts',
      marks: [2],
      uncertain: [3],
      doubts: ['row_unplaced'],
      confidence: 0.41,
      imageSha256: unsurePng,
    },
  ]);

  const overPng = blobs.put(await ballotPng(projects, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
  const m3 = seedMail(db, {
    from: 'zhao@126.com',
    subject: '投票',
    receivedAt: new Date('2024-01-20T01:00:00Z'),
  });
  const [overvote] = seedBallots(db, election, m3, [
    { kind: 'projects', marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], confidence: 0.93, imageSha256: overPng },
  ]);

  // One sheet with both tables: the page raster shows both, each ballot knows its region.
  const sheetP = await ballotPng(projects, [1, 3, 12]);
  const sheetD = await ballotPng(districts, [1], [4]);
  const pMeta = await sharp(sheetP).metadata();
  const dMeta = await sharp(sheetD).metadata();
  const pageW = pMeta.width! + dMeta.width! + 60;
  const pageH = Math.max(pMeta.height!, dMeta.height!) + 40;
  const pagePng = await sharp({ create: { width: pageW, height: pageH, channels: 3, background: '#ffffff' } })
    .composite([
      { input: sheetP, left: 20, top: 20 },
      { input: sheetD, left: pMeta.width! + 40, top: 20 },
    ])
    .png()
    .toBuffer();
  const m4 = seedMail(db, {
    from: 'office@luohe.gov.cn',
    subject: '复印件一批',
    receivedAt: new Date('2024-01-21T02:00:00Z'),
  });
  const [sheetProjects, sheetDistricts] = seedBallots(db, election, m4, [
    { kind: 'projects', marks: [1, 3, 12], confidence: 0.97, imageSha256: blobs.put(sheetP) },
    { kind: 'districts', marks: [1], uncertain: [4], confidence: 0.7, imageSha256: blobs.put(sheetD) },
  ]);
  const pageId = (
    db.prepare('SELECT page_id FROM ballots WHERE id = ?').get(sheetDistricts) as { page_id: number }
  ).page_id;
  db.prepare('UPDATE pages SET image_sha256 = ? WHERE id = ?').run(blobs.put(pagePng), pageId);
  const pw = pMeta.width!;
  const dw = dMeta.width!;
  const dh = dMeta.height!;
  addRegion(db, sheetProjects!, [
    [20, 20],
    [20 + pw, 20],
    [20 + pw, 20 + pMeta.height!],
    [20, 20 + pMeta.height!],
  ]);
  addRegion(db, sheetDistricts!, [
    [pw + 40, 20],
    [pw + 40 + dw, 20],
    [pw + 40 + dw, 20 + dh],
    [pw + 40, 20 + dh],
  ]);
  // The original attachment bytes, for the download link.
  const attId = (
    db.prepare('SELECT attachment_id FROM ballots WHERE id = ?').get(sheetDistricts) as {
      attachment_id: number;
    }
  ).attachment_id;
  const origSha = blobs.put(Buffer.from('<html><script>alert(1)</script></html>'));
  db.prepare("UPDATE attachments SET sha256 = ?, filename = '选票 扫描件.html' WHERE id = ?").run(
    origSha,
    attId,
  );

  // Intake that went wrong: a rejected attachment, an unreadable page, a mail that failed.
  const m5 = seedMail(db, {
    from: 'sun@sina.com',
    subject: '选票照片',
    receivedAt: new Date('2024-01-21T05:00:00Z'),
  });
  db.prepare(
    `INSERT INTO attachments (mail_id, part_path, filename, declared_type, format, origin, size, sha256, status, reason, detail)
     VALUES (?, '2', 'ballot.heic.zip', 'application/zip', 'zip', 'attachment', 2048, ?, 'rejected', 'encrypted', 'password-protected zip')`,
  ).run(m5, origSha);
  const att = db
    .prepare(
      `INSERT INTO attachments (mail_id, part_path, filename, declared_type, format, origin, size, sha256, status)
       VALUES (?, '3', 'scan.pdf', 'application/pdf', 'pdf', 'attachment', 4096, ?, 'read')`,
    )
    .run(m5, origSha);
  const page = db
    .prepare('INSERT INTO pages (attachment_id, page_no) VALUES (?, 1)')
    .run(att.lastInsertRowid);
  db.prepare(
    `INSERT INTO page_readings (page_id, version, recognizer_version, election_hash, status, reason, detail, created_at)
     VALUES (?, 1, 'test', ?, 'unreadable', 'corrupt_file', 'truncated JPEG stream', '2024-01-21T05:00:02Z')`,
  ).run(page.lastInsertRowid, election.hash);
  const failed = seedMail(db, {
    from: 'unknown@example.com',
    subject: '(无主题)',
    status: 'failed',
    reason: 'parse_failed',
    receivedAt: new Date('2024-01-22T09:00:00Z'),
  });

  const cheap = { N: 1 << 12, r: 8, p: 1 };
  createUser(db, {
    name: 'alice',
    role: 'reviewer',
    passwordHash: await hashPassword(PASSWORDS.alice, cheap),
    actor: 'test',
  });
  createUser(db, {
    name: 'root',
    role: 'admin',
    passwordHash: await hashPassword(PASSWORDS.root, cheap),
    actor: 'test',
  });

  const deps: ReviewDeps = {
    db,
    election,
    blobs,
    logger: createLogger({ level: 'silent', pretty: false }),
    secureCookies: false,
  };
  return {
    dir,
    db,
    blobs,
    election,
    deps,
    ballots: {
      faint: faint!,
      unsure: unsure!,
      overvote: overvote!,
      sheetProjects: sheetProjects!,
      sheetDistricts: sheetDistricts!,
    },
    mails: { failed, sheet: m4 },
  };
}

/**
 * A phone photo of a sheet stored sideways: the JPEG's pixels are portrait and its EXIF orientation 6
 * says "turn me 90° clockwise". Upright it is 600×400 with a red box at (400, 80)–(520, 200), where the
 * recognizer (which reads the upright image) reports the ballot's region. Two ballots on the page, so the
 * ballot screen outlines the table on the whole page.
 */
export const ROTATED = { width: 600, height: 400, box: { x: 400, y: 80, width: 120, height: 120 } } as const;

export async function addRotatedSheet(
  world: ReviewWorld,
): Promise<{ mailId: number; pageId: number; ballotId: number }> {
  const { db, blobs, election } = world;
  const { width, height, box } = ROTATED;
  const upright = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: await sharp({
          create: { width: box.width, height: box.height, channels: 3, background: '#e00000' },
        })
          .png()
          .toBuffer(),
        left: box.x,
        top: box.y,
      },
    ])
    .png()
    .toBuffer();
  // Stored pixels turned 90° anticlockwise; orientation 6 turns them back.
  const sideways = await sharp(upright)
    .rotate(270)
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const mailId = seedMail(db, {
    from: 'photo@163.com',
    subject: '手机拍照',
    receivedAt: new Date('2024-01-21T06:00:00Z'),
  });
  const [ballotId, other] = seedBallots(db, election, mailId, [
    { kind: 'projects', marks: [1, 2], confidence: 0.97 },
    { kind: 'districts', marks: [1], confidence: 0.97 },
  ]);
  const pageId = (db.prepare('SELECT page_id FROM ballots WHERE id = ?').get(ballotId) as { page_id: number })
    .page_id;
  db.prepare('UPDATE pages SET image_sha256 = ? WHERE id = ?').run(blobs.put(sideways), pageId);
  const corners: [number, number][] = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x + box.width, box.y + box.height],
    [box.x, box.y + box.height],
  ];
  addRegion(db, ballotId!, corners);
  addRegion(db, other!, [
    [20, 20],
    [200, 20],
    [200, 200],
    [20, 200],
  ]);
  return { mailId, pageId, ballotId: ballotId! };
}

/** A photographed ballot the recognizer called "not a ballot" (it found a table it could not read), in a mail with no ballot. */
export async function addUnreadPhoto(world: ReviewWorld, receivedAt = new Date('2024-01-21T07:00:00Z')) {
  const { db, blobs, election } = world;
  const projects = election.ballots.find((b) => b.kind === 'projects')!;
  const image = blobs.put(await ballotPng(projects, [3, 7, 12]));
  const mailId = seedMail(db, {
    from: 'blur@qq.com',
    subject: '模糊的照片',
    reason: 'no_ballot',
    receivedAt,
  });
  const pageId = seedUnreadPage(db, election, mailId, { quality: 0.7, imageSha256: image });
  return { mailId, pageId };
}
