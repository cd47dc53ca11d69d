import type { PageReading } from '../recognize/reading.js';

/**
 * A page the recognizer called "not a ballot" with less confidence than this is shown to staff:
 * it found a ruled table there but could not read it. Pages with no table at all (a logo, a selfie)
 * come back at 0.95 and stay out of the queue.
 */
export const POSSIBLE_BALLOT_BELOW = 0.9;

/**
 * Whether a page itself (not only its ballots) goes to a person: it could not be read, it may hold a
 * ballot the recognizer could not read, or ballots were read but another table on it was not. The
 * review queue selects the same pages in SQL from the stored readings (queue.ts; queue.test.ts holds
 * the two to agreement); the benchmark uses this to tell a missed ballot a person will still see
 * from one that would be lost unseen.
 */
export function pageGoesToPerson(reading: PageReading): boolean {
  switch (reading.status) {
    case 'unreadable':
      return true;
    case 'not_a_ballot':
      return reading.confidence < POSSIBLE_BALLOT_BELOW;
    case 'ballots':
      return (reading.unreadTables?.length ?? 0) > 0;
  }
}
