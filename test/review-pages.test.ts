/**
 * Pages the recognizer did not read as a ballot, over HTTP: staff enter the ballot(s) on them by hand or
 * confirm there is none; and a sideways phone photo whose table outline must sit where the table is.
 */
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewServer } from '../src/review/server.js';
import { verifyAudit } from '../src/store/audit.js';
import { ballotStates } from '../src/store/ballot-state.js';
import { computeTally } from '../src/store/tally.js';
import {
  PASSWORDS,
  ROTATED,
  type ReviewWorld,
  addRotatedSheet,
  addUnreadPhoto,
  makeReviewWorld,
} from './review-fixture.js';

let world: ReviewWorld;
let app: FastifyInstance;
let photo: { mailId: number; pageId: number };
let selfie: { mailId: number; pageId: number };
let sheet: { mailId: number; pageId: number; ballotId: number };

function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} field`);
  return m[1]!;
}

async function session(name: keyof typeof PASSWORDS) {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const loginCookie = /bi_login=([^;]*)/.exec([form.headers['set-cookie']].flat().join('\n'))![1];
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `bi_login=${loginCookie}` },
    payload: { name, password: PASSWORDS[name], _csrf: hidden(form.body, '_csrf'), next: '/' },
  });
  const sid = /bi_sid=([^;]*)/.exec([res.headers['set-cookie']].flat().join('\n'))![1];
  return { cookie: `bi_sid=${sid}` };
}

const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });

/** The form as the page renders it now, with the person's choices on top. */
async function post(
  pageId: number,
  cookie: string,
  choices: Record<string, string | string[]>,
  form?: string,
) {
  const html = form ?? (await get(`/pages/${pageId}`, cookie)).body;
  return app.inject({
    method: 'POST',
    url: `/pages/${pageId}/decide`,
    headers: { cookie },
    payload: {
      _csrf: hidden(html, '_csrf'),
      seenReading: hidden(html, 'seenReading'),
      seenDecision: hidden(html, 'seenDecision'),
      ...choices,
    },
  });
}

const queueLinks = async (cookie: string) =>
  [...(await get('/', cookie)).body.matchAll(/class="open" href="(\/pages\/\d+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  world = await makeReviewWorld();
  photo = await addUnreadPhoto(world);
  selfie = await addUnreadPhoto(world, new Date('2024-01-21T08:00:00Z'));
  sheet = await addRotatedSheet(world);
  app = await createReviewServer(world.deps);
});
afterAll(async () => {
  await app.close();
  world.db.close();
});

describe('entering a ballot by hand from a page the machine did not read', () => {
  it('links the page from the queue to a form listing every item of every kind in the election, by name', async () => {
    const { cookie } = await session('alice');
    expect(await queueLinks(cookie)).toContain(`/pages/${photo.pageId}`);
    const res = await get(`/pages/${photo.pageId}`, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`src="/pages/${photo.pageId}/image"`);
    expect(res.body).toContain('按图录入选票');
    for (const kind of world.election.ballots) {
      expect(res.body).toContain(`<option value="${kind.kind}"`);
      expect(res.body).toContain(kind.label.zh);
      for (const item of kind.items) {
        expect(res.body).toContain(`name="mark_${kind.kind}" value="${item.number}"`);
        expect(res.body).toContain(`<span class="nm">${item.name.replace(/&/g, '&amp;')}</span>`);
      }
    }
    const en = await get(`/pages/${photo.pageId}`, `${cookie}; bi_lang=en`);
    expect(en.body).toContain('Enter a ballot from this page');
    expect(en.body).toContain('Confirm: not a ballot');
  });

  it('refuses a form posted without the session’s CSRF token, and records nothing', async () => {
    const { cookie } = await session('alice');
    const before = world.db.prepare('SELECT COUNT(*) AS n FROM ballots').get();
    const res = await app.inject({
      method: 'POST',
      url: `/pages/${photo.pageId}/decide`,
      headers: { cookie },
      payload: {
        outcome: 'ballot',
        kind: 'projects',
        mark_projects: ['3'],
        seenReading: '1',
        seenDecision: '',
      },
    });
    expect(res.statusCode).toBe(403);
    const anonymous = await app.inject({
      method: 'POST',
      url: `/pages/${photo.pageId}/decide`,
      payload: { outcome: 'ballot', kind: 'projects', mark_projects: ['3'] },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM ballots').get()).toEqual(before);
  });

  it('records two ballots from one photo, counts them in the tally, and takes the page out of the queue', async () => {
    const { cookie } = await session('alice');
    const votesBefore = computeTally(world.db, world.election).projects!.votes;
    const opened = (await get(`/pages/${photo.pageId}`, cookie)).body;
    const first = await post(
      photo.pageId,
      cookie,
      { outcome: 'ballot', kind: 'projects', mark_projects: ['3', '7', '12'], note: '照片较模糊' },
      opened,
    );
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toMatch(new RegExp(`^/pages/${photo.pageId}\\?entered=\\d+$`));
    const shown = await get(first.headers.location as string, cookie);
    expect(shown.body).toContain('人工录入');
    expect(shown.body).toMatch(/已记录第 \d+ 号选票/);

    // The same form again (a double click, the back button): refused, nothing counted twice.
    const again = await post(
      photo.pageId,
      cookie,
      { outcome: 'ballot', kind: 'projects', mark_projects: ['3', '7', '12'] },
      opened,
    );
    expect(again.headers.location).toBe(`/pages/${photo.pageId}?error=stale`);
    expect((await get(again.headers.location as string, cookie)).body).toContain('此页面在您打开后已有变化');

    // The photo holds a second slip: a districts ballot.
    const second = await post(photo.pageId, cookie, {
      outcome: 'ballot',
      kind: 'districts',
      mark_districts: ['2'],
    });
    expect(second.headers.location).toMatch(/entered=\d+$/);

    const onPage = ballotStates(world.db, { where: 'page_id = @p', params: { p: photo.pageId } });
    expect(onPage.map((s) => [s.kind, s.status, s.marks, s.origin, s.decidedBy, s.counts])).toEqual([
      ['projects', 'valid', [3, 7, 12], 'staff', 'person', true],
      ['districts', 'valid', [2], 'staff', 'person', true],
    ]);
    const tally = computeTally(world.db, world.election);
    expect(tally.projects!.votes['7']).toBe(votesBefore['7']! + 1);
    expect(tally.projects!.votes['12']).toBe(votesBefore['12']! + 1);
    const entered = world.db
      .prepare(
        `SELECT actor FROM audit WHERE action = 'ballot.entered' AND subject_id IN (${onPage.map((s) => s.ballotId).join(',')})`,
      )
      .all();
    expect(entered).toEqual([{ actor: 'user:alice' }, { actor: 'user:alice' }]);
    expect(verifyAudit(world.db).ok).toBe(true);

    expect(await queueLinks(cookie)).not.toContain(`/pages/${photo.pageId}`);
    const ballotScreen = await get(`/ballots/${onPage[0]!.ballotId}`, cookie);
    expect(ballotScreen.body).toContain(`src="/pages/${photo.pageId}/image"`);
    expect(ballotScreen.body).toContain('人工录入');
  });

  it('judges an entry by the election rules: over the limit is an overvote', async () => {
    const { cookie } = await session('root');
    const projects = world.election.ballots.find((b) => b.kind === 'projects')!;
    const ticks = projects.items.slice(0, projects.maxMarks + 1).map((i) => String(i.number));
    const before = computeTally(world.db, world.election).projects!.invalid_by_reason.overvote!;
    const r = await post(photo.pageId, cookie, { outcome: 'ballot', kind: 'projects', mark_projects: ticks });
    expect(r.headers.location).toMatch(/entered=\d+$/);
    expect(computeTally(world.db, world.election).projects!.invalid_by_reason.overvote).toBe(before + 1);
  });

  it('confirms a page holds no ballot, which takes it out of the queue', async () => {
    const { cookie } = await session('alice');
    expect(await queueLinks(cookie)).toContain(`/pages/${selfie.pageId}`);
    const r = await post(selfie.pageId, cookie, { outcome: 'not_a_ballot', note: '是自拍' });
    expect(r.headers.location).toBe(`/pages/${selfie.pageId}?confirmed=1`);
    expect((await get(r.headers.location as string, cookie)).body).toContain('已确认本页不是选票');
    expect(await queueLinks(cookie)).not.toContain(`/pages/${selfie.pageId}`);
    // A reviewer cannot now enter a ballot there; the screen says to ask an admin.
    const again = await get(`/pages/${selfie.pageId}`, cookie);
    expect(again.body).toContain('id="read-only"');
    expect(again.body).not.toContain('id="enter"');
  });
});

describe('a sideways phone photo (EXIF orientation 6)', () => {
  it('outlines the table in the upright page’s coordinates', async () => {
    const { cookie } = await session('alice');
    const res = await get(`/ballots/${sheet.ballotId}`, cookie);
    expect(res.body).toContain(`viewBox="0 0 ${ROTATED.width} ${ROTATED.height}" id="page-svg"`);
    const { x, y, width, height } = ROTATED.box;
    expect(res.body).toContain(
      `points="${x},${y} ${x + width},${y} ${x + width},${y + height} ${x},${y + height}"`,
    );
  });

  it('serves the page image upright, so the outline sits on the table in any renderer', async () => {
    const { cookie } = await session('alice');
    const res = await get(`/pages/${sheet.pageId}/image`, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    const served = sharp(res.rawPayload);
    const meta = await served.metadata();
    expect([meta.width, meta.height]).toEqual([ROTATED.width, ROTATED.height]);
    expect(meta.orientation ?? 1).toBe(1);
    // The middle of the outlined box is the red table.
    const { x, y, width, height } = ROTATED.box;
    const { data, info } = await served.raw().toBuffer({ resolveWithObject: true });
    const at = ((y + height / 2) * info.width + (x + width / 2)) * info.channels;
    expect(data[at]).toBeGreaterThan(180);
    expect(data[at + 1]).toBeLessThan(60);
  });
});

describe('a page where the machine read a ballot but saw another table it could not read', () => {
  it('is listed in the queue; "no other ballot" takes it out and the ballot read stands', async () => {
    const { cookie } = await session('alice');
    world.db
      .prepare(
        `UPDATE page_readings SET reason = 'unread_table', detail = '["matches no ballot kind (2 rows)"]'
         WHERE id = (SELECT MAX(id) FROM page_readings WHERE page_id = ?)`,
      )
      .run(sheet.pageId);
    expect(await queueLinks(cookie)).toContain(`/pages/${sheet.pageId}`);
    const page = await get(`/pages/${sheet.pageId}`, `${cookie}; bi_lang=en`);
    expect(page.body).toContain('Another table on the page could not be read');
    expect(page.body).toContain('Confirm: no other ballot on this page');
    const standing = () =>
      ballotStates(world.db, { where: 'page_id = @p', params: { p: sheet.pageId } }).map((s) => s.status);
    const before = standing();
    const res = await post(sheet.pageId, cookie, { outcome: 'not_a_ballot' }, page.body);
    expect(res.statusCode).toBe(303);
    expect(await queueLinks(cookie)).not.toContain(`/pages/${sheet.pageId}`);
    expect(standing()).toEqual(before);
    expect(verifyAudit(world.db).ok).toBe(true);
  });
});
