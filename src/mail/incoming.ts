/**
 * The contract between a mail source (IMAP, a local folder, the CLI) and the pipeline.
 * A source hands over the raw bytes and where they came from; the pipeline stores and reads them
 * and says what happened; only then does the source act on the mailbox (flag, move, delete a file).
 */
export interface IncomingMail {
  readonly source: 'imap' | 'folder' | 'cli';
  /** IMAP "user@host", or the watched folder / the path given on the command line. */
  readonly account: string;
  /** IMAP mailbox (decoded from modified UTF-7), null for files. */
  readonly folder: string | null;
  readonly uidvalidity: number | null;
  readonly uid: number | null;
  /** File path for folder and CLI sources. */
  readonly sourceRef: string | null;
  readonly raw: Buffer;
  /** When the server received it (IMAP INTERNALDATE) or when the file appeared; decides lateness. */
  readonly receivedAt: Date;
}

export type IngestOutcome =
  /** Stored and read in one transaction; the source may now act on the mailbox. */
  | {
      readonly status: 'stored';
      readonly mailId: number;
      readonly ballots: number;
      readonly reason: string | null;
    }
  /** Already recorded (same key, same bytes or same Message-ID): nothing new was counted. */
  | { readonly status: 'already_seen'; readonly mailId: number }
  /** Could not be processed now; the original is stored. `final` once the retry budget is spent (parked as failed). */
  | {
      readonly status: 'failed';
      readonly mailId: number | null;
      readonly error: string;
      readonly final: boolean;
    };

export type MailHandler = (mail: IncomingMail) => Promise<IngestOutcome>;

export interface MailSource {
  readonly name: string;
  /** Deliver waiting mail, then keep watching until stop(). Resolves when stopped. */
  run(handler: MailHandler, signal: AbortSignal): Promise<void>;
  /** Deliver what is waiting now and return (run --once). */
  drain(handler: MailHandler): Promise<{ delivered: number }>;
}
