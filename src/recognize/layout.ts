/**
 * Column roles from content, not from positions of one printed layout.
 * A ballot table is one or more "halves", each a serial column, a wide name
 * column and a vote column. Serial cells all hold digits; vote cells are mostly
 * empty; the name column is the wide one. Pure.
 */
export interface Half {
  readonly serial: number;
  readonly name: number;
  readonly vote: number;
}

export interface LayoutGuess {
  readonly halves: readonly Half[];
  /** True when the serial column sits right of the name column: the table is upside down. */
  readonly upsideDown: boolean;
  /** How clearly the occupancy pattern told serial from vote columns (0..1). */
  readonly orientationMargin: number;
  /**
   * Two halves claim one column (one's vote column is the next one's serial column):
   * a rule between a name and a vote column was missed, and the roles are a guess.
   */
  readonly sharedColumn: boolean;
}

/**
 * `widths[c]` = width of column c; `occupied[r][c]` = whether cell (r, c) holds ink.
 * Row 0 and the last row are left out of the occupancy vote, since one of them is the
 * header (ink in every column) whichever way up the table is.
 */
export function guessLayout(
  widths: readonly number[],
  occupied: readonly (readonly boolean[])[],
): LayoutGuess | null {
  if (widths.length < 2) return null;
  const sorted = [...widths].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const min = sorted[0]!;
  const names: number[] = [];
  widths.forEach((w, c) => {
    if (w >= 1.8 * Math.min(median, 2 * min) && w >= 1.6 * min) names.push(c);
  });
  const body = occupied.slice(1, Math.max(1, occupied.length - 1));
  const occ = (c: number): number => {
    if (c < 0 || c >= widths.length || body.length === 0) return 0;
    return body.filter((row) => row[c]).length / body.length;
  };
  // Short names (the districts ballot's are three to nine characters) leave a name column
  // barely wider than a generous vote column, under the bar above when the table is retyped
  // with widths set by its content. Such a column is a name column too when it is clearly
  // wider than both neighbours, holds text in nearly every row, and one neighbour does too
  // (the serials): the content says what the widths alone do not.
  widths.forEach((w, c) => {
    if (names.includes(c) || c - 1 < 0 || c + 1 >= widths.length) return;
    if (names.some((n) => Math.abs(n - c) <= 1)) return;
    const wider = w >= 1.3 * Math.max(widths[c - 1]!, widths[c + 1]!) && w >= 1.6 * min;
    if (wider && occ(c) >= 0.9 && Math.max(occ(c - 1), occ(c + 1)) >= 0.9) names.push(c);
  });
  names.sort((a, b) => a - b);
  if (names.length === 0) return null;
  let vote = 0;
  let pairs = 0;
  for (const n of names) {
    if (n - 1 < 0 || n + 1 >= widths.length) continue;
    vote += occ(n - 1) - occ(n + 1);
    pairs++;
  }
  if (pairs === 0) return null;
  const upsideDown = vote < 0;
  const halves: Half[] = [];
  for (const n of names) {
    if (n - 1 < 0 || n + 1 >= widths.length) continue;
    halves.push(
      upsideDown ? { serial: n + 1, name: n, vote: n - 1 } : { serial: n - 1, name: n, vote: n + 1 },
    );
  }
  const used = halves.flatMap((h) => [h.serial, h.name, h.vote]);
  const sharedColumn = new Set(used).size < used.length;
  return { halves, upsideDown, orientationMargin: Math.min(1, Math.abs(vote) / pairs), sharedColumn };
}

/** Mirror a layout found on an upside-down table into the coordinates of the table turned upright. */
export function mirrorHalves(halves: readonly Half[], columnCount: number): Half[] {
  const m = (c: number): number => columnCount - 1 - c;
  return halves
    .map((h) => ({ serial: m(h.serial), name: m(h.name), vote: m(h.vote) }))
    .sort((a, b) => a.name - b.name);
}
