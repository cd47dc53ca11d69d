import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Limits } from '../config/schema.js';
import type { ExtractFailureReason, PagesResult } from './extract-result.js';
import type { Page } from './page.js';
import type { PdfJob, PdfMessage } from './pdf-child.js';

/**
 * PDFs are read in one long-lived child process: pdfjs can spin forever or exhaust memory on a
 * hostile file and the canvas is native code, so the daemon must be able to kill the reader and
 * carry on. Starting pdfjs costs seconds, so the process is kept and reused; it is started again
 * after a crash or a timeout. Jobs run one at a time in arrival order.
 *
 * The watchdog allows `pageTimeoutSeconds` for opening the file and again for every page; each page
 * that arrives resets it, so a long legitimate PDF is not cut off while a wedged one is.
 */

const CHILD_HEAP_MB = 2048;
/** Loading pdfjs and its fake worker the first time takes a few seconds on a slow machine. */
const STARTUP_GRACE_MS = 20_000;

interface Pending {
  readonly job: PdfJob;
  readonly pages: Page[];
  readonly resolve: (r: PagesResult) => void;
}

let child: ChildProcess | null = null;
let childFresh = false;
let nextId = 1;
let active: (Pending & { timer: NodeJS.Timeout | null; timeoutMs: number }) | null = null;
const queue: Pending[] = [];

export function extractPdf(data: Buffer, limits: Limits): Promise<PagesResult> {
  return new Promise((resolve) => {
    // A copy: the child gets its own bytes and the caller's buffer is not transferred away.
    queue.push({ job: { id: nextId++, data: new Uint8Array(data), limits }, pages: [], resolve });
    pump();
  });
}

/**
 * Starts the reader ahead of the first PDF (the daemon calls this at boot) so the few seconds
 * pdfjs needs to load overlap with other work. Optional: extractPdf starts it on demand.
 */
export function startPdfReader(): void {
  const proc = ensureChild();
  if (!active) {
    proc.channel?.unref();
    proc.unref();
  }
}

/** Ends the reader process (for shutdown and tests), failing the PDF in hand and those waiting; a later extractPdf starts a new one. */
export function stopPdfReader(): void {
  const waiting = queue.splice(0, queue.length);
  if (child) {
    const c = child;
    child = null;
    c.removeAllListeners();
    c.kill('SIGKILL');
  }
  if (active) finish({ ok: false, reason: 'processing_failed', detail: 'PDF reader stopped' });
  for (const job of waiting)
    job.resolve({ ok: false, reason: 'processing_failed', detail: 'PDF reader stopped' });
}

function pump(): void {
  if (active || queue.length === 0) return;
  const next = queue.shift();
  if (!next) return;
  const proc = ensureChild();
  const timeoutMs = next.job.limits.pageTimeoutSeconds * 1000;
  active = { ...next, timer: null, timeoutMs };
  armWatchdog(childFresh ? timeoutMs + STARTUP_GRACE_MS : timeoutMs);
  childFresh = false;
  proc.channel?.ref();
  proc.ref();
  proc.send(next.job, (err) => {
    if (err)
      finish({ ok: false, reason: 'processing_failed', detail: `PDF reader unreachable: ${err.message}` });
  });
}

function ensureChild(): ChildProcess {
  if (child && child.connected) return child;
  const self = fileURLToPath(import.meta.url);
  // Under tsx/vitest this file is .ts and the child needs the same loader; the built service runs plain .js.
  const isTs = self.endsWith('.ts');
  const entry = self.replace(/pdf\.(ts|js)$/, isTs ? 'pdf-child.ts' : 'pdf-child.js');
  const proc = fork(entry, [], {
    execArgv: [...(isTs ? ['--import', 'tsx'] : []), `--max-old-space-size=${CHILD_HEAP_MB}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  proc.on('message', (msg: PdfMessage) => onMessage(msg));
  proc.on('exit', (code, signal) => {
    if (child === proc) child = null;
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    if (active) {
      finish({
        ok: false,
        reason: 'processing_failed',
        detail: `PDF reader died (${signal ?? `exit ${code}`})${tail ? `: ${tail}` : ''}`,
      });
    }
  });
  proc.on('error', () => {
    // 'exit' follows and settles the job; nothing else to do here.
  });
  child = proc;
  childFresh = true;
  return proc;
}

function onMessage(msg: PdfMessage): void {
  if (!active || msg.id !== active.job.id) return;
  switch (msg.type) {
    case 'page':
      active.pages.push(revivePage(msg.page));
      armWatchdog(active.timeoutMs);
      break;
    case 'done':
      finish({ ok: true, pages: active.pages });
      break;
    case 'fail':
      finish({ ok: false, reason: msg.reason as ExtractFailureReason, detail: msg.detail });
      break;
    default: {
      const never: never = msg;
      throw new Error(`unknown PDF reader message ${JSON.stringify(never)}`);
    }
  }
}

function armWatchdog(ms: number): void {
  if (!active) return;
  if (active.timer) clearTimeout(active.timer);
  active.timer = setTimeout(() => {
    // Kill first so the late pages of this job cannot arrive as the next job's.
    const proc = child;
    child = null;
    proc?.removeAllListeners();
    proc?.kill('SIGKILL');
    finish({ ok: false, reason: 'processing_failed', detail: `PDF reading took longer than ${ms / 1000} s` });
  }, ms);
}

function finish(result: PagesResult): void {
  const done = active;
  active = null;
  if (!done) return;
  if (done.timer) clearTimeout(done.timer);
  done.resolve(result);
  if (queue.length > 0) {
    pump();
  } else if (child) {
    // Idle: let the parent exit normally while the reader waits for the next PDF.
    child.channel?.unref();
    child.unref();
  }
}

/** IPC with advanced serialization delivers Buffers as plain Uint8Arrays. */
function revivePage(page: Page): Page {
  if (page.source !== 'pdf' || page.image === null) return page;
  const u8 = page.image as Uint8Array;
  return { ...page, image: Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength) };
}
