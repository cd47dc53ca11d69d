/** The election definition: what is on each ballot and the rules that judge it. Loaded from config, never coded. */
export interface Item {
  readonly number: number;
  readonly name: string;
  /** Marked with * on the projects ballot (provincial 省重点). */
  readonly provincial: boolean;
}

export type Bilingual = { readonly zh: string; readonly en: string };

export interface BallotRules {
  /** Fewer marks than maxMarks but at least one. The notice says such ballots are valid. */
  readonly underLimit: 'valid' | 'invalid';
  /** No mark at all. */
  readonly blank: 'invalid' | 'valid';
  /** More marks than maxMarks ("多选无效"). */
  readonly overLimit: 'invalid';
}

export interface BallotKind {
  /** Stable identifier used in the database, the tally and reports ("projects"). */
  readonly kind: string;
  /** Title printed above the table; the recognizer uses it to tell ballots apart. */
  readonly title: string;
  readonly label: Bilingual;
  readonly items: readonly Item[];
  readonly itemLabel: Bilingual;
  /** Header of the column where voters tick ("投票"). */
  readonly markedLabel: string;
  readonly maxMarks: number;
  readonly rules: BallotRules;
  /** How many leading places reports highlight (the vote asks for this many). */
  readonly highlightTop: number;
}

export interface Election {
  readonly id: string;
  readonly title: string;
  readonly organizer: string | null;
  readonly timeZone: string;
  /** Ballots in mail received at or after this instant are recorded but not counted. */
  readonly closesAt: Date;
  /** The deadline as written in the config, for display. */
  readonly closesAtText: string;
  readonly mailbox: string | null;
  readonly ballots: readonly BallotKind[];
  /** sha256 of the canonical election definition, recorded with every reading and report. */
  readonly hash: string;
}

export function ballotKind(election: Election, kind: string): BallotKind | undefined {
  return election.ballots.find((b) => b.kind === kind);
}
