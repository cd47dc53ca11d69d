import type { Election } from '../election/election.js';
import { compact } from './cjk-normalize.js';
import { exactReading, type ExactRow } from './exact-reading.js';
import type { BallotReading } from './reading.js';
import { readVoteText } from './vote-text.js';

/**
 * Ballots typed into a .docx/.xlsx table. Every header row holding the vote-column
 * label starts a table; each label column pairs with the serial column left of it
 * (the nearest "序号" column, else the nearest column holding numbers). Rows map to
 * items by their serial number, never by position. Pure.
 */
export function readDocument(rows: readonly (readonly string[])[], election: Election): BallotReading[] {
  const labels = new Set(election.ballots.map((b) => compact(b.markedLabel)));
  const out: BallotReading[] = [];
  let titleLines: string[] = [];
  let r = 0;
  while (r < rows.length) {
    const row = rows[r]!.map((c) => compact(c));
    const voteCols = row.flatMap((c, i) => (labels.has(c) ? [i] : []));
    if (voteCols.length === 0) {
      const text = rows[r]!.join('').trim();
      if (text) titleLines.push(text);
      r++;
      continue;
    }
    const halves = voteCols.map((v) => {
      let serial = -1;
      for (let c = v - 1; c >= 0; c--) {
        if (row[c] === '序号' || /序号|编号|No/iu.test(row[c] ?? '')) {
          serial = c;
          break;
        }
      }
      if (serial < 0) serial = Math.max(0, v - 2);
      return { serial, vote: v };
    });
    const found: ExactRow[] = [];
    r++;
    while (r < rows.length) {
      const cells = rows[r]!;
      const compacted = cells.map((c) => compact(c));
      if (compacted.some((c) => labels.has(c))) break;
      let any = false;
      for (const h of halves) {
        const serial = (cells[h.serial] ?? '').trim().normalize('NFKC');
        if (!/^\d{1,3}$/u.test(serial)) continue;
        any = true;
        found.push({ number: Number(serial), vote: readVoteText(cells[h.vote] ?? '') });
      }
      // The table ends at the first row with no serial in any half that is not blank padding.
      if (!any && cells.join('').trim() !== '' && found.length > 0) break;
      r++;
    }
    const reading = exactReading(found, titleLines.slice(-3).join(''), election, 'document');
    if (reading) out.push(reading);
    titleLines = [];
  }
  return out;
}
