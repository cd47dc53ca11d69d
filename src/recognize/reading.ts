import type { ReviewReason } from '../election/reasons.js';

/** Axis-aligned box in the pixel coordinates of the image it belongs to. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type MarkDecision = 'marked' | 'unmarked' | 'uncertain';

export interface ItemReading {
  readonly number: number;
  /** Ink score of the vote cell, 0 (empty) .. 1 (full); for exact sources 0 or 1. */
  readonly score: number;
  readonly decision: MarkDecision;
  /** The vote cell in the ballot image (`BallotReading.image`), null for sources without an image. */
  readonly box: Box | null;
  /** Why this cell was not decided outright, e.g. 'marginal', 'filled', 'scribbled'. */
  readonly note?: string;
}

/** How a ballot was read. Text layers and documents are exact; images are measured. */
export type ReadingMethod = 'image' | 'pdf-text' | 'document';

export interface BallotReading {
  /** Best guess of the ballot kind (config `kind`). When unsure, `doubts` has 'kind_uncertain'. */
  readonly kind: string;
  readonly kindConfidence: number;
  readonly method: ReadingMethod;
  /** One entry per item of the kind, in item order. */
  readonly items: readonly ItemReading[];
  /** 0..1: how sure the reader is of the whole reading. */
  readonly confidence: number;
  readonly doubts: readonly ReviewReason[];
  /** Human-readable details behind the doubts and the confidence, for staff. */
  readonly notes: readonly string[];
  /** Where the table lies on the page image (corners TL, TR, BR, BL), null for exact sources. */
  readonly region: readonly (readonly [number, number])[] | null;
  /** The straightened ballot (PNG) that staff look at; item boxes refer to it. */
  readonly image: Buffer | null;
  /** Numbers behind the decisions: thresholds, per-page gap, timings. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export type PageReading =
  | {
      readonly status: 'ballots';
      readonly ballots: readonly BallotReading[];
      readonly quality: number;
      /**
       * Tables seen on the page besides those read (a second ballot cut by the frame, too
       * blurred to read), with why each was not read: the page goes to a person as well.
       */
      readonly unreadTables?: readonly string[];
    }
  | { readonly status: 'not_a_ballot'; readonly confidence: number; readonly notes: readonly string[] }
  | {
      readonly status: 'unreadable';
      /** 'processing_failed': the recognizer threw or timed out on this page (detail says which). */
      readonly reason:
        'corrupt_file' | 'too_large' | 'decompression_bomb' | 'unsupported_format' | 'processing_failed';
      readonly detail: string;
    };

/** Marked and uncertain item numbers of a reading, as the election rules take them. */
export function markSet(reading: BallotReading): {
  marked: number[];
  uncertain: number[];
  doubts: ReviewReason[];
} {
  return {
    marked: reading.items.filter((i) => i.decision === 'marked').map((i) => i.number),
    uncertain: reading.items.filter((i) => i.decision === 'uncertain').map((i) => i.number),
    doubts: [...reading.doubts],
  };
}
