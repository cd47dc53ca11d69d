import { availableParallelism } from 'node:os';
import type { AppConfig } from '../config/load.js';
import { extractPages } from '../extract/extract.js';
import { startPdfReader, stopPdfReader } from '../extract/pdf.js';
import { parseMail } from '../mail/parse.js';
import { createRecognizerPool } from '../recognize/pool.js';
import { RECOGNIZER_VERSION } from '../recognize/recognizer.js';
import type { Stages } from './stages.js';

/**
 * The production stages: the real parser, extractor and a recognizer pool with one thread per core
 * by default. Closing the reader also ends the PDF reader process, so a command can exit.
 */
export async function createStages(config: AppConfig): Promise<Stages> {
  const workers = config.recognizer.workers > 0 ? config.recognizer.workers : availableParallelism();
  // pdfjs takes a few seconds to load: let that overlap with the recognizer threads starting.
  startPdfReader();
  const pool = await createRecognizerPool(config.election, {
    workers,
    pageTimeoutMs: config.limits.pageTimeoutSeconds * 1000,
    maxImagePixels: config.limits.maxImagePixels,
  });
  return {
    parseMail,
    extractPages,
    reader: {
      read: (page) => pool.read(page),
      close: async () => {
        await pool.close();
        stopPdfReader();
      },
    },
    workers,
    recognizerVersion: RECOGNIZER_VERSION,
  };
}
