import { availableParallelism } from 'node:os';
import type { AppConfig } from '../config/load.js';
import { extractPages } from '../extract/extract.js';
import { parseMail } from '../mail/parse.js';
import { createRecognizerPool } from '../recognize/pool.js';
import { RECOGNIZER_VERSION } from '../recognize/recognizer.js';
import type { Stages } from './stages.js';

/** The production stages: the real parser, extractor and a recognizer pool with one thread per core by default. */
export async function createStages(config: AppConfig): Promise<Stages> {
  const workers = config.recognizer.workers > 0 ? config.recognizer.workers : availableParallelism();
  const reader = await createRecognizerPool(config.election, {
    workers,
    pageTimeoutMs: config.limits.pageTimeoutSeconds * 1000,
  });
  return { parseMail, extractPages, reader, workers, recognizerVersion: RECOGNIZER_VERSION };
}
