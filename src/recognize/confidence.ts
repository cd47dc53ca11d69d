/**
 * One number for how sure the reader is of a whole ballot, from the evidence behind
 * it: the weakest mark decision, OCR agreement with the row order, the kind match,
 * image quality. The weakest link dominates (a product of factors). Pure.
 */
export interface ConfidenceInput {
  /** Per item, 0 (on a threshold) .. 1 (far from it). */
  readonly markMargins: readonly number[];
  readonly ocrAgreement: number;
  readonly kindScore: number;
  readonly kindMargin: number;
  readonly quality: number;
  readonly complete: boolean;
}

export function tableConfidence(i: ConfidenceInput): number {
  const weakest = i.markMargins.length ? Math.min(...i.markMargins) : 0;
  const marks = 0.5 + 0.5 * weakest;
  const ocr = 0.6 + 0.4 * i.ocrAgreement;
  const kind = Math.min(1, i.kindScore) * (0.7 + 0.3 * Math.min(1, i.kindMargin / 0.3));
  const quality = 0.6 + 0.4 * Math.min(1, i.quality);
  const c = marks * ocr * kind * quality * (i.complete ? 1 : 0.6);
  return Math.round(Math.max(0, Math.min(1, c)) * 1000) / 1000;
}

/** Below this overall confidence a ballot goes to review (measured: correct clean/scan readings sit above 0.8). */
export const MIN_AUTO_CONFIDENCE = 0.6;

/**
 * Vote-counting rule, not image analysis: a reading this unsure as a whole is not
 * accepted without a person, even when no single check failed (vxsuite's "marginal"
 * idea at ballot level). True when the reading needs the `low_quality` doubt added.
 */
export function unsureAsAWhole(confidence: number, doubts: number): boolean {
  return confidence < MIN_AUTO_CONFIDENCE && doubts === 0;
}
