import { appendAudit } from './audit.js';
import type { Db } from './db.js';

export type Role = 'reviewer' | 'admin';

export interface User {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
}

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
}

function toUser(r: UserRow): User {
  return { id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
}

/** Letters (any script), digits, dot, dash, underscore: the name appears in audit actors as 'user:<name>'. */
export const USER_NAME = /^[\p{L}\p{N}._-]{1,64}$/u;

export function isRole(v: string): v is Role {
  return v === 'reviewer' || v === 'admin';
}

export type CreateUserResult =
  { readonly ok: true; readonly user: User } | { readonly ok: false; readonly error: 'bad_name' | 'exists' };

/** `passwordHash` comes from review/password.ts hashPassword; the store never sees the password. */
export function createUser(
  db: Db,
  input: { name: string; role: Role; passwordHash: string; actor: string; at?: Date },
): CreateUserResult {
  if (!USER_NAME.test(input.name)) return { ok: false, error: 'bad_name' };
  const at = (input.at ?? new Date()).toISOString();
  return db.transaction((): CreateUserResult => {
    if (db.prepare('SELECT 1 FROM users WHERE name = ?').get(input.name))
      return { ok: false, error: 'exists' };
    const info = db
      .prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(input.name, input.role, input.passwordHash, at);
    const id = Number(info.lastInsertRowid);
    appendAudit(db, {
      actor: input.actor,
      action: 'user.created',
      subjectType: 'user',
      subjectId: id,
      detail: { name: input.name, role: input.role },
      at: new Date(at),
    });
    return { ok: true, user: { id, name: input.name, role: input.role, disabled: false, createdAt: at } };
  })();
}

export function listUsers(db: Db): User[] {
  return (db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
}

export function findUser(db: Db, name: string): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

export function userById(db: Db, id: number): User | undefined {
  const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return row ? toUser(row) : undefined;
}

/** The stored hash for a login check; undefined for unknown or disabled users. */
export function loginRecord(db: Db, name: string): { user: User; passwordHash: string } | undefined {
  const row = db.prepare('SELECT * FROM users WHERE name = ? AND disabled = 0').get(name) as
    UserRow | undefined;
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

export type DisableUserResult =
  | { readonly ok: true; readonly user: User; readonly sessionsEnded: number }
  | { readonly ok: false; readonly error: 'not_found' | 'already_disabled' };

/** Disabling ends the user's sessions at once; the row stays, because audit entries name the user. */
export function disableUser(db: Db, name: string, actor: string, at: Date = new Date()): DisableUserResult {
  return db.transaction((): DisableUserResult => {
    const row = db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    if (!row) return { ok: false, error: 'not_found' };
    if (row.disabled === 1) return { ok: false, error: 'already_disabled' };
    db.prepare('UPDATE users SET disabled = 1, disabled_at = ? WHERE id = ?').run(at.toISOString(), row.id);
    const ended = db.prepare('DELETE FROM sessions WHERE user_id = ?').run(row.id).changes;
    appendAudit(db, {
      actor,
      action: 'user.disabled',
      subjectType: 'user',
      subjectId: row.id,
      detail: { name, sessionsEnded: ended },
      at,
    });
    return { ok: true, user: { ...toUser(row), disabled: true }, sessionsEnded: ended };
  })();
}
