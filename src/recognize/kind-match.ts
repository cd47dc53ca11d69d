import type { BallotKind } from '../election/election.js';

/**
 * Which ballot kind a table is, from what the table itself shows: how many item rows
 * it has, the highest serial number read, and (when available) words of the title
 * OCR'd near the table. Pure.
 */
export interface KindEvidence {
  readonly rowCount: number;
  readonly maxSerialRead: number | null;
  /** Text read above the table, '' when none. */
  readonly titleText: string;
}

export interface KindMatch {
  readonly kind: BallotKind;
  readonly score: number;
  /** Score of the best kind minus that of the runner-up. */
  readonly margin: number;
  /** The row count is exactly the kind's item count. */
  readonly rowsMatch: boolean;
}

/** Characters of `title` that no other kind's title has: what tells the kinds apart in print. */
export function distinctiveChars(kind: BallotKind, all: readonly BallotKind[]): string[] {
  const others = new Set(all.filter((k) => k !== kind).flatMap((k) => [...k.title]));
  return [...new Set([...kind.title])].filter((ch) => !others.has(ch) && /\p{L}|\p{N}/u.test(ch));
}

function lastNumber(kind: BallotKind): number {
  return Math.max(...kind.items.map((i) => i.number));
}

export function matchKind(ev: KindEvidence, kinds: readonly BallotKind[]): KindMatch | null {
  if (kinds.length === 0) return null;
  const lastNumbers = kinds.map(lastNumber);
  const scored = kinds.map((kind, k) => {
    const n = kind.items.length;
    const maxNo = lastNumbers[k]!;
    // Rows: 1 at an exact count, falling off with the relative difference.
    const rows = Math.max(0, 1 - Math.abs(ev.rowCount - n) / Math.max(2, n * 0.5));
    // Serials: none past the last item, and the nearer the last item the surer. A serial
    // past the last item of every kind numbered lower says as much as the last item
    // itself: a 9 read on a ballot of 39 items where the other has 8 (a photo whose far
    // half and lower rows went unread must not weigh as a doubt about its kind).
    const lower = lastNumbers.filter((m) => m < maxNo);
    let serial = 0.5;
    if (ev.maxSerialRead !== null)
      serial =
        ev.maxSerialRead > maxNo
          ? 0
          : lower.length > 0 && ev.maxSerialRead > Math.max(...lower)
            ? 1
            : 1 - Math.abs(ev.maxSerialRead - maxNo) / maxNo;
    let title = 0.5;
    const hitRate = (k: BallotKind): number => {
      const d = distinctiveChars(k, kinds);
      return d.length === 0 ? 0 : d.filter((ch) => ev.titleText.includes(ch)).length / d.length;
    };
    if (ev.titleText) {
      // A kind whose title has no words of its own ("…选票" inside "…县区选票") is told by the others' words being absent.
      title =
        distinctiveChars(kind, kinds).length > 0
          ? hitRate(kind)
          : 1 - Math.max(0, ...kinds.filter((k) => k !== kind).map(hitRate));
    }
    return { kind, rows, serial, title, rowsMatch: ev.rowCount === n };
  });
  // Title words only count when some kind's distinctive words were seen at all.
  const titleSeen = ev.titleText.length > 0;
  const final = scored.map((s) => ({
    ...s,
    score: 0.6 * s.rows + 0.25 * s.serial + (titleSeen ? 0.15 * s.title : 0.075),
  }));
  final.sort((a, b) => b.score - a.score);
  const best = final[0]!;
  const second = final[1];
  return {
    kind: best.kind,
    score: best.score,
    margin: second ? best.score - second.score : best.score,
    rowsMatch: best.rowsMatch,
  };
}
