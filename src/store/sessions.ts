import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './db.js';
import type { Role } from './users.js';

/**
 * Server-side login sessions. The cookie holds a random id; the table holds only its
 * sha256, the user, a per-session CSRF token and the expiry. A session ends at its
 * absolute expiry, after `idleMs` without a request, on logout, or when the user is disabled.
 */
export interface SessionPolicy {
  readonly lifetimeMs: number;
  readonly idleMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  lifetimeMs: 12 * 60 * 60 * 1000,
  idleMs: 2 * 60 * 60 * 1000,
};

export interface Session {
  readonly userId: number;
  readonly userName: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function createSession(
  db: Db,
  userId: number,
  meta: { ip?: string; userAgent?: string; now?: Date; policy?: SessionPolicy } = {},
): { id: string; csrfToken: string; expiresAt: string } {
  const now = meta.now ?? new Date();
  const policy = meta.policy ?? DEFAULT_SESSION_POLICY;
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.lifetimeMs).toISOString();
  db.prepare(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    hashId(id),
    userId,
    csrfToken,
    now.toISOString(),
    now.toISOString(),
    expiresAt,
    meta.ip ?? null,
    meta.userAgent?.slice(0, 300) ?? null,
  );
  return { id, csrfToken, expiresAt };
}

/** The live session for a cookie value, touching its idle clock; undefined when unknown, expired, idle or disabled. */
export function lookupSession(
  db: Db,
  id: string | undefined,
  now: Date = new Date(),
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Session | undefined {
  if (!id || id.length > 200) return undefined;
  const row = db
    .prepare(
      `SELECT s.id_hash, s.csrf_token, s.expires_at, s.last_seen_at, u.id AS user_id, u.name, u.role, u.disabled
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
    )
    .get(hashId(id)) as
    | {
        id_hash: string;
        csrf_token: string;
        expires_at: string;
        last_seen_at: string;
        user_id: number;
        name: string;
        role: Role;
        disabled: number;
      }
    | undefined;
  if (!row) return undefined;
  const idleSince = new Date(row.last_seen_at).getTime();
  if (
    row.disabled === 1 ||
    now.toISOString() >= row.expires_at ||
    now.getTime() - idleSince >= policy.idleMs
  ) {
    db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(row.id_hash);
    return undefined;
  }
  // Touch at most once a minute: every image request would otherwise write.
  if (now.getTime() - idleSince > 60_000)
    db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now.toISOString(), row.id_hash);
  return {
    userId: row.user_id,
    userName: row.name,
    role: row.role,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

export function endSession(db: Db, id: string): void {
  db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(id));
}

export function purgeExpiredSessions(db: Db, now: Date = new Date()): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString()).changes;
}

/** Constant-time comparison of the token a form sent with the session's token. */
export function csrfMatches(session: Pick<Session, 'csrfToken'>, sent: unknown): boolean {
  if (typeof sent !== 'string' || sent.length === 0) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(sent);
  return a.length === b.length && timingSafeEqual(a, b);
}
