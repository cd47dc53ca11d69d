/**
 * The review site in a real browser (Debian's Chromium via playwright-core): a reviewer logs in,
 * works the queue, corrects a ballot by clicking its cell and pressing A, and the tally and the
 * audit trail show it. Screenshots land in var/screenshots/ (git-ignored) for people to look at.
 */
import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewServer } from '../src/review/server.js';
import { ballotState } from '../src/store/ballot-state.js';
import { computeTally } from '../src/store/tally.js';
import { browserTestsSkipped, launchChromium } from './helpers/chromium.js';
import { PASSWORDS, type ReviewWorld, makeReviewWorld } from './review-fixture.js';

// CI installs Chromium and must run these; a developer machine without it skips them.
const skip = browserTestsSkipped;
const SHOTS = 'var/screenshots';

describe.skipIf(skip)('review site in a browser', () => {
  let world: ReviewWorld;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await makeReviewWorld();
    app = await createReviewServer(world.deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // A fresh profile per run: nothing carries over between test runs.
    browser = await launchChromium({
      viewport: { width: 1400, height: 1000 },
      locale: 'zh-CN',
      profilePrefix: 'review-chromium-',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (d) => void d.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    world?.db.close();
  });

  it('asks for a login first, then shows the queue least certain first', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: `${SHOTS}/login.png` });
    await page.fill('input[name=name]', 'alice');
    await page.fill('input[name=password]', PASSWORDS.alice);
    await page.click('button.primary');
    await page.waitForURL(`${base}/`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('待复核队列');
    const first = await page.locator('tr.row[data-entry=ballot] a.open').first().getAttribute('href');
    expect(first).toBe(`/ballots/${world.ballots.unsure}`);
    expect(await page.locator('[data-count=ballot] .n').textContent()).toBe('4');
    await page.screenshot({ path: `${SHOTS}/queue.png`, fullPage: true });
  });

  it('corrects a ballot by clicking a cell and pressing A; the tally and the audit trail show it', async () => {
    const id = world.ballots.faint;
    const tallyBefore = computeTally(world.db, world.election).projects!;
    expect(tallyBefore.votes['6']).toBe(0);
    const validBefore = Number(await page.locator('#valid-total').textContent());

    await page.click(`tr.row a.open[href^="/ballots/${id}"]`);
    await page.waitForURL(new RegExp(`/ballots/${id}`));
    // The uncertain cell is amber and unselected; the marked one is selected.
    await expect
      .poll(() => page.locator('rect.cell[data-n="6"]').getAttribute('class'))
      .toBe('cell m-uncertain');
    expect(await page.locator('rect.cell[data-n="5"]').getAttribute('class')).toContain('sel');
    await page.screenshot({ path: `${SHOTS}/ballot.png`, fullPage: true });

    await page.click('rect.cell[data-n="6"]');
    expect(await page.locator('fieldset[data-kind=projects] input[value="6"]').isChecked()).toBe(true);
    expect(await page.locator('#selcount').textContent()).toBe('已选 2 项 / 最多 10 项');
    await page.screenshot({ path: `${SHOTS}/ballot-corrected.png` });
    await page.keyboard.press('a');
    await page.waitForURL((u) => u.searchParams.get('done') === String(id));
    expect(await page.locator('#flash').textContent()).toContain(`第 ${id} 号选票`);

    const after = computeTally(world.db, world.election).projects!;
    expect(after.votes['6']).toBe(1);
    expect(after.votes['5']).toBe(tallyBefore.votes['5']! + 1);
    expect(after.ballots.review).toBe(tallyBefore.ballots.review - 1);
    expect(ballotState(world.db, id)).toMatchObject({ status: 'valid', decidedBy: 'person', marks: [5, 6] });

    await page.goto(`${base}/tally`);
    expect(await page.locator('[data-votes="projects.6"]').textContent()).toBe('1');
    await page.screenshot({ path: `${SHOTS}/tally.png` });
    await page.goto(`${base}/`);
    expect(Number(await page.locator('#valid-total').textContent())).toBe(validBefore + 1);

    const audit = world.db
      .prepare(`SELECT actor, detail FROM audit WHERE action = 'ballot.adjudicated' AND subject_id = ?`)
      .all(id) as { actor: string; detail: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('user:alice');
    expect(JSON.parse(audit[0]!.detail).before.status).toBe('review');

    await page.goto(`${base}/ballots/${id}`);
    const entry = page.locator('#history li[data-action="ballot.adjudicated"]');
    expect(await entry.textContent()).toContain('user:alice');
    // Alice decided it; changing it now needs an admin.
    expect(await page.locator('#read-only').count()).toBe(1);
    expect(await page.locator('form#decide').count()).toBe(0);
  });

  it('toggles items with digit keys and marks a ballot invalid with a reason', async () => {
    const id = world.ballots.unsure;
    await page.goto(`${base}/ballots/${id}`);
    await page.keyboard.press('3');
    expect(await page.locator('fieldset[data-kind=districts] input[value="3"]').isChecked()).toBe(true);
    await page.keyboard.press('2');
    expect(await page.locator('fieldset[data-kind=districts] input[value="2"]').isChecked()).toBe(false);
    await page.keyboard.press('i');
    expect(await page.locator('#invalid-panel').isVisible()).toBe(true);
    await page.selectOption('#reason', 'staff_invalid');
    await page.fill('#note', '选票上写了投票人姓名');
    await page.click('#invalid-submit');
    await page.waitForURL((u) => u.searchParams.get('done') === String(id));
    expect(ballotState(world.db, id)).toMatchObject({
      status: 'invalid',
      reason: 'staff_invalid',
      marks: [3],
    });
  });

  it('takes two quick digits as one item number: 1 then 1 removes the eleventh tick of an overvote', async () => {
    const id = world.ballots.overvote;
    await page.goto(`${base}/ballots/${id}`);
    expect(await page.locator('#selcount').getAttribute('class')).toContain('over');
    await page.keyboard.press('1');
    await page.keyboard.press('1');
    expect(await page.locator('fieldset[data-kind=projects] input[value="11"]').isChecked()).toBe(false);
    expect(await page.locator('fieldset[data-kind=projects] input[value="1"]').isChecked()).toBe(true);
    expect(await page.locator('#selcount').textContent()).toBe('已选 10 项 / 最多 10 项');
    await page.keyboard.press('a');
    await page.waitForURL((u) => u.searchParams.get('done') === String(id));
    expect(ballotState(world.db, id)).toMatchObject({
      status: 'valid',
      marks: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
  });

  it('shows the whole page with the table outlined, and switches to English', async () => {
    await page.goto(`${base}/ballots/${world.ballots.sheetDistricts}`);
    expect(await page.locator('#page-svg polygon').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/ballot-sheet.png`, fullPage: true });
    await page.click('header .who a[lang=en]');
    await expect.poll(() => page.locator('#accept').textContent()).toContain('Accept this reading');
    await page.screenshot({ path: `${SHOTS}/ballot-en.png` });
    await page.click('header .who a[lang=zh]');
    await page.goto(`${base}/mails/${world.mails.sheet}`);
    await page.screenshot({ path: `${SHOTS}/mail.png`, fullPage: true });
  });

  it('refuses requests without a session or without the CSRF token', async () => {
    const id = world.ballots.sheetProjects;
    const anon = await fetch(`${base}/ballots/${id}/image`, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/login/);
    const anonPost = await fetch(`${base}/ballots/${id}/decide`, {
      method: 'POST',
      body: new URLSearchParams({ outcome: 'not_a_ballot' }),
      redirect: 'manual',
    });
    expect(anonPost.status).toBe(401);

    const cookies = await browser.cookies();
    const sid = cookies.find((c) => c.name === 'bi_sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Strict');
    const noToken = await fetch(`${base}/ballots/${id}/decide`, {
      method: 'POST',
      headers: { cookie: `bi_sid=${sid.value}` },
      body: new URLSearchParams({ outcome: 'not_a_ballot', seenReading: '1', seenAdjudication: '' }),
      redirect: 'manual',
    });
    expect(noToken.status).toBe(403);
    expect(ballotState(world.db, id)!.status).toBe('valid');
    expect(ballotState(world.db, id)!.decidedBy).toBe('machine');
  });
});
