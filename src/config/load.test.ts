import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../election/load.js';
import { loadAppConfig, parseAppConfig } from './load.js';

const dir = resolve('config');

describe('service config', () => {
  it('the shipped config loads with the folder source and data under var/', () => {
    const c = loadAppConfig('config/ballot-inbox.json');
    expect(c.source.type).toBe('folder');
    expect(c.dbPath).toBe(resolve('var/ballot-inbox.db'));
    expect(c.election.ballots.map((b) => b.kind)).toEqual(['projects', 'districts']);
  });

  it('a minimal config needs only the election file', () => {
    const c = parseAppConfig({ election: 'election-2023.json' }, dir, null);
    expect(c.limits.maxAttempts).toBe(3);
    expect(c.http.host).toBe('127.0.0.1');
  });

  it('names a misspelt key', () => {
    expect(() =>
      parseAppConfig({ election: 'election-2023.json', limits: { maxAttachmentByte: 1 } }, dir, null),
    ).toThrow(/limits\.maxAttachmentByte: unknown key/);
  });

  it('names the bad key inside an IMAP source', () => {
    try {
      parseAppConfig(
        { election: 'election-2023.json', source: { type: 'imap', host: 'imap.163.com', port: 'x' } },
        dir,
        null,
      );
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/source\.port/);
      expect((err as Error).message).toMatch(/source\.user/);
    }
  });
});
