-- ballot-inbox schema, version 3: ballots staff enter by hand from a page image, and staff decisions about pages.
-- A page the recognizer did not read as a ballot (a blurred photo, a cut table) can be turned into one or more
-- ballots by a person, or confirmed as not a ballot. The ballot is an ordinary ballots row (so the tally, reports
-- and late/duplicate rules treat it like any other) whose reading was entered by a person.

-- 'recognizer': found by the machine; 'staff': entered by a person (its reading has method 'manual').
-- Re-reading a page never maps a machine ballot onto a staff one.
ALTER TABLE ballots ADD COLUMN origin TEXT NOT NULL DEFAULT 'recognizer' CHECK (origin IN ('recognizer', 'staff'));

-- What a person decided about a whole page; the latest row stands. 'ballots': the person entered ballots from it;
-- 'not_a_ballot': the person confirmed there is no ballot on it; 'machine': withdrawn (reprocess --override-human),
-- the machine's reading of the page stands again.
CREATE TABLE page_decisions (
  id                INTEGER PRIMARY KEY,
  page_id           INTEGER NOT NULL REFERENCES pages(id),
  page_reading_id   INTEGER NOT NULL REFERENCES page_readings(id),  -- the reading the person was looking at
  actor             TEXT NOT NULL,                                   -- 'user:<name>'
  outcome           TEXT NOT NULL CHECK (outcome IN ('ballots', 'not_a_ballot', 'machine')),
  ballot_id         INTEGER REFERENCES ballots(id),                  -- the ballot entered ('ballots')
  note              TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX page_decisions_page ON page_decisions(page_id);

CREATE TRIGGER page_decisions_no_update BEFORE UPDATE ON page_decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER page_decisions_no_delete BEFORE DELETE ON page_decisions BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
