/**
 * The printed report as officials see it: rendered by a real Chromium, screenshots and a PDF
 * written to var/screenshots/ (git-ignored) for a person to look at.
 * CI installs Chromium, so under CI=true a missing browser fails the test instead of skipping it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../src/config/load.js';
import { createLogger } from '../src/log/logger.js';
import { runReport } from '../src/report/run-report.js';
import { openDatabase } from '../src/store/db.js';
import { computeTally } from '../src/store/tally.js';
import { browserTestsSkipped, launchChromium } from './helpers/chromium.js';
import { seedBusyVote, seedReportFixture } from './report-fixture.js';

const SHOTS = resolve('var/screenshots');

describe.skipIf(browserTestsSkipped)('report in Chromium', () => {
  let context: BrowserContext;

  beforeAll(async () => {
    context = await launchChromium({
      viewport: { width: 900, height: 1200 },
      profilePrefix: 'report-chromium-',
    });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
  });

  it('renders offline in Chinese with the tally numbers, and prints on A4 pages', async () => {
    const config = loadAppConfig('config/ballot-inbox.json');
    const db = openDatabase(':memory:');
    seedReportFixture(db, config.election);
    // Enough ballots that the ranking, the cut line and the day chart look as they will mid-vote.
    seedBusyVote(db, config.election, 400);
    const at = new Date('2024-01-23T02:00:00+08:00');
    const tally = computeTally(db, config.election, at);
    const out = await runReport(
      db,
      config,
      { email: false, outDir: mkdtempSync(join(tmpdir(), 'report-html-')), at },
      createLogger({ level: 'silent', pretty: false }),
    );
    db.close();
    if (out.status !== 'written') throw new Error(out.error);

    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) requests.push(r.url());
    });
    await page.goto(`file://${join(out.report.dir, 'index.html')}`, { waitUntil: 'load' });
    expect(requests).toEqual([]);

    // What a reader sees in the top rows equals the tally, item by item.
    const rows = await page.$$eval('#ranking-projects tbody tr', (trs) =>
      trs.map((tr) => {
        const td = tr.querySelectorAll('td');
        return {
          number: td[1]?.textContent ?? '',
          votes: Number(td[3]?.textContent),
          top: tr.classList.contains('top'),
        };
      }),
    );
    expect(rows).toHaveLength(39);
    for (const r of rows) expect(r.votes).toBe(tally.projects!.votes[r.number]);
    expect(rows.filter((r) => r.top).length).toBeGreaterThanOrEqual(10);
    // Ranking bars are drawn to scale: the leader's bar is the widest.
    const widths = await page.$$eval('#ranking-projects svg.bar rect', (rs) =>
      rs.map((r) => r.getBoundingClientRect().width),
    );
    expect(widths[0]).toBe(Math.max(...widths));
    expect(widths[0]).toBeGreaterThan(100);
    // Chinese text is drawn with a CJK font: missing glyphs ("tofu") all look the same box,
    // real glyphs of different characters do not.
    const title = await page.textContent('h1');
    expect(title).toContain('群众最满意的民生实事');
    const glyphs = await page.$eval('h1', (h1) => {
      const font = `40px ${h1.ownerDocument.defaultView!.getComputedStyle(h1).fontFamily}`;
      const draw = (ch: string): string => {
        const canvas = h1.ownerDocument.createElement('canvas');
        canvas.width = 48;
        canvas.height = 48;
        const ctx = canvas.getContext('2d')!;
        ctx.font = font;
        ctx.fillText(ch, 2, 40);
        return canvas.toDataURL();
      };
      return { a: draw('漯'), b: draw('河'), c: draw('票'), blank: draw(' ') };
    });
    expect(new Set([glyphs.a, glyphs.b, glyphs.c, glyphs.blank]).size).toBe(4);

    await page.screenshot({ path: join(SHOTS, 'report-screen.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SHOTS, 'report.pdf'), pdf);
    const text = pdf.toString('latin1');
    const mediaBox = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    // A4 is 595.28 × 841.89 points (Letter would be 612 × 792); Chromium rounds to whole pixels.
    expect(Math.abs(Number(mediaBox?.[1]) - 595.28)).toBeLessThan(2);
    expect(Math.abs(Number(mediaBox?.[2]) - 841.89)).toBeLessThan(2);
    const pages = (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(6);
    await page.close();
  });
});
