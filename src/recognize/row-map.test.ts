import { describe, expect, it } from 'vitest';
import {
  highestSerial,
  mapRows,
  onlyMisreads,
  orderConfirmed,
  rulingPlacesRows,
  sliverRows,
  type SerialCell,
} from './row-map.js';

function half(
  h: number,
  rows: number,
  ocr: (r: number) => number | null,
  ink: (r: number) => boolean = () => true,
): SerialCell[] {
  return Array.from({ length: rows }, (_, r) => ({ half: h, row: r, hasInk: ink(r), ocr: ocr(r) }));
}

describe('mapRows', () => {
  it('numbers rows down each half, halves left to right, skipping the header and an empty padding row', () => {
    const cells = [
      ...half(0, 21, (r) => (r === 0 ? null : r)),
      ...half(
        1,
        21,
        (r) => (r === 0 || r === 20 ? null : r + 20),
        (r) => r !== 20,
      ),
    ];
    const m = mapRows(cells, 2);
    expect(m.headerRows).toBe(1);
    expect(m.slots).toHaveLength(39);
    expect(m.slots[0]).toMatchObject({ half: 0, row: 1, number: 1 });
    expect(m.slots[38]).toMatchObject({ half: 1, row: 19, number: 39 });
    expect(m.conflicts).toEqual([]);
    expect(m.agreeing).toBe(39);
  });

  it('finds the first item row when a title row is merged into the table', () => {
    const m = mapRows(
      half(0, 10, (r) => (r < 2 ? null : r - 1)),
      1,
    );
    expect(m.headerRows).toBe(2);
    expect(m.slots.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reports serials that disagree with the row order', () => {
    const m = mapRows(
      half(0, 6, (r) => (r === 0 ? null : r === 3 ? 8 : r)),
      1,
    );
    expect(m.conflicts).toEqual([[3, 8]]);
    expect(m.agreeing).toBe(4);
  });

  it('falls back to one header row when OCR read nothing', () => {
    const m = mapRows(
      half(0, 5, () => null),
      1,
    );
    expect(m.headerRows).toBe(1);
    expect(m.slots).toHaveLength(4);
    expect(m.read).toBe(0);
  });

  it('leaves out footnote rows after the last numbered row', () => {
    const m = mapRows(
      half(0, 7, (r) => (r >= 1 && r <= 4 ? r : null)),
      1,
    );
    expect(m.slots.map((s) => s.row)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the rows below when OCR read only the first few serials of a blurred table', () => {
    const m = mapRows(
      half(0, 21, (r) => (r >= 1 && r <= 3 ? r : null)),
      1,
    );
    expect(m.slots).toHaveLength(20);
    expect(m.slots[19]).toMatchObject({ row: 20, number: 20 });
  });

  it('keeps a half whose serials OCR could not read at all', () => {
    const m = mapRows([...half(0, 5, (r) => (r === 0 ? null : r)), ...half(1, 5, () => null)], 2);
    expect(m.slots.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('does not move the first item far down the table on two misread digits', () => {
    // Blurred digits read as 1 and 2 on rows 11 and 12 of a 21-row table.
    const m = mapRows(
      half(0, 21, (r) => (r === 11 ? 1 : r === 12 ? 2 : null)),
      1,
    );
    expect(m.headerRows).toBe(1);
    expect(m.slots).toHaveLength(20);
    // Many serials read in order are believed, whatever the offset.
    const titled = mapRows(
      half(0, 16, (r) => (r >= 6 ? r - 5 : null)),
      1,
    );
    expect(titled.headerRows).toBe(6);
  });
});

describe('orderConfirmed', () => {
  // Two halves of 20 rows below a header row; `reads` gives what OCR read on some rows.
  const table = (reads: Record<number, number>): ReturnType<typeof mapRows> =>
    mapRows([...half(0, 21, (r) => reads[r] ?? null), ...half(1, 21, (r) => reads[100 + r] ?? null)], 2);

  it('holds when two rows of every half read their own number, however few were read', () => {
    const m = table({ 3: 3, 15: 15, 102: 22, 118: 38 });
    expect(m.read).toBe(4);
    expect(orderConfirmed(m, 2)).toBe(true);
  });

  it('does not hold when one half has a single confirming read', () => {
    expect(orderConfirmed(table({ 3: 3, 15: 15, 102: 22 }), 2)).toBe(false);
  });

  it('does not hold for a half numbered row by row across the halves', () => {
    // Row r of the left half holds item 2r-1 and of the right half 2r: only the first
    // row of the left half can agree with the sequence down each half.
    const reads: Record<number, number> = {};
    for (let r = 1; r <= 20; r++) {
      reads[r] = 2 * r - 1;
      reads[100 + r] = 2 * r;
    }
    expect(orderConfirmed(table(reads), 2)).toBe(false);
  });
});

describe('mapRows, the last item of a half unread', () => {
  // A districts table: header and 4 items in each half; OCR missed items 5 and 8.
  const cells = [
    ...half(0, 5, (r) => (r === 0 ? null : r)),
    ...half(1, 5, (r) => (r === 2 || r === 3 ? r + 4 : null)),
  ];

  it('takes the unread last row for a footnote when it knows no ballot sizes', () => {
    expect(mapRows(cells, 2).slots).toHaveLength(7);
  });

  it('keeps it as an item when that gives exactly the items of a ballot', () => {
    const m = mapRows(cells, 2, [39, 8]);
    expect(m.slots).toHaveLength(8);
    expect(m.slots[7]).toMatchObject({ half: 1, row: 4, number: 8, ocr: null });
  });

  it('still trims a footnote row when trimming gives a ballot size', () => {
    // 39 items and a footnote row at the bottom of the right half.
    const projects = [
      ...half(0, 21, (r) => (r === 0 ? null : r)),
      ...half(1, 21, (r) => (r === 0 || r === 20 ? null : r + 20)),
    ];
    expect(mapRows(projects, 2, [39, 8]).slots).toHaveLength(39);
  });
});

describe('onlyMisreads', () => {
  const table = (ocr: (r: number) => number | null) =>
    mapRows(
      [
        ...half(0, 21, (r) => (r === 0 ? null : ocr(r))),
        ...half(1, 21, (r) => (r === 0 ? null : ocr(r + 20))),
      ],
      2,
    );

  it('takes scattered disagreeing reads among many agreeing ones for misread digits', () => {
    // Items 4, 17 and 30 misread (4 as 1, 7 as 1...), the rest read right.
    const m = table((n) => (n === 4 ? 1 : n === 17 ? 11 : n === 30 ? 10 : n));
    expect(m.conflicts).toHaveLength(3);
    expect(onlyMisreads(m, 2)).toBe(true);
  });

  it('does not when the reads from some row on are shifted by one (a missed rule)', () => {
    const m = table((n) => (n >= 25 ? n + 1 : n));
    expect(onlyMisreads(m, 2)).toBe(false);
  });

  it('does not when disagreeing reads are nearly as many as agreeing ones', () => {
    const m = table((n) => (n % 4 === 0 ? n + 10 : n % 4 === 2 ? n : null));
    expect(onlyMisreads(m, 2)).toBe(false);
  });
});

describe('rulingPlacesRows', () => {
  // The projects ballot as printed, OCR reading one serial in each half (two would confirm
  // the order): a header row, 20 item rows in the left half, 19 in the right and an empty
  // row under them; rows 30 px high.
  const edges = (heights: readonly number[]): number[] =>
    heights.reduce<number[]>((ys, h) => [...ys, ys[ys.length - 1]! + h], [0]);
  const even = edges(Array.from({ length: 21 }, () => 30));
  const ruled = (
    rightInk: (r: number) => boolean = (r) => r !== 20,
    leftInk: (r: number) => boolean = () => true,
    reads: Record<number, number> = { 3: 3, 105: 25 },
  ) =>
    mapRows(
      [
        ...half(0, 21, (r) => reads[r] ?? null, leftInk),
        ...half(1, 21, (r) => reads[100 + r] ?? null, rightInk),
      ],
      2,
      [39, 8],
    );

  it('places the rows of an evenly ruled table with one header row', () => {
    const m = ruled();
    expect(m.read).toBe(2);
    expect(m.slots).toHaveLength(39);
    expect(orderConfirmed(m, 2)).toBe(false);
    expect(rulingPlacesRows(m, 2, even)).toBe(true);
  });

  it('does not without a serial read agreeing in each half, or two in one (a table seen in a mirror reads none)', () => {
    expect(rulingPlacesRows(ruled(undefined, undefined, {}), 2, even)).toBe(false);
    expect(rulingPlacesRows(ruled(undefined, undefined, { 3: 3 }), 2, even)).toBe(false);
    expect(rulingPlacesRows(ruled(undefined, undefined, { 105: 25 }), 2, even)).toBe(false);
  });

  it('places them with two reads agreeing in one half and none in the other (the far side of a slanted photo)', () => {
    expect(rulingPlacesRows(ruled(undefined, undefined, { 3: 3, 9: 9 }), 2, even)).toBe(true);
    expect(rulingPlacesRows(ruled(undefined, undefined, { 103: 23, 110: 30 }), 2, even)).toBe(true);
    // Two reads, one of them against the order: no.
    expect(rulingPlacesRows(ruled(undefined, undefined, { 3: 3, 9: 9, 12: 17 }), 2, even)).toBe(false);
  });

  it('does not when one row is twice as high (a missed rule) or two are half high (a stray rule)', () => {
    const missed = edges([
      30,
      ...Array.from({ length: 9 }, () => 30),
      60,
      ...Array.from({ length: 10 }, () => 30),
    ]);
    expect(rulingPlacesRows(ruled(), 2, missed)).toBe(false);
    const stray = edges([30, 30, 15, 15, ...Array.from({ length: 18 }, () => 30)]);
    expect(rulingPlacesRows(ruled(), 2, stray)).toBe(false);
  });

  it('does not when a serial cell was taken for empty (a gap in the rows)', () => {
    // Row 7 of the left half seen as empty, the right half's padding row as holding ink:
    // still 39 items, but every one after row 7 would be one off.
    const m = ruled(
      () => true,
      (r) => r !== 7,
      { 3: 3, 105: 24 },
    );
    expect(m.slots).toHaveLength(39);
    expect(m.conflicts).toEqual([]);
    expect(rulingPlacesRows(m, 2, even)).toBe(false);
  });

  it('does not when a half other than the last stops short of the foot of the table', () => {
    // 19 items left (its last row empty), 20 right: the halves split the items otherwise than printed.
    const m = ruled(
      () => true,
      (r) => r !== 20,
      { 3: 3, 101: 20 },
    );
    expect(m.slots).toHaveLength(39);
    expect(m.conflicts).toEqual([]);
    expect(rulingPlacesRows(m, 2, even)).toBe(false);
  });

  it('places them past a lone misread digit that agreeing reads outnumber three to one', () => {
    // Left half: 2, 4, 6, 9 read right, row 12 read 17 (a blurred 12); right half unread.
    const misread = ruled(undefined, undefined, { 2: 2, 4: 4, 6: 6, 9: 9, 12: 17 });
    expect(misread.conflicts).toHaveLength(1);
    expect(misread.seriousConflicts).toBe(0);
    expect(rulingPlacesRows(misread, 2, even)).toBe(true);
    // Two agreeing against one: not outnumbered three to one.
    expect(rulingPlacesRows(ruled(undefined, undefined, { 2: 2, 9: 9, 12: 17 }), 2, even)).toBe(false);
    // A disagreeing read the next row continues (13 then 14): rows shifted, not a misread.
    const shifted = ruled(undefined, undefined, { 2: 2, 4: 4, 6: 6, 9: 9, 12: 13, 13: 14 });
    expect(shifted.seriousConflicts).toBeGreaterThan(0);
    expect(rulingPlacesRows(shifted, 2, even)).toBe(false);
  });

  it('does not when a serial read disagrees with the row order and few agree', () => {
    const m = mapRows(
      [
        ...half(0, 21, (r) => (r === 5 ? 5 : r === 8 ? 12 : null)),
        ...half(
          1,
          21,
          (r) => (r === 5 ? 25 : null),
          (r) => r !== 20,
        ),
      ],
      2,
      [39, 8],
    );
    expect(m.conflicts).toHaveLength(1);
    expect(rulingPlacesRows(m, 2, even)).toBe(false);
  });
});

describe('highestSerial', () => {
  const projects = (ocr: (n: number) => number | null) =>
    mapRows(
      [
        ...half(0, 21, (r) => (r === 0 ? null : ocr(r))),
        ...half(1, 20, (r) => (r === 0 ? null : ocr(r + 20))),
      ],
      2,
      [39, 8],
    );

  it('is the highest serial that agrees with its row, a misread above the last item left out', () => {
    // 39 read as 89 in the last row, 30 read as 80: the reads that agree go up to 38.
    const m = projects((n) => (n === 39 ? 89 : n === 30 ? 80 : n <= 38 ? n : null));
    expect(m.conflicts).toHaveLength(2);
    expect(highestSerial(m)).toBe(38);
  });

  it('is the highest read when none agrees, and null when nothing was read', () => {
    const garbled = projects((n) => n + 50);
    expect(garbled.agreeing).toBe(0);
    expect(highestSerial(garbled)).toBe(89);
    expect(highestSerial(projects(() => null))).toBeNull();
  });
});

describe('mapRows, a stray rule in an item row', () => {
  // A districts half: a pen stroke across row 2 was taken for a rule, splitting it in
  // two (rows 2 and 3). Serials 3..8 below vote for two header rows and win; rows 1 and
  // 2 read 1 and 2, so the sequence puts item 1 on the row that holds serial 2.
  const cells = half(0, 10, (r) => (r === 0 || r === 3 ? null : r === 1 ? 1 : r === 2 ? 2 : r - 1));

  it('counts a disagreeing serial that its neighbour continues as serious, not a lone misread', () => {
    const m = mapRows(cells, 1, [8]);
    expect(m.headerRows).toBe(2);
    expect(m.conflicts).toEqual([[1, 2]]);
    expect(m.seriousConflicts).toBe(1);
    expect(onlyMisreads(m, 1)).toBe(false);
  });

  it('finds the sliver the stray rule cut off, and none in an evenly ruled table', () => {
    const m = mapRows(cells, 1, [8]);
    // Rules 55 px apart, and one 44 px into row 2 (the underline).
    const edges = [45, 105, 160, 204, 215, 270, 325, 380, 436, 491, 546];
    expect(sliverRows(m, edges).map((s) => s.number)).toEqual([2]);
    const even = mapRows(
      half(0, 9, (r) => (r === 0 ? null : r)),
      1,
      [8],
    );
    expect(sliverRows(even, [45, 105, 160, 215, 270, 325, 380, 436, 491, 546])).toEqual([]);
    // A name wrapped onto two lines makes its row higher: no sliver.
    expect(sliverRows(even, [45, 105, 160, 270, 325, 380, 436, 491, 546, 601])).toEqual([]);
  });

  it('still takes a lone misread between agreeing rows for a misread', () => {
    const m = mapRows(
      half(0, 9, (r) => (r === 0 ? null : r === 4 ? 7 : r)),
      1,
      [8],
    );
    expect(m.conflicts).toEqual([[4, 7]]);
    expect(m.seriousConflicts).toBe(0);
  });
});
