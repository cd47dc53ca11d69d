/**
 * How the recognizer reads ballots retyped as HTML tables in styles people use, laid out by
 * Chromium (test/helpers/html-ballot.ts) and captured in ways our fixture generator does not
 * draw (CSS 3D transforms, sharp's blur, JPEG and noise): neither the layout engine nor the
 * captures share code with what the recognizer was tuned on. Prints, per style and capture,
 * how many ballots were read exactly and without doubt, sent to review, read wrongly without
 * doubt (must be 0) or not found, and lists every page not read exactly.
 *
 *   npm run bench:retyped [-- --style shadedHead] [-- --capture photo] [-- --save DIR]
 *
 * Needs Debian's Chromium and the CJK fonts (scripts/install-system-deps.sh).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { chromium } from 'playwright-core';
import { loadElection } from '../src/election/load.js';
import { DigitReader } from '../src/recognize/ocr.js';
import { readImage } from '../src/recognize/read-image.js';
import { markSet } from '../src/recognize/reading.js';
import { pageGoesToPerson } from '../src/review/page-rule.js';
import { CHROMIUM } from '../test/helpers/chromium.js';
import { htmlBallot, screenshotBallot, type HtmlBallotStyle } from '../test/helpers/html-ballot.js';
import { createRng } from './fixtures/rng.js';

const program = new Command()
  .name('bench-retyped')
  .option('--style <name>', 'only this table style')
  .option('--capture <name>', 'only this capture')
  .option('--config <file>', 'election config', 'config/election-2023.json')
  .option('--save <dir>', 'write each page not read exactly to this folder, as <style>-<capture>-<kind>.png')
  .parse();
const opts = program.opts<{ style?: string; capture?: string; config: string; save?: string }>();

/** Table styles: CSS added after the ballot's own, and marks typed as a glyph instead of drawn. */
const STYLES: Record<string, Pick<HtmlBallotStyle, 'css' | 'typed'>> = {
  plain: { css: '' },
  shadedHead: { css: 'th { background: #d0d0d0; }' },
  narrowVote: { css: 'td.v { width: 34px !important; }' },
  thick3: { css: 'td, th { border-width: 3px !important; }' },
  small12: { css: 'table { font-size: 12px !important; } td, th { padding: 2px 3px !important; }' },
  big20: { css: 'table { font-size: 20px !important; }' },
  zebra: { css: 'tr:nth-child(even) td { background: #eee; }' },
  grayRules: { css: 'td, th { border-color: #999 !important; }' },
  noOuter: { css: 'table { border-style: hidden; }' },
  wideVote: { css: 'td.v { width: 160px !important; }' },
  separate: { css: 'table { border-collapse: separate !important; border-spacing: 2px; }' },
  borderAttr: {
    css: 'table { border: 1px outset #808080; border-collapse: separate !important; border-spacing: 2px; } td, th { border: 1px inset #808080 !important; }',
  },
  dashed: { css: 'td, th { border-style: dashed !important; }' },
  tallRows: { css: 'td { height: 48px; }' },
  serif: { css: "body { font-family: 'Noto Serif CJK SC' !important; }" },
  // ✓ typed at the text's size in tall rows (a form filled in on a computer, then printed).
  typedTall: { css: 'td, th { padding: 12px 6px; }', typed: '✓' },
};

/** Captures: CSS on the page (3D transforms), device pixels per CSS px, and a post-process. */
interface Capture {
  readonly css?: string;
  readonly scale?: number;
  readonly post?: (png: Buffer, seed: string) => Promise<Buffer>;
}
const CAPTURES: Record<string, Capture> = {
  clean: {},
  turned: { css: 'body { transform: rotate(3deg); transform-origin: 50% 30%; }' },
  photo: {
    css:
      'html { perspective: 1200px; background: #8a7a66; } body { transform: rotateX(12deg) rotateY(-8deg) ' +
      'rotateZ(2deg); transform-origin: 50% 40%; padding: 30px; box-shadow: 0 0 30px #000; }',
    post: async (png) => sharp(png).blur(1.1).modulate({ brightness: 0.85 }).jpeg({ quality: 55 }).toBuffer(),
  },
  lowres: {
    scale: 1,
    post: async (png) => sharp(png).resize({ width: 700 }).jpeg({ quality: 70 }).toBuffer(),
  },
  photocopy: {
    post: async (png, seed) => {
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      const rng = createRng(seed);
      for (let i = 0; i < data.length; i++) {
        // Grey paper, lighter ink, grain and specks.
        let v = data[i]! * 0.82 + 18;
        if (rng.range(0, 1) < 0.004) v = rng.range(0, 90);
        data[i] = Math.max(0, Math.min(255, v + rng.range(-12, 12)));
      }
      return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
        .blur(0.7)
        .png()
        .toBuffer();
    },
  },
  upsideDown: { post: async (png) => sharp(png).rotate(180).png().toBuffer() },
};

type Outcome = 'exact' | 'review' | 'wrong' | 'lost';

const election = loadElection(opts.config);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const digits = await DigitReader.create();
const tally = new Map<string, Record<Outcome, number>>();
const count = (key: string, o: Outcome): void => {
  const t = tally.get(key) ?? { exact: 0, review: 0, wrong: 0, lost: 0 };
  t[o]++;
  tally.set(key, t);
};
const misses: string[] = [];
for (const [style, look0] of Object.entries(STYLES)) {
  if (opts.style && style !== opts.style) continue;
  for (const [capName, cap] of Object.entries(CAPTURES)) {
    if (opts.capture && capName !== opts.capture) continue;
    for (const kind of election.ballots) {
      const seed = `${style}-${capName}-${kind.kind}`;
      const rng = createRng(seed);
      const marks = new Set(
        rng.sample(
          kind.items.map((i) => i.number),
          rng.int(1, kind.maxMarks),
        ),
      );
      const ink = rng.pick(['#1a2a9a', '#111', '#b01818']);
      const look = { font: 'Noto Sans CJK SC', border: 1, width: 860, layout: 'halves' as const, ink };
      const html = htmlBallot(
        election,
        kind.kind,
        marks,
        { ...look, ...look0, css: (look0.css ?? '') + (cap.css ?? '') },
        rng,
      );
      let png = await screenshotBallot(browser, html, cap.scale ?? 2, look);
      if (cap.post) png = await cap.post(png, seed);
      const reading = await readImage(png, election, digits);
      const want = [...marks].sort((a, b) => a - b).join(',');
      let outcome: Outcome;
      let detail: string;
      if (reading.status !== 'ballots') {
        outcome = 'lost';
        detail = `${reading.status}${pageGoesToPerson(reading) ? ', shown to staff as a possible ballot' : ', NOT shown to staff'}`;
      } else {
        const b = reading.ballots[0]!;
        const read = markSet(b);
        const right = reading.ballots.length === 1 && b.kind === kind.kind && read.marked.join(',') === want;
        const sure = reading.ballots.every((x) => x.doubts.length === 0 && markSet(x).uncertain.length === 0);
        outcome = right && sure ? 'exact' : sure ? 'wrong' : 'review';
        detail = `${b.kind} read ${read.marked.join(',') || '-'} want ${want}; ${b.doubts.join(', ') || 'no doubt'}`;
      }
      count(style, outcome);
      count(`capture ${capName}`, outcome);
      count('all', outcome);
      if (outcome !== 'exact') {
        misses.push(`  ${seed}: ${outcome.toUpperCase()} (${detail})`);
        if (opts.save) {
          await mkdir(opts.save, { recursive: true });
          await writeFile(join(opts.save, `${seed}.png`), await sharp(png).png().toBuffer());
        }
      }
    }
  }
}
await browser.close();
await digits.close();

const line = (key: string, t: Record<Outcome, number>): string =>
  `${key.padEnd(22)}${String(t.exact).padStart(6)}${String(t.review).padStart(8)}${String(t.wrong).padStart(7)}${String(t.lost).padStart(6)}`;
console.log(
  `${''.padEnd(22)}${'exact'.padStart(6)}${'review'.padStart(8)}${'wrong'.padStart(7)}${'lost'.padStart(6)}`,
);
const keys = [...tally.keys()];
const order = [...keys.filter((k) => k in STYLES), ...keys.filter((k) => k.startsWith('capture ')), 'all'];
for (const key of order) if (tally.has(key)) console.log(line(key, tally.get(key)!));
if (misses.length) console.log(`\nnot read exactly (${misses.length}):\n${misses.join('\n')}`);
process.exit(0);
