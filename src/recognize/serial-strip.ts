import type { Gray } from './gray.js';
import type { OcrGlyph, OcrWord } from './ocr.js';
import { histogramQuantile } from './histogram.js';

/**
 * Serial numbers read from a strip of serial cells laid side by side (see `readSerials`
 * in read-table): each cell's crop made ready for the digit reader, and the words read
 * mapped back to the cells. Pure.
 */

/**
 * The cell's paper brought to 0, as the blank gaps of the OCR strip are: paper a little
 * darker than white (a photo's shading, a photocopy's grey) would otherwise stand out as
 * a grey box around each number, which Tesseract's binarisation turns into blots.
 */
export function onBlankPaper(img: Gray): Gray {
  const hist = new Uint32Array(256);
  for (const v of img.data) hist[v]!++;
  const paper = histogramQuantile(hist, img.data.length, 0.5);
  const floor = paper + 4;
  const data = img.data.map((v) => (v > floor ? v - floor : 0));
  return { width: img.width, height: img.height, data };
}

/** Where one cell's crop sits in the strip, and the table row it came from. */
export interface StripSpan {
  readonly row: number;
  readonly x0: number;
  readonly x1: number;
}

/**
 * The number read in each cell (by row), from the words Tesseract read on the strip: a
 * word belongs to the cell its centre lies in (half the gap either side counts). A word
 * of one to three digits read with confidence 40 or more counts; the first one per cell
 * wins.
 */
export function serialsBySpan(
  words: readonly OcrWord[],
  spans: readonly StripSpan[],
  gap: number,
): Map<number, number> {
  const read = new Map<number, number>();
  const spanAt = (g: OcrGlyph): StripSpan | undefined => {
    const cx = (g.x0 + g.x1) / 2;
    return spans.find((s) => cx >= s.x0 - gap / 2 && cx < s.x1 + gap / 2);
  };
  const take = (g: OcrGlyph, row: number | undefined): void => {
    const digits = g.text.replace(/\D/g, '');
    if (!digits || digits.length > 3 || g.confidence < 40 || row === undefined || read.has(row)) return;
    read.set(row, Number(digits));
  };
  for (const word of words) {
    // A word joined across cells (small digits far apart still make one word for
    // Tesseract): each cell's characters are read on their own, as a word each.
    const symbolRows = word.symbols.map((sym) => spanAt(sym)?.row);
    const rows = new Set(symbolRows);
    if (word.symbols.length > 1 && rows.size > 1) {
      for (const row of rows) {
        const mine = word.symbols.filter((_, k) => symbolRows[k] === row);
        const glyph = {
          text: mine.map((sym) => sym.text).join(''),
          confidence: Math.min(...mine.map((sym) => sym.confidence)),
          x0: mine[0]!.x0,
          x1: mine[mine.length - 1]!.x1,
        };
        take(glyph, row);
      }
      continue;
    }
    take(word, spanAt(word)?.row);
  }
  return read;
}

/**
 * How many of one half's reads (row → number) count up with the rows as items do: the
 * most reads sharing one offset between row and number. Of two reads of the same strip
 * (as it is, and enlarged), the one with more such reads is the better one; a read with
 * more numbers, one of them misread, is not.
 */
export function inOrder(read: ReadonlyMap<number, number>): number {
  const byOffset = new Map<number, number>();
  for (const [row, n] of read) byOffset.set(row - n, (byOffset.get(row - n) ?? 0) + 1);
  return Math.max(0, ...byOffset.values());
}
