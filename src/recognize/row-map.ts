import { median } from './table-grid.js';

/**
 * Which item each table row holds. Two witnesses: the row sequence (items are
 * numbered down each half, halves left to right) and OCR of the serial cell.
 * They must agree; where they do not, the ballot goes to a person. Pure.
 */
export interface SerialCell {
  readonly half: number;
  readonly row: number;
  /** The serial cell holds ink (a number, or header text). */
  readonly hasInk: boolean;
  /** The number OCR read, null when it read none. */
  readonly ocr: number | null;
}

export interface Slot {
  readonly half: number;
  readonly row: number;
  /** Item number from the row sequence. */
  readonly number: number;
  readonly ocr: number | null;
}

export interface RowMap {
  readonly slots: readonly Slot[];
  /** Rows above the first item row (header, a title merged into the table). */
  readonly headerRows: number;
  /** Slots whose serial OCR read a number. */
  readonly read: number;
  /** Of those, how many read the number the sequence gives. */
  readonly agreeing: number;
  /** Slots whose OCR read a different number, as [sequence, ocr]. */
  readonly conflicts: readonly (readonly [number, number])[];
  /**
   * Conflicts that are not a lone misread: a lone misread sits between rows whose
   * OCR agrees with the sequence, which a shifted or missing row cannot produce.
   */
  readonly seriousConflicts: number;
}

/** Header rows above the first item that one serial read alone may establish. */
const MAX_PLAIN_HEADER = 3;
/** Rows after the last numbered one that are taken for footnotes inside the table. */
const MAX_FOOTNOTE_ROWS = 2;

/**
 * `itemCounts`: how many items each ballot of the election has (to tell a last item whose
 * serial went unread from a footnote row); empty to decide without.
 */
export function mapRows(
  cells: readonly SerialCell[],
  halfCount: number,
  itemCounts: readonly number[] = [],
): RowMap {
  const byHalf: SerialCell[][] = Array.from({ length: halfCount }, () => []);
  for (const c of cells) byHalf[c.half]?.push(c);
  for (const h of byHalf) h.sort((a, b) => a.row - b.row);
  const anyOcr = cells.some((c) => c.ocr !== null);

  // The first item row: each number read in the first half votes for where item 1
  // sits (row - number + 1); the most common answer wins. Without OCR, one header row.
  let headerRows = 1;
  const votes = new Map<number, number>();
  for (const c of byHalf[0] ?? []) {
    if (c.ocr === null) continue;
    const start = c.row - c.ocr + 1;
    if (start >= 0) votes.set(start, (votes.get(start) ?? 0) + 1);
  }
  let bestVotes = 0;
  for (const [start, n] of votes) {
    // A few header rows are common (a title or a note merged into the table); many are
    // not, and a couple of digits misread on a blurred photo must not move the first
    // item far down the table.
    if (start > MAX_PLAIN_HEADER && n < 3) continue;
    if (n > bestVotes || (n === bestVotes && start < headerRows)) {
      headerRows = start;
      bestVotes = n;
    }
  }

  const sequence = (trimFootnotes: boolean): Slot[] => {
    const out: Slot[] = [];
    let seq = 0;
    for (let h = 0; h < halfCount; h++) {
      const half = byHalf[h]!;
      // A row or two after the last numbered one are footnotes merged into the table, not
      // items. More such rows mean OCR stopped reading (a blurred photo), not that the items
      // ended.
      const lastRead = Math.max(-1, ...half.filter((c) => c.ocr !== null).map((c) => c.row));
      const lastRow = half.length ? half[half.length - 1]!.row : -1;
      const lastNumbered =
        trimFootnotes && anyOcr && lastRead >= 0 && lastRow - lastRead <= MAX_FOOTNOTE_ROWS
          ? lastRead
          : Infinity;
      for (const c of half) {
        if (c.row < headerRows || (!c.hasInk && c.ocr === null)) continue;
        if (c.row > lastNumbered) continue;
        seq++;
        out.push({ half: h, row: c.row, number: seq, ocr: c.ocr });
      }
    }
    return out;
  };
  // The last item of a half whose serial OCR missed looks just like a footnote row: when
  // keeping the unread rows gives exactly the item count of a ballot and trimming them
  // does not, they are items.
  let slots = sequence(true);
  if (itemCounts.length > 0 && !itemCounts.includes(slots.length)) {
    const kept = sequence(false);
    if (itemCounts.includes(kept.length)) slots = kept;
  }
  const read = slots.filter((s) => s.ocr !== null);
  // Tesseract often drops one digit of a two-digit serial (22 read as 2): a reading
  // that is a part of the expected number neither confirms nor contradicts it.
  const partial = (s: Slot): boolean =>
    s.ocr !== null &&
    s.ocr !== s.number &&
    s.number >= 10 &&
    s.ocr < 10 &&
    String(s.number).includes(String(s.ocr));
  const conflicts = read
    .filter((s) => s.ocr !== s.number && !partial(s))
    .map((s) => [s.number, s.ocr!] as const);
  const agrees = (k: number): boolean => {
    const s = slots[k];
    return s !== undefined && (s.ocr === s.number || s.ocr === null || partial(s));
  };
  // What OCR read on each row of each half, header rows included.
  const readAt = (half: number, row: number): number | null =>
    byHalf[half]?.find((c) => c.row === row)?.ocr ?? null;
  let serious = 0;
  slots.forEach((s, k) => {
    if (s.ocr === null || s.ocr === s.number || partial(s)) return;
    const lone = (k === 0 || agrees(k - 1)) && (k === slots.length - 1 || agrees(k + 1));
    // A read that the row just above or below continues (it read one less, or one
    // more) is not a misread digit: two serials agreeing with each other against the
    // sequence mean the rows are shifted, as a stray stroke taken for a rule in an item
    // row shifts them, pushing item 1 into the header.
    const continued = readAt(s.half, s.row - 1) === s.ocr - 1 || readAt(s.half, s.row + 1) === s.ocr + 1;
    if (!lone || continued) serious++;
  });
  return {
    slots,
    headerRows,
    read: read.length,
    agreeing: read.filter((s) => s.ocr === s.number).length,
    conflicts,
    seriousConflicts: serious,
  };
}

/** Serials that must read their own number in every half for the row order to count as confirmed. */
const CONFIRMING_READS = 2;

/**
 * OCR confirms the row order: in every half, at least two rows read exactly the number
 * the sequence gives them. Two such rows fix where a half starts and that it counts up
 * by one, so a half numbered some other way (across the halves row by row, or starting
 * elsewhere) cannot pass; rows OCR could not read in between are then placed by the
 * sequence alone, as reliably as those it read.
 */
export function orderConfirmed(map: RowMap, halfCount: number): boolean {
  for (let h = 0; h < halfCount; h++) if (agreeingIn(map, h) < CONFIRMING_READS) return false;
  return halfCount > 0;
}

/** Serials of half `h` that OCR read as the number the sequence gives them. */
function agreeingIn(map: RowMap, h: number): number {
  return map.slots.filter((s) => s.half === h && s.ocr === s.number).length;
}

/** Agreeing serial reads per disagreeing one at which the disagreeing may be misreads. */
const MISREAD_RATIO = 3;

/**
 * Every serial read against the order may be a misread digit: none is continued by the
 * row above or below it (see `seriousConflicts`), and agreeing reads outnumber them three
 * to one. True when nothing disagrees.
 */
function misreadsOutnumbered(map: RowMap): boolean {
  return map.seriousConflicts === 0 && map.agreeing >= MISREAD_RATIO * map.conflicts.length;
}

/**
 * Serial reads agreeing with the row order, in any half, that confirm which way up a
 * table is when some half has none (see `rulingPlacesRows`): two, so that one digit
 * that reads the same upside down does not decide it alone.
 */
const RULING_WITNESSES = 2;

/** The most a table's item rows may differ in height (tallest over shortest) to count as evenly ruled. */
const EVEN_ROWS = 1.35;

/**
 * The ruling places every row, as a second witness when OCR reads too few serials to
 * confirm the order (a blurred or small photo): each half's items sit in consecutive
 * rows right under a single header row, every half but the last runs down to the
 * table's foot, the item rows are evenly high, no serial read disagrees but lone misread
 * digits (see `misreadsOutnumbered`), and at least one read in each half agrees, or two
 * in one. A missed rule leaves one row twice as high, a stray rule two half rows, a
 * serial cell taken for empty a gap in the rows; none of them passes. Reads are still
 * needed: a table seen in a mirror (a selfie camera) has its serial column on the right,
 * is turned the wrong way up and numbered backwards, and would pass on its ruling alone;
 * its serials read against the order. `rowEdges` are the y of the table's horizontal rules.
 * The caller also checks that the rows are exactly a ballot's items and that the table
 * is clearly the right way up.
 */
export function rulingPlacesRows(map: RowMap, halfCount: number, rowEdges: readonly number[]): boolean {
  if (halfCount === 0 || map.headerRows !== 1 || !misreadsOutnumbered(map)) return false;
  // Which way up the table is, is one question for all its halves (a mirror or a turn
  // takes the whole sheet with it): reads agreeing in one half answer it for the others,
  // whose serials a photo often leaves unread (the far side of a sheet seen at a slant).
  const everyHalfRead = Array.from({ length: halfCount }, (_, h) => agreeingIn(map, h) > 0).every(Boolean);
  if (!everyHalfRead && map.agreeing < RULING_WITNESSES) return false;
  const lastRow = rowEdges.length - 2;
  const heights: number[] = [];
  for (let h = 0; h < halfCount; h++) {
    const rows = map.slots.filter((s) => s.half === h).map((s) => s.row);
    if (rows.length === 0) return false;
    if (rows.some((r, k) => r !== map.headerRows + k)) return false;
    if (h < halfCount - 1 && rows[rows.length - 1] !== lastRow) return false;
    for (const r of rows) heights.push(rowEdges[r + 1]! - rowEdges[r]!);
  }
  return Math.max(...heights) <= EVEN_ROWS * Math.min(...heights);
}

/**
 * Share of the usual item row height under which a row is a sliver cut off by a stray
 * stroke, not an item: item rows are printed alike, and a name wrapped onto two lines
 * makes its row higher, never lower.
 */
const SLIVER_ROW = 0.5;

/**
 * Item rows far lower than the others (under half the median item row): parts of a row
 * split by a stroke taken for a rule (an underline, a crossing-out across the names).
 * Every row after the split is one place off, and the count can still be exactly the
 * ballot's when the first item slipped into the header, so nothing else may notice.
 * `rowEdges` are the y of the table's horizontal rules.
 */
export function sliverRows(map: RowMap, rowEdges: readonly number[]): Slot[] {
  const heights = map.slots.map((s) => rowEdges[s.row + 1]! - rowEdges[s.row]!);
  const usual = median(heights);
  return map.slots.filter((_, k) => heights[k]! < SLIVER_ROW * usual);
}

/**
 * The serials that disagree with the row order are misread digits (7 read as 1, 8 as 5
 * on a blurred photo), not misplaced rows: reads confirm the order of every half and
 * the disagreeing ones look like misreads (see `misreadsOutnumbered`). A missed or extra
 * rule would shift every read after it instead. The caller also checks that the rows
 * are exactly a ballot's items.
 */
export function onlyMisreads(map: RowMap, halfCount: number): boolean {
  return orderConfirmed(map, halfCount) && misreadsOutnumbered(map);
}

/**
 * The highest serial number read, as evidence of the ballot kind: of the reads that agree
 * with their row, when any does. A lone misread digit (a blurred 39 read as 89) would
 * otherwise speak against the very kind the rows and the other reads show, and send a
 * reading that is right to a person for low confidence.
 */
export function highestSerial(map: RowMap): number | null {
  const reads = map.slots.filter((s) => s.ocr !== null);
  const agreeing = reads.filter((s) => s.ocr === s.number);
  const witnesses = agreeing.length > 0 ? agreeing : reads;
  return witnesses.length > 0 ? Math.max(...witnesses.map((s) => s.ocr ?? 0)) : null;
}
