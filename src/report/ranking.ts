import type { BallotKind } from '../election/election.js';
import type { KindTally } from '../store/tally.js';
import type { RankedItem } from './report-data.js';

/**
 * Order the items of one ballot by valid votes. Equal votes share a place (competition
 * ranking) and keep ballot order, so nobody is placed above a tie by accident of sorting.
 * Places within highlightTop are highlighted; a tie that straddles the cut is flagged,
 * because then more items than the vote asks for stand on the highlighted places.
 */
export function rankItems(kind: BallotKind, tally: KindTally): RankedItem[] {
  const votesOf = (n: number): number => tally.votes[String(n)] ?? 0;
  const sorted = [...kind.items].sort((a, b) => votesOf(b.number) - votesOf(a.number) || a.number - b.number);
  const valid = tally.ballots.valid;
  const ranks: number[] = [];
  sorted.forEach((item, i) => {
    const prev = sorted[i - 1];
    ranks.push(prev && votesOf(prev.number) === votesOf(item.number) ? (ranks[i - 1] ?? i + 1) : i + 1);
  });
  return sorted.map((item, i) => {
    const votes = votesOf(item.number);
    const rank = ranks[i] ?? i + 1;
    const highlighted = votes > 0 && rank <= kind.highlightTop;
    const tieSize = sorted.filter((o) => votesOf(o.number) === votes).length;
    const tiedAtCut = highlighted && rank + tieSize - 1 > kind.highlightTop;
    return {
      rank,
      number: item.number,
      name: item.name,
      provincial: item.provincial,
      votes,
      share: valid > 0 ? votes / valid : 0,
      highlighted,
      tiedAtCut,
    };
  });
}
