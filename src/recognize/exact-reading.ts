import type { BallotKind, Election } from '../election/election.js';
import type { ReviewReason } from '../election/reasons.js';
import { matchKind } from './kind-match.js';
import type { BallotReading, ItemReading, ReadingMethod } from './reading.js';
import type { VoteText } from './vote-text.js';

/** One table row read from an exact source (text layer or office document). */
export interface ExactRow {
  readonly number: number;
  readonly vote: VoteText;
}

/**
 * A reading from an exact source: the text says which rows exist and which cells
 * hold a tick, so scores are 0 or 1 and confidence is full unless something in the
 * text itself is odd (an unknown or repeated number, a row missing, unclear kind).
 */
export function exactReading(
  rows: readonly ExactRow[],
  titleText: string,
  election: Election,
  method: Extract<ReadingMethod, 'pdf-text' | 'document'>,
): BallotReading | null {
  if (rows.length === 0) return null;
  const numbers = rows.map((r) => r.number);
  const match = matchKind(
    { rowCount: new Set(numbers).size, maxSerialRead: Math.max(...numbers), titleText },
    election.ballots,
  );
  if (!match || match.score < 0.45) return null;
  const kind: BallotKind = match.kind;
  const doubts = new Set<ReviewReason>();
  const notes: string[] = [];
  const byNumber = new Map<number, ExactRow>();
  for (const r of rows) {
    if (byNumber.has(r.number)) {
      doubts.add('duplicate_item');
      notes.push(`item ${r.number} appears twice`);
    }
    byNumber.set(r.number, r);
  }
  const known = new Set(kind.items.map((i) => i.number));
  for (const n of byNumber.keys()) {
    if (!known.has(n)) {
      doubts.add('unknown_item');
      notes.push(`row numbered ${n} is not an item of the ${kind.kind} ballot`);
    }
  }
  const items: ItemReading[] = kind.items.map((item) => {
    const r = byNumber.get(item.number);
    if (!r) {
      doubts.add('row_unplaced');
      return { number: item.number, score: 0, decision: 'uncertain', box: null, note: 'row not found' };
    }
    if (r.vote.decision === 'uncertain') {
      doubts.add('marginal_mark');
      return { number: item.number, score: 0.5, decision: 'uncertain', box: null, note: r.vote.note };
    }
    return {
      number: item.number,
      score: r.vote.decision === 'marked' ? 1 : 0,
      decision: r.vote.decision,
      box: null,
    };
  });
  if (!match.rowsMatch || match.margin < 0.2) {
    doubts.add('kind_uncertain');
    notes.push(`kind ${kind.kind} scored ${match.score.toFixed(2)}, margin ${match.margin.toFixed(2)}`);
  }
  return {
    kind: kind.kind,
    kindConfidence: Math.round(Math.min(1, match.score) * 1000) / 1000,
    method,
    items,
    confidence: doubts.size === 0 ? 1 : 0.5,
    doubts: [...doubts],
    notes,
    region: null,
    image: null,
    evidence: { rows: rows.length, titleText },
  };
}
