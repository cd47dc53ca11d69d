import type { Election } from '../election/election.js';
import type { Page } from '../extract/page.js';
import { DigitReader, type OcrUsage } from './ocr.js';
import { readDocument } from './read-document.js';
import { DEFAULT_IMAGE_OPTIONS, readImage, type ImageReaderOptions } from './read-image.js';
import { readTextLayer } from './read-text-layer.js';
import type { PageReading } from './reading.js';

/** Recorded with every reading; bump whenever recognition behaviour changes. */
export const RECOGNIZER_VERSION = 'recognize-0.22.0';

export interface Recognizer {
  read(page: Page): Promise<PageReading>;
  close(): Promise<void>;
}

/** The recognizer of this thread, which can also say how much OCR it has done. */
export interface LocalRecognizer extends Recognizer {
  /** OCR calls and the time spent in them, over every page read so far. */
  ocrUsage(): OcrUsage;
}

export interface RecognizerOptions {
  /** Pixel limit for decoding (decompression bombs). */
  readonly maxImagePixels?: number;
}

/**
 * The recognizer in this thread: one OCR worker, loaded once. `read` never throws for
 * bad input: undecodable bytes give an 'unreadable' reading, pages without a ballot
 * table 'not_a_ballot'.
 */
export async function createRecognizer(
  election: Election,
  options: RecognizerOptions = {},
): Promise<LocalRecognizer> {
  const digits = await DigitReader.create();
  const imageOpts: ImageReaderOptions = {
    ...DEFAULT_IMAGE_OPTIONS,
    ...(options.maxImagePixels ? { maxPixels: options.maxImagePixels } : {}),
  };
  let closed = false;
  return {
    async read(page: Page): Promise<PageReading> {
      if (closed) throw new Error('recognizer is closed');
      switch (page.source) {
        case 'image':
          return guarded(() => readImage(page.image, election, digits, imageOpts));
        case 'pdf': {
          if (page.text) {
            const text = readTextLayer(page.text, election);
            // Typed ticks are exact. A text layer with the table but no tick glyph may
            // still carry handwritten ticks in its raster, so the raster decides then.
            if (text.ballots.length > 0 && (text.ticks > 0 || !page.image)) {
              return { status: 'ballots', ballots: text.ballots, quality: 1 };
            }
          }
          const image = page.image;
          if (image) return guarded(() => readImage(image, election, digits, imageOpts));
          return {
            status: 'not_a_ballot',
            confidence: 0.6,
            notes: ['PDF page with neither a ballot text layer nor an image'],
          };
        }
        case 'document': {
          const ballots = readDocument(page.rows, election);
          if (ballots.length === 0) {
            return {
              status: 'not_a_ballot',
              confidence: 0.9,
              notes: [`no ballot table in the ${page.format} document`],
            };
          }
          return { status: 'ballots', ballots, quality: 1 };
        }
        default: {
          const never: never = page;
          throw new Error(`unknown page source ${JSON.stringify(never)}`);
        }
      }
    },
    ocrUsage: () => digits.usage(),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await digits.close();
    },
  };
}

/**
 * A bug met by one odd image must cost that page, not the service: the error is
 * returned with the page (recorded and shown to staff), never swallowed.
 */
async function guarded(run: () => Promise<PageReading>): Promise<PageReading> {
  try {
    return await run();
  } catch (err) {
    const e = err as Error;
    return {
      status: 'unreadable',
      reason: 'processing_failed',
      detail: `recognizer error: ${e.stack ?? e.message}`,
    };
  }
}
