import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../src/review/login-throttle.js';
import { createReviewServer } from '../src/review/server.js';
import { computeTally } from '../src/store/tally.js';
import { PASSWORDS, type ReviewWorld, makeReviewWorld } from './review-fixture.js';

let world: ReviewWorld;
let app: FastifyInstance;

function cookieOf(setCookie: string | string[] | undefined, name: string): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of list) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}

function hidden(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no ${name} field`);
  return m[1]!;
}

async function login(name: string, password: string, target = app) {
  const form = await target.inject({ method: 'GET', url: '/login' });
  const loginCookie = cookieOf(form.headers['set-cookie'], 'bi_login')!;
  const res = await target.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: `bi_login=${loginCookie}` },
    payload: { name, password, _csrf: hidden(form.body, '_csrf'), next: '/' },
  });
  return { res, sid: cookieOf(res.headers['set-cookie'], 'bi_sid') };
}

async function session(name: keyof typeof PASSWORDS) {
  const { sid } = await login(name, PASSWORDS[name]);
  if (!sid) throw new Error(`login as ${name} failed`);
  const cookie = `bi_sid=${sid}`;
  const page = await app.inject({
    method: 'GET',
    url: `/ballots/${world.ballots.faint}`,
    headers: { cookie },
  });
  return { cookie, csrf: hidden(page.body, '_csrf') };
}

beforeAll(async () => {
  world = await makeReviewWorld();
  app = await createReviewServer(world.deps);
});
afterAll(async () => {
  await app.close();
  world.db.close();
});

describe('review site access', () => {
  it('sends a visitor without a session to the login page, for pages and for images', async () => {
    for (const url of [
      '/',
      `/ballots/${world.ballots.faint}`,
      `/ballots/${world.ballots.faint}/image`,
      '/tally',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toMatch(/^\/login\?next=/);
    }
    for (const url of [
      `/lang/../ballots/${world.ballots.faint}/image`,
      '/login/../tally',
      '//tally',
      '/nothing-here',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
    }
    const post = await app.inject({
      method: 'POST',
      url: `/ballots/${world.ballots.faint}/decide`,
      payload: {},
    });
    expect(post.statusCode).toBe(401);
  });

  it('logs in with the right password into an HttpOnly SameSite=Strict cookie, and refuses a wrong one', async () => {
    const bad = await login('alice', 'not-the-password');
    expect(bad.res.statusCode).toBe(401);
    expect(bad.sid).toBeUndefined();
    expect(bad.res.body).toContain('用户名或密码错误');
    const good = await login('alice', PASSWORDS.alice);
    expect(good.res.statusCode).toBe(303);
    const set = [good.res.headers['set-cookie']].flat().find((c) => c?.startsWith('bi_sid='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
  });

  it('refuses a login form posted without its token', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      payload: { name: 'alice', password: PASSWORDS.alice, _csrf: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(cookieOf(res.headers['set-cookie'], 'bi_sid')).toBeUndefined();
  });

  it('locks a user name after repeated failures, even with the right password afterwards', async () => {
    const locked = await createReviewServer({
      ...world.deps,
      throttle: new LoginThrottle({ maxFailures: 3, windowMs: 60_000, lockMs: 60_000 }),
    });
    for (let i = 0; i < 3; i++)
      expect((await login('root', 'wrong-password', locked)).res.statusCode).toBe(401);
    const r = await login('root', PASSWORDS.root, locked);
    expect(r.res.statusCode).toBe(429);
    expect(r.sid).toBeUndefined();
    await locked.close();
  });

  it('limits login attempts per address', async () => {
    const limited = await createReviewServer({
      ...world.deps,
      loginRateLimit: { max: 2, timeWindowMs: 60_000 },
    });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await login(`nobody${i}`, 'x', limited)).res.statusCode);
    expect(codes).toEqual([401, 401, 429]);
    await limited.close();
  });

  it('refuses a POST with a session but without the CSRF token, and records nothing', async () => {
    const { cookie, csrf } = await session('alice');
    const before = world.db.prepare('SELECT COUNT(*) AS n FROM adjudications').get();
    const payload = { outcome: 'not_a_ballot', seenReading: '1', seenAdjudication: '', kind: 'projects' };
    const none = await app.inject({
      method: 'POST',
      url: `/ballots/${world.ballots.overvote}/decide`,
      headers: { cookie },
      payload,
    });
    expect(none.statusCode).toBe(403);
    const wrong = await app.inject({
      method: 'POST',
      url: `/ballots/${world.ballots.overvote}/decide`,
      headers: { cookie },
      payload: { ...payload, _csrf: `${csrf.slice(0, -1)}x` },
    });
    expect(wrong.statusCode).toBe(403);
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM adjudications').get()).toEqual(before);
  });

  it('ends the session on logout', async () => {
    const { cookie, csrf } = await session('alice');
    const out = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie },
      payload: { _csrf: csrf },
    });
    expect(out.statusCode).toBe(303);
    const after = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(after.statusCode).toBe(303);
  });
});

describe('review site content', () => {
  it('lists the queue least certain first, with counts and reason labels', async () => {
    const { cookie } = await session('alice');
    const res = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const ballots = [...res.body.matchAll(/class="open" href="\/ballots\/(\d+)[?"]/g)].map((m) =>
      Number(m[1]),
    );
    expect(ballots.slice(0, 4)).toEqual([
      world.ballots.unsure,
      world.ballots.faint,
      world.ballots.sheetDistricts,
      world.ballots.overvote,
    ]);
    expect(res.body).toContain('无法定位行');
    expect(res.body).toContain('多选无效');
    expect(res.body).toContain('邮件解析失败');
    expect(res.body).toContain('文件已加密');
    expect(res.body).toContain('文件损坏');
    expect(res.body).toMatch(/<span class="n">4<\/span><span class="l">选票<\/span>/);
    const filtered = await app.inject({
      method: 'GET',
      url: '/?kind=districts&type=ballot',
      headers: { cookie },
    });
    const ids = [...filtered.body.matchAll(/class="open" href="\/ballots\/(\d+)[?"]/g)].map((m) =>
      Number(m[1]),
    );
    expect(new Set(ids)).toEqual(new Set([world.ballots.unsure, world.ballots.sheetDistricts]));
    const en = await app.inject({ method: 'GET', url: '/', headers: { cookie: `${cookie}; bi_lang=en` } });
    expect(en.body).toContain('Review queue');
    expect(en.body).toContain('Too many marks (overvote)');
  });

  it('serves ballot images as images and originals only as downloads', async () => {
    const { cookie } = await session('alice');
    const img = await app.inject({
      method: 'GET',
      url: `/ballots/${world.ballots.faint}/image`,
      headers: { cookie },
    });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    const otherReading = world.db
      .prepare('SELECT id FROM ballot_readings WHERE ballot_id = ?')
      .get(world.ballots.overvote) as { id: number };
    const foreign = await app.inject({
      method: 'GET',
      url: `/ballots/${world.ballots.faint}/image?reading=${otherReading.id}`,
      headers: { cookie },
    });
    expect(foreign.statusCode).toBe(404);
    const att = world.db
      .prepare('SELECT attachment_id FROM ballots WHERE id = ?')
      .get(world.ballots.sheetDistricts) as {
      attachment_id: number;
    };
    const orig = await app.inject({
      method: 'GET',
      url: `/attachments/${att.attachment_id}/original`,
      headers: { cookie },
    });
    expect(orig.statusCode).toBe(200);
    expect(orig.headers['content-type']).toBe('application/octet-stream');
    expect(orig.headers['content-disposition']).toMatch(
      /^attachment; filename="[^"]+"; filename\*=UTF-8''%E9%80%89/,
    );
    expect(orig.headers['x-content-type-options']).toBe('nosniff');
  });

  it('shows the page with the table outlined when one sheet holds two ballots', async () => {
    const { cookie } = await session('alice');
    const res = await app.inject({
      method: 'GET',
      url: `/ballots/${world.ballots.sheetDistricts}`,
      headers: { cookie },
    });
    expect(res.body).toContain('id="page-svg"');
    expect(res.body).toMatch(/<polygon points="\d+,20 /);
  });

  it('lets a reviewer decide once, then refuses the reviewer and lets an admin change it', async () => {
    const alice = await session('alice');
    const id = world.ballots.overvote;
    const page = await app.inject({
      method: 'GET',
      url: `/ballots/${id}`,
      headers: { cookie: alice.cookie },
    });
    const seenReading = hidden(page.body, 'seenReading');
    const decide = (who: { cookie: string; csrf: string }, payload: Record<string, string | string[]>) =>
      app.inject({
        method: 'POST',
        url: `/ballots/${id}/decide`,
        headers: { cookie: who.cookie },
        payload: { _csrf: who.csrf, ...payload },
      });

    // Alice sees ten ticks and a smudge: she accepts ten.
    const marks = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    const r1 = await decide(alice, {
      outcome: 'accept',
      kind: 'projects',
      mark_projects: marks,
      seenReading,
      seenAdjudication: '',
    });
    expect(r1.statusCode).toBe(303);
    expect(r1.headers.location).toContain(`done=${id}`);
    expect(computeTally(world.db, world.election).projects!.votes['10']).toBe(1);

    const again = await app.inject({
      method: 'GET',
      url: `/ballots/${id}`,
      headers: { cookie: alice.cookie },
    });
    expect(again.body).toContain('id="read-only"');
    const adjId = (
      world.db.prepare('SELECT MAX(id) AS id FROM adjudications WHERE ballot_id = ?').get(id) as {
        id: number;
      }
    ).id;
    const r2 = await decide(alice, {
      outcome: 'not_a_ballot',
      kind: 'projects',
      seenReading,
      seenAdjudication: String(adjId),
    });
    expect(r2.headers.location).toContain('error=needs_admin');
    const refused = await app.inject({
      method: 'GET',
      url: r2.headers.location as string,
      headers: { cookie: alice.cookie },
    });
    expect(refused.body).toContain('复核员不能更改');

    const root = await session('root');
    const r3 = await decide(root, {
      outcome: 'invalid',
      reason: 'staff_invalid',
      note: '有署名',
      kind: 'projects',
      seenReading,
      seenAdjudication: String(adjId),
    });
    expect(r3.headers.location).toContain(`done=${id}`);
    expect(computeTally(world.db, world.election).projects!.votes['10']).toBe(0);
    const audit = world.db
      .prepare(`SELECT actor FROM audit WHERE action = 'ballot.adjudicated' AND subject_id = ? ORDER BY seq`)
      .all(id) as { actor: string }[];
    expect(audit.map((a) => a.actor)).toEqual(['user:alice', 'user:root']);
  });

  it('refuses a decision made on a page opened before someone else decided, and says why', async () => {
    const id = world.ballots.sheetDistricts;
    const a = await session('alice');
    const b = await session('root');
    const pageA = await app.inject({ method: 'GET', url: `/ballots/${id}`, headers: { cookie: a.cookie } });
    const pageB = await app.inject({ method: 'GET', url: `/ballots/${id}`, headers: { cookie: b.cookie } });
    const form = (html: string) => ({
      seenReading: hidden(html, 'seenReading'),
      seenAdjudication: hidden(html, 'seenAdjudication'),
      kind: 'districts',
    });
    const first = await app.inject({
      method: 'POST',
      url: `/ballots/${id}/decide`,
      headers: { cookie: b.cookie },
      payload: { _csrf: b.csrf, outcome: 'accept', mark_districts: ['1', '4'], ...form(pageB.body) },
    });
    expect(first.headers.location).toContain(`done=${id}`);
    const late = await app.inject({
      method: 'POST',
      url: `/ballots/${id}/decide`,
      headers: { cookie: a.cookie },
      payload: { _csrf: a.csrf, outcome: 'accept', mark_districts: ['1'], ...form(pageA.body) },
    });
    expect(late.headers.location).toContain('error=stale');
    const shown = await app.inject({
      method: 'GET',
      url: late.headers.location as string,
      headers: { cookie: a.cookie },
    });
    expect(shown.body).toContain('此选票在您打开后已有变化');
    expect(computeTally(world.db, world.election).districts!.votes['4']).toBe(1);
  });

  it('shows everything from one mail together', async () => {
    const { cookie } = await session('alice');
    const res = await app.inject({ method: 'GET', url: `/mails/${world.mails.sheet}`, headers: { cookie } });
    expect(res.body).toContain(`/ballots/${world.ballots.sheetProjects}`);
    expect(res.body).toContain(`/ballots/${world.ballots.sheetDistricts}`);
    expect(res.body).toContain('复印件一批');
  });

  it('offers no re-process buttons when the worker is not wired', async () => {
    const { cookie } = await session('alice');
    const res = await app.inject({
      method: 'GET',
      url: `/ballots/${world.ballots.faint}`,
      headers: { cookie },
    });
    expect(res.body).not.toContain('/reprocess');
  });
});

describe('re-process from the web', () => {
  it('shows the buttons when the worker is wired, records who asked, and calls the worker', async () => {
    const calls: string[] = [];
    const wired = await createReviewServer({
      ...world.deps,
      reprocess: {
        ballot: async (id, actor) => void calls.push(`ballot ${id} ${actor}`),
        mail: async (id, actor) => void calls.push(`mail ${id} ${actor}`),
      },
    });
    const { sid } = await login('alice', PASSWORDS.alice, wired);
    const cookie = `bi_sid=${sid}`;
    const id = world.ballots.sheetProjects;
    const page = await wired.inject({ method: 'GET', url: `/ballots/${id}`, headers: { cookie } });
    expect(page.body).toContain(`action="/ballots/${id}/reprocess"`);
    expect(page.body).toContain(`action="/mails/${world.mails.sheet}/reprocess"`);
    const csrf = hidden(page.body, '_csrf');

    const refused = await wired.inject({
      method: 'POST',
      url: `/ballots/${id}/reprocess`,
      headers: { cookie },
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(calls).toEqual([]);

    const r = await wired.inject({
      method: 'POST',
      url: `/ballots/${id}/reprocess`,
      headers: { cookie },
      payload: { _csrf: csrf },
    });
    expect(r.statusCode).toBe(303);
    const m = await wired.inject({
      method: 'POST',
      url: `/mails/${world.mails.sheet}/reprocess`,
      headers: { cookie },
      payload: { _csrf: csrf },
    });
    expect(m.statusCode).toBe(303);
    expect(calls).toEqual([`ballot ${id} user:alice`, `mail ${world.mails.sheet} user:alice`]);
    const audit = world.db
      .prepare(`SELECT action, actor FROM audit WHERE action LIKE '%reprocess_requested' ORDER BY seq`)
      .all();
    expect(audit).toEqual([
      { action: 'ballot.reprocess_requested', actor: 'user:alice' },
      { action: 'mail.reprocess_requested', actor: 'user:alice' },
    ]);
    await wired.close();
  });
});

describe('re-process failure', () => {
  it('tells the person when the worker fails, instead of an error page', async () => {
    const failing = await createReviewServer({
      ...world.deps,
      reprocess: {
        ballot: async () => {
          throw new Error('recognizer pool closed');
        },
        mail: async () => undefined,
      },
    });
    const { sid } = await login('alice', PASSWORDS.alice, failing);
    const cookie = `bi_sid=${sid}`;
    const id = world.ballots.faint;
    const page = await failing.inject({ method: 'GET', url: `/ballots/${id}`, headers: { cookie } });
    const r = await failing.inject({
      method: 'POST',
      url: `/ballots/${id}/reprocess`,
      headers: { cookie },
      payload: { _csrf: hidden(page.body, '_csrf') },
    });
    expect(r.headers.location).toBe(`/ballots/${id}?reprocessed=0`);
    const shown = await failing.inject({
      method: 'GET',
      url: r.headers.location as string,
      headers: { cookie },
    });
    expect(shown.body).toContain('重新处理失败');
    await failing.close();
  });
});
