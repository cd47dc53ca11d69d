import { setTimeout as sleep } from 'node:timers/promises';
import {
  type FetchMessageObject,
  ImapFlow,
  type Logger as ImapFlowLogger,
  type MailboxObject,
} from 'imapflow';
import type { ImapSourceConfig, MailAction } from '../config/schema.js';
import { ConfigError } from '../election/load.js';
import type { Logger } from '../log/logger.js';
import { type MailboxActions, pendingSearch, resolveMailboxActions } from './imap-actions.js';
import { reconnectDelayMs } from './imap-backoff.js';
import { readImapSecret } from './imap-secret.js';
import type { IncomingMail, IngestOutcome, MailHandler, MailSource } from './incoming.js';

export interface ImapSourceOptions {
  /** Where `secretEnv` is looked up (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Most full messages held in memory at once (default 20). */
  readonly batchMessages?: number;
  /** Most bytes of full messages held in memory at once; a bigger single mail is fetched alone (default 32 MiB). */
  readonly batchBytes?: number;
  /** NOOP interval that keeps the connection alive while the pipeline reads a mail (default 60 s). */
  readonly keepAliveMs?: number;
  /** imapflow's socket inactivity timeout (default its own, 5 min). */
  readonly socketTimeoutMs?: number;
  /** Log in afresh after a session has been open this long (default 30 min). */
  readonly sessionMaxMs?: number;
  /** Mails handed to the pipeline at the same time (default 1); match the recognizer pool. */
  readonly concurrency?: number;
  /** Called with the number of mails found waiting in each round (the daemon's queue depth). */
  readonly onBacklog?: (waiting: number) => void;
  /** Called once per handed-over mail with the pipeline's answer (progress lines, counters). */
  readonly onDelivered?: (outcome: IngestOutcome) => void;
}

/** Why a session ended other than by stop(): the reconnect loop logs it and tries again. */
class SessionEnded extends Error {
  override name = 'SessionEnded';
}

type Wake = 'new-mail' | 'timer' | 'closed' | 'stopped';

/**
 * The IMAP mailbox as a mail source: log in (TLS or STARTTLS, ID right after the greeting and
 * login, which 163/126/yeah.net require before SELECT), hand each waiting message to the
 * pipeline oldest UID first, and only after the pipeline answered mark it (keyword, \Seen or
 * move). Watches with IDLE where offered and allowed, polls otherwise, and polls anyway at
 * pollSeconds because some servers let IDLE go quiet. Any connection loss means: reconnect with
 * backoff and search again; what was handed over but not yet marked comes again and the
 * pipeline answers 'already_seen'.
 */
export function createImapSource(
  config: ImapSourceConfig,
  logger: Logger,
  options: ImapSourceOptions = {},
): MailSource {
  const env = options.env ?? process.env;
  const batchMessages = options.batchMessages ?? 20;
  const batchBytes = options.batchBytes ?? 32 * 1024 * 1024;
  const keepAliveMs = options.keepAliveMs ?? 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const sessionMaxMs = options.sessionMaxMs ?? 30 * 60_000;
  const { onBacklog, onDelivered } = options;
  const account = `${config.user}@${config.host}`;
  const log = logger.child({ stage: 'mail', source: 'imap', account, mailbox: config.mailbox });

  for (const action of [config.onStored, config.onFailed]) {
    // Moving handled mail into the watched mailbox would hand it over again forever.
    if (action.action === 'move' && action.folder === config.mailbox)
      throw new ConfigError(
        `IMAP source: cannot move handled mail into the watched mailbox ${config.mailbox}`,
      );
  }
  // Fail at start-up on a missing secret rather than in the reconnect loop.
  const firstSecret = readImapSecret(config, env);
  if (!firstSecret.ok) throw new ConfigError(`IMAP source: ${firstSecret.error}`);

  /** Survives reconnects: the mailbox generation we last saw, and the UIDs settled under 'none'. */
  let knownUidValidity: number | null = null;
  const settledWithoutMark = new Set<string>();

  async function connect(stopSignal: AbortSignal | null): Promise<Session> {
    const secret = readImapSecret(config, env);
    if (!secret.ok) throw new SessionEnded(secret.error);
    const client = new ImapFlow({
      host: config.host,
      port: config.port,
      secure: config.tls,
      tls: { rejectUnauthorized: config.rejectUnauthorized },
      auth: { user: config.user, pass: secret.secret },
      clientInfo: { ...config.clientInfo },
      logger: imapflowLogger(log, secret.secret),
      // We decide when to IDLE and when to poll; imapflow's own auto-IDLE would race our commands.
      disableAutoIdle: true,
      ...(options.socketTimeoutMs !== undefined ? { socketTimeout: options.socketTimeoutMs } : {}),
    });
    // Without a listener an 'error' event would throw and take the daemon down.
    client.on('error', (err: Error) => log.warn({ err: describeError(err) }, 'IMAP connection error'));
    const abort = () => client.close();
    stopSignal?.addEventListener('abort', abort, { once: true });
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(config.mailbox);
      const session = new Session(client, mailbox);
      await session.prepare();
      return session;
    } catch (err) {
      client.close();
      throw err;
    } finally {
      stopSignal?.removeEventListener('abort', abort);
    }
  }

  class Session {
    private actions: MailboxActions;
    private uidValidity: number;
    /** Highest UID any search of this session returned: 'new mail' rounds look only above it. */
    private highestUid = 0;
    private newMail = false;
    private closed = false;
    private readonly slog: Logger;

    constructor(
      readonly client: ImapFlow,
      mailbox: MailboxObject,
    ) {
      this.uidValidity = Number(mailbox.uidValidity);
      this.actions = resolveMailboxActions(config, mailbox.permanentFlags);
      this.slog = log.child({ uidvalidity: this.uidValidity });
      client.on('exists', (e) => {
        if (e.count > e.prevCount) this.newMail = true;
      });
      client.on('close', () => (this.closed = true));
      // A re-SELECT can reveal a new UIDVALIDITY without a reconnect.
      client.on('mailboxOpen', (mb: MailboxObject) => this.noteUidValidity(Number(mb.uidValidity)));
    }

    async prepare(): Promise<void> {
      const c = this.client;
      this.slog.info(
        {
          secure: c.secureConnection,
          idle: c.capabilities.has('IDLE'),
          server: c.serverInfo?.name ?? null,
          exists: c.mailbox ? c.mailbox.exists : null,
        },
        'IMAP connected and mailbox selected',
      );
      this.noteUidValidity(this.uidValidity);
      for (const note of this.actions.fallbacks) this.slog.warn(note);
      // Move targets are created up front: a MOVE into a missing folder fails only after the mail was stored.
      const targets = [this.actions.stored, this.actions.failed].flatMap((a) =>
        a.action === 'move' ? [a.folder] : [],
      );
      if (targets.length > 0) {
        const existing = new Set((await c.list()).map((m) => m.path));
        for (const folder of new Set(targets)) {
          if (existing.has(folder)) continue;
          await c.mailboxCreate(folder);
          this.slog.info({ folder }, 'created the folder for handled mail');
        }
      }
    }

    private noteUidValidity(uidValidity: number): void {
      if (knownUidValidity !== null && knownUidValidity !== uidValidity) {
        // The server renumbered the mailbox: every UID we knew is void. Unmarked mail comes again;
        // the pipeline recognises it by content hash, so nothing is counted twice.
        this.slog.warn(
          { previous: knownUidValidity, current: uidValidity },
          'UIDVALIDITY changed: the mailbox was reset, unmarked mail will be handed over again',
        );
        settledWithoutMark.clear();
        this.highestUid = 0;
      }
      knownUidValidity = uidValidity;
      this.uidValidity = uidValidity;
    }

    get useIdle(): boolean {
      return config.idle && this.client.capabilities.has('IDLE');
    }

    /**
     * One round: search, then fetch and hand over in bounded batches. Searches once per round so a
     * mail the pipeline wants to retry later is not retried in a tight loop.
     */
    async deliver(handler: MailHandler, scope: 'all' | 'new', stop: AbortSignal | null): Promise<number> {
      const c = this.client;
      this.newMail = false;
      const query = pendingSearch(this.actions);
      if (scope === 'new' && this.highestUid > 0) query.uid = `${this.highestUid + 1}:*`;
      const found = await c.search(query, { uid: true });
      if (found === false || found === undefined) throw new SessionEnded('the server refused the SEARCH');
      // "N:*" matches the last message even below N, so filter; skip what 'none' already settled.
      const uids = found
        .filter((uid) => scope === 'all' || uid > this.highestUid)
        .filter((uid) => !settledWithoutMark.has(`${this.uidValidity}:${uid}`))
        .sort((a, b) => a - b);
      for (const uid of found) this.highestUid = Math.max(this.highestUid, uid);
      if (uids.length === 0) {
        if (scope === 'all') onBacklog?.(0);
        return 0;
      }
      this.slog.debug({ waiting: uids.length, scope }, 'mail waiting');

      onBacklog?.(uids.length);

      let delivered = 0;
      // While the pipeline reads, the connection carries no commands; NOOPs keep the server from timing it out.
      const keepAlive = setInterval(() => {
        if (!this.closed) c.noop().catch(() => undefined);
      }, keepAliveMs);
      try {
        // Sizes first (cheap), so one batch never holds more than batchBytes of full messages.
        for (let i = 0; i < uids.length; i += 500) {
          const chunk = uids.slice(i, i + 500);
          const sized = await c.fetchAll(chunk.join(','), { uid: true, size: true }, { uid: true });
          const sizeOf = new Map(sized.map((m) => [m.uid, m.size ?? 0]));
          for (const batch of byBudget(chunk, (uid) => sizeOf.get(uid) ?? 0, batchMessages, batchBytes)) {
            if (stop?.aborted) return delivered;
            const messages = await c.fetchAll(
              batch.join(','),
              { uid: true, internalDate: true, source: true },
              { uid: true },
            );
            messages.sort((a, b) => a.uid - b.uid);
            delivered += await this.handOverBatch(handler, messages, stop);
          }
        }
      } finally {
        clearInterval(keepAlive);
      }
      return delivered;
    }

    /**
     * Hands a fetched batch to the pipeline, `concurrency` mails at a time, started oldest first;
     * each is marked as soon as its answer comes. After a connection loss no further mail is
     * started (it could not be marked); the ones in hand finish, then the session ends.
     */
    private async handOverBatch(
      handler: MailHandler,
      messages: readonly FetchMessageObject[],
      stop: AbortSignal | null,
    ): Promise<number> {
      let next = 0;
      let delivered = 0;
      let failure: unknown = null;
      const worker = async (): Promise<void> => {
        while (failure === null && !stop?.aborted) {
          const msg = messages[next++];
          if (!msg) return;
          if (!msg.source) continue; // expunged between SEARCH and FETCH
          if (this.closed) {
            failure = new SessionEnded('connection lost during a batch');
            return;
          }
          const mail: IncomingMail = {
            source: 'imap',
            account,
            folder: this.client.mailbox ? this.client.mailbox.path : config.mailbox,
            uidvalidity: this.uidValidity,
            uid: msg.uid,
            sourceRef: null,
            raw: msg.source,
            receivedAt: toDate(msg.internalDate),
          };
          const outcome = await this.handOver(handler, mail);
          delivered += 1;
          onDelivered?.(outcome);
          try {
            await this.settle(msg.uid, outcome);
          } catch (err) {
            failure ??= err;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
      if (failure !== null) throw failure;
      return delivered;
    }

    private async handOver(handler: MailHandler, mail: IncomingMail): Promise<IngestOutcome> {
      try {
        return await handler(mail);
      } catch (err) {
        // A throwing handler is a bug in the pipeline; keep the mail for the next round rather than lose it.
        this.slog.error(
          { uid: mail.uid, err: describeError(err) },
          'mail handler threw; mail left for the next round',
        );
        return { status: 'failed', mailId: null, error: String(err), final: false };
      }
    }

    /** Marks the mailbox according to the outcome. A failure here leaves the mail to come again. */
    private async settle(uid: number, outcome: IngestOutcome): Promise<void> {
      const mlog = this.slog.child({ uid });
      let action: MailAction;
      switch (outcome.status) {
        case 'stored':
        case 'already_seen':
          action = this.actions.stored;
          break;
        case 'failed':
          if (!outcome.final) {
            mlog.info(
              { mailId: outcome.mailId, error: outcome.error },
              'mail failed for now; left for the next round',
            );
            return;
          }
          action = this.actions.failed;
          break;
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
      const done = await applyAction(this.client, uid, action);
      if (!done && this.closed) throw new SessionEnded('connection lost before the mail could be marked');
      if (!done) {
        mlog.warn(
          { action: action.action, status: outcome.status },
          'the server refused the mailbox action; mail will come again',
        );
        return;
      }
      if (action.action === 'none') settledWithoutMark.add(`${this.uidValidity}:${uid}`);
      mlog.info({ status: outcome.status, action: action.action }, 'mail handled');
    }

    /** Waits for new mail (IDLE), the poll timer, the connection dropping, or stop. */
    async wait(stop: AbortSignal): Promise<Wake> {
      if (stop.aborted) return 'stopped';
      if (this.closed) return 'closed';
      if (this.newMail) return 'new-mail';
      const c = this.client;
      let onExists: (() => void) | undefined;
      let onClose: (() => void) | undefined;
      let onAbort: (() => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      const wake = new Promise<Wake>((resolveWake) => {
        onExists = () => resolveWake('new-mail');
        onClose = () => resolveWake('closed');
        onAbort = () => resolveWake('stopped');
        timer = setTimeout(() => resolveWake('timer'), config.pollSeconds * 1000);
        c.on('exists', onExists);
        c.on('close', onClose);
        stop.addEventListener('abort', onAbort, { once: true });
      });
      // IDLE ends by itself when our next command goes out; its result only matters as a log line.
      if (this.useIdle) {
        c.idle().catch((err: unknown) =>
          this.slog.debug({ err: describeError(err) }, 'IDLE ended with an error'),
        );
      }
      try {
        return await wake;
      } finally {
        clearTimeout(timer);
        if (onExists) c.off('exists', onExists);
        if (onClose) c.off('close', onClose);
        if (onAbort) stop.removeEventListener('abort', onAbort);
      }
    }

    async close(): Promise<void> {
      if (this.closed) return;
      try {
        await Promise.race([this.client.logout(), sleep(5_000, undefined, { ref: false })]);
      } catch {
        // The connection is going anyway; a failed LOGOUT changes nothing.
      } finally {
        this.client.close();
      }
    }
  }

  return {
    name: `imap:${account}/${config.mailbox}`,

    async run(handler: MailHandler, signal: AbortSignal): Promise<void> {
      let attempt = 0;
      while (!signal.aborted) {
        let session: Session | null = null;
        let renew = false;
        try {
          session = await connect(signal);
          attempt = 0;
          const openedAt = Date.now();
          let scope: 'all' | 'new' = 'all';
          while (!signal.aborted) {
            await session.deliver(handler, scope, signal);
            const wake = await session.wait(signal);
            if (wake === 'stopped') break;
            if (wake === 'closed') throw new SessionEnded('the server closed the connection');
            if (Date.now() - openedAt > sessionMaxMs) {
              // A long-lived session can hold a stale view (a mailbox replaced under it) or be
              // dropped silently by a middlebox; a fresh login every so often costs little.
              log.debug({ ageMs: Date.now() - openedAt }, 'renewing the IMAP session');
              renew = true;
              break;
            }
            if (wake === 'timer' && !session.useIdle) await session.client.noop();
            scope = wake === 'new-mail' ? 'new' : 'all';
          }
        } catch (err) {
          if (!signal.aborted) logSessionFailure(log, err);
        } finally {
          await session?.close();
        }
        if (signal.aborted) break;
        if (renew) continue;
        const delay = reconnectDelayMs(attempt, config.reconnect);
        attempt += 1;
        log.info({ attempt, delayMs: delay }, 'reconnecting to the IMAP server');
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
      log.info('IMAP source stopped');
    },

    async drain(handler: MailHandler): Promise<{ delivered: number }> {
      let session: Session;
      try {
        session = await connect(null);
      } catch (err) {
        logSessionFailure(log, err);
        const facts = describeError(err);
        const detail = facts.responseText ? `${facts.message}: ${facts.responseText}` : facts.message;
        throw new Error(`IMAP ${account}: ${detail}`, { cause: err });
      }
      try {
        return { delivered: await session.deliver(handler, 'all', null) };
      } finally {
        await session.close();
      }
    },
  };
}

async function applyAction(client: ImapFlow, uid: number, action: MailAction): Promise<boolean> {
  switch (action.action) {
    case 'flag':
      return client.messageFlagsAdd(String(uid), [action.keyword], { uid: true });
    case 'seen':
      return client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    case 'move':
      return (await client.messageMove(String(uid), action.folder, { uid: true })) !== false;
    case 'none':
      return true;
    default: {
      const never: never = action;
      throw new Error(`unknown mail action ${JSON.stringify(never)}`);
    }
  }
}

/** Splits UIDs into batches of at most `maxCount` messages and `maxBytes` bytes (a larger single message goes alone). */
export function byBudget(
  uids: readonly number[],
  sizeOf: (uid: number) => number,
  maxCount: number,
  maxBytes: number,
): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = sizeOf(uid);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(uid);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function toDate(value: Date | string | undefined): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string') {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  // Every server sends INTERNALDATE when asked; if one does not, "now" is the honest upper bound.
  return new Date();
}

interface ErrorFacts {
  message: string;
  code?: string;
  responseText?: string;
}

function describeError(err: unknown): ErrorFacts {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; responseText?: unknown; serverResponseCode?: unknown };
  return {
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.responseText === 'string' ? { responseText: e.responseText } : {}),
  };
}

function logSessionFailure(log: Logger, err: unknown): void {
  const facts = describeError(err);
  const text = `${facts.message} ${facts.responseText ?? ''}`;
  if (/unsafe login/i.test(text)) {
    log.error(
      { err: facts },
      'the server refused the mailbox as an "Unsafe Login": it wants the IMAP ID command; check clientInfo in the config',
    );
  } else if (
    (err as { authenticationFailed?: unknown }).authenticationFailed === true ||
    /AUTHENTICATIONFAILED/i.test(text)
  ) {
    log.error(
      { err: facts },
      'IMAP login refused: check the user and the password or authorization code (授权码) the secret holds',
    );
  } else {
    log.warn({ err: facts }, 'IMAP session ended');
  }
}

/**
 * imapflow talks a lot at debug (every command and response); that goes to our trace level.
 * imapflow already masks the LOGIN password; scrubbing the secret here as well means a future
 * change there cannot leak it into our logs.
 */
function imapflowLogger(log: Logger, secret: string): ImapFlowLogger {
  const ilog = log.child({ component: 'imapflow' });
  const scrub = (entry: unknown): object => {
    const obj =
      typeof entry === 'object' && entry !== null
        ? (entry as Record<string, unknown>)
        : { msg: String(entry) };
    const text = JSON.stringify(obj, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (secret.length > 0 && text.includes(secret)) {
      return JSON.parse(text.split(secret).join('[redacted]')) as object;
    }
    return obj;
  };
  const at =
    (level: 'trace' | 'debug' | 'info' | 'warn') =>
    (entry: unknown): void => {
      if (!ilog.isLevelEnabled(level)) return;
      const { msg, ...rest } = scrub(entry) as { msg?: unknown };
      ilog[level](rest, typeof msg === 'string' ? msg : 'imapflow');
    };
  return {
    trace: at('trace'),
    debug: at('trace'),
    info: at('debug'),
    warn: at('warn'),
    error: at('warn'),
    fatal: at('warn'),
  };
}
