/**
 * A ballot as someone retyping it might produce: an HTML table laid out by the browser (column
 * widths from the content, long names wrapping, CSS borders), ticked with pen-like SVG strokes.
 * It shares only the seeded random numbers with the fixture generator (scripts/fixtures), so
 * reading it tests the recognizer on a layout engine and a mark drawing it was not tuned on.
 */
import type { Browser } from 'playwright-core';
import type { Rng } from '../../scripts/fixtures/rng.js';
import type { Election } from '../../src/election/election.js';

export interface HtmlBallotStyle {
  readonly font: string;
  /** Rule width in CSS px. */
  readonly border: number;
  /** Page width in CSS px; the table takes what its content needs up to it. */
  readonly width: number;
  /**
   * 'halves': one table of two halves side by side (as the notice prints it); 'column': one half
   * under the other; 'tables': each half its own table, side by side, so their rows do not line up.
   */
  readonly layout: 'halves' | 'column' | 'tables';
  readonly ink: string;
  /** Marks typed as this glyph (✓ or √) in the cell's text, not drawn as pen strokes. */
  readonly typed?: string;
  /** More CSS after the defaults (smaller print, a wider vote column...). */
  readonly css?: string;
}

/** A hand-drawn-looking √: a short down stroke and a long up stroke, varied in size, slant and place. */
function tick(ink: string, rng: Rng): string {
  const a = rng.range(20, 35);
  const b = rng.range(55, 65);
  const c = rng.range(85, 95);
  const box = `left:${rng.range(10, 30)}%;top:${rng.range(5, 20)}%;width:${rng.range(50, 80)}%;height:${rng.range(70, 90)}%`;
  return (
    `<svg viewBox="0 0 100 100" preserveAspectRatio="none" style="position:absolute;${box}">` +
    `<path d="M ${a - 10} ${b - 5} Q ${a} ${b + 10} ${a + 12} ${c} Q ${b} 40 ${c} ${rng.range(5, 15)}" ` +
    `stroke="${ink}" stroke-width="${rng.range(6, 12)}" fill="none" stroke-linecap="round"/></svg>`
  );
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function htmlBallot(
  election: Election,
  kind: string,
  marks: ReadonlySet<number>,
  style: HtmlBallotStyle,
  rng: Rng,
): string {
  const ballot = election.ballots.find((b) => b.kind === kind);
  if (!ballot) throw new Error(`no ballot kind ${kind}`);
  const items = ballot.items;
  const cells = (it: (typeof items)[number] | undefined): string =>
    it
      ? `<td class="n">${it.number}</td><td>${it.provincial ? '*' : ''}${escape(it.name)}</td>` +
        `<td class="v">${marks.has(it.number) ? (style.typed ?? tick(style.ink, rng)) : ''}</td>`
      : '<td></td><td></td><td class="v"></td>';
  const head = `<th>序号</th><th>${escape(ballot.itemLabel.zh)}</th><th>${escape(ballot.markedLabel)}</th>`;
  const page = (body: string): string =>
    `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font-family: '${style.font}'; margin: 40px; background: #fff; width: ${style.width}px; }
    h1 { font-size: 22px; text-align: center; }
    table { border-collapse: collapse; font-size: 15px; }
    td, th { border: ${style.border}px solid #222; padding: 4px 6px; }
    td.n { text-align: center; width: 36px; }
    td.v { width: 60px; position: relative; }
    ${style.css ?? ''}
  </style></head><body><h1>${escape(ballot.title)}</h1>${body}
  <p>(限选${ballot.maxMarks}项,多选无效)</p></body></html>`;
  let rows: string[];
  if (style.layout === 'tables') {
    const cut = Math.ceil(items.length / 2);
    const table = (part: typeof items): string =>
      `<table><tr>${head}</tr>${part.map((it) => `<tr>${cells(it)}</tr>`).join('')}</table>`;
    return page(`<div style="display:flex">${table(items.slice(0, cut))}${table(items.slice(cut))}</div>`);
  }
  if (style.layout === 'halves') {
    const cut = Math.ceil(items.length / 2);
    rows = [`<tr>${head}${head}</tr>`];
    for (let r = 0; r < cut; r++) rows.push(`<tr>${cells(items[r])}${cells(items[cut + r])}</tr>`);
  } else {
    rows = [`<tr>${head}</tr>`, ...items.map((it) => `<tr>${cells(it)}</tr>`)];
  }
  return page(`<table>${rows.join('')}</table>`);
}

/**
 * A full-page screenshot of a ballot page at `scale` device pixels per CSS px, in a window
 * as wide as the page (`style.width`) and its margins.
 */
export async function screenshotBallot(
  browser: Browser,
  html: string,
  scale: number,
  style: Pick<HtmlBallotStyle, 'width'>,
): Promise<Buffer> {
  const page = await browser.newPage({
    deviceScaleFactor: scale,
    viewport: { width: style.width + 80, height: 800 },
  });
  try {
    await page.setContent(html);
    return await page.screenshot({ fullPage: true });
  } finally {
    await page.close();
  }
}
