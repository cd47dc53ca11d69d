import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, PSM, type Worker } from 'tesseract.js';
import type { Gray } from './gray.js';

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

export interface OcrLine {
  readonly text: string;
  readonly confidence: number;
  readonly y0: number;
  readonly y1: number;
}

export class DigitReader {
  private constructor(private readonly worker: Worker) {}

  static async create(): Promise<DigitReader> {
    const worker = await createWorker('eng', 1, {
      langPath: langPath('eng'),
      gzip: true,
      cacheMethod: 'none',
    });
    await worker.setParameters({
      tessedit_char_whitelist: '0123456789',
      tessedit_pageseg_mode: PSM.SINGLE_BLOCK,
    });
    return new DigitReader(worker);
  }

  /**
   * Read a column strip of serial numbers (one number per line). Lines come back
   * with their vertical extent so the caller can place each on a table row.
   */
  async lines(strip: Gray): Promise<OcrLine[]> {
    const pad = 10;
    const res = await this.worker.recognize(toPgm(strip, pad), {}, { blocks: true, text: false });
    const out: OcrLine[] = [];
    for (const block of res.data.blocks ?? []) {
      for (const para of block.paragraphs) {
        for (const line of para.lines) {
          out.push({
            text: line.text.trim(),
            confidence: line.confidence,
            y0: line.bbox.y0 - pad,
            y1: line.bbox.y1 - pad,
          });
        }
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
