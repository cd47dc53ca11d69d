import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Election } from '../election/election.js';
import type { Page } from '../extract/page.js';
import type { Recognizer } from './recognizer.js';
import type { PageReading } from './reading.js';

export interface PoolOptions {
  readonly workers: number;
  /** A page taking longer than this is answered 'unreadable' and its thread replaced. */
  readonly pageTimeoutMs?: number;
  /** Pages waiting beyond the busy threads; `read` waits for room when the queue is full. */
  readonly maxQueue?: number;
  readonly maxImagePixels?: number;
}

interface Job {
  readonly id: number;
  readonly page: Page;
  readonly resolve: (r: PageReading) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Where the thread body lives: pool-worker.js beside this file in dist/, or
 * pool-worker.ts under vitest/tsx, which a plain Worker cannot load, so an eval
 * bootstrap registers tsx's loader first.
 */
function spawn(init: unknown): Worker {
  const js = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(js)) return new Worker(js, { workerData: init });
  const ts = pathToFileURL(fileURLToPath(new URL('./pool-worker.ts', import.meta.url))).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

function failed(detail: string): PageReading {
  return { status: 'unreadable', reason: 'processing_failed', detail };
}

/**
 * Recognizers in worker threads, one per thread. Pages queue (bounded) and go to
 * the next free thread. A page that throws, hangs past the timeout or crashes its
 * thread is answered 'unreadable' (reason processing_failed) and the thread is
 * replaced; the pool itself keeps going.
 */
export async function createRecognizerPool(election: Election, options: PoolOptions): Promise<Recognizer> {
  const size = Math.max(1, Math.floor(options.workers));
  const timeoutMs = options.pageTimeoutMs ?? 120_000;
  const maxQueue = options.maxQueue ?? size * 4;
  const init = { election, ...(options.maxImagePixels ? { maxImagePixels: options.maxImagePixels } : {}) };
  const queue: Job[] = [];
  const roomWaiters: (() => void)[] = [];
  let nextId = 1;
  let closed = false;

  const start = (): Slot => {
    const worker = spawn(init);
    let markReady!: () => void;
    let markFailed!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      markFailed = rej;
    });
    const slot: Slot = { worker, ready, job: null, timer: null };
    worker.on('message', (msg: { ready?: true; id?: number; reading?: PageReading; error?: string }) => {
      if (msg.ready) {
        markReady();
        pump();
        return;
      }
      const job = slot.job;
      if (!job || msg.id !== job.id) return;
      finish(slot, msg.reading ?? failed(`recognizer threw: ${msg.error ?? 'unknown error'}`));
    });
    worker.on('error', (err) => {
      markFailed(err);
      replace(slot, `recognizer thread crashed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      if (!closed) replace(slot, `recognizer thread exited with code ${code}`);
    });
    return slot;
  };

  const slots: Slot[] = Array.from({ length: size }, start);

  function finish(slot: Slot, reading: PageReading): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    job?.resolve(reading);
    pump();
  }

  function replace(slot: Slot, why: string): void {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    job?.resolve(failed(why));
    if (closed) return;
    const fresh = start();
    fresh.ready.catch(() => undefined);
    slots[i] = fresh;
  }

  function pump(): void {
    for (const slot of slots) {
      if (queue.length === 0) break;
      if (slot.job) continue;
      // A thread is idle once it said ready; its first message is 'ready'.
      void slot.ready.then(
        () => {
          if (slot.job || queue.length === 0 || !slots.includes(slot)) return;
          const job = queue.shift()!;
          roomWaiters.shift()?.();
          slot.job = job;
          slot.timer = setTimeout(() => replace(slot, `page took longer than ${timeoutMs} ms`), timeoutMs);
          slot.worker.postMessage({ id: job.id, page: job.page });
        },
        () => undefined,
      );
    }
  }

  // Fail fast if threads cannot start at all (a broken build), rather than on the first page.
  try {
    await Promise.all(slots.map((s) => s.ready));
  } catch (err) {
    closed = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw new Error(`recognizer threads failed to start: ${(err as Error).message}`, { cause: err });
  }

  return {
    async read(page: Page): Promise<PageReading> {
      if (closed) throw new Error('recognizer pool is closed');
      while (queue.length >= maxQueue) await new Promise<void>((res) => roomWaiters.push(res));
      return new Promise<PageReading>((resolve) => {
        queue.push({ id: nextId++, page, resolve });
        pump();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) job.resolve(failed('recognizer pool closed'));
      await Promise.all(
        slots.map(async (s) => {
          if (s.timer) clearTimeout(s.timer);
          s.job?.resolve(failed('recognizer pool closed'));
          s.worker.removeAllListeners();
          await s.worker.terminate();
        }),
      );
    },
  };
}
