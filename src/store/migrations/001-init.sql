-- ballot-inbox schema, version 1.
-- Machine readings and staff decisions are stored side by side and never overwritten:
-- a re-read adds a ballot_readings row, a person adds an adjudications row, and
-- the current state of a ballot is derived from the latest of each.

CREATE TABLE mails (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,              -- 'imap' | 'folder' | 'cli'
  account       TEXT,                       -- IMAP user@host, or the watched folder
  folder        TEXT,                       -- IMAP mailbox name (decoded), null for files
  uidvalidity   INTEGER,
  uid           INTEGER,
  source_ref    TEXT,                       -- file path for folder/cli sources
  sha256        TEXT NOT NULL,              -- of the raw message; the original is stored as a blob under that hash
  size          INTEGER NOT NULL,
  message_id    TEXT,
  from_addr     TEXT,
  subject       TEXT,
  date_header   TEXT,                       -- ISO 8601, as the sender claims; recorded only
  received_at   TEXT NOT NULL,              -- ISO 8601 UTC: IMAP INTERNALDATE, or when the file was picked up
  status        TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'failed')),
  reason        TEXT,                       -- mail-level reason code (no_ballot, parse_failed, too_large, …)
  error         TEXT,                       -- last error text when failed or retrying
  attempts      INTEGER NOT NULL DEFAULT 0,
  late          INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  duplicate_of  INTEGER REFERENCES mails(id), -- same Message-ID or same bytes as an earlier mail
  created_at    TEXT NOT NULL,
  processed_at  TEXT
);
CREATE INDEX mails_sha256 ON mails(sha256);
CREATE INDEX mails_message_id ON mails(message_id);
CREATE INDEX mails_status ON mails(status);
CREATE INDEX mails_received_at ON mails(received_at);

-- Processed-mail memory: every (source, account, folder, UIDVALIDITY, UID) ever seen, pointing at the mail it
-- held. A mailbox reset (new UIDVALIDITY) re-presents old mail under new keys; the content hash then finds it.
CREATE TABLE mail_keys (
  source        TEXT NOT NULL,
  account       TEXT NOT NULL,
  folder        TEXT NOT NULL,
  uidvalidity   INTEGER NOT NULL,
  uid           INTEGER NOT NULL,
  mail_id       INTEGER NOT NULL REFERENCES mails(id),
  seen_at       TEXT NOT NULL,
  PRIMARY KEY (source, account, folder, uidvalidity, uid)
);

CREATE TABLE attachments (
  id            INTEGER PRIMARY KEY,
  mail_id       INTEGER NOT NULL REFERENCES mails(id),
  parent_id     INTEGER REFERENCES attachments(id),   -- archive or forwarded mail it came out of
  part_path     TEXT NOT NULL,
  filename      TEXT,
  declared_type TEXT,
  format        TEXT,                        -- sniffed from the bytes
  origin        TEXT NOT NULL,               -- attachment | inline | forwarded | archive
  size          INTEGER NOT NULL,
  sha256        TEXT NOT NULL,               -- the bytes are stored as a blob under that hash
  status        TEXT NOT NULL CHECK (status IN ('read', 'rejected', 'duplicate', 'container')),
  reason        TEXT,                        -- intake reason code when rejected
  detail        TEXT,
  duplicate_of  INTEGER REFERENCES attachments(id),
  UNIQUE (mail_id, part_path)
);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_status ON attachments(status);

CREATE TABLE pages (
  id            INTEGER PRIMARY KEY,
  attachment_id INTEGER NOT NULL REFERENCES attachments(id),
  page_no       INTEGER NOT NULL,            -- 1-based within the attachment
  image_sha256  TEXT,                        -- the page raster as read (blob), for staff
  UNIQUE (attachment_id, page_no)
);

-- One row per reading of a page; a re-process adds a version.
CREATE TABLE page_readings (
  id                 INTEGER PRIMARY KEY,
  page_id            INTEGER NOT NULL REFERENCES pages(id),
  version            INTEGER NOT NULL,
  recognizer_version TEXT NOT NULL,
  election_hash      TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('ballots', 'not_a_ballot', 'unreadable')),
  reason             TEXT,
  detail             TEXT,
  quality            REAL,
  ms                 INTEGER,
  created_at         TEXT NOT NULL,
  UNIQUE (page_id, version)
);

-- A ballot is a table found on a page: (page, seq) with seq in reading order (top to bottom, left to right).
CREATE TABLE ballots (
  id            INTEGER PRIMARY KEY,
  page_id       INTEGER NOT NULL REFERENCES pages(id),
  seq           INTEGER NOT NULL,
  mail_id       INTEGER NOT NULL REFERENCES mails(id),
  attachment_id INTEGER NOT NULL REFERENCES attachments(id),
  duplicate     INTEGER NOT NULL DEFAULT 0 CHECK (duplicate IN (0, 1)),  -- bytes already recorded in an earlier mail
  created_at    TEXT NOT NULL,
  UNIQUE (page_id, seq)
);
CREATE INDEX ballots_mail ON ballots(mail_id);

CREATE TABLE ballot_readings (
  id                 INTEGER PRIMARY KEY,
  ballot_id          INTEGER NOT NULL REFERENCES ballots(id),
  page_reading_id    INTEGER NOT NULL REFERENCES page_readings(id),
  version            INTEGER NOT NULL,
  recognizer_version TEXT NOT NULL,
  election_hash      TEXT NOT NULL,
  kind               TEXT NOT NULL,
  kind_confidence    REAL NOT NULL,
  method             TEXT NOT NULL,           -- image | pdf-text | document
  confidence         REAL NOT NULL,
  items_json         TEXT NOT NULL,           -- [{number, score, decision, box, note}]
  marks_json         TEXT NOT NULL,           -- sorted item numbers read as marked
  doubts_json        TEXT NOT NULL,           -- review reason codes
  notes_json         TEXT NOT NULL,
  region_json        TEXT,
  evidence_json      TEXT NOT NULL,
  image_sha256       TEXT,                    -- straightened ballot image (blob)
  -- The election rules' verdict on this reading. 'not_a_ballot' marks a ballot that a newer page reading no longer finds.
  verdict_status     TEXT NOT NULL CHECK (verdict_status IN ('valid', 'invalid', 'review', 'not_a_ballot')),
  verdict_reason     TEXT,                    -- invalid reason code
  review_reasons_json TEXT NOT NULL DEFAULT '[]',
  created_at         TEXT NOT NULL,
  UNIQUE (ballot_id, version)
);

-- Staff decisions overlay the machine reading. outcome 'machine' hands the ballot back to the latest machine reading.
CREATE TABLE adjudications (
  id                 INTEGER PRIMARY KEY,
  ballot_id          INTEGER NOT NULL REFERENCES ballots(id),
  ballot_reading_id  INTEGER NOT NULL REFERENCES ballot_readings(id),  -- the reading the person looked at
  actor              TEXT NOT NULL,           -- 'user:<name>'
  outcome            TEXT NOT NULL CHECK (outcome IN ('accept', 'invalid', 'not_a_ballot', 'machine')),
  kind               TEXT,                    -- the kind the person confirmed (may correct the machine)
  marks_json         TEXT,                    -- the marks the person confirmed (accept)
  verdict_status     TEXT CHECK (verdict_status IN ('valid', 'invalid', 'not_a_ballot')),
  verdict_reason     TEXT,
  note               TEXT,
  created_at         TEXT NOT NULL
);
CREATE INDEX adjudications_ballot ON adjudications(ballot_id);

-- Append-only, hash-chained audit trail: who or what did what to which mail/ballot, and why.
CREATE TABLE audit (
  seq           INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,                -- 'ingest', 'recognizer@<version>', 'rules', 'user:<name>', 'report'
  action        TEXT NOT NULL,
  subject_type  TEXT NOT NULL,                -- mail | attachment | page | ballot | user | report | system
  subject_id    INTEGER,
  detail        TEXT NOT NULL,                -- canonical JSON
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_subject ON audit(subject_type, subject_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER ballot_readings_no_update BEFORE UPDATE ON ballot_readings BEGIN SELECT RAISE(ABORT, 'readings are append-only'); END;
CREATE TRIGGER ballot_readings_no_delete BEFORE DELETE ON ballot_readings BEGIN SELECT RAISE(ABORT, 'readings are append-only'); END;
CREATE TRIGGER adjudications_no_update BEFORE UPDATE ON adjudications BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER adjudications_no_delete BEFORE DELETE ON adjudications BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
