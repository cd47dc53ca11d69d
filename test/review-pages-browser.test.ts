/**
 * Pages the recognizer did not read, in a real browser (Debian's Chromium): a reviewer opens one from the
 * queue, enters the ballot on it by ticking items, and a sideways phone photo's table outline lands on the
 * table in the rendered SVG. Screenshots land in var/screenshots/.
 */
import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import sharp from 'sharp';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReviewServer } from '../src/review/server.js';
import { ballotStates } from '../src/store/ballot-state.js';
import { computeTally } from '../src/store/tally.js';
import { browserTestsSkipped, launchChromium } from './helpers/chromium.js';
import {
  PASSWORDS,
  ROTATED,
  type ReviewWorld,
  addRotatedSheet,
  addUnreadPhoto,
  makeReviewWorld,
} from './review-fixture.js';

const SHOTS = 'var/screenshots';

describe.skipIf(browserTestsSkipped)('pages the machine did not read, in a browser', () => {
  let world: ReviewWorld;
  let app: FastifyInstance;
  let browser: BrowserContext;
  let page: Page;
  let base: string;
  let photo: { mailId: number; pageId: number };
  let sheet: { pageId: number; ballotId: number };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    world = await makeReviewWorld();
    photo = await addUnreadPhoto(world);
    sheet = await addRotatedSheet(world);
    app = await createReviewServer(world.deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await launchChromium({
      viewport: { width: 1400, height: 1000 },
      locale: 'zh-CN',
      profilePrefix: 'review-pages-chromium-',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${base}/login`);
    await page.fill('input[name=name]', 'alice');
    await page.fill('input[name=password]', PASSWORDS.alice);
    await page.click('button.primary');
    await page.waitForURL(`${base}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    world?.db.close();
  });

  it('enters the ballot on a blurred photo by ticking its items; the tally counts it', async () => {
    await page.click(`tr.row a.open[href="/pages/${photo.pageId}"]`);
    await page.waitForURL(`${base}/pages/${photo.pageId}`);
    await expect
      .poll(() =>
        page
          .locator('#page-img')
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBeGreaterThan(0);
    // Projects is the first kind in the election; switching kinds shows that kind's items only.
    await page.selectOption('#kind', 'districts');
    expect(await page.locator('fieldset[data-kind=projects]').isVisible()).toBe(false);
    expect(await page.locator('fieldset[data-kind=districts]').isVisible()).toBe(true);
    await page.selectOption('#kind', 'projects');
    for (const n of [3, 7, 12]) await page.click(`fieldset[data-kind=projects] label.item[data-n="${n}"]`);
    expect(await page.locator('#selcount').textContent()).toBe('已选 3 项 / 最多 10 项');
    await page.screenshot({ path: `${SHOTS}/page-enter.png`, fullPage: true });
    const before = computeTally(world.db, world.election).projects!.votes['12']!;
    await page.click('#record-ballot');
    await page.waitForURL((u) => u.searchParams.has('entered'));
    expect(await page.locator('#flash').textContent()).toContain('人工录入');
    expect(await page.locator('#page-ballots li').count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/page-entered.png`, fullPage: true });
    expect(computeTally(world.db, world.election).projects!.votes['12']).toBe(before + 1);
    expect(
      ballotStates(world.db, { where: 'page_id = @p', params: { p: photo.pageId } }).map((s) => s.marks),
    ).toEqual([[3, 7, 12]]);
    await page.goto(`${base}/`);
    expect(await page.locator(`a.open[href="/pages/${photo.pageId}"]`).count()).toBe(0);
  });

  it('draws the outline of a table on a sideways phone photo over the table itself', async () => {
    await page.goto(`${base}/ballots/${sheet.ballotId}`);
    const svg = page.locator('#page-svg');
    await expect
      .poll(() =>
        svg
          .locator('image')
          .evaluate((el) => (el as unknown as { getBBox(): { width: number } }).getBBox().width),
      )
      .toBeGreaterThan(0);
    // Let the image decode before the picture is taken.
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/ballot-rotated-page.png`, fullPage: true });
    // Hide the outline and look at what is under its middle: the red table, not white paper.
    await svg
      .locator('polygon')
      .evaluate((el) =>
        (el as unknown as { setAttribute(n: string, v: string): void }).setAttribute('visibility', 'hidden'),
      );
    const shot = await svg.screenshot();
    const { data, info } = await sharp(shot).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const scale = info.width / ROTATED.width;
    expect(info.height / info.width).toBeCloseTo(ROTATED.height / ROTATED.width, 1);
    const { x, y, width, height } = ROTATED.box;
    const px = (ux: number, uy: number) => {
      const at = (Math.round(uy * scale) * info.width + Math.round(ux * scale)) * info.channels;
      return [data[at]!, data[at + 1]!, data[at + 2]!];
    };
    const [r, g] = px(x + width / 2, y + height / 2);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(80);
    // And outside the outline, paper.
    expect(px(x - 40, y + height / 2)[1]).toBeGreaterThan(200);
  });
});
