import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { createSession, csrfMatches, endSession, lookupSession, purgeExpiredSessions } from './sessions.js';
import { createUser, disableUser } from './users.js';

const policy = { lifetimeMs: 8 * 3600_000, idleMs: 3600_000 };
const t0 = new Date('2024-01-20T08:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function setup() {
  const db = openDatabase(':memory:');
  const r = createUser(db, { name: 'alice', role: 'reviewer', passwordHash: 'scrypt$x', actor: 'test' });
  if (!r.ok) throw new Error(r.error);
  return { db, userId: r.user.id };
}

describe('sessions', () => {
  it('finds a live session by its cookie value and stores only a hash of it', () => {
    const { db, userId } = setup();
    const s = createSession(db, userId, { now: t0, policy });
    expect(lookupSession(db, s.id, at(1000), policy)).toMatchObject({ userName: 'alice', role: 'reviewer' });
    const stored = db.prepare('SELECT id_hash FROM sessions').get() as { id_hash: string };
    expect(stored.id_hash).not.toBe(s.id);
    expect(lookupSession(db, stored.id_hash, at(1000), policy)).toBeUndefined();
  });

  it('ends a session at its absolute expiry even when it is in use', () => {
    const { db, userId } = setup();
    const s = createSession(db, userId, { now: t0, policy });
    for (let h = 0.5; h < 8; h += 0.5)
      expect(lookupSession(db, s.id, at(h * 3600_000), policy)).toBeDefined();
    expect(lookupSession(db, s.id, at(8 * 3600_000), policy)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
  });

  it('ends a session left idle too long', () => {
    const { db, userId } = setup();
    const s = createSession(db, userId, { now: t0, policy });
    expect(lookupSession(db, s.id, at(59 * 60_000), policy)).toBeDefined();
    expect(lookupSession(db, s.id, at(59 * 60_000 + 3600_000), policy)).toBeUndefined();
  });

  it('ends on logout and when the user is disabled', () => {
    const { db, userId } = setup();
    const a = createSession(db, userId, { now: t0, policy });
    endSession(db, a.id);
    expect(lookupSession(db, a.id, at(1), policy)).toBeUndefined();
    const b = createSession(db, userId, { now: t0, policy });
    disableUser(db, 'alice', 'test');
    expect(lookupSession(db, b.id, at(1), policy)).toBeUndefined();
  });

  it('purges expired sessions', () => {
    const { db, userId } = setup();
    createSession(db, userId, { now: t0, policy });
    expect(purgeExpiredSessions(db, at(1000))).toBe(0);
    expect(purgeExpiredSessions(db, at(9 * 3600_000))).toBe(1);
  });

  it('accepts only the exact CSRF token of the session', () => {
    const { db, userId } = setup();
    const s = createSession(db, userId, { now: t0, policy });
    const other = createSession(db, userId, { now: t0, policy });
    const live = lookupSession(db, s.id, at(1), policy)!;
    expect(csrfMatches(live, s.csrfToken)).toBe(true);
    expect(csrfMatches(live, other.csrfToken)).toBe(false);
    expect(csrfMatches(live, '')).toBe(false);
    expect(csrfMatches(live, undefined)).toBe(false);
    expect(csrfMatches(live, [s.csrfToken])).toBe(false);
    expect(csrfMatches(live, s.csrfToken.slice(1))).toBe(false);
  });
});
