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
  // barely wider than the vote column, or narrower, when the table is retyped with widths
  // set by its content. Then the content tells: a name column holds text in nearly every
  // row, one neighbour does too and is much narrower (the serials), and the other is mostly
  // empty (the votes). (Occupancy is an ink share per cell, so a few characters in a very
  // wide name column may count as empty: the width rule above stays the first witness.)
  const byContent = widths.map((w, c) => {
    if (c - 1 < 0 || c + 1 >= widths.length || occ(c) < 0.9) return false;
    const serialSide = (s: number, v: number): boolean =>
      occ(s) >= 0.9 && w >= 1.6 * widths[s]! && occ(v) <= 0.75;
    return serialSide(c - 1, c + 1) || serialSide(c + 1, c - 1);
  });
  // A wide but mostly empty column beside such a column is a generous vote column, not the names.
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (occ(n) >= 0.5) continue;
    const full = [n - 1, n + 1].find((c) => byContent[c] && !names.includes(c));
    if (full !== undefined) names[i] = full;
  }
  byContent.forEach((yes, c) => {
    if (yes && !names.some((n) => Math.abs(n - c) <= 1)) names.push(c);
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
