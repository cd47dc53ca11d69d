import type { Election } from '../election/election.js';
import type { TextItem, TextLayer } from '../extract/page.js';
import { compact, normalizeCjk } from './cjk-normalize.js';
import { exactReading, type ExactRow } from './exact-reading.js';
import type { BallotReading } from './reading.js';
import { isTickText, readVoteText, type VoteText } from './vote-text.js';

export interface TextLayerResult {
  readonly ballots: BallotReading[];
  /** Tick glyphs found; zero means ticks (if any) are drawn or handwritten, so the raster must be read. */
  readonly ticks: number;
}

interface Line {
  readonly y: number;
  readonly h: number;
  readonly items: TextItem[];
}

function cx(i: TextItem): number {
  return i.x + i.width / 2;
}

/** Text items grouped into lines by vertical overlap. */
function toLines(items: readonly TextItem[]): Line[] {
  const sorted = [...items].filter((i) => i.str.trim() !== '').sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: { y: number; h: number; items: TextItem[] }[] = [];
  for (const it of sorted) {
    const mid = it.y + it.height / 2;
    const line = lines.find((l) => Math.abs(l.y - mid) <= Math.max(l.h, it.height) * 0.5);
    if (line) line.items.push(it);
    else lines.push({ y: mid, h: Math.max(1, it.height), items: [it] });
  }
  for (const l of lines) l.items.sort((a, b) => a.x - b.x);
  return lines.sort((a, b) => a.y - b.y);
}

/**
 * Read ballots from a PDF text layer: exact when the PDF was typed (ticks are √
 * glyphs). Each line holding the vote-column label is a table header; its label
 * positions are the vote columns and the "序号" positions the serial columns. Each
 * later line gives item numbers (numbers near a serial column) and ticks (tick
 * glyphs near a vote column, same line, same half). Pure.
 */
export function readTextLayer(layer: TextLayer, election: Election): TextLayerResult {
  const labels = new Set(election.ballots.map((b) => compact(b.markedLabel)));
  const lines = toLines(layer.items.map((i) => ({ ...i, str: normalizeCjk(i.str) })));
  const ballots: BallotReading[] = [];
  let ticks = 0;
  let titleStart = 0;
  let l = 0;
  while (l < lines.length) {
    const line = lines[l]!;
    const votes = line.items.filter((i) => labels.has(compact(i.str)));
    if (votes.length === 0) {
      l++;
      continue;
    }
    const serials = line.items.filter((i) => compact(i.str) === '序号');
    const halves = votes
      .map((v) => {
        const left = serials.filter((s) => cx(s) < cx(v)).sort((a, b) => cx(b) - cx(a))[0];
        return { vote: cx(v), serial: left ? cx(left) : null, voteWidth: Math.max(v.width, line.h * 2) };
      })
      .sort((a, b) => a.vote - b.vote);
    const titleText = lines
      .slice(titleStart, l)
      .map((x) => x.items.map((i) => i.str).join(''))
      .join('');
    const rows: ExactRow[] = [];
    l++;
    while (l < lines.length) {
      const cur = lines[l]!;
      if (cur.items.some((i) => labels.has(compact(i.str)))) break;
      let any = false;
      for (let h = 0; h < halves.length; h++) {
        const half = halves[h]!;
        // A half starts between the previous half's vote column and its own serial column.
        const lo = h === 0 ? -Infinity : (halves[h - 1]!.vote + (half.serial ?? half.vote)) / 2;
        const inHalf = cur.items.filter((i) => cx(i) > lo && cx(i) <= half.vote + half.voteWidth);
        const num = inHalf.find(
          (i) =>
            /^\d{1,3}$/u.test(i.str.trim()) &&
            (half.serial === null || Math.abs(cx(i) - half.serial) < line.h * 3),
        );
        if (!num) continue;
        any = true;
        const inVote = inHalf.filter(
          (i) => i !== num && Math.abs(cx(i) - half.vote) <= half.voteWidth * 0.75,
        );
        const text = inVote.map((i) => i.str).join('');
        if (isTickText(text)) ticks++;
        const vote: VoteText = readVoteText(text);
        rows.push({ number: Number(num.str.trim()), vote });
      }
      if (!any && rows.length > 0) break;
      l++;
    }
    const reading = exactReading(rows, titleText, election, 'pdf-text');
    if (reading) ballots.push(reading);
    titleStart = l;
  }
  return { ballots, ticks };
}
