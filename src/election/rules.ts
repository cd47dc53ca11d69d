import type { BallotKind } from './election.js';
import type { InvalidReason, ReviewReason } from './reasons.js';

/** What the rules need from a reading: the item numbers read as marked, those in doubt, and any doubts about the page. */
export interface MarkSet {
  /** Item numbers read as definitely marked. */
  readonly marked: readonly number[];
  /** Item numbers whose mark the reader could not decide. */
  readonly uncertain: readonly number[];
  /** Doubts about the reading as a whole (kind unclear, a row not placed, …). */
  readonly doubts: readonly ReviewReason[];
}

export type Verdict =
  | { readonly status: 'valid'; readonly marks: readonly number[] }
  | { readonly status: 'invalid'; readonly reason: InvalidReason; readonly marks: readonly number[] }
  | {
      readonly status: 'review';
      readonly reasons: readonly ReviewReason[];
      readonly marks: readonly number[];
    };

export type VerdictStatus = Verdict['status'];

function sortedUnique(list: readonly number[]): number[] {
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * Doubts about single cells (a mark too faint or too ambiguous to call, a cell scribbled
 * over or filled): each goes with an uncertain item, and says nothing about the rest of
 * the reading. Every other doubt (kind, rows, layout, OCR, the page as a whole) puts the
 * definite marks themselves in question.
 */
const CELL_DOUBTS: ReadonlySet<ReviewReason> = new Set(['marginal_mark', 'correction']);

/**
 * Judge one ballot. Pure: the same marks and rules always give the same verdict.
 * Uncertain marks send the ballot to a person unless no way of resolving them
 * could change the outcome: a ballot whose definite marks are already over the limit
 * stays over it whatever its uncertain cells hold (a faint tick or a correction can only
 * add a mark or take none away), provided nothing but those cells is in doubt.
 */
export function judge(reading: MarkSet, ballot: BallotKind): Verdict {
  const known = new Set(ballot.items.map((i) => i.number));
  const all = [...reading.marked, ...reading.uncertain];
  const marks = sortedUnique(reading.marked);
  const reasons = new Set<ReviewReason>(reading.doubts);

  if (all.some((n) => !known.has(n))) reasons.add('unknown_item');
  if (new Set(all).size !== all.length) reasons.add('duplicate_item');
  if ([...reasons].some((r) => !CELL_DOUBTS.has(r)))
    return { status: 'review', reasons: [...reasons], marks };

  const definite = marks.length;
  if (definite > ballot.maxMarks) return { status: 'invalid', reason: 'overvote', marks };
  if (reasons.size > 0) return { status: 'review', reasons: [...reasons], marks };
  if (reading.uncertain.length > 0) return { status: 'review', reasons: ['marginal_mark'], marks };
  return countRule(definite, ballot, marks);
}

function countRule(count: number, ballot: BallotKind, marks: readonly number[]): Verdict {
  const { rules, maxMarks } = ballot;
  if (count === 0) {
    return rules.blank === 'invalid'
      ? { status: 'invalid', reason: 'blank', marks }
      : { status: 'valid', marks };
  }
  if (count > maxMarks) return { status: 'invalid', reason: 'overvote', marks };
  if (count < maxMarks && rules.underLimit === 'invalid')
    return { status: 'invalid', reason: 'undervote', marks };
  return { status: 'valid', marks };
}

/** A person's corrected reading is judged by the same rules, with no machine doubts left. */
export function judgeConfirmed(marks: readonly number[], ballot: BallotKind): Verdict {
  return judge({ marked: marks, uncertain: [], doubts: [] }, ballot);
}
