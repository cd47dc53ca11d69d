-- ballot-inbox schema, version 2: staff accounts and login sessions for the review site.
-- Staff decisions themselves go to adjudications (001); this file only says who may make them.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('reviewer', 'admin')),
  -- scrypt: 'scrypt$N$r$p$<salt hex>$<hash hex>' so the cost can rise without a new column.
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at     TEXT NOT NULL,
  disabled_at    TEXT
);

-- A session row is keyed by the sha256 of the cookie value, so a copy of the database does not log anyone in.
CREATE TABLE sessions (
  id_hash        TEXT PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users(id),
  csrf_token     TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  ip             TEXT,
  user_agent     TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);
