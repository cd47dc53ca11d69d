import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmtpSecret, type SmtpConfig } from './email.js';

const base: SmtpConfig = {
  host: 'smtp.163.com',
  port: 465,
  secure: true,
  user: 'lhdcms@163.com',
  from: 'lhdcms@163.com',
  to: ['a@example.cn'],
  rejectUnauthorized: true,
};

describe('readSmtpSecret', () => {
  it('takes the environment variable first, then the file (trimmed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-secret-'));
    const file = join(dir, 'secret');
    writeFileSync(file, 'from-file\n');
    expect(readSmtpSecret({ ...base, secretEnv: 'S', secretFile: file }, { S: 'from-env' })).toEqual({
      ok: true,
      secret: 'from-env',
    });
    expect(readSmtpSecret({ ...base, secretEnv: 'S', secretFile: file }, {})).toEqual({
      ok: true,
      secret: 'from-file',
    });
  });

  it('fails, naming the source and not any value, when a login has no secret', () => {
    expect(readSmtpSecret({ ...base, secretEnv: 'S' }, {})).toEqual({
      ok: false,
      error: 'environment variable S is not set',
    });
    expect(readSmtpSecret(base, {})).toMatchObject({ ok: false });
    expect(readSmtpSecret({ ...base, secretFile: '/nonexistent/secret' }, {})).toEqual({
      ok: false,
      error: 'secret file /nonexistent/secret cannot be read: ENOENT',
    });
    const { user: _user, ...relay } = base;
    expect(readSmtpSecret(relay, {})).toEqual({ ok: true, secret: undefined });
  });
});
