import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Limits } from '../config/schema.js';
import type { Election } from '../election/election.js';
import { stopPdfReader } from '../extract/pdf.js';
import { BlobStore } from '../store/blobs.js';
import { readMail, type ReadAttachment, type ReadMail } from '../worker/read-mail.js';
import { createStages } from '../worker/real-stages.js';
import type { ParsedMailLike, Stages } from '../worker/stages.js';
import type { Logger } from '../log/logger.js';
import { contextFor } from './context.js';

/** One line of `scan --json`: the contract scripts depend on. */
export interface ScanLine {
  file: string;
  attachment: string | null;
  page: number | null;
  kind: string | null;
  marks: number[];
  status: 'valid' | 'invalid' | 'review' | 'not_a_ballot' | 'unreadable';
  reason: string | null;
  confidence: number;
}

/** A file, attachment or page that gave no reading, with the reason why. */
function unreadableLine(
  file: string,
  attachment: string | null,
  page: number | null,
  reason: string,
): ScanLine {
  return { file, attachment, page, kind: null, marks: [], status: 'unreadable', reason, confidence: 1 };
}

/** scan stores nothing: blobs are only hashed, never written. */
class HashOnlyBlobs extends BlobStore {
  constructor() {
    super('/nonexistent');
  }
  override put(data: Uint8Array): string {
    return BlobStore.hash(data);
  }
}

function looksLikeMail(path: string, data: Buffer): boolean {
  if (/\.eml$/i.test(path)) return true;
  // A raw message starts with header lines ("Received:", "From:", "MIME-Version:", …) and a blank line.
  const head = data.subarray(0, 4096).toString('latin1');
  return (
    /^(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){2,}\r?\n/.test(head) &&
    /^(from|received|message-id|mime-version|return-path|date|subject):/im.test(head)
  );
}

function linesOf(file: string, mail: ReadMail, isMail: boolean): ScanLine[] {
  const out: ScanLine[] = [];
  const nameOf = (a: ReadAttachment): string | null => {
    if (!isMail && a.parent === null) return null;
    const chain: string[] = [];
    let cur: ReadAttachment | undefined = a;
    while (cur) {
      chain.unshift(cur.filename ?? cur.partPath);
      cur = cur.parent !== null ? mail.attachments[cur.parent] : undefined;
    }
    // A standalone file's own name is already in `file`.
    if (!isMail) chain.shift();
    return chain.join('/');
  };
  for (const a of mail.attachments) {
    const attachment = nameOf(a);
    switch (a.outcome.status) {
      case 'container':
        break;
      case 'rejected':
        out.push(unreadableLine(file, attachment, null, a.outcome.reason));
        break;
      case 'read':
        for (const p of a.outcome.pages) {
          const r = p.reading;
          if (r.status === 'unreadable') {
            out.push(unreadableLine(file, attachment, p.pageNo, r.reason));
          } else if (r.status === 'not_a_ballot' || p.ballots.length === 0) {
            out.push({
              file,
              attachment,
              page: p.pageNo,
              kind: null,
              marks: [],
              status: 'not_a_ballot',
              reason: null,
              confidence: r.status === 'not_a_ballot' ? r.confidence : 0,
            });
          } else {
            for (const b of p.ballots) {
              const v = b.verdict;
              out.push({
                file,
                attachment,
                page: p.pageNo,
                kind: b.reading.kind,
                marks: [...v.marks],
                status: v.status,
                reason:
                  v.status === 'invalid' ? v.reason : v.status === 'review' ? (v.reasons[0] ?? null) : null,
                confidence: Math.round(b.reading.confidence * 1000) / 1000,
              });
            }
          }
        }
        break;
      default: {
        const never: never = a.outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }
  if (out.length === 0 && isMail) {
    out.push({
      file,
      attachment: null,
      page: null,
      kind: null,
      marks: [],
      status: 'not_a_ballot',
      reason: 'no_ballot',
      confidence: 1,
    });
  }
  return out;
}

/** Read every ballot in the given files (images, PDFs, documents, archives or .eml mails), storing nothing. */
export async function scanFiles(
  files: readonly string[],
  deps: { stages: Stages; election: Election; limits: Limits; logger: Logger },
  onLine: (line: ScanLine) => void,
): Promise<void> {
  const ctx = {
    stages: deps.stages,
    election: deps.election,
    limits: deps.limits,
    blobs: new HashOnlyBlobs(),
    logger: deps.logger,
  };
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (err) {
      onLine(unreadableLine(file, null, null, 'unreadable'));
      deps.logger.warn({ file, err: (err as Error).message }, 'cannot read file');
      continue;
    }
    const isMail = looksLikeMail(file, data);
    let parsed: ParsedMailLike;
    if (isMail) {
      const r = await deps.stages.parseMail(data, deps.limits);
      if (!r.ok) {
        onLine(unreadableLine(file, null, null, r.reason));
        continue;
      }
      parsed = r.mail;
    } else {
      parsed = {
        messageId: null,
        from: null,
        subject: null,
        date: null,
        parts: [
          {
            path: '1',
            filename: basename(file),
            declaredType: null,
            origin: 'attachment',
            data,
            parentPath: null,
          },
        ],
        problems: [],
      };
    }
    try {
      const mail = await readMail(ctx, parsed);
      for (const line of linesOf(file, mail, isMail)) onLine(line);
    } catch (err) {
      deps.logger.error({ file, err: (err as Error).message }, 'scan failed');
      onLine(unreadableLine(file, null, null, 'processing_failed'));
    }
  }
}

function table(lines: readonly ScanLine[]): string {
  const rows = lines.map((l) => [
    l.file + (l.attachment ? ` › ${l.attachment}` : ''),
    l.page === null ? '-' : String(l.page),
    l.kind ?? '-',
    l.status,
    l.reason ?? '',
    l.marks.join(' '),
    l.confidence.toFixed(2),
  ]);
  const head = ['file', 'page', 'kind', 'status', 'reason', 'marks', 'conf'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .argument('<files...>', 'image, PDF, .docx/.xlsx, ZIP or .eml files')
    .description('Read ballots from files and print what was read (one line per ballot); stores nothing')
    .option(
      '--json',
      'one JSON object per line: file, attachment, page, kind, marks, status, reason, confidence',
    )
    .action(async (files: string[], opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const stages = await createStages(ctx.config);
      const lines: ScanLine[] = [];
      try {
        await scanFiles(
          files,
          { stages, election: ctx.config.election, limits: ctx.config.limits, logger: ctx.logger },
          (line) => {
            if (opts.json) process.stdout.write(`${JSON.stringify(line)}\n`);
            else lines.push(line);
          },
        );
      } finally {
        await stages.reader.close();
        stopPdfReader();
      }
      if (!opts.json) process.stdout.write(`${table(lines)}\n`);
    });
}
