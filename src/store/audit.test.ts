import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from './audit.js';
import { openDatabase } from './db.js';

function withEntries(n: number) {
  const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'a.db');
  const db = openDatabase(path);
  for (let i = 0; i < n; i++) {
    appendAudit(db, {
      actor: 'test',
      action: 'mail.received',
      subjectType: 'mail',
      subjectId: i,
      detail: { i },
    });
  }
  return { db, path };
}

describe('audit trail', () => {
  it('verifies an intact chain and names its head', () => {
    const { db } = withEntries(5);
    const v = verifyAudit(db);
    expect(v).toMatchObject({ ok: true, entries: 5 });
    expect(v.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses UPDATE and DELETE', () => {
    const { db } = withEntries(2);
    expect(() => db.prepare("UPDATE audit SET actor = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('names the first altered entry when someone bypasses the triggers', () => {
    const { db, path } = withEntries(4);
    db.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_no_update');
    raw.prepare(`UPDATE audit SET detail = '{"i":99}' WHERE seq = 3`).run();
    raw.close();
    const v = verifyAudit(openDatabase(path));
    expect(v).toMatchObject({ ok: false, firstBad: 3 });
  });

  it('notices a deleted entry', () => {
    const { db, path } = withEntries(4);
    db.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_no_delete');
    raw.prepare('DELETE FROM audit WHERE seq = 2').run();
    raw.close();
    const v = verifyAudit(openDatabase(path));
    expect(v).toMatchObject({ ok: false, firstBad: 3 });
  });
});
