import { createHash } from 'node:crypto';
import pino from 'pino';
import type { IncomingMail, IngestOutcome, MailHandler } from '../../src/mail/incoming.js';
import type { Logger } from '../../src/log/logger.js';

/** A small RFC 5322 message; `n` makes it unique (Message-ID, subject, body). */
export function tinyMail(n: number, tag = 'ballot'): Buffer {
  return Buffer.from(
    [
      `From: voter${n}@example.test`,
      'To: ballot@example.test',
      `Subject: =?UTF-8?B?${Buffer.from(`选票 ${tag} ${n}`).toString('base64')}?=`,
      `Message-ID: <${tag}-${n}@example.test>`,
      'Date: Sat, 28 Nov 2026 10:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `ballot ${tag} ${n}`,
      '',
    ].join('\r\n'),
  );
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export interface Delivery {
  readonly hash: string;
  readonly mail: IncomingMail;
  readonly outcome: IngestOutcome;
}

/**
 * Stands in for the pipeline: remembers mail by content hash like the real store does, so a
 * re-presented mail is 'already_seen' and a test can count what would have been counted.
 * `decide` overrides the answer for chosen mails (failures).
 */
export function recordingHandler(
  options: { decide?: (mail: IncomingMail) => IngestOutcome | undefined; delayMs?: number } = {},
): { handler: MailHandler; deliveries: Delivery[]; stored: Map<string, number> } {
  const stored = new Map<string, number>();
  const deliveries: Delivery[] = [];
  let nextId = 1;
  const handler: MailHandler = async (mail) => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const hash = sha256(mail.raw);
    const custom = options.decide?.(mail);
    let outcome: IngestOutcome;
    if (custom) outcome = custom;
    else {
      const known = stored.get(hash);
      if (known !== undefined) outcome = { status: 'already_seen', mailId: known };
      else {
        const mailId = nextId++;
        stored.set(hash, mailId);
        outcome = { status: 'stored', mailId, ballots: 1, reason: null };
      }
    }
    deliveries.push({ hash, mail, outcome });
    return outcome;
  };
  return { handler, deliveries, stored };
}

/** A logger whose JSON lines land in memory, at trace so imapflow's protocol lines are there too. */
export function memoryLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) });
  return { logger, text: () => lines.join('') };
}

export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
