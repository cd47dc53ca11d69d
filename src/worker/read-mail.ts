import type { Limits } from '../config/schema.js';
import { ballotKind, type Election } from '../election/election.js';
import type { ReasonCode } from '../election/reasons.js';
import { judge, type Verdict } from '../election/rules.js';
import type { Page } from '../extract/page.js';
import type { Logger } from '../log/logger.js';
import { type BallotReading, markSet, type PageReading } from '../recognize/reading.js';
import { BlobStore } from '../store/blobs.js';
import type { ParsedMailLike, Stages } from './stages.js';

/**
 * Everything read out of one mail, before it is written: the attachment tree, every page's
 * reading and every ballot's verdict. Blobs (attachment bytes, page rasters, straightened
 * ballots) are already stored; the database rows are written in one transaction by record-mail.
 */
export interface ReadBallot {
  readonly reading: BallotReading;
  readonly verdict: Verdict;
  readonly imageSha256: string | null;
}

export interface ReadPage {
  readonly pageNo: number;
  readonly imageSha256: string | null;
  readonly reading: PageReading;
  readonly ms: number;
  readonly ballots: readonly ReadBallot[];
}

export type AttachmentOutcome =
  | { readonly status: 'read'; readonly pages: readonly ReadPage[] }
  /** An archive or forwarded message: its contents are attachments of their own. */
  | { readonly status: 'container' }
  | { readonly status: 'rejected'; readonly reason: ReasonCode; readonly detail: string };

export interface ReadAttachment {
  /** Index in ReadMail.attachments of the container it came out of. */
  readonly parent: number | null;
  readonly partPath: string;
  readonly filename: string | null;
  readonly declaredType: string | null;
  readonly format: string | null;
  readonly origin: string;
  readonly size: number;
  readonly sha256: string;
  readonly outcome: AttachmentOutcome;
}

export interface ReadMail {
  readonly attachments: readonly ReadAttachment[];
  readonly pages: number;
  readonly ballots: number;
}

/** A stage failed in a way a retry may cure (reader crash, timeout): the mail attempt fails as a whole. */
export class TransientStageError extends Error {
  override name = 'TransientStageError';
}

export interface ReadContext {
  readonly stages: Stages;
  readonly election: Election;
  readonly limits: Limits;
  readonly blobs: BlobStore;
  readonly logger: Logger;
  readonly onPageRead?: (ms: number, reading: PageReading) => void;
  /**
   * The last attempt the retry budget allows. Before it, a page the recognizer could not finish
   * (thread crash, timeout: 'processing_failed') fails the whole attempt so the mail is read again;
   * on it, the page is recorded unreadable and the rest of the mail is stored and counted.
   */
  readonly finalAttempt?: boolean;
}

const INTAKE_REASONS = new Set<string>([
  'parse_failed',
  'processing_failed',
  'unsupported_format',
  'corrupt_file',
  'too_large',
  'decompression_bomb',
  'too_many_parts',
  'encrypted',
]);

function intakeReason(reason: string): ReasonCode {
  return (INTAKE_REASONS.has(reason) ? reason : 'corrupt_file') as ReasonCode;
}

/** Judge one ballot reading by the rules of its kind; a kind not in the election goes to a person. */
export function judgeReading(reading: BallotReading, election: Election): Verdict {
  const kind = ballotKind(election, reading.kind);
  const marks = markSet(reading);
  if (!kind)
    return { status: 'review', reasons: ['kind_uncertain'], marks: [...marks.marked].sort((a, b) => a - b) };
  return judge(marks, kind);
}

/** Read one page and store its raster and straightened ballots as blobs. */
export async function readPage(ctx: ReadContext, page: Page): Promise<ReadPage> {
  const started = performance.now();
  const reading = await ctx.stages.reader.read(page);
  const ms = Math.round(performance.now() - started);
  ctx.onPageRead?.(ms, reading);
  if (
    reading.status === 'unreadable' &&
    (reading.reason as string) === 'processing_failed' &&
    ctx.finalAttempt === false
  )
    throw new TransientStageError(`page ${page.pageNo}: ${reading.detail}`);
  const raster = page.source === 'document' ? null : page.image;
  const imageSha256 = raster ? ctx.blobs.put(raster) : null;
  const ballots =
    reading.status === 'ballots'
      ? reading.ballots.map((b) => ({
          reading: b,
          verdict: judgeReading(b, ctx.election),
          imageSha256: b.image ? ctx.blobs.put(b.image) : null,
        }))
      : [];
  return { pageNo: page.pageNo, imageSha256, reading, ms, ballots };
}

/**
 * Extract and read every part of a parsed mail. Archives are opened level by level up to
 * limits.maxNestingDepth; every file met, readable or not, becomes an attachment so staff see
 * what was sent. Pages of the whole mail are read concurrently so the recognizer pool stays busy.
 */
export async function readMail(ctx: ReadContext, parsed: ParsedMailLike): Promise<ReadMail> {
  const attachments: ReadAttachment[] = [];
  const pending: Promise<void>[] = [];
  const pathIndex = new Map<string, number>();

  const visit = async (
    file: {
      partPath: string;
      filename: string | null;
      declaredType: string | null;
      origin: string;
      data: Buffer;
      parent: number | null;
    },
    depth: number,
  ): Promise<void> => {
    const sha256 = ctx.blobs.put(file.data);
    const base = {
      parent: file.parent,
      partPath: file.partPath,
      filename: file.filename,
      declaredType: file.declaredType,
      origin: file.origin,
      size: file.data.length,
      sha256,
    };
    const index = attachments.length;
    if (file.declaredType?.toLowerCase() === 'message/rfc822') {
      // The parser already lifted the forwarded message's own parts out (they name it as parentPath).
      attachments.push({ ...base, format: 'eml', outcome: { status: 'container' } });
      pathIndex.set(file.partPath, index);
      return;
    }
    if (file.data.length > ctx.limits.maxAttachmentBytes) {
      attachments.push({
        ...base,
        format: null,
        outcome: {
          status: 'rejected',
          reason: 'too_large',
          detail: `${file.data.length} bytes > limit ${ctx.limits.maxAttachmentBytes}`,
        },
      });
      return;
    }
    const extracted = await ctx.stages.extractPages(file.data, file.filename, ctx.limits);
    if (!extracted.ok) {
      if (extracted.reason === 'processing_failed' && ctx.finalAttempt === false)
        throw new TransientStageError(`extract ${file.partPath}: ${extracted.detail}`);
      attachments.push({
        ...base,
        format: extracted.format,
        outcome: { status: 'rejected', reason: intakeReason(extracted.reason), detail: extracted.detail },
      });
      return;
    }
    if (extracted.format === 'zip') {
      attachments.push({ ...base, format: 'zip', outcome: { status: 'container' } });
      pathIndex.set(file.partPath, index);
      if (depth + 1 > ctx.limits.maxNestingDepth) {
        attachments[index] = {
          ...base,
          format: 'zip',
          outcome: {
            status: 'rejected',
            reason: 'too_many_parts',
            detail: `archives nested deeper than ${ctx.limits.maxNestingDepth} levels`,
          },
        };
        return;
      }
      for (const [i, s] of extracted.skipped.entries()) {
        attachments.push({
          parent: index,
          partPath: `${file.partPath}/skipped-${i + 1}`,
          filename: s.name,
          declaredType: null,
          format: null,
          origin: 'archive',
          size: 0,
          sha256: BlobStore.hash(Buffer.alloc(0)),
          outcome: {
            status: 'rejected',
            reason: s.reason === 'processing_failed' ? 'corrupt_file' : intakeReason(s.reason),
            detail: s.detail,
          },
        });
      }
      // Sequential on purpose: the order of attachments (and so of ballots) must not depend on timing.
      for (const [i, child] of extracted.children.entries()) {
        await visit(
          {
            partPath: `${file.partPath}/${i + 1}`,
            filename: child.name,
            declaredType: null,
            origin: 'archive',
            data: child.data,
            parent: index,
          },
          depth + 1,
        );
      }
      return;
    }
    const pages: ReadPage[] = [];
    attachments.push({ ...base, format: extracted.format, outcome: { status: 'read', pages } });
    // Pages go to the pool now; the attachment's page list fills in page order once all are read.
    const reads = Promise.all(extracted.pages.map((p) => readPage(ctx, p))).then((read) => {
      pages.push(...read.sort((a, b) => a.pageNo - b.pageNo));
    });
    // Awaited below; this guard only keeps a failure from surfacing as an unhandled rejection
    // while a later part is still being extracted.
    reads.catch(() => undefined);
    pending.push(reads);
  };

  for (const part of parsed.parts) {
    const parent = part.parentPath !== null ? (pathIndex.get(part.parentPath) ?? null) : null;
    await visit(
      {
        partPath: part.path,
        filename: part.filename,
        declaredType: part.declaredType,
        origin: part.origin,
        data: part.data,
        parent,
      },
      0,
    );
  }
  // Parts the parser refused (beyond limits.maxAttachments, too large) still show up for staff.
  for (const problem of parsed.problems) {
    attachments.push({
      parent: null,
      partPath: problem.path,
      filename: null,
      declaredType: null,
      format: null,
      origin: 'attachment',
      size: 0,
      sha256: BlobStore.hash(Buffer.alloc(0)),
      outcome: { status: 'rejected', reason: intakeReason(problem.reason), detail: problem.detail },
    });
  }
  await Promise.all(pending);
  let pages = 0;
  let ballots = 0;
  for (const a of attachments) {
    if (a.outcome.status !== 'read') continue;
    pages += a.outcome.pages.length;
    for (const p of a.outcome.pages) ballots += p.ballots.length;
  }
  return { attachments, pages, ballots };
}
