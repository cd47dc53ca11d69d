import type { Page } from './page.js';
import type { FileFormat } from './sniff.js';

/** Why an attachment gave no pages. Codes are the intake reasons in src/election/reasons.ts. */
export type ExtractFailureReason =
  | 'unsupported_format'
  | 'corrupt_file'
  | 'too_large'
  | 'decompression_bomb'
  | 'too_many_parts'
  | 'encrypted'
  /** The PDF reader crashed or ran out of time: not the sender's fault for sure, worth a retry or a person. */
  | 'processing_failed';

export interface ArchiveChild {
  /** The entry name as stored in the archive; never used as a file system path. */
  readonly name: string;
  readonly data: Buffer;
}

export type ExtractResult =
  | { readonly ok: true; readonly format: Exclude<FileFormat, 'zip'>; readonly pages: readonly Page[] }
  /** An archive gives no pages itself: the caller runs extractPages on each child, one level deeper. */
  | {
      readonly ok: true;
      readonly format: 'zip';
      readonly pages: readonly [];
      readonly children: readonly ArchiveChild[];
      /** Entries that could not be taken out (encrypted, odd compression), each with its reason. */
      readonly skipped: readonly {
        readonly name: string;
        readonly reason: ExtractFailureReason;
        readonly detail: string;
      }[];
    }
  | {
      readonly ok: false;
      readonly reason: ExtractFailureReason;
      readonly detail: string;
      readonly format: FileFormat | null;
    };

/** What each reader returns before extract.ts attaches the format. */
export type PagesResult =
  | { readonly ok: true; readonly pages: readonly Page[] }
  | { readonly ok: false; readonly reason: ExtractFailureReason; readonly detail: string };
