import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { IncomingMail, IngestOutcome, MailHandler, MailSource } from './incoming.js';

/**
 * .eml files as a mail source.
 *
 * Watched folder (`run`): new .eml files are delivered and, once the pipeline has committed them,
 * moved to processed/ (stored or already recorded) or failed/ (parked as failed). A file is moved
 * only after the commit, so a crash in between leaves it in place; the next pass delivers it again
 * and the content hash recognises it (already_seen), after which it is moved. The folder therefore
 * shows at a glance what is still to do.
 *
 * Paths given on the command line (`ingest PATH...`) are read once and never moved or changed.
 */
export interface FolderSourceOptions {
  readonly logger: Logger;
  /** Mails worked at the same time; match the recognizer pool so every core has a page to read. */
  readonly concurrency: number;
  readonly pollSeconds?: number;
  /** Skip files changed less than this long ago: they may still be being written. */
  readonly settleMs?: number;
  /** Called with the number of files found waiting on each pass (the daemon's queue depth). */
  readonly onBacklog?: (waiting: number) => void;
  /** Called once per delivered file with its outcome (progress lines, counters). */
  readonly onDelivered?: (outcome: IngestOutcome) => void;
}

const PROCESSED = 'processed';
const FAILED = 'failed';

function isEml(name: string): boolean {
  return extname(name).toLowerCase() === '.eml';
}

/**
 * When the mail arrived. An MTA adds a Received header on top when it accepts a mail, so for a
 * saved or exported .eml the topmost one is the receiving server's own time (what IMAP calls
 * INTERNALDATE); the file's mtime is only the time of the copy. Without a usable Received header
 * the mtime is all there is.
 */
export function receivedAtOf(raw: Buffer, mtime: Date): { at: Date; from: 'received-header' | 'mtime' } {
  const headEnd = raw.indexOf('\n\n') >= 0 ? raw.indexOf('\n\n') : raw.length;
  const crlfEnd = raw.indexOf('\r\n\r\n');
  const end = Math.min(headEnd, crlfEnd >= 0 ? crlfEnd : raw.length, 256 * 1024);
  const head = raw
    .subarray(0, end)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  for (const line of head.split(/\r?\n/)) {
    if (!/^received:/i.test(line)) continue;
    const semi = line.lastIndexOf(';');
    if (semi < 0) break;
    const at = new Date(
      line
        .slice(semi + 1)
        .trim()
        .replace(/\s*\([^)]*\)\s*$/, ''),
    );
    if (!Number.isNaN(at.getTime())) return { at, from: 'received-header' };
    break;
  }
  return { at: mtime, from: 'mtime' };
}

/** .eml files directly in `dir` (not in its processed/ and failed/ subfolders), oldest first. */
function listEml(dir: string, settleMs: number): { path: string; mtime: Date }[] {
  const now = Date.now();
  const out: { path: string; mtime: Date }[] = [];
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    if (!ent.isFile() || !isEml(ent.name)) continue;
    const path = join(dir, ent.name);
    try {
      const st = statSync(path);
      if (now - st.mtimeMs < settleMs) continue;
      out.push({ path, mtime: st.mtime });
    } catch {
      // Vanished between readdir and stat (moved by another instance): nothing to do.
    }
  }
  return out.sort((a, b) => a.mtime.getTime() - b.mtime.getTime() || a.path.localeCompare(b.path));
}

/** Every .eml under the given files and folders (recursively), in a stable order. */
export function collectEml(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (st.isFile() && isEml(p)) out.push(p);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

function readIncoming(
  path: string,
  source: 'folder' | 'cli',
  account: string,
): { mail: IncomingMail; receivedFrom: string } {
  const raw = readFileSync(path);
  const { at, from } = receivedAtOf(raw, statSync(path).mtime);
  return {
    mail: {
      source,
      account,
      folder: null,
      uidvalidity: null,
      uid: null,
      sourceRef: path,
      raw,
      receivedAt: at,
    },
    receivedFrom: from,
  };
}

/** Run `work` over `items` with at most `n` at a time; stop taking new items once `stop()` says so. */
async function pooled<T>(
  items: readonly T[],
  n: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean,
) {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
    while (!stop()) {
      const i = next++;
      const item = items[i];
      if (item === undefined) return;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

function moveTo(file: string, sub: string, logger: Logger): void {
  const dir = join(file, '..', sub);
  mkdirSync(dir, { recursive: true });
  let target = join(dir, basename(file));
  for (let i = 1; existsSync(target); i++) target = join(dir, `${basename(file, '.eml')}.${i}.eml`);
  try {
    renameSync(file, target);
  } catch (err) {
    // Left in place, it is delivered again and recognised by its content hash.
    logger.warn({ err, file }, 'could not move the mail file');
  }
}

/** The watched inbox folder of the daemon (source 'folder'). */
export function createFolderSource(dir: string, options: FolderSourceOptions): MailSource {
  const root = resolve(dir);
  const log = options.logger.child({ stage: 'mail', source: 'folder', dir: root });
  const settleMs = options.settleMs ?? 2000;

  async function pass(handler: MailHandler, stop: () => boolean): Promise<number> {
    mkdirSync(root, { recursive: true });
    const files = listEml(root, settleMs);
    options.onBacklog?.(files.length);
    let delivered = 0;
    await pooled(
      files,
      options.concurrency,
      async ({ path }) => {
        let incoming: ReturnType<typeof readIncoming>;
        try {
          incoming = readIncoming(path, 'folder', root);
        } catch (err) {
          log.warn({ err, file: path }, 'could not read the mail file; will try again');
          return;
        }
        const outcome = await handler(incoming.mail);
        delivered++;
        options.onDelivered?.(outcome);
        if (outcome.status === 'stored' || outcome.status === 'already_seen') moveTo(path, PROCESSED, log);
        else if (outcome.final) moveTo(path, FAILED, log);
        // A failure that is not final stays in the folder for the next pass.
      },
      stop,
    );
    return delivered;
  }

  return {
    name: `folder:${root}`,
    async run(handler, signal) {
      const pollMs = (options.pollSeconds ?? 5) * 1000;
      log.info({ pollSeconds: pollMs / 1000 }, 'watching folder');
      while (!signal.aborted) {
        try {
          await pass(handler, () => signal.aborted);
        } catch (err) {
          // The folder vanished or is unreadable: say so and keep watching.
          log.error({ err }, 'folder pass failed');
        }
        if (signal.aborted) break;
        await new Promise<void>((resolveWait) => {
          const done = (): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolveWait();
          };
          const timer = setTimeout(done, pollMs);
          signal.addEventListener('abort', done, { once: true });
        });
      }
    },
    async drain(handler) {
      return { delivered: await pass(handler, () => false) };
    },
  };
}

/**
 * Files and folders named on the command line (source 'cli'), read once and left untouched.
 * A failed attempt that is not final is tried again at once; the pipeline's attempt budget ends it.
 */
export function createPathsSource(paths: readonly string[], options: FolderSourceOptions): MailSource {
  const log = options.logger.child({ stage: 'mail', source: 'cli' });
  async function deliverAll(handler: MailHandler, stop: () => boolean): Promise<number> {
    const files = collectEml(paths);
    options.onBacklog?.(files.length);
    let delivered = 0;
    await pooled(
      files,
      options.concurrency,
      async (path) => {
        let incoming: ReturnType<typeof readIncoming>;
        try {
          incoming = readIncoming(path, 'cli', path);
        } catch (err) {
          log.error({ err, file: path }, 'could not read the mail file');
          options.onDelivered?.({
            status: 'failed',
            mailId: null,
            error: (err as Error).message,
            final: true,
          });
          return;
        }
        let outcome = await handler(incoming.mail);
        // Bounded: the pipeline parks the mail after limits.maxAttempts; the cap covers failures before it is recorded.
        for (let i = 0; i < 10 && outcome.status === 'failed' && !outcome.final; i++)
          outcome = await handler(incoming.mail);
        delivered++;
        options.onDelivered?.(outcome);
      },
      stop,
    );
    return delivered;
  }
  return {
    name: 'cli',
    async run(handler, signal) {
      await deliverAll(handler, () => signal.aborted);
    },
    async drain(handler) {
      return { delivered: await deliverAll(handler, () => false) };
    },
  };
}
