import { describe, expect, it } from 'vitest';
import {
  compareRuns,
  describePage,
  type SavedBallot,
  type SavedPage,
  type SavedRun,
} from '../scripts/bench/compare.js';
import type { Figures } from '../scripts/bench/score.js';

const ballot = (over: Partial<SavedBallot> = {}): SavedBallot => ({
  kind: 'projects',
  match: 'matched',
  verdict: 'valid',
  expect: 'valid',
  readingRight: true,
  autoWrong: false,
  doubts: [],
  ...over,
});
const page = (file: string, ballots: SavedBallot[], status: SavedPage['status'] = 'ballots'): SavedPage => ({
  file,
  page: 1,
  status,
  toPerson: false,
  ballots,
});
const figures = (over: Partial<Figures> = {}): Figures => ({
  pages: 4,
  ballotPages: 4,
  truthBallots: 4,
  markAccuracy: 1,
  autoDecided: 3,
  autoWrong: 0,
  missedReview: 0,
  reviewRate: 0.25,
  kindAccuracy: 1,
  missing: 0,
  missingUnseen: 0,
  extra: 0,
  notBallotPages: 0,
  notBallotAccuracy: null,
  ballotPagesCalledNotBallot: 0,
  unreadable: 0,
  verdictAccuracy: 0.75,
  medianMs: 800,
  p95Ms: 3000,
  ...over,
});
const run = (pages: SavedPage[], over: Partial<Figures> = {}): SavedRun => ({
  recognizer: 'r',
  overall: figures(over),
  ocr: { calls: 10, msPerCall: 40 },
  pages,
});

describe('compareRuns', () => {
  const review = (doubts: string[], readingRight: boolean) =>
    ballot({ verdict: 'review', doubts, readingRight });
  const before = run([
    page('a.png', [review(['ocr_disagrees'], true)]),
    page('b.png', [ballot()]),
    page('c.png', [review(['low_quality'], false)]),
    page('d.png', [ballot()]),
    page('gone.png', [ballot()]),
  ]);
  const after = run(
    [
      // Now counted without a person: better.
      page('a.png', [ballot()]),
      // Counted, but wrongly: worse, even though nothing else changed.
      page('b.png', [ballot({ readingRight: false, autoWrong: true })]),
      // Still in review, still wrong, another reason: reasons only.
      page('c.png', [review(['marginal_mark'], false)]),
      page('d.png', [ballot()]),
      page('new.png', [ballot()]),
    ],
    { reviewRate: 0.2 },
  );

  it('sorts the changed pages into better, worse and reasons only, and leaves the same ones out', () => {
    const cmp = compareRuns(before, after);
    expect(cmp.pages.map((p) => [p.file, p.change])).toEqual([
      ['a.png', 'better'],
      ['b.png', 'worse'],
      ['c.png', 'reasons'],
    ]);
    expect(cmp.unmatched).toEqual(['gone.png p1', 'new.png p1']);
  });

  it('counts a ballot read right but now sent to review as worse', () => {
    const cmp = compareRuns(
      run([page('x.png', [ballot()])]),
      run([page('x.png', [review(['correction'], true)])]),
    );
    expect(cmp.pages[0]!.change).toBe('worse');
  });

  it('counts a lost ballot as worse and a found one as better', () => {
    const lost = page(
      'x.png',
      [ballot({ match: 'missing', verdict: null, readingRight: false })],
      'not_a_ballot',
    );
    const found = page('x.png', [review(['kind_uncertain'], true)]);
    expect(compareRuns(run([found]), run([lost])).pages[0]!.change).toBe('worse');
    expect(compareRuns(run([lost]), run([found])).pages[0]!.change).toBe('better');
  });

  it('puts the headline figures side by side, shares marked as such', () => {
    const cmp = compareRuns(before, after);
    expect(cmp.figures.find((f) => f.name === 'reviewRate')).toEqual({
      name: 'reviewRate',
      share: true,
      a: 0.25,
      b: 0.2,
    });
    expect(cmp.figures.find((f) => f.name === 'ocrCalls')).toEqual({
      name: 'ocrCalls',
      share: false,
      a: 10,
      b: 10,
    });
  });

  it('describes a page in one line', () => {
    expect(
      describePage(page('a.png', [review(['ocr_disagrees'], true), ballot({ kind: 'districts' })])),
    ).toBe('ballots: projects right review (ocr_disagrees); districts right valid');
  });
});
