import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImapSecret } from './imap-secret.js';

describe('readImapSecret', () => {
  it('reads the environment variable first', () => {
    expect(readImapSecret({ secretEnv: 'CODE' }, { CODE: 'abc' })).toEqual({ ok: true, secret: 'abc' });
  });
  it('reads a file and drops the trailing newline only', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secret-')), 'code');
    writeFileSync(file, ' a b \n');
    expect(readImapSecret({ secretFile: file }, {})).toEqual({ ok: true, secret: ' a b ' });
    // An empty env var falls through to the file.
    expect(readImapSecret({ secretEnv: 'CODE', secretFile: file }, { CODE: '' })).toEqual({
      ok: true,
      secret: ' a b ',
    });
  });
  it('says where it looked, never a value', () => {
    const r = readImapSecret({ secretEnv: 'CODE' }, {});
    expect(r).toEqual({ ok: false, error: 'environment variable CODE is not set or empty' });
    const f = readImapSecret({ secretFile: '/nonexistent/code' }, {});
    expect(f.ok).toBe(false);
    expect(readImapSecret({}, {}).ok).toBe(false);
  });
});
