import { createHash } from 'node:crypto';
import { canonicalJson } from '../election/load.js';
import type { Db } from './db.js';

export type AuditSubject = 'mail' | 'attachment' | 'page' | 'ballot' | 'user' | 'report' | 'system';

export interface AuditInput {
  /** Who or what acted: 'ingest', 'recognizer@1.2.0', 'rules', 'user:wang', 'report'. */
  readonly actor: string;
  /** What happened: 'mail.received', 'ballot.judged', 'ballot.adjudicated', … */
  readonly action: string;
  readonly subjectType: AuditSubject;
  readonly subjectId: number | null;
  /** Why, and the values before/after. Must be JSON-serialisable. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** Defaults to now; tests and imports may set it. */
  readonly at?: Date;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject_type: string;
  readonly subject_id: number | null;
  readonly detail: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The hash covers every field of the entry and the previous entry's hash, so no entry can change or vanish unseen. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject_type: e.subject_type,
    subject_id: e.subject_id,
    detail: e.detail,
    prev_hash: e.prev_hash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Append an entry. Call inside the transaction that makes the change it records, so
 * the change and its audit entry commit together or not at all.
 */
export function appendAudit(db: Db, input: AuditInput): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const partial = {
    seq: (last?.seq ?? 0) + 1,
    at: (input.at ?? new Date()).toISOString(),
    actor: input.actor,
    action: input.action,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    detail: canonicalJson(input.detail),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...partial, hash: entryHash(partial) };
  db.prepare(
    `INSERT INTO audit (seq, at, actor, action, subject_type, subject_id, detail, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @subject_type, @subject_id, @detail, @prev_hash, @hash)`,
  ).run(entry);
  return entry;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly firstBad: number;
      readonly problem: string;
      readonly head: string;
    };

/** Recompute the chain from the start; report the first entry that does not fit. */
export function verifyAudit(db: Db): AuditVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as Iterable<AuditEntry>) {
    count++;
    const bad = (problem: string): AuditVerification => ({
      ok: false,
      entries: count,
      firstBad: row.seq,
      problem,
      head: prev,
    });
    if (row.seq !== expectedSeq) return bad(`entry ${expectedSeq} is missing (next is ${row.seq})`);
    if (row.prev_hash !== prev)
      return bad(`entry ${row.seq} does not follow entry ${row.seq - 1} (prev_hash differs)`);
    const { hash: _stored, ...rest } = row;
    if (entryHash(rest) !== row.hash)
      return bad(`entry ${row.seq} was altered (its hash does not match its content)`);
    prev = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count, head: prev };
}

export function auditHead(db: Db): { seq: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return last ?? { seq: 0, hash: GENESIS_HASH };
}
