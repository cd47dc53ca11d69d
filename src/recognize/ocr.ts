import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import { enlarge, type Gray } from './gray.js';

/**
 * Tesseract, offline. Language data comes from the @tesseract.js-data packages in
 * node_modules (never a CDN: without langPath tesseract.js tries one and hangs), and
 * caching is off (else it writes the unpacked model into the working directory).
 */
function langPath(lang: 'eng' | 'chi_sim'): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), '4.0.0_best_int');
}

/** A darkness raster as a binary PGM with dark ink on white, which Leptonica reads without a codec. */
export function toPgm(img: Gray, pad = 0): Buffer {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const header = Buffer.from(`P5\n${w} ${h}\n255\n`, 'ascii');
  const body = Buffer.alloc(w * h, 255);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) body[(y + pad) * w + x + pad] = 255 - img.data[y * img.width + x]!;
  }
  return Buffer.concat([header, body]);
}

/**
 * The widest line (padding included) Tesseract can read: it keeps coordinates in 16 bits,
 * and a wider image fails inside it (its JSON output comes back cut short).
 */
export const MAX_LINE_WIDTH = 32_000;

/** Paper added round a strip before it is read (Tesseract misses ink touching the edge). */
const PAD = 10;

/** The largest integer factor a strip `width` px wide can be enlarged by and still be read. */
export function widestScale(width: number): number {
  return Math.max(1, Math.floor((MAX_LINE_WIDTH - 2 * PAD) / width));
}

export interface OcrGlyph {
  readonly text: string;
  readonly confidence: number;
  readonly x0: number;
  readonly x1: number;
}

export interface OcrWord extends OcrGlyph {
  /**
   * The word's characters with their own extent and confidence: Tesseract sometimes joins
   * the numbers of neighbouring cells into one word (low confidence as a whole), whose
   * characters still say which cell each came from.
   */
  readonly symbols: readonly OcrGlyph[];
}

/** OCR calls made so far and the time spent waiting for them (see `DigitReader.usage`). */
export interface OcrUsage {
  readonly calls: number;
  readonly ms: number;
  /** Calls that failed inside Tesseract (read as nothing). */
  readonly failures: number;
}

/**
 * What reading a table needs of the OCR: the words of one strip of serial numbers (see
 * `DigitReader.words`). Tests stand in a reader that reads fewer of them.
 */
export type SerialReader = Pick<DigitReader, 'words'>;

export class DigitReader {
  private calls = 0;
  private ms = 0;
  private failures = 0;

  private constructor(private readonly worker: Worker) {}

  static async create(): Promise<DigitReader> {
    const worker = await createWorker('eng', 1, {
      langPath: langPath('eng'),
      gzip: true,
      cacheMethod: 'none',
      // A job that fails inside Tesseract (its JSON output cut short on some strips) rejects
      // its own promise; without a handler tesseract.js also throws it, uncaught, from a
      // message listener, which ends the process.
      errorHandler: () => undefined,
    });
    await worker.setParameters({
      tessedit_char_whitelist: '0123456789',
      tessedit_pageseg_mode: PSM.SINGLE_LINE,
      // Strips are always dark digits on white (toPgm); without this Tesseract reads a
      // line it is unsure of a second time inverted, doubling the cost of poor strips.
      tessedit_do_invert: '0',
      // Leptonica prints histogram dumps for some strips; they would interleave with the
      // JSON log lines on stderr.
      debug_file: '/dev/null',
    });
    return new DigitReader(worker);
  }

  /**
   * Read a row of serial numbers laid side by side with blank gaps (one text line:
   * much faster for the LSTM than a tall strip). Words come back with their
   * horizontal extent on `strip` so the caller can tell which cell each came from.
   * `scale` (an integer) enlarges the strip first, for digits too small to read.
   */
  async words(strip: Gray, scale = 1): Promise<OcrWord[]> {
    // Nothing inked (a blank strip): nothing to read, skip the call.
    if (strip.width === 0 || strip.height === 0 || !strip.data.some((v) => v >= 40)) return [];
    const pad = PAD;
    const t0 = performance.now();
    // Never enlarged past what Tesseract can take.
    const f = Math.max(1, Math.min(scale, widestScale(strip.width)));
    const img = f > 1 ? enlarge(strip, f) : strip;
    let res: Awaited<ReturnType<Worker['recognize']>>;
    try {
      res = await this.worker.recognize(toPgm(img, pad), {}, { blocks: true, text: false });
    } catch {
      // Nothing read on this strip: the rows go unconfirmed, and the ballot to a person.
      this.failures++;
      return [];
    } finally {
      this.calls++;
      this.ms += performance.now() - t0;
    }
    // Tesseract's boxes are on the padded (and enlarged) image; the caller's strip starts at pad.
    const glyphOf = (g: {
      text: string;
      confidence: number;
      bbox: { x0: number; x1: number };
    }): OcrGlyph => ({
      text: g.text.trim(),
      confidence: g.confidence,
      x0: (g.bbox.x0 - pad) / f,
      x1: (g.bbox.x1 - pad) / f,
    });
    const out: OcrWord[] = [];
    for (const block of res.data.blocks ?? []) {
      for (const para of block.paragraphs) {
        for (const line of para.lines) {
          for (const word of line.words) {
            out.push({ ...glyphOf(word), symbols: (word.symbols ?? []).map(glyphOf) });
          }
        }
      }
    }
    return out;
  }

  /**
   * Calls made since the reader was created, the wall time spent in them, and how many
   * failed: the benchmark reports OCR's share of the recognizer's time from it.
   */
  usage(): OcrUsage {
    return { calls: this.calls, ms: this.ms, failures: this.failures };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
