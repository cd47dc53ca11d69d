import {
  simpleParser,
  type AddressObject,
  type Attachment,
  type ParsedMail as LibParsedMail,
} from 'mailparser';
import type { Limits } from '../config/schema.js';
import { rawFilenameFixes } from './parse-filename.js';

/**
 * One raw e-mail → its parts (attachments, inline images, and the parts of forwarded mails,
 * flattened), each with a stable path so every later record can say which file it came from.
 * Text and HTML bodies are not parts: a ballot is never typed into the mail body.
 *
 * Policy for too many parts: the first limits.maxAttachments parts are kept and every further one
 * is recorded as a problem (too_many_parts) with its path and name. A mail carrying many photocopied
 * ballots should still count the ones we can take, and staff see exactly which were left. Only when
 * the MIME tree itself is absurd (more than ten nodes per allowed part) is the whole mail refused,
 * because then the parser would have to build that tree first.
 */
export interface MailPart {
  /** "2" is the mail's second part; "3.1" is part 1 of the mail forwarded as part 3. */
  readonly path: string;
  readonly filename: string | null;
  /** Content-Type as the sender declared it (lower case, no parameters); the bytes decide the real type. */
  readonly declaredType: string | null;
  readonly origin: 'attachment' | 'inline' | 'forwarded';
  readonly data: Buffer;
  /** Path of the forwarded mail this part came out of; null at the top level. */
  readonly parentPath: string | null;
}

export interface MailProblem {
  readonly path: string;
  readonly reason: 'too_large' | 'too_many_parts' | 'parse_failed';
  readonly detail: string;
}

export interface ParsedMail {
  readonly messageId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly subject: string | null;
  /** The Date header: written by the sender's client, so never used to decide lateness. */
  readonly date: Date | null;
  readonly parts: readonly MailPart[];
  readonly problems: readonly MailProblem[];
}

export type ParseMailResult =
  | { readonly ok: true; readonly mail: ParsedMail }
  | {
      readonly ok: false;
      readonly reason: 'parse_failed' | 'too_large' | 'too_many_parts';
      readonly detail: string;
    };

const FORWARDED_TYPES = new Set(['message/rfc822', 'message/global']);

type LibResult =
  | { ok: true; mail: LibParsedMail }
  | { ok: false; reason: 'parse_failed' | 'too_many_parts'; detail: string };

export async function parseMail(raw: Buffer, limits: Limits): Promise<ParseMailResult> {
  if (raw.length > limits.maxMailBytes) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `mail is ${raw.length} bytes, limit ${limits.maxMailBytes}`,
    };
  }
  try {
    const top = await parseWithLimits(raw, limits);
    if (!top.ok) return top;
    if (!looksLikeMail(top.mail)) {
      return { ok: false, reason: 'parse_failed', detail: 'no mail headers found (not an e-mail?)' };
    }
    const walk: Walk = { limits, parts: [], problems: [], kept: 0 };
    await collect(walk, top.mail, rawFilenameFixes(raw), null, 0);
    const m = top.mail;
    return {
      ok: true,
      mail: {
        messageId: m.messageId ?? null,
        from: m.from?.text || null,
        to: addressText(m.to),
        subject: m.subject ?? null,
        date: m.date && !Number.isNaN(m.date.getTime()) ? m.date : null,
        parts: walk.parts,
        problems: walk.problems,
      },
    };
  } catch (err) {
    // mailparser and its decoders are third-party code fed hostile bytes: whatever escapes is this mail's failure.
    return { ok: false, reason: 'parse_failed', detail: (err as Error).message };
  }
}

interface Walk {
  readonly limits: Limits;
  readonly parts: MailPart[];
  readonly problems: MailProblem[];
  kept: number;
}

async function collect(
  walk: Walk,
  mail: LibParsedMail,
  nameFixes: ReadonlyMap<string, string>,
  parentPath: string | null,
  depth: number,
): Promise<void> {
  let index = 0;
  for (const att of mail.attachments) {
    index += 1;
    const path = parentPath === null ? String(index) : `${parentPath}.${index}`;
    const filename = att.filename === undefined ? null : (nameFixes.get(att.filename) ?? att.filename);
    const declaredType = declaredContentType(att);
    const data = att.content;

    if (isForwarded(att, declaredType, filename)) {
      if (depth + 1 > walk.limits.maxNestingDepth) {
        walk.problems.push({
          path,
          reason: 'too_many_parts',
          detail: `forwarded mail nested deeper than ${walk.limits.maxNestingDepth} levels`,
        });
        continue;
      }
      const inner = await parseWithLimits(data, walk.limits);
      if (!inner.ok) {
        walk.problems.push({ path, reason: inner.reason, detail: `forwarded mail: ${inner.detail}` });
        continue;
      }
      await collect(walk, inner.mail, rawFilenameFixes(data), path, depth + 1);
      continue;
    }

    const name = filename ? ` "${filename}"` : '';
    if (walk.kept >= walk.limits.maxAttachments) {
      walk.problems.push({
        path,
        reason: 'too_many_parts',
        detail: `part${name} not read: the mail has more than ${walk.limits.maxAttachments} parts`,
      });
      continue;
    }
    if (data.length > walk.limits.maxAttachmentBytes) {
      walk.problems.push({
        path,
        reason: 'too_large',
        detail: `part${name} is ${data.length} bytes, limit ${walk.limits.maxAttachmentBytes}`,
      });
      continue;
    }
    walk.kept += 1;
    walk.parts.push({
      path,
      filename,
      declaredType,
      origin: parentPath !== null ? 'forwarded' : isInline(att) ? 'inline' : 'attachment',
      data,
      parentPath,
    });
  }
}

/** mailparser with the limits applied and a clock on it; its own size errors become typed reasons. */
async function parseWithLimits(raw: Buffer, limits: Limits): Promise<LibResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LibResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          reason: 'parse_failed',
          detail: `parsing took longer than ${limits.pageTimeoutSeconds} s`,
        }),
      limits.pageTimeoutSeconds * 1000,
    );
  });
  const parse = simpleParser(raw, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
    // mailsplit's node limit (default 1000) would refuse a mail of 1,000 photos outright; allow enough
    // nodes to see every part and let the maxAttachments policy above decide what is read.
    maxChildNodes: limits.maxAttachments * 10 + 100,
  } as Parameters<typeof simpleParser>[1]).then(
    (mail): LibResult => ({ ok: true, mail }),
    (err: Error & { code?: string }): LibResult => {
      if (err.code === 'EMAXLEN' && /child nodes/i.test(err.message)) {
        return { ok: false, reason: 'too_many_parts', detail: `MIME tree too large: ${err.message}` };
      }
      return { ok: false, reason: 'parse_failed', detail: err.message };
    },
  );
  try {
    return await Promise.race([parse, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const MAIL_HEADERS = [
  'from',
  'to',
  'subject',
  'date',
  'content-type',
  'mime-version',
  'message-id',
  'received',
];

/** mailparser accepts anything as a mail; a file with none of the usual headers (a JPEG dropped in the inbox folder) is not one. */
function looksLikeMail(mail: LibParsedMail): boolean {
  return MAIL_HEADERS.some((h) => mail.headers.has(h));
}

function declaredContentType(att: Attachment): string | null {
  // mailparser replaces application/octet-stream with a guess from the file name; keep what was sent.
  const header = att.headers.get('content-type') as { value?: string } | string | undefined;
  const value = typeof header === 'string' ? header : header?.value;
  return value ? value.split(';')[0]!.trim().toLowerCase() || null : null;
}

function isForwarded(att: Attachment, declared: string | null, filename: string | null): boolean {
  if (declared && FORWARDED_TYPES.has(declared)) return true;
  if (FORWARDED_TYPES.has(att.contentType.toLowerCase())) return true;
  // Some clients attach a saved mail as octet-stream; the .eml name is the only hint.
  return declared === 'application/octet-stream' && !!filename && /\.eml$/i.test(filename);
}

function isInline(att: Attachment): boolean {
  return (
    att.contentDisposition === 'inline' ||
    att.related === true ||
    (!!att.cid && att.contentDisposition !== 'attachment')
  );
}

function addressText(to: AddressObject | AddressObject[] | undefined): string | null {
  if (!to) return null;
  const text = (Array.isArray(to) ? to : [to]).map((a) => a.text).join(', ');
  return text || null;
}
