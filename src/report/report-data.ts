import type { Bilingual } from '../election/election.js';
import type { Tally } from '../store/tally.js';

/**
 * Everything a report shows, gathered once from the database as of one moment.
 * The HTML, CSV, XLSX and e-mail renderers are pure functions of this value, so
 * every format prints the same numbers.
 */
export interface ReportData {
  readonly election: {
    readonly id: string;
    readonly title: string;
    readonly organizer: string | null;
    readonly timeZone: string;
    readonly closesAt: Date;
    readonly closesAtText: string;
  };
  readonly kinds: readonly KindSection[];
  /** Exactly `computeTally(db, election, at).mails`. */
  readonly mails: Tally['mails'];
  /** Mails still being processed (neither processed nor failed) at the moment. */
  readonly mailsPending: number;
  /** Attachments refused at intake, by reason code. */
  readonly rejectedAttachments: readonly ReasonCount[];
  readonly pages: PagesSummary;
  /** One entry per calendar day in the election's time zone, first mail to last, gaps filled with zeros. */
  readonly intake: readonly IntakeDay[];
  readonly provenance: Provenance;
  /** The tally the report was built from, kept so callers can print or compare it. */
  readonly tally: Tally;
}

export interface ReasonCount {
  readonly code: string;
  readonly count: number;
}

export interface RankedItem {
  /** Competition ranking: equal votes share a place and the next place is skipped (1, 2, 2, 4). */
  readonly rank: number;
  readonly number: number;
  readonly name: string;
  readonly provincial: boolean;
  readonly votes: number;
  /** Votes as a fraction of the valid ballots of this kind (0 when there are none). */
  readonly share: number;
  /** Within the places the vote asks for (highlightTop), with at least one vote. */
  readonly highlighted: boolean;
  /** Shares its place with an item that falls outside the highlighted places. */
  readonly tiedAtCut: boolean;
}

/** Ballots of one kind, each counted once: a duplicate or late ballot is not also counted under its verdict. */
export interface BallotCounts {
  readonly valid: number;
  readonly invalid: number;
  readonly review: number;
  /** Bytes, or the whole mail, already recorded earlier. */
  readonly duplicate: number;
  /** In mail received after the deadline (and not a duplicate). */
  readonly late: number;
  readonly total: number;
}

export interface KindSection {
  readonly kind: string;
  readonly label: Bilingual;
  readonly title: string;
  readonly maxMarks: number;
  readonly highlightTop: number;
  readonly ranking: readonly RankedItem[];
  readonly ballots: BallotCounts;
  /** In the tally's order (blank, overvote, … then any other code met). */
  readonly invalidByReason: readonly ReasonCount[];
  /** Of the ballots the tally counts (valid and invalid). */
  readonly decidedBy: { readonly machine: number; readonly person: number };
  readonly review: {
    readonly count: number;
    /** ISO instant the oldest waiting ballot's mail arrived, null when nothing waits. */
    readonly oldestReceivedAt: string | null;
    /** A ballot can wait for several reasons, so these can add up to more than `count`. */
    readonly byReason: readonly ReasonCount[];
  };
}

export interface PagesSummary {
  readonly total: number;
  readonly withBallots: number;
  readonly notABallot: number;
  readonly unreadable: number;
  /** Not read yet at the moment. */
  readonly unread: number;
}

export interface IntakeDay {
  /** YYYY-MM-DD in the election's time zone. */
  readonly day: string;
  readonly mails: number;
  readonly lateMails: number;
  readonly duplicateMails: number;
  /** Ballots found per kind (not counting duplicates or non-ballots; late ones included). */
  readonly ballots: Readonly<Record<string, number>>;
}

export interface Provenance {
  /** When the report was made. */
  readonly generatedAt: Date;
  /** The moment the numbers describe (equal to generatedAt for a report of now). */
  readonly at: Date;
  /** The last audit entry written by `at`: a later check can confirm the chain still passes through it. */
  readonly auditHead: { readonly seq: number; readonly hash: string };
  readonly electionId: string;
  readonly electionHash: string;
  /** Recognizer versions behind the readings the report uses, with how many ballots each read. */
  readonly recognizerVersions: readonly { readonly version: string; readonly ballots: number }[];
  /** The recognizer this build would read with now; differing recorded versions mean older readings. */
  readonly currentRecognizer: string;
  readonly software: { readonly name: string; readonly version: string };
}
