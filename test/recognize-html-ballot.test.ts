/**
 * Ballots laid out by a real browser's table engine (test/helpers/html-ballot.ts), not by the
 * fixture generator: column widths come from the content, long names wrap, and the districts
 * ballot's short names make its name columns barely wider than the vote columns, or narrower.
 * Read from the screenshots, every one must come out exactly, and without doubt.
 */
import type { Browser } from 'playwright-core';
import { createRng } from '../scripts/fixtures/rng.js';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge } from '../src/election/rules.js';
import { ballotKind } from '../src/election/election.js';
import { loadElection } from '../src/election/load.js';
import { DigitReader } from '../src/recognize/ocr.js';
import { readImage } from '../src/recognize/read-image.js';
import { markSet } from '../src/recognize/reading.js';
import { pageGoesToPerson } from '../src/review/page-rule.js';
import { browserTestsSkipped, CHROMIUM } from './helpers/chromium.js';
import { htmlBallot, screenshotBallot, type HtmlBallotStyle } from './helpers/html-ballot.js';

const election = loadElection('config/election-2023.json');

interface Case {
  readonly kind: string;
  readonly scale: number;
  readonly style: HtmlBallotStyle;
}

/** One case per line: kind, device pixels per CSS px, font, rule px, page width px, layout, ink, more CSS. */
const ballot = (
  kind: string,
  scale: number,
  font: string,
  border: number,
  width: number,
  layout: HtmlBallotStyle['layout'],
  ink: string,
  css?: string,
): Case => ({ kind, scale, style: { font, border, width, layout, ink, ...(css ? { css } : {}) } });

/** A districts ballot at 1.5 device px per CSS px in AR PL UMing, blue ink, with more CSS. */
const smallDistricts = (css: string): Case =>
  ballot('districts', 1.5, 'AR PL UMing CN', 1, 860, 'halves', '#1a2a9a', css);

const CASES: Case[] = [
  ballot('projects', 1.5, 'Noto Sans CJK SC', 1, 974, 'halves', '#1a2a9a'),
  ballot('projects', 2, 'AR PL UMing CN', 2, 736, 'halves', '#111'),
  ballot('projects', 2.5, 'AR PL UKai CN', 1, 900, 'column', '#b01010'),
  ballot('districts', 2.5, 'AR PL UKai CN', 1, 848, 'halves', '#b01010'),
  ballot('districts', 1.5, 'AR PL UMing CN', 2, 872, 'halves', '#1a2a9a'),
  ballot('districts', 2, 'Noto Serif CJK SC', 2, 883, 'column', '#111'),
  // Small print: the county names no wider than the vote column.
  ballot(
    'districts',
    2,
    'Noto Sans CJK SC',
    1,
    860,
    'halves',
    '#1a2a9a',
    'table { font-size: 12px; } td, th { padding: 2px 3px; }',
  ),
  // A vote column wider than the names.
  ballot('districts', 2, 'Noto Sans CJK SC', 1, 860, 'halves', '#111', 'td.v { width: 160px; }'),
  // A grey header row, the page turned a little: the shading is darker than the line level.
  ballot(
    'projects',
    2,
    'Noto Sans CJK SC',
    1,
    860,
    'halves',
    '#1a2a9a',
    'th { background: #d0d0d0; } body { transform: rotate(3deg); transform-origin: 50% 30%; }',
  ),
  ballot('districts', 2, 'Noto Serif CJK SC', 2, 860, 'column', '#111', 'th { background: #bbb; }'),
  // Separate cell borders, as <table border="1"> draws them: every rule doubled, broken where cells meet.
  ballot(
    'projects',
    2,
    'Noto Sans CJK SC',
    1,
    860,
    'halves',
    '#111',
    'table { border: 1px outset #808080; border-collapse: separate; border-spacing: 2px; } td, th { border: 1px inset #808080; }',
  ),
  smallDistricts('table { border-collapse: separate; border-spacing: 3px; }'),
  // ✓ typed at the text's size in tall rows (a form filled in on a computer, then printed):
  // the glyph spans about a third of the row, less than a hand-drawn tick.
  {
    kind: 'projects',
    scale: 2,
    style: {
      font: 'Noto Sans CJK SC',
      border: 1,
      width: 860,
      layout: 'halves',
      ink: '#111',
      typed: '✓',
      css: 'td, th { padding: 12px 6px; }',
    },
  },
  // Dashed rules, as a word processor's border style draws them: every rule broken into
  // dashes a rule's thickness apart, which no run of ink follows end to end.
  ballot('projects', 2, 'Noto Sans CJK SC', 1, 860, 'halves', '#111', 'td, th { border-style: dashed; }'),
  smallDistricts(
    'td, th { border-style: dashed; } body { transform: rotate(3deg); transform-origin: 50% 30%; }',
  ),
  // A table printed without its outer border: the inner rules run on to where it would be.
  ballot('districts', 2, 'Noto Sans CJK SC', 1, 860, 'halves', '#111', 'table { border-style: hidden; }'),
  ballot('projects', 2, 'AR PL UMing CN', 1, 900, 'halves', '#1a2a9a', 'table { border-style: hidden; }'),
];

describe.skipIf(browserTestsSkipped)('ballots retyped as HTML tables, rendered by Chromium', () => {
  let browser: Browser;
  let digits: DigitReader;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    digits = await DigitReader.create();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await digits?.close();
  });

  async function render(i: number, c: Case) {
    const rng = createRng(`html-ballot-${i}`);
    const kind = ballotKind(election, c.kind)!;
    const numbers = kind.items.map((it) => it.number);
    const marks = new Set(rng.sample(numbers, rng.int(1, kind.maxMarks)));
    const png = await screenshotBallot(
      browser,
      htmlBallot(election, c.kind, marks, c.style, rng),
      c.scale,
      c.style,
    );
    return { kind, marks, reading: await readImage(png, election, digits) };
  }

  it.each(CASES.map((c, i) => [i, c] as const))(
    'case %i reads exactly',
    async (i, c) => {
      const { kind, marks, reading: r } = await render(i, c);
      expect(r.status).toBe('ballots');
      if (r.status !== 'ballots') return;
      expect(r.ballots).toHaveLength(1);
      const b = r.ballots[0]!;
      expect(b.kind).toBe(c.kind);
      const read = markSet(b);
      expect(read.marked).toEqual([...marks].sort((x, y) => x - y));
      expect(read.uncertain).toEqual([]);
      expect(b.doubts).toEqual([]);
      expect(judge(read, kind).status).toBe('valid');
    },
    60_000,
  );

  // Not read yet (README, Status): each must reach a person and never be counted.
  const UNREAD: [string, Partial<HtmlBallotStyle>][] = [
    ['two separate tables, rows not lined up', { layout: 'tables' }],
  ];
  it.each(UNREAD.map(([what, style], i) => [what, i, style] as const))(
    'sends a ballot with %s to a person, never counting it',
    async (_what, i, style) => {
      const c = CASES[1]!;
      const { kind, reading: r } = await render(100 + i, { ...c, style: { ...c.style, ...style } });
      if (r.status === 'ballots') {
        for (const b of r.ballots)
          expect(judge(markSet(b), ballotKind(election, b.kind) ?? kind).status).toBe('review');
      } else {
        expect(pageGoesToPerson(r)).toBe(true);
      }
    },
    60_000,
  );
});
