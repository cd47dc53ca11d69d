/**
 * Body of one recognizer thread: builds a recognizer for the election it is given
 * and answers { id, page } messages with { id, reading } (or { id, error }).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Election } from '../election/election.js';
import type { Page } from '../extract/page.js';
import { createRecognizer } from './recognizer.js';

interface Init {
  readonly election: Election;
  readonly maxImagePixels?: number;
}

const port = parentPort;
if (!port) throw new Error('pool-worker must run in a worker thread');
const init = workerData as Init;
const recognizer = await createRecognizer(
  init.election,
  init.maxImagePixels ? { maxImagePixels: init.maxImagePixels } : {},
);
port.on('message', (msg: { id: number; page: Page } | { close: true }) => {
  if ('close' in msg) {
    void recognizer.close().then(() => port.close());
    return;
  }
  recognizer.read(msg.page).then(
    (reading) => port.postMessage({ id: msg.id, reading }),
    (err: unknown) => port.postMessage({ id: msg.id, error: (err as Error).stack ?? String(err) }),
  );
});
port.postMessage({ ready: true });
