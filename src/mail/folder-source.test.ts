import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { collectEml, createFolderSource, createPathsSource, receivedAtOf } from './folder-source.js';
import type { IncomingMail, IngestOutcome } from './incoming.js';

const logger = createLogger({ level: 'silent', pretty: false });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folder-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function mail(name: string, body: string, mtime = new Date('2024-01-20T00:00:00Z')): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  utimesSync(path, mtime, mtime);
  return path;
}

describe('receivedAtOf', () => {
  const mtime = new Date('2030-01-01T00:00:00Z');
  it('takes the topmost Received header, folded or not', () => {
    const raw = Buffer.from(
      'Received: from a.example (a [1.2.3.4])\r\n\tby mx.example with ESMTP;\r\n Tue, 23 Jan 2024 15:59:59 +0000\r\n' +
        'Received: from b by a; Mon, 1 Jan 2024 00:00:00 +0000\r\nSubject: x\r\n\r\nReceived: body; Wed, 1 Jan 2025 00:00:00 +0000\r\n',
    );
    expect(receivedAtOf(raw, mtime)).toEqual({
      at: new Date('2024-01-23T15:59:59Z'),
      from: 'received-header',
    });
  });
  it('falls back to the file time without a usable Received header', () => {
    expect(receivedAtOf(Buffer.from('Subject: x\n\nhello'), mtime)).toEqual({ at: mtime, from: 'mtime' });
    expect(receivedAtOf(Buffer.from('Received: garbage; not a date\n\n'), mtime).from).toBe('mtime');
  });
});

describe('folder source', () => {
  it('moves a file only after the pipeline answered: processed/, failed/, or left for the next pass', async () => {
    mail('a.eml', 'Subject: a\n\nA');
    mail('b.eml', 'Subject: b\n\nB');
    mail('c.eml', 'Subject: c\n\nC');
    mail('d.eml', 'Subject: d\n\nD');
    mail('notes.txt', 'not a mail');
    const seen: IncomingMail[] = [];
    const answers: Record<string, IngestOutcome> = {
      'a.eml': { status: 'stored', mailId: 1, ballots: 1, reason: null },
      'b.eml': { status: 'already_seen', mailId: 1 },
      'c.eml': { status: 'failed', mailId: 3, error: 'x', final: true },
      'd.eml': { status: 'failed', mailId: 4, error: 'x', final: false },
    };
    const backlog: number[] = [];
    const source = createFolderSource(dir, {
      logger,
      concurrency: 2,
      settleMs: 0,
      onBacklog: (n) => backlog.push(n),
    });
    const result = await source.drain(async (m) => {
      seen.push(m);
      // The file is still in the inbox while the pipeline works on it.
      expect(existsSync(m.sourceRef!)).toBe(true);
      return answers[m.sourceRef!.split('/').pop()!]!;
    });
    expect(result.delivered).toBe(4);
    expect(backlog).toEqual([4]);
    expect(seen.every((m) => m.source === 'folder' && m.uid === null)).toBe(true);
    expect(seen[0]!.receivedAt).toEqual(new Date('2024-01-20T00:00:00Z'));
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['a.eml', 'b.eml']);
    expect(readdirSync(join(dir, 'failed'))).toEqual(['c.eml']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toEqual(['d.eml']);
  });

  it('does not overwrite an earlier file of the same name in processed/', async () => {
    mkdirSync(join(dir, 'processed'));
    writeFileSync(join(dir, 'processed', 'a.eml'), 'older');
    mail('a.eml', 'Subject: a\n\nA');
    await createFolderSource(dir, { logger, concurrency: 1, settleMs: 0 }).drain(async () => ({
      status: 'stored',
      mailId: 1,
      ballots: 0,
      reason: 'no_ballot',
    }));
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['a.1.eml', 'a.eml']);
  });

  it('leaves a file alone while it may still be being written', async () => {
    mail('fresh.eml', 'Subject: x\n\n', new Date());
    const got = await createFolderSource(dir, { logger, concurrency: 1, settleMs: 60_000 }).drain(
      async () => {
        throw new Error('must not be delivered');
      },
    );
    expect(got.delivered).toBe(0);
  });

  it('keeps watching until stopped, picking up files that appear', async () => {
    const source = createFolderSource(dir, { logger, concurrency: 1, settleMs: 0, pollSeconds: 0.05 });
    const stop = new AbortController();
    const got: string[] = [];
    const running = source.run(async (m) => {
      got.push(m.sourceRef!.split('/').pop()!);
      if (got.length === 2) stop.abort();
      return { status: 'stored', mailId: got.length, ballots: 0, reason: null };
    }, stop.signal);
    mail('one.eml', 'Subject: 1\n\n');
    await new Promise((r) => setTimeout(r, 150));
    mail('two.eml', 'Subject: 2\n\n');
    await running;
    expect(got).toEqual(['one.eml', 'two.eml']);
  });
});

describe('paths source (ingest PATH...)', () => {
  it('reads files and folders recursively, leaves them in place, retries a non-final failure', async () => {
    mkdirSync(join(dir, 'sub'));
    mail('x.eml', 'Subject: x\n\n');
    writeFileSync(join(dir, 'sub', 'y.EML'), 'Subject: y\n\n');
    expect(collectEml([dir]).map((p) => p.split('/').pop())).toEqual(['y.EML', 'x.eml']);
    let calls = 0;
    let failedOnce = false;
    const outcomes: IngestOutcome[] = [];
    const source = createPathsSource([dir], { logger, concurrency: 1, onDelivered: (o) => outcomes.push(o) });
    await source.drain(async (m) => {
      calls++;
      expect(m.source).toBe('cli');
      if (m.sourceRef!.endsWith('x.eml') && !failedOnce) {
        failedOnce = true;
        return { status: 'failed', mailId: 1, error: 'e', final: false };
      }
      return { status: 'stored', mailId: 1, ballots: 0, reason: null };
    });
    expect(calls).toBe(3);
    expect(outcomes.map((o) => o.status)).toEqual(['stored', 'stored']);
    expect(existsSync(join(dir, 'x.eml'))).toBe(true);
  });
});
