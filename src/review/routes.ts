import { randomBytes, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Election } from '../election/election.js';
import type { Logger } from '../log/logger.js';
import { type Decision, adjudicate, isInvalidReason } from '../store/adjudicate.js';
import { appendAudit } from '../store/audit.js';
import { ballotState } from '../store/ballot-state.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import {
  DEFAULT_SESSION_POLICY,
  type Session,
  type SessionPolicy,
  createSession,
  csrfMatches,
  endSession,
  lookupSession,
  purgeExpiredSessions,
} from '../store/sessions.js';
import { type PageDecision, type PageDecisionError, decidePage } from '../store/page-decision.js';
import { computeTally } from '../store/tally.js';
import { loginRecord } from '../store/users.js';
import { ballotPage } from './ballot-page.js';
import { loadBallotView } from './ballot-view.js';
import { type Html, html } from './html.js';
import { type LabelKey, type Lang, langOf, t } from './i18n.js';
import type { PageContext } from './layout.js';
import { loginPage } from './login-page.js';
import { LoginThrottle } from './login-throttle.js';
import { mailPage } from './mail-page.js';
import { loadMailView } from './mail-view.js';
import { decoyHash, verifyPassword } from './password.js';
import { filterQuery, loadQueue, neighbours, parseFilter } from './queue.js';
import { queuePage } from './queue-page.js';
import { downloadName, sniffImageType, uprightImage } from './serve-blob.js';
import { tallyPage } from './tally-page.js';
import { pagePage } from './page-page.js';
import { loadPageView } from './page-view.js';

/** What the review site needs from the process that serves it (the daemon or `ballot-inbox review`). */
export interface ReviewDeps {
  readonly db: Db;
  readonly election: Election;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  readonly secureCookies: boolean;
  /** The worker's re-process functions; without them the site shows no re-process buttons. */
  readonly reprocess?: {
    /** `actor` is 'user:<name>', recorded by the worker with the new readings. */
    readonly mail: (mailId: number, actor: string) => Promise<unknown>;
    readonly ballot: (ballotId: number, actor: string) => Promise<unknown>;
  };
  readonly sessionPolicy?: SessionPolicy;
  readonly throttle?: LoginThrottle;
  /** Login attempts per IP address. */
  readonly loginRateLimit?: { readonly max: number; readonly timeWindowMs: number };
}

export const SESSION_COOKIE = 'bi_sid';
const LOGIN_CSRF_COOKIE = 'bi_login';
const LANG_COOKIE = 'bi_lang';

/** Only same-site paths: a crafted ?next= must not send a person elsewhere after login. */
export function safePath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length < 2000 ? value : '/';
}

function intParam(v: unknown): number | null {
  return typeof v === 'string' && /^\d{1,12}$/.test(v) ? Number(v) : null;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

function list(v: unknown): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

function flash(kind: 'ok' | 'err', text: string): Html {
  return html`<div class="flash ${kind}" role="status" id="flash">${text}</div>`;
}

/**
 * The staff review site as a fastify plugin: register it on the daemon's instance or a standalone one.
 * Everything except the login form needs a session; every POST needs the session's CSRF token.
 */
export async function reviewPlugin(app: FastifyInstance, deps: ReviewDeps): Promise<void> {
  const { db, election, blobs } = deps;
  const log = deps.logger.child({ stage: 'review' });
  const policy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const throttle = deps.throttle ?? new LoginThrottle();
  const sessions = new WeakMap<FastifyRequest, Session>();
  const nonces = new WeakMap<FastifyRequest, string>();

  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimit, { global: false });

  const langOfReq = (req: FastifyRequest): Lang => langOf(req.cookies[LANG_COOKIE]);
  const ctxOf = (req: FastifyRequest): PageContext => {
    const s = sessions.get(req);
    return {
      lang: langOfReq(req),
      path: safePath(req.url),
      nonce: nonces.get(req) ?? '',
      user: s ? { name: s.userName, role: s.role } : null,
      csrf: s?.csrfToken ?? null,
    };
  };
  const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(body);
  // Decided by the route that matched, not by the raw URL, so no spelling of a path can slip past the login.
  const PUBLIC_ROUTES = new Set(['/login', '/favicon.ico', '/lang/:to']);
  const isPublic = (req: FastifyRequest) => PUBLIC_ROUTES.has(req.routeOptions.url ?? '');

  app.addHook('onRequest', async (req, reply) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.set(req, nonce);
    reply.header(
      'Content-Security-Policy',
      `default-src 'none'; img-src 'self'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', 'no-store');
    if (isPublic(req)) return;
    const session = lookupSession(db, req.cookies[SESSION_COOKIE], new Date(), policy);
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD')
        return reply.redirect(`/login?next=${encodeURIComponent(safePath(req.url))}`, 303);
      return reply.code(401).type('text/plain; charset=utf-8').send('login required');
    }
    sessions.set(req, session);
  });

  // The form body is parsed by now: every POST except the login form must carry the session's token.
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || isPublic(req)) return;
    const session = sessions.get(req);
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!session || !csrfMatches(session, sent)) {
      log.warn(
        { url: req.url, user: session?.userName, ip: req.ip },
        'POST without a valid CSRF token refused',
      );
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send(t(langOfReq(req), 'forbidden'));
    }
  });

  app.setNotFoundHandler((req, reply) => sendHtml(reply, t(langOfReq(req), 'notFound'), 404));

  // ---- login ---------------------------------------------------------------------------------------------------------

  const showLogin = (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { error: LabelKey | null; status: number; name?: string; next?: string },
  ) => {
    // Reuse the token already in the browser: a second tab (or the favicon request) must not void the first form.
    const existing = req.cookies[LOGIN_CSRF_COOKIE];
    const token = existing && /^[\w-]{32}$/.test(existing) ? existing : randomBytes(24).toString('base64url');
    reply.setCookie(LOGIN_CSRF_COOKIE, token, {
      path: '/login',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      maxAge: 3600,
    });
    const ctx = ctxOf(req);
    return sendHtml(
      reply,
      loginPage(ctx, {
        loginCsrf: token,
        next: o.next ?? safePath((req.query as Record<string, unknown>).next),
        error: o.error ? flash('err', t(ctx.lang, o.error)) : null,
        name: o.name ?? '',
      }),
      o.status,
    );
  };

  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());

  app.get('/login', async (req, reply) => showLogin(req, reply, { error: null, status: 200 }));

  const rl = deps.loginRateLimit ?? { max: 20, timeWindowMs: 60_000 };
  app.post(
    '/login',
    { config: { rateLimit: { max: rl.max, timeWindow: rl.timeWindowMs } } },
    async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const name = str(body.name).trim().slice(0, 64);
      const password = str(body.password);
      const next = safePath(body.next);
      const expected = req.cookies[LOGIN_CSRF_COOKIE] ?? '';
      const sent = str(body._csrf);
      // Double-submit token: a login form posted from another site cannot read the cookie it must echo.
      if (
        !expected ||
        expected.length !== sent.length ||
        !timingSafeEqual(Buffer.from(expected), Buffer.from(sent))
      )
        return showLogin(req, reply, { error: 'loginExpired', status: 403, name, next });
      if (throttle.locked(name)) {
        log.warn({ user: name, ip: req.ip }, 'login refused: too many failures for this name');
        return showLogin(req, reply, { error: 'loginThrottled', status: 429, name, next });
      }
      const record = name ? loginRecord(db, name) : undefined;
      const ok = await verifyPassword(password, record?.passwordHash ?? (await decoyHash()));
      if (!ok || !record) {
        throttle.fail(name);
        log.warn({ user: name, ip: req.ip }, 'login failed');
        return showLogin(req, reply, { error: 'loginFailed', status: 401, name, next });
      }
      throttle.succeed(name);
      // Logins are rare enough to carry the housekeeping: expired sessions leave the table here.
      purgeExpiredSessions(db);
      const s = createSession(db, record.user.id, {
        ip: req.ip,
        userAgent: str(req.headers['user-agent']),
        policy,
      });
      appendAudit(db, {
        actor: `user:${record.user.name}`,
        action: 'user.login',
        subjectType: 'user',
        subjectId: record.user.id,
        detail: { ip: req.ip },
      });
      log.info({ user: record.user.name, ip: req.ip }, 'login');
      reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
      reply.setCookie(SESSION_COOKIE, s.id, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies,
        maxAge: Math.floor(policy.lifetimeMs / 1000),
      });
      return reply.redirect(next, 303);
    },
  );

  app.post('/logout', async (req, reply) => {
    const id = req.cookies[SESSION_COOKIE];
    if (id) endSession(db, id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/lang/:to', async (req, reply) => {
    const to = (req.params as { to: string }).to === 'en' ? 'en' : 'zh';
    reply.setCookie(LANG_COOKIE, to, {
      path: '/',
      sameSite: 'lax',
      maxAge: 365 * 24 * 3600,
      secure: deps.secureCookies,
    });
    return reply.redirect(safePath((req.query as Record<string, unknown>).back), 303);
  });

  // ---- pages ---------------------------------------------------------------------------------------------------------

  app.get('/', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const filter = parseFilter(q, election);
    const ctx = ctxOf(req);
    const done = intParam(q.done);
    return sendHtml(
      reply,
      queuePage(
        ctx,
        election,
        loadQueue(db, election, filter),
        filter,
        computeTally(db, election),
        done ? flash('ok', t(ctx.lang, 'decidedDone', { n: done })) : null,
      ),
    );
  });

  app.get('/tally', async (req, reply) =>
    sendHtml(reply, tallyPage(ctxOf(req), election, computeTally(db, election))),
  );

  app.get('/ballots/:id', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const view = id === null ? undefined : await loadBallotView(db, blobs, id);
    const ctx = ctxOf(req);
    if (!view || id === null) return sendHtml(reply, t(ctx.lang, 'notFound'), 404);
    const q = req.query as Record<string, unknown>;
    const filter = parseFilter(q, election);
    const { prev, next } = neighbours(loadQueue(db, election, filter), id);
    const error = str(q.error);
    const done = intParam(q.done);
    const errKey = `err_${error}` as LabelKey;
    const message =
      error &&
      errKey in
        {
          err_stale: 1,
          err_needs_admin: 1,
          err_bad_marks: 1,
          err_unknown_kind: 1,
          err_note_required: 1,
          err_no_machine_reading: 1,
          err_bad_request: 1,
        }
        ? flash('err', t(ctx.lang, errKey))
        : done
          ? flash('ok', t(ctx.lang, 'decidedDone', { n: done }))
          : str(q.reprocessed)
            ? str(q.reprocessed) === '1'
              ? flash('ok', t(ctx.lang, 'reprocessed'))
              : flash('err', t(ctx.lang, 'reprocessFailed'))
            : null;
    return sendHtml(
      reply,
      ballotPage(ctx, election, view, {
        queryString: filterQuery(filter),
        prev,
        next,
        flash: message,
        canReprocess: deps.reprocess !== undefined,
      }),
    );
  });

  app.post('/ballots/:id/decide', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const session = sessions.get(req)!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const filter = parseFilter(Object.fromEntries(new URLSearchParams(str(body.q))), election);
    const qs = filterQuery(filter);
    const back = (extra: Record<string, string>, ballot: number | null) => {
      const p = new URLSearchParams(qs);
      for (const [k, v] of Object.entries(extra)) p.set(k, v);
      return `${ballot === null ? '/' : `/ballots/${ballot}`}?${p.toString()}`;
    };
    if (id === null || !ballotState(db, id)) return reply.redirect(back({}, null), 303);
    const seenReading = intParam(str(body.seenReading));
    const seenAdjudication = str(body.seenAdjudication) === '' ? null : intParam(str(body.seenAdjudication));
    const outcome = str(body.outcome);
    const kind = str(body.kind);
    const marks = list(body[`mark_${kind}`])
      .map((m) => intParam(m))
      .filter((m): m is number => m !== null);
    const reason = str(body.reason);
    let decision: Decision | null = null;
    if (outcome === 'accept') decision = { outcome: 'accept', marks, kind };
    else if (outcome === 'invalid' && isInvalidReason(reason))
      decision = { outcome: 'invalid', reason, marks };
    else if (outcome === 'not_a_ballot') decision = { outcome: 'not_a_ballot' };
    else if (outcome === 'machine') decision = { outcome: 'machine' };
    if (!decision || seenReading === null || (str(body.seenAdjudication) !== '' && seenAdjudication === null))
      return reply.redirect(back({ error: 'bad_request' }, id), 303);

    // Where to go next is decided before this ballot leaves the queue.
    const { next } = neighbours(loadQueue(db, election, filter), id);
    const result = adjudicate(db, election, {
      ballotId: id,
      seenReadingId: seenReading,
      seenAdjudicationId: seenAdjudication,
      actor: { name: session.userName, role: session.role },
      decision,
      note: str(body.note),
    });
    if (!result.ok) {
      log.info({ ballot: id, user: session.userName, error: result.error }, 'decision refused');
      return reply.redirect(back({ error: result.error }, id), 303);
    }
    log.info(
      { ballot: id, user: session.userName, outcome: decision.outcome, status: result.after.status },
      'ballot adjudicated',
    );
    return reply.redirect(back({ done: String(id) }, next !== id ? next : null), 303);
  });

  // ---- a page the machine did not read as a ballot: enter its ballots by hand, or confirm it holds none ----------

  const PAGE_ERRORS: Record<PageDecisionError | 'bad_request', LabelKey> = {
    not_found: 'notFound',
    stale: 'err_page_stale',
    needs_admin: 'pageDecidedNot',
    unknown_kind: 'err_unknown_kind',
    bad_marks: 'err_bad_marks',
    has_ballots: 'err_has_ballots',
    bad_request: 'err_bad_request',
  };

  app.get('/pages/:id', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const view = id === null ? undefined : await loadPageView(db, blobs, id);
    const ctx = ctxOf(req);
    if (!view) return sendHtml(reply, t(ctx.lang, 'notFound'), 404);
    const q = req.query as Record<string, unknown>;
    const error = str(q.error);
    const entered = intParam(q.entered);
    const message =
      error && error in PAGE_ERRORS
        ? flash('err', t(ctx.lang, PAGE_ERRORS[error as keyof typeof PAGE_ERRORS]))
        : entered
          ? flash('ok', t(ctx.lang, 'ballotEntered', { n: entered }))
          : str(q.confirmed) === '1'
            ? flash('ok', t(ctx.lang, 'pageConfirmedNot'))
            : null;
    return sendHtml(reply, pagePage(ctx, election, view, { flash: message }));
  });

  app.post('/pages/:id/decide', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const session = sessions.get(req)!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (id === null) return reply.redirect('/', 303);
    const seenReading = intParam(str(body.seenReading));
    const seenDecision = str(body.seenDecision) === '' ? null : intParam(str(body.seenDecision));
    const outcome = str(body.outcome);
    const kind = str(body.kind);
    let decision: PageDecision | null = null;
    if (outcome === 'ballot')
      decision = {
        outcome: 'ballot',
        kind,
        marks: list(body[`mark_${kind}`])
          .map((m) => intParam(m))
          .filter((m): m is number => m !== null),
      };
    else if (outcome === 'not_a_ballot') decision = { outcome: 'not_a_ballot' };
    if (!decision || seenReading === null || (str(body.seenDecision) !== '' && seenDecision === null))
      return reply.redirect(`/pages/${id}?error=bad_request`, 303);
    const result = decidePage(db, election, {
      pageId: id,
      seenPageReadingId: seenReading,
      seenDecisionId: seenDecision,
      actor: { name: session.userName, role: session.role },
      decision,
      note: str(body.note),
    });
    if (!result.ok) {
      log.info({ page: id, user: session.userName, error: result.error }, 'page decision refused');
      return reply.redirect(`/pages/${id}?error=${result.error}`, 303);
    }
    log.info(
      {
        page: id,
        user: session.userName,
        outcome: decision.outcome,
        ballot: result.ballot?.ballotId,
        status: result.ballot?.status,
      },
      result.ballot ? 'ballot entered by staff' : 'page confirmed as not a ballot',
    );
    return reply.redirect(
      result.ballot ? `/pages/${id}?entered=${result.ballot.ballotId}` : `/pages/${id}?confirmed=1`,
      303,
    );
  });

  app.get('/mails/:id', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const view = id === null ? undefined : loadMailView(db, id);
    const ctx = ctxOf(req);
    if (!view) return sendHtml(reply, t(ctx.lang, 'notFound'), 404);
    const reprocessed = str((req.query as Record<string, unknown>).reprocessed);
    return sendHtml(
      reply,
      mailPage(ctx, election, view, {
        canReprocess: deps.reprocess !== undefined,
        flash: reprocessed
          ? reprocessed === '1'
            ? flash('ok', t(ctx.lang, 'reprocessed'))
            : flash('err', t(ctx.lang, 'reprocessFailed'))
          : null,
      }),
    );
  });

  // ---- stored files --------------------------------------------------------------------------------------------------

  const sendImage = async (reply: FastifyReply, sha: string | null | undefined) => {
    if (!sha || !blobs.has(sha)) return reply.code(404).send();
    const data = blobs.get(sha);
    const type = sniffImageType(data);
    // Only bytes that really are an image are shown inline; anything else stays behind a download.
    if (!type) return reply.code(404).send();
    return reply
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cache-Control', 'private, max-age=3600')
      .type(type)
      .send(await uprightImage(data));
  };

  const sendDownload = (reply: FastifyReply, sha: string | null | undefined, name: string) => {
    if (!sha || !blobs.has(sha)) return reply.code(404).send();
    return reply
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Content-Disposition', downloadName(name))
      .type('application/octet-stream')
      .send(blobs.get(sha));
  };

  // ?reading=N names the reading whose image the page showed: the URL changes when a re-read adds a
  // reading, so a cached image can never sit under the boxes of a newer reading.
  app.get('/ballots/:id/image', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const s = id === null ? undefined : ballotState(db, id);
    const wanted = intParam((req.query as Record<string, unknown>).reading) ?? s?.readingId;
    const row = s
      ? (db
          .prepare('SELECT image_sha256 FROM ballot_readings WHERE id = ? AND ballot_id = ?')
          .get(wanted, s.ballotId) as { image_sha256: string | null } | undefined)
      : undefined;
    return sendImage(reply, row?.image_sha256);
  });

  app.get('/pages/:id/image', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const row = db.prepare('SELECT image_sha256 FROM pages WHERE id = ?').get(id ?? -1) as
      { image_sha256: string | null } | undefined;
    return sendImage(reply, row?.image_sha256);
  });

  app.get('/attachments/:id/original', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const row = db.prepare('SELECT sha256, filename FROM attachments WHERE id = ?').get(id ?? -1) as
      { sha256: string; filename: string | null } | undefined;
    return sendDownload(reply, row?.sha256, row?.filename ?? `attachment-${id}.bin`);
  });

  app.get('/mails/:id/original', async (req, reply) => {
    const id = intParam((req.params as { id: string }).id);
    const row = db.prepare('SELECT sha256 FROM mails WHERE id = ?').get(id ?? -1) as
      { sha256: string } | undefined;
    return sendDownload(reply, row?.sha256, `mail-${id}.eml`);
  });

  // ---- re-process (only when the worker provides it) ----------------------------------------------------------------

  const reprocess = deps.reprocess;
  /** A failed re-read is logged with its ids and told to the person; the stored readings are unchanged. */
  const runReprocess = async (run: () => Promise<unknown>, ids: Record<string, number>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (err) {
      log.error({ ...ids, err }, 're-process from the review site failed');
      return false;
    }
  };
  if (reprocess) {
    app.post('/ballots/:id/reprocess', async (req, reply) => {
      const id = intParam((req.params as { id: string }).id);
      const session = sessions.get(req)!;
      if (id === null || !ballotState(db, id)) return reply.code(404).send();
      appendAudit(db, {
        actor: `user:${session.userName}`,
        action: 'ballot.reprocess_requested',
        subjectType: 'ballot',
        subjectId: id,
        detail: {},
      });
      const ok = await runReprocess(() => reprocess.ballot(id, `user:${session.userName}`), { ballot: id });
      return reply.redirect(`/ballots/${id}?reprocessed=${ok ? 1 : 0}`, 303);
    });
    app.post('/mails/:id/reprocess', async (req, reply) => {
      const id = intParam((req.params as { id: string }).id);
      const session = sessions.get(req)!;
      if (id === null || !db.prepare('SELECT 1 FROM mails WHERE id = ?').get(id))
        return reply.code(404).send();
      appendAudit(db, {
        actor: `user:${session.userName}`,
        action: 'mail.reprocess_requested',
        subjectType: 'mail',
        subjectId: id,
        detail: {},
      });
      const ok = await runReprocess(() => reprocess.mail(id, `user:${session.userName}`), { mail: id });
      return reply.redirect(`/mails/${id}?reprocessed=${ok ? 1 : 0}`, 303);
    });
  }
}
