import type { Limits } from '../config/schema.js';
import type { ExtractResult } from '../extract/extract-result.js';
import type { Page } from '../extract/page.js';
import type { PageReading } from '../recognize/reading.js';

/**
 * What the ingest pipeline needs from the stages before it: parse a mail, turn a file into pages,
 * read a page. Written as types the real modules satisfy (src/mail/parse.ts, src/extract/extract.ts,
 * src/recognize/pool.ts), so the pipeline can be driven by them in production and by a slow or
 * failing reader in tests of retries and crashes.
 */
export interface MailPartLike {
  /** MIME part path ("1.2"), unique within the mail. */
  readonly path: string;
  readonly filename: string | null;
  readonly declaredType: string | null;
  /** attachment | inline | forwarded | … as the parser saw it. */
  readonly origin: string;
  readonly data: Buffer;
  /** Path of the part this one came out of (a forwarded message), null at top level. */
  readonly parentPath: string | null;
}

export interface ParsedMailLike {
  readonly messageId: string | null;
  readonly from: string | null;
  readonly subject: string | null;
  readonly date: Date | null;
  readonly parts: readonly MailPartLike[];
  /** Parts the parser left out (over the size or count limit), to be recorded as rejected. */
  readonly problems: readonly { readonly path: string; readonly reason: string; readonly detail: string }[];
}

export type ParseMailResult =
  | { readonly ok: true; readonly mail: ParsedMailLike }
  | { readonly ok: false; readonly reason: string; readonly detail: string };

export type ParseMailFn = (raw: Buffer, limits: Limits) => Promise<ParseMailResult>;
export type ExtractPagesFn = (
  data: Buffer,
  filename: string | null,
  limits: Limits,
) => Promise<ExtractResult>;

export interface PageReader {
  read(page: Page): Promise<PageReading>;
  close(): Promise<void>;
}

export interface Stages {
  readonly parseMail: ParseMailFn;
  readonly extractPages: ExtractPagesFn;
  readonly reader: PageReader;
  /** Pages read at the same time (recognizer worker threads). */
  readonly workers: number;
  /** Recorded with every reading so a re-read can tell which version read what. */
  readonly recognizerVersion: string;
}
